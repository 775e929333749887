// Queries through Firestore's REST API (`…/documents[/<parent>]:runQuery`),
// sent as Firestore Lite sends them (the same JSON, the same caller, so security rules judge them the
// same), with the answers left in REST form for restValues.ts to read. The engine's bulk reads
// (core/engine/remoteReads.ts) use them: Lite would decode each document into its own model and then
// again into data(), about 90 ms of CPU and its garbage per 10,000 documents.
import { CodedError, isCodedError } from '../errors';
import { documentsRoot, postRest, restFailureCode, serverMessageOf, type FirestoreRestEndpoint } from './restRequests';
import type { RestAnswerValue } from './restValues';

/** A collection (`users`, `users/u1/notes`) as a query names it: its parent's path and its own id. */
export interface CollectionPath {
  readonly parent: string;
  readonly collectionId: string;
}

export function collectionPathOf(collection: string): CollectionPath {
  const slash = collection.lastIndexOf('/');
  return slash < 0 ? { parent: '', collectionId: collection } : { parent: collection.slice(0, slash), collectionId: collection.slice(slash + 1) };
}

/** A document as runQuery answers it. */
export interface RestQueryDocument {
  /** The full resource name, `projects/<p>/databases/<d>/documents/<path>`. */
  readonly name: string;
  readonly fields: Record<string, RestAnswerValue>;
}

type StructuredQuery = Record<string, unknown>;

/** `{referenceValue}` of `collection`/`id` (ids as Lite's documentId() filters carry them). */
export function referenceTo(endpoint: FirestoreRestEndpoint, collection: string, id: string): RestAnswerValue {
  return { referenceValue: `${documentsRoot(endpoint)}/${collection}/${id}` };
}

/** The documents `query` selects in `collection`, in the server's order. */
export async function runRestQuery(endpoint: FirestoreRestEndpoint, collection: CollectionPath, query: StructuredQuery): Promise<RestQueryDocument[]> {
  const items = await post(endpoint, collection, 'runQuery', { structuredQuery: { from: [{ collectionId: collection.collectionId }], ...query } }, 'querying');
  const documents: RestQueryDocument[] = [];
  for (const item of items) {
    const document = (item as { document?: { name?: unknown; fields?: unknown } } | null)?.document;
    if (document === undefined) continue; // a progress item: readTime or skippedResults only
    if (typeof document?.name !== 'string') throw malformed(endpoint, collection, 'a document without a name');
    const fields = document.fields !== null && typeof document.fields === 'object' ? (document.fields as Record<string, RestAnswerValue>) : {};
    documents.push({ name: document.name, fields });
  }
  return documents;
}

/**
 * POSTs one query and reads its answer: a JSON list (the server's stream, whole). An HTTP error, or
 * an error inside the stream, fails with its Firestore code; no complete answer is 'unavailable'.
 */
async function post(endpoint: FirestoreRestEndpoint, collection: CollectionPath, method: 'runQuery', body: object, doing: string): Promise<unknown[]> {
  const parent = collection.parent === '' ? '' : `/${collection.parent.split('/').map(encodeURIComponent).join('/')}`;
  const where = `${doing} ${collection.parent === '' ? '' : `${collection.parent}/`}${collection.collectionId}`;
  let answer;
  try {
    answer = await postRest(endpoint, method, JSON.stringify(body), undefined, parent);
  } catch (error) {
    if (isCodedError(error, 'unreachable')) throw new CodedError('unavailable', `${where}: ${error.message}`, { cause: error });
    throw error;
  }
  if (!answer.ok) {
    const message = serverMessageOf(answer.text);
    throw new CodedError(restFailureCode(answer.status, answer.text), `${endpoint.label} refused ${where} (HTTP ${answer.status})${message ? `: ${message}` : ''}`);
  }
  let items: unknown;
  try {
    items = JSON.parse(answer.text);
  } catch {
    items = null;
  }
  if (!Array.isArray(items)) throw new CodedError('unavailable', `${endpoint.label} answered ${where} with something other than a list: a proxy's page, or a cut-off answer`);
  const failed = items.find((item) => (item as { error?: unknown } | null)?.error !== undefined) as { error: { status?: unknown; message?: unknown } } | undefined;
  if (failed) {
    const text = JSON.stringify(failed);
    throw new CodedError(restFailureCode(500, text), `${endpoint.label} failed ${where}: ${serverMessageOf(text)}`);
  }
  return items;
}

function malformed(endpoint: FirestoreRestEndpoint, collection: CollectionPath, what: string): CodedError {
  return new CodedError('data-loss', `${endpoint.label} answered a query of ${collection.parent === '' ? '' : `${collection.parent}/`}${collection.collectionId} with ${what}`);
}
