// The engine's bulk read of the documents a queue touches, over Firestore's REST queries
// (core/firestore/restQueries.ts) read into Lite's values (core/firestore/restValues.ts). Queries,
// not batchGet: with security rules in force (the engine reads as the app's user, not as an admin)
// the emulator judges a batchGet's rules per document, at about 2.5x the server CPU per document of
// a query, whose rules it judges once.
import { documentPathOf } from '../firestore/restBatchGet';
import { collectionPathOf, countRestDocuments, referenceTo, runRestQuery, type RestQueryDocument } from '../firestore/restQueries';
import type { FirestoreRestEndpoint } from '../firestore/restRequests';
import type { RestValueReader } from '../firestore/restValues';
import type { DocumentReference } from './remoteStore';
import type { RemoteDocument } from './types';

/** Firestore's limit for an `in` filter. */
export const maxIdsPerQuery = 30;
/** Scan a whole collection when it holds at most this many documents per id wanted. */
const scanFactor = 4;
/**
 * A scanned collection is read as id ranges of about this many documents, several at once: the
 * server answers each query on one thread, so parallel ranges use the cores it has, and on the
 * emulator a page of 5000 costs about half as much per document as a page of 1000 (bench/replay.ts).
 * Each range is still paged at this size, so no answer is unbounded.
 */
const scanPageSize = 5000;
const scanParallelism = 4;
/** `in` queries in flight at once: enough to hide round trips, few enough not to flood the server. */
const queryParallelism = 8;

const byName = [{ field: { fieldPath: '__name__' }, direction: 'ASCENDING' }];

/**
 * The documents at `refs`, keyed `collection/id`, null where none exists (or none can: an id that
 * names no document, restBatchGet.ts documentPathOf). A collection the queue touches a large share
 * of is scanned in id ranges; the rest are read 30 ids to an `in` query.
 */
export async function readRemoteDocuments(
  endpoint: FirestoreRestEndpoint,
  reader: RestValueReader,
  refs: readonly DocumentReference[],
): Promise<{ documents: Map<string, RemoteDocument | null>; requests: number }> {
  const documents = new Map<string, RemoteDocument | null>();
  /** Per collection path, per document id: the refs that name it (usually one). */
  const wanted = new Map<string, Map<string, DocumentReference[]>>();
  for (const ref of refs) {
    documents.set(`${ref.collection}/${ref.id}`, null);
    const path = documentPathOf(ref.collection, ref.id);
    if (path === null) continue;
    const slash = path.lastIndexOf('/');
    const collection = path.slice(0, slash);
    const ids = wanted.get(collection) ?? new Map<string, DocumentReference[]>();
    ids.set(path.slice(slash + 1), [...(ids.get(path.slice(slash + 1)) ?? []), ref]);
    wanted.set(collection, ids);
  }
  let requests = 0;
  const keep = (collection: string, found: readonly RestQueryDocument[]): void => {
    const ids = wanted.get(collection)!;
    for (const document of found) {
      const id = document.name.slice(document.name.lastIndexOf('/') + 1);
      for (const ref of ids.get(id) ?? []) {
        documents.set(`${ref.collection}/${ref.id}`, { collection: ref.collection, id: ref.id, data: reader.documentData(document.fields, `${collection}/${id}`) });
      }
    }
  };
  // When the queue touches a large share of a collection, a few pages of the whole collection cost
  // far less than one `in` query per 30 ids.
  const counts = await Promise.all(
    [...wanted.keys()].map(async (collection) => {
      requests++;
      return [collection, await countRestDocuments(endpoint, collectionPathOf(collection))] as const;
    }),
  );
  const tasks: (() => Promise<void>)[] = [];
  const pointTasks: (() => Promise<void>)[] = [];
  for (const [collection, count] of counts) {
    const ids = [...wanted.get(collection)!.keys()];
    const path = collectionPathOf(collection);
    if (count <= scanFactor * ids.length) {
      for (const range of scanRanges(ids, Math.ceil(count / scanPageSize))) {
        tasks.push(async () => {
          for (let after: string | null = null; ; ) {
            const page = await runRestQuery(endpoint, path, rangeQuery(endpoint, collection, range, after));
            requests++;
            keep(collection, page);
            if (page.length < scanPageSize) break;
            after = page.at(-1)!.name;
          }
        });
      }
    } else {
      for (let start = 0; start < ids.length; start += maxIdsPerQuery) {
        const chunk = ids.slice(start, start + maxIdsPerQuery);
        pointTasks.push(async () => {
          const values = chunk.map((id) => referenceTo(endpoint, collection, id));
          keep(collection, await runRestQuery(endpoint, path, { where: { fieldFilter: { field: { fieldPath: '__name__' }, op: 'IN', value: { arrayValue: { values } } } }, orderBy: byName }));
          requests++;
        });
      }
    }
  }
  await Promise.all([inParallel(tasks, scanParallelism), inParallel(pointTasks, queryParallelism)]);
  return { documents, requests };
}

/** The page of `range` after the document named `after` (from its start when null), by name. */
function rangeQuery(endpoint: FirestoreRestEndpoint, collection: string, range: IdRange, after: string | null): Record<string, unknown> {
  const filters = [
    ...(after !== null
      ? [{ fieldFilter: { field: { fieldPath: '__name__' }, op: 'GREATER_THAN', value: { referenceValue: after } } }]
      : range.from === null
        ? []
        : [{ fieldFilter: { field: { fieldPath: '__name__' }, op: 'GREATER_THAN_OR_EQUAL', value: referenceTo(endpoint, collection, range.from) } }]),
    ...(range.before === null ? [] : [{ fieldFilter: { field: { fieldPath: '__name__' }, op: 'LESS_THAN', value: referenceTo(endpoint, collection, range.before) } }]),
  ];
  const where = filters.length === 0 ? {} : { where: filters.length === 1 ? filters[0] : { compositeFilter: { op: 'AND', filters } } };
  return { ...where, orderBy: byName, limit: scanPageSize };
}

/** Runs the tasks, at most `limit` at a time. */
async function inParallel(tasks: readonly (() => Promise<void>)[], limit: number): Promise<void> {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < tasks.length) await tasks[next++]!();
  };
  await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

/** Half-open document id range; null means unbounded on that side. */
export interface IdRange {
  from: string | null;
  before: string | null;
}

/**
 * Splits the id space into at most `parts` ranges holding about equal shares of `ids`. The ranges
 * cover every id there is (the first is unbounded below, the last above), so a document is found
 * even if the server orders some ids differently from this sort; only the balance would suffer.
 */
export function scanRanges(ids: readonly string[], parts: number): IdRange[] {
  const sorted = [...new Set(ids)].sort(compareCodePoints);
  const count = Math.max(1, Math.min(parts, sorted.length));
  const bounds: string[] = [];
  for (let part = 1; part < count; part++) bounds.push(sorted[Math.floor((part * sorted.length) / count)]!);
  const edges = [null, ...new Set(bounds)] as (string | null)[];
  return edges.map((from, index) => ({ from, before: edges[index + 1] ?? null }));
}

/** Firestore orders document ids by their UTF-8 bytes, which is code point order (not UTF-16's). */
function compareCodePoints(left: string, right: string): number {
  const a = [...left];
  const b = [...right];
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const difference = a[i]!.codePointAt(0)! - b[i]!.codePointAt(0)!;
    if (difference !== 0) return difference;
  }
  return a.length - b.length;
}
