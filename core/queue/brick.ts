// Brick's offline request queue (Flutter: `brick_offline_queue.sqlite`, table `HttpJobs`): the
// push requests (POST, PUT, PATCH, DELETE) Brick logs before sending and deletes once the server
// answers, retried by Brick itself (GetDutchie/brick packages/brick_offline_first_with_rest
// lib/src/offline_queue/rest_request_sqlite_cache_manager.dart for the DDL and column meanings,
// packages/brick_offline_first/lib/src/offline_queue/request_sqlite_cache.dart and
// request_sqlite_cache_manager.dart for how rows change). A request is inserted with attempts 1
// and locked 1 as it is sent; a failure unlocks it, the next try adds 1 to attempts and locks it
// again; a lock older than two minutes is stale (Brick unlocks it). Rows are sent in created_at
// order (serial processing, the default). The op comes from the method, collection and id from
// the URL. Brick sends them to the app's REST backend, not to Firestore: SyncLens never writes.
import { asNumber, asText, parseJsonObject, queryAll, quoteIdentifier } from '../db/query';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueOperation, QueueOperationKind, SchemaInfo } from '../db/types';
import type { QueueSource } from './types';

export const brickReadOnlyReason =
  "Brick sends these requests to the app's REST backend itself and retries them on its own schedule: SyncLens shows them but does not plan or replay them";

export const brickJobsTable = 'HttpJobs';

/** Brick unlocks a request locked longer than this (prepareNextRequestToProcess): its app died mid-send. */
const staleLockMs = 2 * 60_000;

export function isBrickQueue(schema: SchemaInfo, table = brickJobsTable): boolean {
  const jobs = schema.tables.find((candidate) => candidate.name === table && candidate.kind === 'table');
  return jobs !== undefined && ['request_method', 'url'].every((name) => jobs.columns.some((column) => column.name === name));
}

export function brickQueueSource(options: { table?: string } = {}): QueueSource {
  const table = options.table ?? brickJobsTable;
  return { kind: 'brick', table, readOnlyReason: brickReadOnlyReason, followsRetryPolicy: false, read: (db, now) => readJobs(db, table, now ?? Date.now()) };
}

function readJobs(db: SqlDatabase, table: string, now: number): QueueOperation[] {
  const columns = new Set(queryAll(db, 'SELECT name FROM pragma_table_info(?)', [table]).rows.map((row) => asText(row[0] ?? null)));
  const optional = (name: string): string => (columns.has(name) ? quoteIdentifier(name) : 'NULL');
  // Serial processing (Brick's default) sends in created_at order; the id breaks ties.
  const { rows } = queryAll(
    db,
    `SELECT id, request_method, url, ${optional('body')}, ${optional('headers')}, ${optional('attempts')}, ${optional('locked')}, ${optional('created_at')}, ${optional('updated_at')}
       FROM main.${quoteIdentifier(table)} ORDER BY ${columns.has('created_at') ? 'created_at, ' : ''}id`,
  );
  return rows.map((row): QueueOperation => {
    const [id, method, url, body, headers, attempts, locked, createdAt, updatedAt] = row;
    const methodText = (asText(method ?? null) ?? '').toUpperCase();
    const urlText = asText(url ?? null) ?? '';
    const bodyText = asText(body ?? null);
    const payload = bodyObject(bodyText);
    const kind = operationOf(methodText, asText(headers ?? null));
    const target = targetOf(urlText, methodText, payload);
    const updated = millisOrNull(asNumber(updatedAt ?? null));
    const attemptCount = asNumber(attempts ?? null) ?? 0;
    const isLocked = asNumber(locked ?? null) === 1;
    const inFlight = isLocked && updated !== null && now - updated < staleLockMs;
    const result: QueueOperation = {
      id: asNumber(id ?? null) ?? 0,
      entityType: target.collection,
      entityId: target.id,
      operation: kind ?? 'update',
      payload: payload ?? (kind === 'delete' && (bodyText ?? '').trim() === '' ? null : bodyText === null ? {} : null),
      payloadText: bodyText,
      createdAt: millisOrNull(asNumber(createdAt ?? null)),
      // attempts counts the try in progress too: a locked request's last attempt has not failed (yet).
      retryCount: Math.max(0, attemptCount - (isLocked ? 1 : 0)),
      lastAttempt: updated,
      lastError: null,
      facts: {
        method: methodText,
        url: urlText,
        attempts: attemptCount,
        locked: isLocked,
        lock: isLocked ? (inFlight ? 'in flight' : 'stale (older than 2 minutes: Brick unlocks it)') : null,
        updatedAt: updated === null ? null : new Date(updated).toISOString(),
      },
    };
    if (!kind) result.unknownOperation = `${methodText || 'no method'} request`;
    return result;
  });
}

/** Brick stores 0 for "not set". */
function millisOrNull(value: number | null): number | null {
  return value === null || value <= 0 ? null : value;
}

/** The body as a row: a JSON object, or a PostgREST bulk body of exactly one object. */
function bodyObject(text: string | null): Record<string, unknown> | null {
  const object = parseJsonObject(text);
  if (object || text === null || !text.trim().startsWith('[')) return object;
  try {
    const parsed: unknown = JSON.parse(text);
    const [only] = Array.isArray(parsed) && parsed.length === 1 ? parsed : [];
    return typeof only === 'object' && only !== null && !Array.isArray(only) ? (only as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/**
 * POST creates, or upserts with PostgREST's `Prefer: resolution=merge-duplicates` (Supabase's
 * upsert; the header's name in any case, its value a comma-separated list); PUT upserts, PATCH
 * updates, DELETE deletes.
 */
function operationOf(method: string, headers: string | null): QueueOperationKind | null {
  if (method === 'POST') return preferences(headers).includes('resolution=merge-duplicates') ? 'upsert' : 'create';
  if (method === 'PUT') return 'upsert';
  if (method === 'PATCH') return 'update';
  if (method === 'DELETE') return 'delete';
  return null;
}

/** The `Prefer` header's preferences, lower-cased (the column holds the headers as a JSON object). */
function preferences(headers: string | null): string[] {
  const parsed = parseJsonObject(headers) ?? {};
  return Object.entries(parsed)
    .filter(([name, value]) => name.toLowerCase() === 'prefer' && typeof value === 'string')
    .flatMap(([, value]) => (value as string).split(','))
    .map((preference) => preference.trim().toLowerCase().replace(/\s*=\s*/, '='));
}

/**
 * `/todos/42` (REST: collection then id); PostgREST's `/rest/v1/todos?id=eq.42` (the `id` filter,
 * else the only `eq.` filter); a POST to `/todos` whose body holds the id (its `on_conflict`
 * column for a PostgREST upsert, else `id`).
 */
function targetOf(url: string, method: string, body: Record<string, unknown> | null): { collection: string; id: string } {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return { collection: '', id: '' };
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '').map(safeDecode);
  const collection = segments.at(-1) ?? '';
  const equalities = [...parsed.searchParams].filter(([, value]) => value.startsWith('eq.'));
  const filter = equalities.find(([name]) => name === 'id') ?? (equalities.length === 1 ? equalities[0] : undefined);
  if (filter) return { collection, id: filter[1].slice('eq.'.length) };
  if (method === 'POST' || segments.length < 2) {
    const key = parsed.searchParams.get('on_conflict')?.split(',')[0]?.trim() || 'id';
    const value = body?.[key];
    return { collection, id: typeof value === 'string' || typeof value === 'number' ? String(value) : '' };
  }
  return { collection: segments.at(-2) ?? '', id: collection };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

