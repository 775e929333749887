// Reads documents through Firestore's REST API (`documents:batchGet`), which, unlike the web SDK,
// gives each document's updateTime, so a plan can tell a remote change made after the local write.
// The emulator is read as its admin ("Bearer owner"); a real project as the user signed in with the
// target's credentials (core/firestore/client.ts idToken), so the project's security rules apply.
import { FirestoreConnectionError } from '../../firestore/client';
import { documentsRoot, postRest, restMethodUrl, serverMessageOf, type FirestoreRestEndpoint } from '../../firestore/restRequests';
import { CodedError } from '../../errors';
import type { SdkDocumentState } from './plan';

interface RestValue {
  nullValue?: null;
  booleanValue?: boolean;
  integerValue?: string;
  doubleValue?: number;
  timestampValue?: string;
  stringValue?: string;
  bytesValue?: string;
  referenceValue?: string;
  geoPointValue?: { latitude?: number; longitude?: number };
  arrayValue?: { values?: RestValue[] };
  mapValue?: { fields?: Record<string, RestValue> };
}

/** Documents per batchGet request; Firestore takes more, a smaller request fails and retries cheaper. */
export const batchGetLimit = 200;

export interface BatchGetRequest {
  readonly url: string;
  /** The full resource names, `projects/<p>/databases/<d>/documents/<path>`, in the order asked. */
  readonly names: string[];
}

/** The requests that read `paths` (`posts/p1`): each distinct path once, at most `limit` per request. */
export function batchGetRequests(endpoint: FirestoreRestEndpoint, paths: readonly string[], limit = batchGetLimit): BatchGetRequest[] {
  if (!Number.isInteger(limit) || limit < 1) throw new RangeError(`the batchGet limit must be a positive integer, got ${limit}`);
  const url = restMethodUrl(endpoint, 'batchGet');
  const root = documentsRoot(endpoint);
  const names = [...new Set(paths)].map((path) => `${root}/${path}`);
  const requests: BatchGetRequest[] = [];
  for (let at = 0; at < names.length; at += limit) requests.push({ url, names: names.slice(at, at + limit) });
  return requests;
}

/** The collections of `names` and a few of their paths, for a message: "posts, users/u1/notes (posts/p1, …)". */
function namedDocuments(endpoint: FirestoreRestEndpoint, names: readonly string[]): string {
  const paths = names.map((name) => name.slice(documentsRoot(endpoint).length + 1));
  const collections = [...new Set(paths.map((path) => path.slice(0, Math.max(0, path.lastIndexOf('/')))))];
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, and ${paths.length - 3} more` : '');
  return `${collections.join(', ')} (${shown})`;
}

/** One clear error for an HTTP failure of a batchGet, with the connection error codes the rest of SyncLens uses. */
export function restFailure(endpoint: FirestoreRestEndpoint, status: number, serverMessage: string, names: readonly string[]): CodedError {
  const detail = serverMessage ? `: ${serverMessage}` : '';
  if (status === 401) {
    return new FirestoreConnectionError('unauthenticated', `${endpoint.label} did not accept the signed-in user (HTTP 401): sign in again with the target's email and password${detail}`);
  }
  if (status === 403) {
    return new FirestoreConnectionError('permission-denied', `${endpoint.label} denied reading ${namedDocuments(endpoint, names)} (HTTP 403): the security rules must let the signed-in user read them${detail}`);
  }
  if (status === 404) {
    return new FirestoreConnectionError('unknown-project', `${endpoint.label} has no Firestore database ${endpoint.databaseId} (HTTP 404)${detail}`);
  }
  if (status === 429 || status >= 500) {
    return new FirestoreConnectionError('unreachable', `${endpoint.label} is unavailable reading ${namedDocuments(endpoint, names)} (HTTP ${status}): try again later${detail}`);
  }
  return new CodedError('unknown', `${endpoint.label} refused reading ${namedDocuments(endpoint, names)} (HTTP ${status})${detail}`);
}

interface BatchGetItem {
  found?: { name?: string; fields?: Record<string, RestValue>; updateTime?: string };
  missing?: string;
}

/** The documents at `paths`, null for one that does not exist; `batchSize` documents per request. */
export async function readRestDocuments(
  endpoint: FirestoreRestEndpoint,
  paths: readonly string[],
  options: { batchSize?: number; timeoutMs?: number } = {},
): Promise<Map<string, SdkDocumentState | null>> {
  const documents = new Map<string, SdkDocumentState | null>();
  const root = `${documentsRoot(endpoint)}/`;
  for (const request of batchGetRequests(endpoint, paths, options.batchSize)) {
    const answer = await postRest(endpoint, 'batchGet', JSON.stringify({ documents: request.names }), AbortSignal.timeout(options.timeoutMs ?? 30_000));
    if (!answer.ok) throw restFailure(endpoint, answer.status, serverMessageOf(answer.text), request.names);
    const text = answer.text;
    let items: unknown;
    try {
      items = JSON.parse(text);
    } catch {
      items = null;
    }
    if (!Array.isArray(items)) throw new FirestoreConnectionError('unreachable', `${endpoint.label} answered a batchGet with something other than a list of documents`);
    for (const item of items as BatchGetItem[]) {
      if (typeof item.missing === 'string' && item.missing.startsWith(root)) {
        documents.set(item.missing.slice(root.length), null);
      } else if (typeof item.found?.name === 'string' && item.found.name.startsWith(root)) {
        const updateTime = item.found.updateTime ? Date.parse(item.found.updateTime) : null;
        documents.set(item.found.name.slice(root.length), { fields: fieldsOf(item.found.fields ?? {}), updateTime: Number.isNaN(updateTime) ? null : updateTime });
      }
    }
    const unanswered = request.names.filter((name) => !documents.has(name.slice(root.length)));
    if (unanswered.length > 0) throw new FirestoreConnectionError('unreachable', `${endpoint.label} did not answer for ${namedDocuments(endpoint, unanswered)}`);
  }
  return documents;
}

function fieldsOf(fields: Record<string, RestValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, valueOf(value)]));
}

/** The same JSON form as the decoded pending writes (writes.ts valueToJson). */
function valueOf(value: RestValue): unknown {
  if (value.booleanValue !== undefined) return value.booleanValue;
  if (value.integerValue !== undefined) {
    const number = Number(value.integerValue);
    return Number.isSafeInteger(number) ? number : value.integerValue;
  }
  if (value.doubleValue !== undefined) return value.doubleValue;
  if (value.timestampValue !== undefined) return new Date(Date.parse(value.timestampValue)).toISOString();
  if (value.stringValue !== undefined) return value.stringValue;
  if (value.bytesValue !== undefined) return value.bytesValue;
  if (value.referenceValue !== undefined) {
    const at = value.referenceValue.indexOf('/documents/');
    return at < 0 ? value.referenceValue : value.referenceValue.slice(at + '/documents/'.length);
  }
  if (value.geoPointValue !== undefined) return { latitude: value.geoPointValue.latitude ?? 0, longitude: value.geoPointValue.longitude ?? 0 };
  if (value.arrayValue !== undefined) return (value.arrayValue.values ?? []).map(valueOf);
  if (value.mapValue !== undefined) return fieldsOf(value.mapValue.fields ?? {});
  return null;
}
