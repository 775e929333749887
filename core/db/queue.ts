// Reads the sync queue in the order the engine sends it and gives every operation a status with a
// one-line reason. Pure and deterministic for a given `now`: the backoff jitter is derived from the
// op id, so the extension, the CLI and a re-run all show the same next-attempt times.
import type { SqlDatabase } from './sqlDatabase';
import { parseLocalTime } from '../queue/localTime';
import { tableQueueSource } from '../queue/tableSource';
import type { QueueSource } from '../queue/types';
import { asNumber, asText, currentRawRow, parseJsonObject, queryAll, quoteIdentifier } from './query';
import { entityRoleForType } from './roles';
import { detectTimestampEncoding, formatTimestampUtc, parseIso, timestampToMillis } from './timestamps';
import {
  defaultBackoffPolicy,
  defaultMaxRetries,
  type AnalyzedOperation,
  type BackoffPolicy,
  type EntityTableRole,
  type QueueAnalysis,
  type QueueOperation,
  type QueueOperationKind,
  type QueueTableRole,
  type QueueTotals,
  type SqlValue,
  type SyncRoles,
  type TimestampEncoding,
} from './types';

const operationOrdinals: readonly QueueOperationKind[] = ['create', 'update', 'delete'];
/** Text spellings beyond the kinds' own names: drift apps queue `upsert` (create or replace). */
const operationTexts: readonly QueueOperationKind[] = [...operationOrdinals, 'upsert'];

/** Every queue row, in send order: createdAt ascending (missing first), then id. */
export function readQueue(db: SqlDatabase, roles: SyncRoles): QueueOperation[] {
  const queue = roles.queue;
  if (!queue) return [];
  const c = queue.columns;
  const selected = [c.id, c.entityType, c.entityId, c.operation, c.payload, c.createdAt, c.retryCount, c.lastAttempt]
    .map((column) => (column === null ? 'NULL' : `q.${quoteIdentifier(column)}`))
    .concat(lastErrorSql(queue))
    .join(', ');
  // Stepped row by row into the op itself: no intermediate row arrays (bench/analyze-queue.ts).
  const statement = db.prepare(`SELECT ${selected} FROM main.${quoteIdentifier(queue.table)} AS q`);
  const operations: QueueOperation[] = [];
  try {
    const toOperation = operationReader(queue);
    while (statement.step()) operations.push(toOperation(currentRawRow(statement)));
  } finally {
    statement.free();
  }
  return operations.sort(
    (a, b) => (a.createdAt ?? -Infinity) - (b.createdAt ?? -Infinity) || a.id - b.id,
  );
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
 * Turns a raw row (integers as bigint) into an op. The operation column holds a handful of distinct
 * values, so each is parsed once per read.
 */
function operationReader(queue: QueueTableRole): (row: readonly unknown[]) => QueueOperation {
  const createdAtEncoding = queue.timestampEncodings[queue.columns.createdAt];
  const lastAttemptEncoding = queue.columns.lastAttempt === null ? undefined : queue.timestampEncodings[queue.columns.lastAttempt];
  const hasLastAttempt = queue.columns.lastAttempt !== null;
  const kinds = new Map<unknown, QueueOperationKind | null>();
  return (row) => {
    const id = row[0] as SqlValue;
    const operation = (row[3] ?? null) as SqlValue;
    const payloadText = asText((row[4] ?? null) as SqlValue);
    let kind = kinds.get(operation);
    if (kind === undefined) {
      kind = parseOperation(operation, queue.operationEncoding);
      kinds.set(operation, kind);
    }
    const result: QueueOperation = {
      id: asNumber(id ?? null) ?? 0,
      entityType: asText((row[1] ?? null) as SqlValue) ?? '',
      entityId: asText((row[2] ?? null) as SqlValue) ?? '',
      operation: kind ?? 'update',
      payload: parseJsonObject(payloadText),
      payloadText,
      createdAt: toMillis((row[5] ?? null) as SqlValue, createdAtEncoding, queue.timeZone),
      retryCount: asNumber((row[6] ?? null) as SqlValue) ?? 0,
      lastAttempt: hasLastAttempt ? toMillis((row[7] ?? null) as SqlValue, lastAttemptEncoding, queue.timeZone) : null,
      lastError: asText((row[8] ?? null) as SqlValue),
    };
    if (kind === null) result.unknownOperation = asText(operation) ?? 'NULL';
    return result;
  };
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

// ---- backoff ----------------------------------------------------------------------------------

/** A number in [0, 1) from the op id and attempt: a 32-bit integer hash (murmur3 finaliser). */
export function jitterFraction(opId: number, retryCount: number): number {
  let hash = (Math.imul(opId | 0, 0x9e3779b1) ^ Math.imul(Math.floor(opId / 2 ** 32) | 0, 0x85ebca77) ^ Math.imul(retryCount | 0, 0xc2b2ae3d)) >>> 0;
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b) >>> 0;
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35) >>> 0;
  hash ^= hash >>> 16;
  return (hash >>> 0) / 2 ** 32;
}

/**
 * How long after its last attempt an op that failed `retryCount` times waits:
 * min(cap, base * factor^(retryCount - 1)), of which the `jitter` share is scaled by a fraction
 * derived from the op id (or `random`, for tests), so every reader computes the same delay.
 */
export function backoffDelayMs(
  retryCount: number,
  opId: number,
  policy: BackoffPolicy = defaultBackoffPolicy,
  random: (opId: number, retryCount: number) => number = jitterFraction,
): number {
  if (retryCount <= 0) return 0;
  const exponential = policy.baseMs * policy.factor ** (retryCount - 1);
  const capped = Math.min(policy.capMs, exponential);
  const jitter = Math.min(1, Math.max(0, policy.jitter));
  return Math.round(capped * (1 - jitter) + capped * jitter * random(opId, retryCount));
}

// ---- analysis ---------------------------------------------------------------------------------

export interface AnalyzeQueueOptions {
  /** The clock, ms since the epoch; passed in so results are reproducible. */
  now: number;
  maxRetries?: number;
  backoff?: BackoffPolicy;
  /** Replaces the id-derived jitter fraction (tests). */
  random?: (opId: number, retryCount: number) => number;
  /** Where the operations come from (core/queue): the queue table of `roles` when absent. */
  source?: QueueSource;
}

/**
 * A status for every operation, first match wins:
 * 1. `dead-lettered`: retryCount >= maxRetries — the engine no longer picks it up.
 * 2. `invalid`: the payload is not a JSON object (a delete may carry no payload at all, since the
 *    engine deletes by entity id), or the operation is none of create/update/delete.
 * 3. `orphan`: an update or delete whose entity row is not in its local table (by external id).
 * 4. `superseded`: a later op for the same entity makes this one redundant —
 *    - any op followed by a delete of the entity (the remote ends deleted whatever came before);
 *    - an update followed by an update whose payload holds every field of this one (set-with-merge
 *      of the later payload leaves the same document).
 *    A create is never superseded by an update: it must run first so the document exists. Only
 *    ops the engine will still send supersede others (not dead-lettered or invalid ones).
 * 5. `backing-off`: retryCount > 0 and lastAttempt + backoffDelayMs(retryCount) is after `now`.
 * 6. `ready`.
 */
export function analyzeQueue(db: SqlDatabase, roles: SyncRoles, options: AnalyzeQueueOptions): QueueAnalysis {
  const source = options.source ?? tableQueueSource(roles);
  // A stack that retries on its own terms never dead-letters or backs off by SyncLens's policy.
  const maxRetries = source?.followsRetryPolicy === false ? Infinity : (options.maxRetries ?? defaultMaxRetries);
  const policy = options.backoff ?? defaultBackoffPolicy;
  const operations = source ? source.read(db, options.now) : [];
  const entityFor = memoizedEntityLookup(roles);
  const existing = existingEntityIds(db, roles, operations, entityFor);
  const existsLocally = (table: string, entityId: string): boolean => existing.get(table)?.has(entityId) ?? false;

  // The source's ops are read afresh for this analysis: each becomes its analysed op in place
  // (a copy per op doubled the allocation, and the collector's share of the time with it).
  const analyzed = operations.map((queued): AnalyzedOperation => {
    const op = queued as AnalyzedOperation;
    const entity = entityFor(op.entityType);
    let status: AnalyzedOperation['status'] = 'ready';
    let reason = '';
    const invalidReason = op.retryCount >= maxRetries ? null : whyInvalid(op);
    if (op.retryCount >= maxRetries) {
      status = 'dead-lettered';
      reason = `failed ${op.retryCount} times (max ${maxRetries}); the engine no longer sends it${op.lastError ? `: ${oneLine(op.lastError)}` : ''}`;
    } else if (invalidReason) {
      status = 'invalid';
      reason = invalidReason;
    } else if (entity && op.operation === 'update' && !existsLocally(entity.table, op.entityId)) {
      // Only an update needs its row: a delete is sent whether the app hard-deleted the row before
      // queueing it or purged it since, and an upsert carries the whole entity.
      status = 'orphan';
      reason = `${op.operation} of ${op.entityType} "${op.entityId}" but no row in "${entity.table}" has ${entity.columns.externalId} = "${op.entityId}"`;
    }
    op.status = status;
    op.reason = reason;
    op.nextAttemptAt = null;
    op.supersededBy = null;
    op.table = entity?.table ?? null;
    return op;
  });

  markSuperseded(analyzed);

  for (const op of analyzed) {
    if (op.status !== 'ready') continue;
    if (op.retryCount > 0 && op.lastAttempt !== null && source?.followsRetryPolicy !== false) {
      const nextAttemptAt = op.lastAttempt + backoffDelayMs(op.retryCount, op.id, policy, options.random);
      if (nextAttemptAt > options.now) {
        op.status = 'backing-off';
        op.nextAttemptAt = nextAttemptAt;
        op.reason = `failed ${op.retryCount} time${op.retryCount === 1 ? '' : 's'}; next attempt at ${formatTimestampUtc(nextAttemptAt)}${op.lastError ? ` (last error: ${oneLine(op.lastError)})` : ''}`;
        continue;
      }
    }
    op.reason = source?.readOnlyReason ? `pending: ${readOnlySenders[source.kind]} sends it, SyncLens only shows it` : readyReason(op);
  }

  return {
    table: source?.table ?? '',
    kind: source?.kind ?? 'table',
    readOnlyReason: source?.readOnlyReason ?? null,
    operations: analyzed,
    totals: totalsOf(analyzed, maxRetries),
    lastSync: source?.readLastSync?.(db) ?? null,
  };
}

/**
 * Which of the entity ids the queue names exist in their local tables: one query per table, the
 * ids bound as one JSON array and matched through the external-id index inside SQLite, since a
 * lookup per op crosses into WebAssembly once per op (seconds for 100,000 ops).
 */
function existingEntityIds(
  db: SqlDatabase,
  roles: SyncRoles,
  operations: readonly QueueOperation[],
  entityFor: (entityType: string) => EntityTableRole | null,
): Map<string, Set<string>> {
  const wanted = new Map<string, Set<string>>();
  for (const op of operations) {
    const entity = entityFor(op.entityType);
    if (!entity || op.operation !== 'update') continue;
    const ids = wanted.get(entity.table) ?? new Set<string>();
    ids.add(op.entityId);
    wanted.set(entity.table, ids);
  }
  const existing = new Map<string, Set<string>>();
  for (const [table, ids] of wanted) {
    const column = quoteIdentifier(roles.entities.find((entity) => entity.table === table)!.columns.externalId);
    const { rows } = queryAll(
      db,
      `SELECT DISTINCT ${column} FROM main.${quoteIdentifier(table)} WHERE ${column} IN (SELECT value FROM json_each(?))`,
      [JSON.stringify([...ids])],
    );
    existing.set(table, new Set(rows.map((row) => asText(row[0] ?? null) ?? '')));
  }
  return existing;
}

function memoizedEntityLookup(roles: SyncRoles): (entityType: string) => EntityTableRole | null {
  const known = new Map<string, EntityTableRole | null>();
  return (entityType) => {
    let entity = known.get(entityType);
    if (entity === undefined) {
      entity = entityRoleForType(roles, entityType);
      known.set(entityType, entity);
    }
    return entity;
  };
}

function whyInvalid(op: QueueOperation): string | null {
  if (op.unknownOperation !== undefined) return `operation "${op.unknownOperation}" is none of create, update, upsert, delete (or 0, 1, 2)`;
  if (op.payload !== null) return null;
  const text = op.payloadText?.trim() ?? '';
  if (op.operation === 'delete' && text === '') return null;
  if (text === '') return 'payload is empty, not a JSON object';
  return `payload is not a JSON object: ${describePayload(text)}`;
}

function describePayload(text: string): string {
  try {
    const parsed: unknown = JSON.parse(text);
    return `it is JSON ${Array.isArray(parsed) ? 'array' : parsed === null ? 'null' : typeof parsed}`;
  } catch (error) {
    return `${error instanceof Error ? error.message : 'unparsable'} (${text.length > 40 ? `${text.slice(0, 40)}…` : text})`;
  }
}

function markSuperseded(operations: AnalyzedOperation[]): void {
  const byEntity = new Map<string, AnalyzedOperation[]>();
  for (const op of operations) {
    const key = `${op.table ?? `type:${op.entityType.toLowerCase()}`}\u0000${op.entityId}`;
    const group = byEntity.get(key);
    if (group) group.push(op);
    else byEntity.set(key, [op]);
  }
  for (const group of byEntity.values()) {
    // Walk back from the newest op, remembering the later ops that will still be sent.
    let laterDelete: AnalyzedOperation | null = null;
    const laterUpdates: AnalyzedOperation[] = [];
    for (let index = group.length - 1; index >= 0; index--) {
      const op = group[index]!;
      if (op.status === 'ready') supersede(op, laterDelete, laterUpdates);
      if (op.status === 'dead-lettered' || op.status === 'invalid') continue;
      if (op.operation === 'delete') laterDelete = op;
      // Nearest last; a coverage check rarely looks past it, since payloads hold the whole entity.
      if (op.operation === 'update' && op.payload !== null) laterUpdates.push(op);
    }
  }
}

function supersede(op: AnalyzedOperation, laterDelete: AnalyzedOperation | null, laterUpdates: readonly AnalyzedOperation[]): void {
  if (laterDelete) {
    op.status = 'superseded';
    op.supersededBy = laterDelete.id;
    op.reason = `redundant: op #${laterDelete.id} deletes ${op.entityType} "${op.entityId}" later`;
    return;
  }
  if (op.operation !== 'update' || op.payload === null) return;
  const fields = Object.keys(op.payload);
  let covering: AnalyzedOperation | null = null;
  for (let index = laterUpdates.length - 1; index >= 0 && covering === null; index--) {
    const candidate = laterUpdates[index]!;
    if (fields.every((field) => Object.hasOwn(candidate.payload!, field))) covering = candidate;
  }
  if (covering) {
    op.status = 'superseded';
    op.supersededBy = covering.id;
    op.reason = `redundant: op #${covering.id} updates the same fields of ${op.entityType} "${op.entityId}" later`;
  }
}

const readOnlySenders: Record<QueueSource['kind'], string> = {
  table: 'the engine',
  'firestore-sdk': 'the Firestore SDK',
  powersync: "PowerSync's upload connector",
  brick: "Brick's offline queue",
};

function readyReason(op: AnalyzedOperation): string {
  const target = op.table === null ? ` (no local table for entity type "${op.entityType}")` : '';
  if (op.retryCount > 0 && op.lastAttempt === null) return `failed ${op.retryCount} time${op.retryCount === 1 ? '' : 's'} with no last attempt recorded; will be sent next${target}`;
  if (op.retryCount > 0) return `backoff after ${op.retryCount} failure${op.retryCount === 1 ? '' : 's'} has elapsed; will be sent next${target}`;
  return `will be sent next${target}`;
}

function oneLine(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > 120 ? `${line.slice(0, 119)}…` : line;
}

function totalsOf(operations: readonly AnalyzedOperation[], maxRetries: number): QueueTotals {
  const byStatus: Record<AnalyzedOperation['status'], number> = { ready: 0, 'backing-off': 0, 'dead-lettered': 0, invalid: 0, orphan: 0, superseded: 0 };
  let pending = 0;
  let oldestPendingAt: number | null = null;
  for (const op of operations) {
    byStatus[op.status]++;
    if (op.retryCount >= maxRetries) continue;
    pending++;
    if (op.createdAt !== null && (oldestPendingAt === null || op.createdAt < oldestPendingAt)) oldestPendingAt = op.createdAt;
  }
  return {
    total: operations.length,
    pending,
    ready: byStatus.ready,
    backingOff: byStatus['backing-off'],
    deadLettered: byStatus['dead-lettered'],
    invalid: byStatus.invalid,
    orphans: byStatus.orphan,
    superseded: byStatus.superseded,
    oldestPendingAt,
  };
}
