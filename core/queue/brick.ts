// Brick's offline request queue (Flutter: `brick_offline_queue.sqlite`, table `HttpJobs`): the
// HTTP requests that failed while offline, retried by Brick itself (GetDutchie/brick
// packages/brick_offline_first_with_rest, RestRequestSqliteCacheManager). The op comes from the
// method, collection and id from the URL. Brick sends them to the app's REST backend, not to
// Firestore: SyncLens shows them and never writes.
import { asNumber, asText, parseJsonObject, queryAll } from '../db/query';
import type { SqlDatabase } from '../db/sqlDatabase';
import type { QueueOperation, QueueOperationKind, SchemaInfo } from '../db/types';
import type { QueueSource } from './types';

export const brickReadOnlyReason =
  "Brick sends these requests to the app's REST backend itself and retries them on its own schedule: SyncLens shows them but does not plan or replay them";

const table = 'HttpJobs';

export function isBrickQueue(schema: SchemaInfo): boolean {
  const jobs = schema.tables.find((candidate) => candidate.name === table && candidate.kind === 'table');
  return jobs !== undefined && ['request_method', 'url'].every((name) => jobs.columns.some((column) => column.name === name));
}

export function brickQueueSource(): QueueSource {
  return { kind: 'brick', table, readOnlyReason: brickReadOnlyReason, followsRetryPolicy: false, read: readJobs };
}

function readJobs(db: SqlDatabase): QueueOperation[] {
  const columns = new Set(queryAll(db, `SELECT name FROM pragma_table_info('${table}')`).rows.map((row) => asText(row[0] ?? null)));
  const optional = (name: string): string => (columns.has(name) ? `"${name}"` : 'NULL');
  // Brick processes serially in created_at order (updated_at without serial processing).
  const { rows } = queryAll(
    db,
    `SELECT id, request_method, url, body, headers, ${optional('attempts')}, ${optional('locked')}, ${optional('created_at')}, ${optional('updated_at')}
       FROM main."${table}" ORDER BY ${columns.has('created_at') ? 'created_at, ' : ''}id`,
  );
  return rows.map((row): QueueOperation => {
    const [id, method, url, body, headers, attempts, locked, createdAt, updatedAt] = row;
    const methodText = (asText(method ?? null) ?? '').toUpperCase();
    const urlText = asText(url ?? null) ?? '';
    const bodyText = asText(body ?? null);
    const payload = parseJsonObject(bodyText);
    const kind = operationOf(methodText, asText(headers ?? null));
    const target = targetOf(urlText, methodText, payload);
    const updated = asNumber(updatedAt ?? null);
    const result: QueueOperation = {
      id: asNumber(id ?? null) ?? 0,
      entityType: target.collection,
      entityId: target.id,
      operation: kind ?? 'update',
      payload: payload ?? (kind === 'delete' && (bodyText ?? '').trim() === '' ? null : bodyText === null ? {} : null),
      payloadText: bodyText,
      createdAt: millisOrNull(asNumber(createdAt ?? null)),
      retryCount: asNumber(attempts ?? null) ?? 0,
      lastAttempt: millisOrNull(updated),
      lastError: null,
      facts: { method: methodText, url: urlText, locked: asNumber(locked ?? null) === 1, updatedAt: millisOrNull(updated) === null ? null : new Date(updated!).toISOString() },
    };
    if (!kind) result.unknownOperation = `${methodText || 'no method'} request`;
    return result;
  });
}

/** Brick stores 0 for "not set". */
function millisOrNull(value: number | null): number | null {
  return value === null || value <= 0 ? null : value;
}

/** POST creates (an upsert with `Prefer: resolution=merge-duplicates`, PostgREST's), PUT upserts, PATCH updates. */
function operationOf(method: string, headers: string | null): QueueOperationKind | null {
  if (method === 'POST') return /resolution\s*=\s*merge-duplicates/i.test(headers ?? '') ? 'upsert' : 'create';
  if (method === 'PUT') return 'upsert';
  if (method === 'PATCH') return 'update';
  if (method === 'DELETE') return 'delete';
  return null;
}

/**
 * `/todos/42` (REST: collection then id), `/rest/v1/todos?id=eq.42` (PostgREST filter), or a POST
 * to `/todos` whose body holds the id.
 */
function targetOf(url: string, method: string, body: Record<string, unknown> | null): { collection: string; id: string } {
  let parsed: URL;
  try {
    parsed = new URL(url, 'http://relative.invalid');
  } catch {
    return { collection: '', id: '' };
  }
  const segments = parsed.pathname.split('/').filter((segment) => segment !== '').map(safeDecode);
  const filtered = parsed.searchParams.get('id');
  const bodyId = body && (typeof body['id'] === 'string' || typeof body['id'] === 'number') ? String(body['id']) : '';
  if (filtered !== null) return { collection: segments.at(-1) ?? '', id: filtered.replace(/^eq\./, '') };
  if (method === 'POST' || segments.length < 2) return { collection: segments.at(-1) ?? '', id: bodyId };
  return { collection: segments.at(-2) ?? '', id: segments.at(-1) ?? '' };
}

function safeDecode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

