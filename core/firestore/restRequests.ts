// Requests to Firestore's REST API (`v1/projects/<p>/databases/<d>/documents:<method>`), one way for
// every user: batchGet (core/firestore/restBatchGet.ts, for the Firestore SDK cache's plan), the
// engine's queries (restQueries.ts) and its commits (core/engine/remoteStore.ts, restWrites.ts).
import { CodedError, errorMessage, isCodedError, type ErrorCode } from '../errors';
import { FirestoreConnectionError, type FirestoreConnection } from './client';

export interface FirestoreRestEndpoint {
  /** `http://host:port` for the emulator, `https://firestore.googleapis.com` for a project. */
  readonly baseUrl: string;
  /** The bearer token: `owner` (admin) or none on the emulator, the user's ID token on a project; null sends none. */
  readonly bearer: string | null;
  readonly projectId: string;
  readonly databaseId: string;
  /** How messages name the target: "the Firestore emulator at 127.0.0.1:8080 (project demo-x)". */
  readonly label: string;
  /** The web config's API key, sent as `?key=` as the web SDK does; absent sends none. */
  readonly apiKey?: string;
}

export type RestMethod = 'batchGet' | 'commit' | 'runQuery';

export const firestoreRestBaseUrl = 'https://firestore.googleapis.com';

/** A real project as `idToken`'s user (null: no user), at `baseUrl` (tests point it at the emulator). */
export function projectRestEndpoint(projectId: string, databaseId: string, idToken: string | null, baseUrl = firestoreRestBaseUrl, apiKey?: string): FirestoreRestEndpoint {
  return { baseUrl, bearer: idToken, projectId, databaseId, label: `Firestore project ${projectId}`, ...(apiKey === undefined ? {} : { apiKey }) };
}

export function documentsRoot(endpoint: FirestoreRestEndpoint): string {
  return `projects/${endpoint.projectId}/databases/${endpoint.databaseId}/documents`;
}

/**
 * The path of `collection`/`id` as Lite's doc() reads it (empty segments dropped), or null when it
 * cannot name a document (an odd number of segments, or `//` in either part): such a document cannot
 * exist, so it is answered missing without asking, and its write fails with the reason
 * (restWrites.ts documentName).
 */
export function documentPathOf(collection: string, id: string): string | null {
  // The usual `users`/`u1`: one segment each, nothing to drop.
  if (id !== '' && !id.includes('/') && collection !== '' && !collection.includes('/')) return `${collection}/${id}`;
  if (collection === '' || collection.includes('//') || id.includes('//')) return null;
  const segments = `${collection}/${id}`.split('/').filter((segment) => segment !== '');
  return segments.length === 0 || segments.length % 2 !== 0 ? null : segments.join('/');
}

/** Runs the tasks (REST requests, say), at most `limit` at a time; the first failure rejects. */
export async function inParallel(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** `parent` (already URL-encoded, `/users/u1`) is a query's parent document; batchGet and commit have none. */
export function restMethodUrl(endpoint: FirestoreRestEndpoint, method: RestMethod, parent = ''): string {
  const base = endpoint.baseUrl.replace(/\/+$/, '');
  const url = `${base}/v1/projects/${encodeURIComponent(endpoint.projectId)}/databases/${encodeURIComponent(endpoint.databaseId)}/documents${parent}:${method}`;
  return endpoint.apiKey ? `${url}?key=${encodeURIComponent(endpoint.apiKey)}` : url;
}

/**
 * The target of a connection as Firestore Lite itself addresses it, so security rules apply the same
 * way: the emulator with no Authorization (Lite sends none there), a project as the user signed in
 * with the target's credentials (a fresh ID token each call: Firebase Auth refreshes it when stale).
 */
export async function connectionRestEndpoint(connection: FirestoreConnection): Promise<FirestoreRestEndpoint> {
  const { target } = connection;
  const databaseId = databaseIdOf(connection);
  if (target.kind === 'emulator') {
    return {
      baseUrl: `http://${target.host}:${target.port}`,
      bearer: null,
      projectId: target.projectId,
      databaseId,
      label: `the Firestore emulator at ${target.host}:${target.port} (project ${target.projectId})`,
      apiKey: 'synclens-emulator',
    };
  }
  return projectRestEndpoint(target.webConfig.projectId, databaseId, await connection.idToken(), firestoreRestBaseUrl, target.webConfig.apiKey);
}

/** The connection's database (connectFirestore opens the default one), as Lite's Firestore reports it. */
function databaseIdOf(connection: FirestoreConnection): string {
  const json = (connection.db as { toJSON?: () => { databaseId?: { database?: unknown } } }).toJSON?.();
  const database = json?.databaseId?.database;
  return typeof database === 'string' && database !== '' ? database : '(default)';
}

export interface RestAnswer {
  readonly ok: boolean;
  readonly status: number;
  readonly text: string;
}

/**
 * POSTs `body` (JSON text) and reads the whole answer. A request that gets no complete HTTP answer
 * (refused, reset, cut off mid-body, timed out) throws FirestoreConnectionError 'unreachable' naming
 * the target; an HTTP error is returned for the caller to word (restFailureCode gives its code).
 */
export async function postRest(endpoint: FirestoreRestEndpoint, method: RestMethod, body: string, signal?: AbortSignal, parent = ''): Promise<RestAnswer> {
  const headers: Record<string, string> = {
    'Content-Type': 'application/json',
    // Firestore's routing headers, as the web SDK sends them (they pick a named database's region).
    'google-cloud-resource-prefix': `projects/${encodeURIComponent(endpoint.projectId)}/databases/${encodeURIComponent(endpoint.databaseId)}`,
    'x-goog-request-params':
      endpoint.databaseId === '(default)'
        ? `project_id=${encodeURIComponent(endpoint.projectId)}`
        : `project_id=${encodeURIComponent(endpoint.projectId)}&database_id=${encodeURIComponent(endpoint.databaseId)}`,
  };
  if (endpoint.bearer !== null) headers['Authorization'] = `Bearer ${endpoint.bearer}`;
  try {
    const response = await fetch(restMethodUrl(endpoint, method, parent), { method: 'POST', headers, body, signal });
    return { ok: response.ok, status: response.status, text: await response.text() };
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause?.code;
    throw new FirestoreConnectionError('unreachable', `${endpoint.label} did not answer (${cause ?? errorMessage(error)}): is it running, and is the address right?`, { cause: error });
  }
}

/**
 * POSTs `body` and returns the answer's text, failing with the codes Firestore Lite's errors carry
 * (firestoreErrorCode in client.ts), which the engine's retries read (core/engine/replayRetry.ts):
 * a request without a complete answer (refused, reset, cut off) is 'unavailable' (a commit may or may
 * not have been applied), an HTTP error its own code. `doing` ("committing 3 writes (…)") says what.
 */
export async function postForFirestore(endpoint: FirestoreRestEndpoint, method: RestMethod, body: string, doing: string, parent = ''): Promise<string> {
  let answer;
  try {
    answer = await postRest(endpoint, method, body, undefined, parent);
  } catch (error) {
    if (isCodedError(error, 'unreachable')) throw new CodedError('unavailable', `${doing}: ${error.message}`, { cause: error });
    throw error;
  }
  if (answer.ok) return answer.text;
  const message = serverMessageOf(answer.text);
  throw new CodedError(restFailureCode(answer.status, answer.text), `${endpoint.label} refused ${doing} (HTTP ${answer.status})${message ? `: ${message}` : ''}`);
}

/** Firestore's `{"error": {"message": …}}` (or a list of them), else the body's start. */
export function serverMessageOf(text: string): string {
  const message = restErrorOf(text)?.message;
  return typeof message === 'string' ? message.trim() : text.trim().slice(0, 200);
}

function restErrorOf(text: string): { message?: unknown; status?: unknown } | undefined {
  try {
    const parsed = JSON.parse(text) as unknown;
    const first = (Array.isArray(parsed) ? parsed[0] : parsed) as { error?: { message?: unknown; status?: unknown } } | null;
    return first?.error ?? undefined;
  } catch {
    return undefined; // not JSON: a proxy's page
  }
}

const remoteCodes = new Set<ErrorCode>([
  'cancelled', 'unknown', 'invalid-argument', 'deadline-exceeded', 'not-found', 'already-exists', 'permission-denied',
  'resource-exhausted', 'failed-precondition', 'aborted', 'out-of-range', 'unimplemented', 'internal', 'unavailable',
  'data-loss', 'unauthenticated',
]);

/**
 * The Firestore code of an HTTP failure, as the SDK names codes ('aborted', 'resource-exhausted'):
 * the error's own `status` ("ABORTED") when it has one, else the web SDK's mapping of the HTTP
 * status (mapCodeFromHttpStatus in @firebase/firestore), which retries in replayRetry.ts key on.
 */
export function restFailureCode(status: number, text: string): ErrorCode {
  const named = restErrorOf(text)?.status;
  if (typeof named === 'string') {
    const code = named.toLowerCase().replaceAll('_', '-');
    if (remoteCodes.has(code as ErrorCode)) return code as ErrorCode;
  }
  switch (status) {
    case 400: return 'failed-precondition';
    case 401: return 'unauthenticated';
    case 403: return 'permission-denied';
    case 404: return 'not-found';
    case 409: return 'aborted';
    case 416: return 'out-of-range';
    case 429: return 'resource-exhausted';
    case 499: return 'cancelled';
    case 500: return 'unknown';
    case 501: return 'unimplemented';
    case 503: return 'unavailable';
    case 504: return 'deadline-exceeded';
    default:
      if (status >= 400 && status < 500) return 'failed-precondition';
      if (status >= 500 && status < 600) return 'internal';
      return 'unknown';
  }
}

