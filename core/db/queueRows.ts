// The queue table's rows as ops, in send order (core/db/queue.ts readQueue and analyzeQueue). Every
// cell is read on its own, straight from SQLite (no row array, no bigint for an integer that fits a
// double), and a payload is parsed only when someone reads it: the analysis needs only whether it
// is a JSON object and, for an update, its field names (core/db/jsonFields.ts). bench/analyze-queue.ts
// measures it.
import type { SqlDatabase } from './sqlDatabase';
import { parseLocalTime } from '../queue/localTime';
import { jsonObjectFieldNames, type JsonFieldNames } from './jsonFields';
import { asNumber, asText, quoteIdentifier, rowCursor, type RowCursor } from './query';
import { detectTimestampEncoding, parseIso, timestampToMillis } from './timestamps';
import type { AnalyzedOperation, QueueOperation, QueueOperationKind, QueueTableRole, SqlValue, TimestampEncoding } from './types';

const operationOrdinals: readonly QueueOperationKind[] = ['create', 'update', 'delete'];
/** Text spellings beyond the kinds' own names: drift apps queue `upsert` (create or replace). */
const operationTexts: readonly QueueOperationKind[] = [...operationOrdinals, 'upsert'];

export interface QueueRows {
  /** createdAt ascending (missing first), then id. */
  operations: QueueOperation[];
  /** Per op, at the same index: its payload's field names when the payload is a JSON object, else null. */
  payloadFields: (JsonFieldNames | null)[];
}

/**
 * Every queue row as an op, in send order. With `forAnalysis` each op also holds the analysis's
 * fields (status, reason, nextAttemptAt, supersededBy, table) with placeholder values, in the order
 * analyzeQueue adds them, so it can fill them in without reshaping 100,000 objects.
 */
export function readQueueRows(db: SqlDatabase, queue: QueueTableRole, forAnalysis: boolean): QueueRows {
  const c = queue.columns;
  const selected = [c.id, c.entityType, c.entityId, c.operation, c.payload, c.createdAt, c.retryCount, c.lastAttempt]
    .map((column) => (column === null ? 'NULL' : `q.${quoteIdentifier(column)}`))
    .concat(lastErrorSql(queue))
    .join(', ');
  const statement = db.prepare(`SELECT ${selected} FROM main.${quoteIdentifier(queue.table)} AS q`);
  const read: QueueOperation[] = [];
  const readFields: (JsonFieldNames | null)[] = [];
  try {
    const cursor = rowCursor(statement);
    const toOperation = operationReader(queue, forAnalysis);
    while (cursor.step()) read.push(toOperation(cursor, readFields));
  } finally {
    statement.free();
  }
  return inSendOrder(read, readFields);
}

/** Sorted by createdAt, then id, then the order SQLite returned them (so the sort is stable). */
function inSendOrder(read: QueueOperation[], readFields: (JsonFieldNames | null)[]): QueueRows {
  const before = (left: QueueOperation, right: QueueOperation): number => (left.createdAt ?? -Infinity) - (right.createdAt ?? -Infinity) || left.id - right.id;
  // A queue is mostly stored in send order already: then one pass proves it, and nothing moves.
  let sorted = true;
  for (let index = 1; index < read.length && sorted; index++) sorted = !(before(read[index - 1]!, read[index]!) > 0);
  if (sorted) return { operations: read, payloadFields: readFields };
  const order = read.map((_, index) => index);
  order.sort((a, b) => before(read[a]!, read[b]!) || a - b);
  return { operations: order.map((index) => read[index]!), payloadFields: order.map((index) => readFields[index]!) };
}

/** The queue's own last-error column, else (or over it) the newest entry of the side table for the op. */
function lastErrorSql(queue: QueueTableRole): string {
  const own = queue.columns.lastError === null ? 'NULL' : `q.${quoteIdentifier(queue.columns.lastError)}`;
  const side = queue.lastErrors;
  if (!side) return own;
  const joined = `(SELECT e.${quoteIdentifier(side.error)} FROM main.${quoteIdentifier(side.table)} AS e WHERE e.${quoteIdentifier(side.opId)} = q.${quoteIdentifier(side.queueOpId ?? 'rowid')} ORDER BY e.rowid DESC LIMIT 1)`;
  return `COALESCE(${joined}, ${own})`;
}

/**
 * Turns the cursor's row into an op, and adds its entry to `payloadFields`. The operation column
 * holds a handful of distinct values, so each is parsed once per read.
 */
function operationReader(queue: QueueTableRole, forAnalysis: boolean): (row: RowCursor, payloadFields: (JsonFieldNames | null)[]) => QueueOperation {
  const createdAtEncoding = queue.timestampEncodings[queue.columns.createdAt];
  const lastAttemptEncoding = queue.columns.lastAttempt === null ? undefined : queue.timestampEncodings[queue.columns.lastAttempt];
  const hasLastAttempt = queue.columns.lastAttempt !== null;
  const kinds = new Map<unknown, QueueOperationKind | null>();
  return (row, payloadFields) => {
    const operation = row.cell(3);
    let kind = kinds.get(operation);
    if (kind === undefined) {
      kind = parseOperation(operation, queue.operationEncoding);
      kinds.set(operation, kind);
    }
    const payloadText = asText(row.cell(4));
    // One scan of the text says whether it is a JSON object and names its fields.
    const fields = payloadText === null ? null : jsonObjectFieldNames(payloadText);
    payloadFields.push(fields);
    const op = new TableOperation(
      asNumber(row.cell(0)) ?? 0,
      asText(row.cell(1)) ?? '',
      asText(row.cell(2)) ?? '',
      kind ?? 'update',
      fields !== null,
      payloadText,
      toMillis(row.cell(5), createdAtEncoding, queue.timeZone),
      asNumber(row.cell(6)) ?? 0,
      hasLastAttempt ? toMillis(row.cell(7), lastAttemptEncoding, queue.timeZone) : null,
      asText(row.cell(8)),
    );
    if (kind === null) op.unknownOperation = asText(operation) ?? 'NULL';
    if (forAnalysis) withAnalysisPlaceholders(op as AnalyzedOperation);
    return op;
  };
}

function withAnalysisPlaceholders(op: AnalyzedOperation): void {
  op.status = 'ready';
  op.reason = '';
  op.nextAttemptAt = null;
  op.supersededBy = null;
  op.table = null;
}

/**
 * A read op: a plain object (its prototype is Object.prototype, as a literal's), its fields in the
 * order readQueue has always given them. Made by a constructor, not a literal, so that V8 sizes it
 * for every field set here and after (the analysis's too): a literal holds only its own fields
 * inline, and each field added later grows a separate store (bench/analyze-queue.ts: ~10% faster).
 */
function initTableOperation(
  this: QueueOperation,
  id: number,
  entityType: string,
  entityId: string,
  operation: QueueOperationKind,
  payloadIsObject: boolean,
  payloadText: string | null,
  createdAt: number | null,
  retryCount: number,
  lastAttempt: number | null,
  lastError: string | null,
): void {
  this.id = id;
  this.entityType = entityType;
  this.entityId = entityId;
  this.operation = operation;
  if (payloadIsObject) Object.defineProperty(this, 'payload', lazyPayload);
  else this.payload = null;
  this.payloadText = payloadText;
  this.createdAt = createdAt;
  this.retryCount = retryCount;
  this.lastAttempt = lastAttempt;
  this.lastError = lastError;
}
initTableOperation.prototype = Object.prototype;
const TableOperation = initTableOperation as unknown as new (...fields: Parameters<typeof initTableOperation>) => QueueOperation;

/**
 * An op's payload, parsed from its payloadText when first read (JSON.parse, as it always was read)
 * and kept; assigning one keeps that instead. It is an own enumerable property throughout, so
 * spreading, JSON, structured clone (the workers' messages) and deep equality see the parsed
 * object. Only ops whose text is a JSON object get it: theirs parses.
 *
 * The parsed object is kept in a hidden slot behind the accessor (a non-enumerable symbol, which
 * none of those see), added when it is first parsed or assigned: an analysis, which reads no
 * payload, pays nothing for it. Turning the accessor into a data property on first read, as this
 * once did, rebuilt the object's shape each time (V8 does when a property changes kind): the largest
 * single item of a replay's main thread in a CPU profile, and the first read of 20,000 payloads took
 * 66-85 ms with it against 38-70 ms now, JSON.parse included. Adding a property is a transition V8 caches.
 */
const lazyPayload: PropertyDescriptor = { get: parsePayload, set: keepPayload, enumerable: true, configurable: true };
const parsedPayload = Symbol('parsedPayload');

interface PayloadSlot {
  payloadText: string | null;
  [parsedPayload]?: Record<string, unknown> | null;
}

function parsePayload(this: PayloadSlot): Record<string, unknown> | null {
  if (parsedPayload in this) return this[parsedPayload] as Record<string, unknown> | null;
  const payload = JSON.parse(this.payloadText!) as Record<string, unknown>;
  keepPayload.call(this, payload);
  return payload;
}

function keepPayload(this: PayloadSlot, payload: Record<string, unknown> | null): void {
  // A frozen op cannot keep it (Reflect.defineProperty says false, where an assignment would
  // throw), so it parses again on each read: same value, a new object.
  Reflect.defineProperty(this, parsedPayload, { value: payload, writable: true, enumerable: false, configurable: true });
}

/** Text (`create`, `UPDATE`, `SyncOperationType.delete`) or the enum ordinal, whichever is stored. */
function parseOperation(value: SqlValue, encoding: 'text' | 'ordinal'): QueueOperationKind | null {
  const ordinal = asNumber(value);
  if (ordinal !== null && (encoding === 'ordinal' || typeof value !== 'string')) {
    return Number.isInteger(ordinal) ? (operationOrdinals[ordinal] ?? null) : null;
  }
  const text = asText(value)?.trim().toLowerCase().replace(/^.*\./, '');
  return operationTexts.find((kind) => kind === text) ?? null;
}

/**
 * A timestamp in the column's detected encoding; a column too sparse to detect is read per value.
 * Zone-less text is local time in `timeZone` when the config names one.
 */
function toMillis(value: SqlValue, encoding: TimestampEncoding | undefined, timeZone?: string): number | null {
  if (value === null) return null;
  if (timeZone !== undefined && typeof value === 'string' && (encoding === undefined || encoding === 'iso8601')) return parseLocalTime(value, timeZone);
  if (encoding) return timestampToMillis(value, encoding);
  if (typeof value === 'string') return parseIso(value);
  const guessed = detectTimestampEncoding([value]);
  return guessed ? timestampToMillis(value, guessed) : null;
}
