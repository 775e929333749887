// Bulk reads through Firestore's REST `documents:batchGet`: the documents asked for by name, each
// answered found or missing, with its updateTime. The Firestore SDK cache's plan reads with it
// (core/queue/firestoreSdk/restDocuments.ts). The engine reads with queries instead
// (core/engine/remoteReads.ts): under security rules the emulator judges a batchGet per document,
// at about 2.5x a query's server CPU; as the admin the two cost about the same.
import { FirestoreConnectionError } from './client';
import { documentsRoot, inParallel, postRest, restMethodUrl, type FirestoreRestEndpoint, type RestAnswer } from './restRequests';
import type { RestAnswerValue } from './restValues';

/** Documents per request: a failed request is retried cheaper, and each answer stays small. */
export const batchGetLimit = 200;

export interface BatchGetRequest {
  readonly url: string;
  /** The full resource names, `projects/<p>/databases/<d>/documents/<path>`, in the order asked. */
  readonly names: string[];
}

/** A document as batchGet answers it: its fields in REST form, and its last update time (RFC 3339). */
export interface RestDocumentAnswer {
  readonly fields: Record<string, RestAnswerValue>;
  readonly updateTime: string | null;
}

export interface BatchGetOptions {
  /** Documents per request (batchGetLimit by default). */
  batchSize?: number;
  /** Requests in flight at once (1 by default): enough to hide round trips, few enough not to flood the server. */
  parallelism?: number;
  /** Bound on each request; none by default (the caller may bound the whole read). */
  timeoutMs?: number;
}

/** How the caller words an HTTP failure (the SDK cache's plan: in connection terms); `names` are the request's documents. */
export type BatchGetFailure = (answer: RestAnswer, names: readonly string[]) => Error;

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

interface BatchGetItem {
  found?: { name?: unknown; fields?: Record<string, RestAnswerValue>; updateTime?: unknown };
  missing?: unknown;
}

/**
 * The documents at `paths` (`posts/p1`), keyed by path, null for one that does not exist. A request
 * with no complete answer throws FirestoreConnectionError 'unreachable' (from postRest), as does an
 * answer that is not a list of documents or leaves one out; an HTTP error throws what `failure` makes.
 */
export async function batchGetDocuments(
  endpoint: FirestoreRestEndpoint,
  paths: readonly string[],
  failure: BatchGetFailure,
  options: BatchGetOptions = {},
): Promise<Map<string, RestDocumentAnswer | null>> {
  const documents = new Map<string, RestDocumentAnswer | null>();
  const root = `${documentsRoot(endpoint)}/`;
  const requests = batchGetRequests(endpoint, paths, options.batchSize);
  const readOne = async (request: BatchGetRequest): Promise<void> => {
    const signal = options.timeoutMs === undefined ? undefined : AbortSignal.timeout(options.timeoutMs);
    const answer = await postRest(endpoint, 'batchGet', JSON.stringify({ documents: request.names }), signal);
    if (!answer.ok) throw failure(answer, request.names);
    let items: unknown;
    try {
      items = JSON.parse(answer.text);
    } catch {
      items = null;
    }
    if (!Array.isArray(items)) throw new FirestoreConnectionError('unreachable', `${endpoint.label} answered a batchGet with something other than a list of documents`);
    const answered = new Set<string>();
    for (const item of items as BatchGetItem[]) {
      const found = item?.found;
      const name = typeof item?.missing === 'string' ? item.missing : typeof found?.name === 'string' ? found.name : null;
      if (name === null || !name.startsWith(root)) continue;
      answered.add(name);
      const path = name.slice(root.length);
      if (found === undefined) {
        documents.set(path, null);
      } else {
        const fields = found.fields !== null && typeof found.fields === 'object' ? found.fields : {};
        documents.set(path, { fields, updateTime: typeof found.updateTime === 'string' ? found.updateTime : null });
      }
    }
    const unanswered = request.names.filter((name) => !answered.has(name));
    if (unanswered.length > 0) {
      throw new FirestoreConnectionError('unreachable', `${endpoint.label} did not answer for ${describeDocuments(endpoint, unanswered)}`);
    }
  };
  await inParallel(requests.map((request) => () => readOne(request)), Math.max(1, options.parallelism ?? 1));
  return documents;
}

/** The collections of `names` and a few of their paths, for a message: "posts, users/u1/notes (posts/p1, …)". */
export function describeDocuments(endpoint: FirestoreRestEndpoint, names: readonly string[]): string {
  const paths = names.map((name) => name.slice(documentsRoot(endpoint).length + 1));
  const collections = [...new Set(paths.map((path) => path.slice(0, Math.max(0, path.lastIndexOf('/')))))];
  const shown = paths.slice(0, 3).join(', ') + (paths.length > 3 ? `, and ${paths.length - 3} more` : '');
  return `${collections.join(', ')} (${shown})`;
}
