// Reads the sync queue in the order the engine sends it and gives every operation a status with a
// one-line reason. Pure and deterministic for a given `now`: the backoff jitter is derived from the
// op id, so the extension, the CLI and a re-run all show the same next-attempt times.
import type { SqlDatabase } from './sqlDatabase';
import { queueTableOf, tableQueueSource } from '../queue/tableSource';
import type { QueueSource } from '../queue/types';
import type { JsonFieldNames } from './jsonFields';
import { asText, inLists, queryAll, quoteIdentifier } from './query';
import { readQueueRows } from './queueRows';
import { rolesByEntityType } from './roles';
import { formatTimestampUtc } from './timestamps';
import {
  defaultBackoffPolicy,
  defaultMaxRetries,
  type AnalyzedOperation,
  type BackoffPolicy,
  type EntityTableRole,
  type QueueAnalysis,
  type QueueOperation,
  type QueueTotals,
  type SyncRoles,
} from './types';

/** Every queue row, in send order: createdAt ascending (missing first), then id. */
export function readQueue(db: SqlDatabase, roles: SyncRoles): QueueOperation[] {
  return roles.queue ? readQueueRows(db, roles.queue, false).operations : [];
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
  const { operations: analyzed, payloadFields } = readForAnalysis(db, source, options.now);
  const entityFor = rolesByEntityType(roles);
  const existing = existingEntityIds(db, roles, analyzed, entityFor);
  const existsLocally = (table: string, entityId: string): boolean => existing.get(table)?.has(entityId) ?? false;
  const shapes = payloadShapes(analyzed, payloadFields);

  // The source's ops are read afresh for this analysis: each becomes its analysed op in place
  // (a copy per op doubled the allocation, and the collector's share of the time with it).
  for (let index = 0; index < analyzed.length; index++) {
    const op = analyzed[index]!;
    const entity = entityFor(op.entityType);
    let status: AnalyzedOperation['status'] = 'ready';
    let reason = '';
    const invalidReason = op.retryCount >= maxRetries ? null : whyInvalid(op, shapes.isObject(index));
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
  }

  markSuperseded(analyzed, shapes);

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

interface AnalysisRead {
  /** Still only QueueOperations: each becomes analysed in place. */
  operations: AnalyzedOperation[];
  /** The table reader's field names per op (core/db/queueRows.ts); null for other sources. */
  payloadFields: (JsonFieldNames | null)[] | null;
}

/** The queue table read with the analysis's fields in place and payloads unparsed; another source's ops as it reads them. */
function readForAnalysis(db: SqlDatabase, source: QueueSource | null, now: number): AnalysisRead {
  if (!source) return { operations: [], payloadFields: null };
  const table = queueTableOf(source);
  if (table) {
    const rows = readQueueRows(db, table, true);
    return { operations: rows.operations as AnalyzedOperation[], payloadFields: rows.payloadFields };
  }
  return { operations: source.read(db, now) as AnalyzedOperation[], payloadFields: null };
}

/** What the analysis asks of a payload, answered without parsing it where the reader named its fields. */
interface PayloadShapes {
  isObject(index: number): boolean;
  /** Whether every field of op `index`'s payload is a field of op `later`'s (both JSON objects). */
  covers(later: number, index: number): boolean;
}

function payloadShapes(operations: readonly QueueOperation[], payloadFields: readonly (JsonFieldNames | null)[] | null): PayloadShapes {
  if (!payloadFields) {
    return {
      isObject: (index) => operations[index]!.payload !== null,
      covers: (later, index) => {
        const candidate = operations[later]!.payload!;
        return Object.keys(operations[index]!.payload!).every((field) => Object.hasOwn(candidate, field));
      },
    };
  }
  // Payloads of one shape share one list (core/db/jsonFields.ts): most checks end at `===`.
  const fieldSets = new Map<JsonFieldNames, Set<string>>();
  return {
    isObject: (index) => payloadFields[index] !== null,
    covers: (later, index) => {
      const fields = payloadFields[index]!;
      const candidate = payloadFields[later]!;
      if (fields === candidate) return true;
      let candidateSet = fieldSets.get(candidate);
      if (!candidateSet) {
        candidateSet = new Set(candidate);
        fieldSets.set(candidate, candidateSet);
      }
      return fields.every((field) => candidateSet.has(field));
    },
  };
}

/**
 * Which of the entity ids the queue names exist in their local tables: one query per table, the
 * ids bound as one JSON array (core/db/query.ts inLists) and matched through the external-id index inside SQLite, since a
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
    const found = new Set<string>();
    for (const { list, params } of inLists([...ids])) {
      const { rows } = queryAll(db, `SELECT DISTINCT ${column} FROM main.${quoteIdentifier(table)} WHERE ${column} IN (${list})`, params);
      for (const row of rows) found.add(asText(row[0] ?? null) ?? '');
    }
    existing.set(table, found);
  }
  return existing;
}

function whyInvalid(op: QueueOperation, payloadIsObject: boolean): string | null {
  if (op.unknownOperation !== undefined) return `operation "${op.unknownOperation}" is none of create, update, upsert, delete (or 0, 1, 2)`;
  if (payloadIsObject) return null;
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

/**
 * The ops of each entity (its table, else its type, and its id), by index in send order. Grouped
 * by table or type, then by id, so no key string is made per op; a type holding U+0000 could join
 * with an id into another pair's key, so then every op is grouped by the joined key, as it was.
 */
function entityGroups(operations: readonly AnalyzedOperation[]): Iterable<number[]> {
  const scopeOfType = new Map<string, string>();
  for (const op of operations) if (!scopeOfType.has(op.entityType)) scopeOfType.set(op.entityType, op.table ?? `type:${op.entityType.toLowerCase()}`);
  const all: number[][] = [];
  const add = (groups: Map<string, number[]>, key: string, index: number): void => {
    const group = groups.get(key);
    if (group) group.push(index);
    else {
      const created = [index];
      groups.set(key, created);
      all.push(created);
    }
  };
  if ([...scopeOfType.values()].some((scope) => scope.includes('\u0000'))) {
    const byKey = new Map<string, number[]>();
    operations.forEach((op, index) => add(byKey, `${scopeOfType.get(op.entityType)!}\u0000${op.entityId}`, index));
    return all;
  }
  const byScope = new Map<string, Map<string, number[]>>();
  const idsOfType = new Map<string, Map<string, number[]>>();
  for (const [type, scope] of scopeOfType) {
    let ids = byScope.get(scope);
    if (!ids) byScope.set(scope, (ids = new Map()));
    idsOfType.set(type, ids);
  }
  for (let index = 0; index < operations.length; index++) {
    const op = operations[index]!;
    add(idsOfType.get(op.entityType)!, op.entityId, index);
  }
  return all;
}

function markSuperseded(operations: AnalyzedOperation[], shapes: PayloadShapes): void {
  for (const group of entityGroups(operations)) {
    // Walk back from the newest op, remembering the later ops that will still be sent.
    let laterDelete: AnalyzedOperation | null = null;
    const laterUpdates: number[] = [];
    for (let position = group.length - 1; position >= 0; position--) {
      const index = group[position]!;
      const op = operations[index]!;
      if (op.status === 'ready') supersede(operations, index, laterDelete, laterUpdates, shapes);
      if (op.status === 'dead-lettered' || op.status === 'invalid') continue;
      if (op.operation === 'delete') laterDelete = op;
      // Nearest last; a coverage check rarely looks past it, since payloads hold the whole entity.
      if (op.operation === 'update' && shapes.isObject(index)) laterUpdates.push(index);
    }
  }
}

function supersede(operations: readonly AnalyzedOperation[], index: number, laterDelete: AnalyzedOperation | null, laterUpdates: readonly number[], shapes: PayloadShapes): void {
  const op = operations[index]!;
  if (laterDelete) {
    op.status = 'superseded';
    op.supersededBy = laterDelete.id;
    op.reason = `redundant: op #${laterDelete.id} deletes ${op.entityType} "${op.entityId}" later`;
    return;
  }
  if (op.operation !== 'update' || !shapes.isObject(index)) return;
  let covering: AnalyzedOperation | null = null;
  for (let position = laterUpdates.length - 1; position >= 0 && covering === null; position--) {
    const later = laterUpdates[position]!;
    if (shapes.covers(later, index)) covering = operations[later]!;
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
