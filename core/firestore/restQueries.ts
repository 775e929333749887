// Queries through Firestore's REST API (`…/documents[/<parent>]:runQuery`),
// sent as Firestore Lite sends them (the same JSON, the same caller, so security rules judge them the
// same), with the answers left in REST form for restValues.ts to read. The engine's bulk reads
// (core/engine/remoteReads.ts) use them: Lite would decode each document into its own model and then
// again into data(), about 90 ms of CPU and its garbage per 10,000 documents.
import { CodedError } from '../errors';
import { documentsRoot, postForFirestore, restFailureCode, serverMessageOf, type FirestoreRestEndpoint } from './restRequests';
import type { RestAnswerValue } from './restValues';

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

/**
 * The documents `query` selects in `collection` (`users`, `users/u1/notes`), in the server's order.
 * The answer is the server's stream as one JSON list; an error inside it fails with its own code.
 */
export async function runRestQuery(endpoint: FirestoreRestEndpoint, collection: string, query: StructuredQuery): Promise<RestQueryDocument[]> {
  const slash = collection.lastIndexOf('/');
  const parent = slash < 0 ? '' : `/${collection.slice(0, slash).split('/').map(encodeURIComponent).join('/')}`;
  const body = JSON.stringify({ structuredQuery: { from: [{ collectionId: collection.slice(slash + 1) }], ...query } });
  const text = await postForFirestore(endpoint, 'runQuery', body, `querying ${collection}`, parent);
  let items: unknown;
  try {
    items = JSON.parse(text);
  } catch {
    items = null;
  }
  if (!Array.isArray(items)) throw new CodedError('unavailable', `${endpoint.label} answered querying ${collection} with something other than a list: a proxy's page, or a cut-off answer`);
  const documents: RestQueryDocument[] = [];
  for (const item of items as ({ document?: { name?: unknown; fields?: unknown }; error?: unknown } | null)[]) {
    if (item?.error !== undefined) {
      const failed = JSON.stringify(item);
      throw new CodedError(restFailureCode(500, failed), `${endpoint.label} failed querying ${collection}: ${serverMessageOf(failed)}`);
    }
    const document = item?.document;
    if (document === undefined) continue; // a progress item: readTime or skippedResults only
    if (typeof document?.name !== 'string') throw new CodedError('data-loss', `${endpoint.label} answered a query of ${collection} with a document without a name`);
    const fields = document.fields !== null && typeof document.fields === 'object' ? (document.fields as Record<string, RestAnswerValue>) : {};
    documents.push({ name: document.name, fields });
  }
  return documents;
}
