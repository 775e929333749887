// The engine's bulk read of the documents a queue touches, over Firestore's REST queries
// (core/firestore/restQueries.ts) read into Lite's values (core/firestore/restValues.ts). Queries,
// not batchGet: with security rules in force (the engine reads as the app's user, not as an admin)
// the emulator judges a batchGet's rules per document, at about 2.5x the server CPU per document of
// a query, whose rules it judges once.
import { referenceTo, runRestQuery, type RestQueryDocument } from '../firestore/restQueries';
import { documentPathOf, inParallel, type FirestoreRestEndpoint } from '../firestore/restRequests';
import type { RestValueReader } from '../firestore/restValues';
import type { DocumentReference } from './remoteStore';
import type { RemoteDocument } from './types';

/** Firestore's limit for an `in` filter. */
export const maxIdsPerQuery = 30;
/** A scan goes on while its pages hold at least one wanted id per this many documents. */
const scanFactor = 4;
/**
 * The wanted ids of a collection are scanned as runs of about this many, several at once: the server
 * answers each query on one thread, so parallel runs use the cores it has, and on the emulator a page
 * of 5000 costs about half as much per document as a page of 1000 (bench/replay.ts). No page is larger.
 */
const scanPageSize = 5000;
/** Firestore's reserved ids, `__.*__`: it orders its numeric ones (`__id7__`) apart from the rest. */
const reservedId = /^__.*__$/;
const scanParallelism = 4;
/** `in` queries in flight at once: enough to hide round trips, few enough not to flood the server. */
const queryParallelism = 8;

/** The field queries filter and order documents by to address them by name. */
const nameField = { fieldPath: '__name__' };
const byName = [{ field: nameField, direction: 'ASCENDING' }];

/**
 * The documents at `refs`, keyed `collection/id`, null where none exists (or none can: an id that
 * names no document, restRequests.ts documentPathOf). The ids the queue touches in a collection
 * are scanned from the first to the last while the documents between them are mostly wanted
 * (scanWhileDense); the rest are read 30 ids to an `in` query.
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
    let ids = wanted.get(collection);
    if (ids === undefined) wanted.set(collection, (ids = new Map()));
    const id = path.slice(slash + 1);
    const named = ids.get(id);
    if (named === undefined) ids.set(id, [ref]);
    else named.push(ref);
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
  const inQueries = (collection: string, ids: readonly string[]): (() => Promise<void>)[] => {
    const tasks: (() => Promise<void>)[] = [];
    for (let start = 0; start < ids.length; start += maxIdsPerQuery) {
      const values = ids.slice(start, start + maxIdsPerQuery).map((id) => referenceTo(endpoint, collection, id));
      tasks.push(async () => {
        keep(collection, await runRestQuery(endpoint, collection, { where: { fieldFilter: { field: nameField, op: 'IN', value: { arrayValue: { values } } } }, orderBy: byName }));
        requests++;
      });
    }
    return tasks;
  };
  const scans: (() => Promise<void>)[] = [];
  const pointReads: (() => Promise<void>)[] = [];
  /** `in` queries for the ids a scan found too sparse, run once the scans are done. */
  const handedOver: (() => Promise<void>)[] = [];
  for (const [collection, byId] of wanted) {
    // Reserved ids (`__id7__`) are ordered apart by Firestore: only an `in` query finds them surely.
    const reserved: string[] = [];
    const ids: string[] = [];
    for (const id of byId.keys()) (reservedId.test(id) ? reserved : ids).push(id);
    ids.sort(compareCodePoints);
    pointReads.push(...inQueries(collection, reserved));
    if (ids.length <= maxIdsPerQuery) {
      pointReads.push(...inQueries(collection, ids));
      continue;
    }
    for (const group of idGroups(ids, Math.min(scanParallelism, Math.ceil(ids.length / scanPageSize)))) {
      scans.push(async () => {
        const rest = await scanWhileDense(endpoint, collection, group, (page) => {
          requests++;
          keep(collection, page);
        });
        handedOver.push(...inQueries(collection, rest));
      });
    }
  }
  await Promise.all([inParallel(scans, scanParallelism), inParallel(pointReads, queryParallelism)]);
  await inParallel(handedOver, queryParallelism);
  return { documents, requests };
}

/**
 * Reads the documents from `ids[0]` to the last of `ids` (sorted in code point order) page by page,
 * while they are dense: a page holding fewer than one wanted id per `scanFactor` documents ends
 * the scan, and the wanted ids after it are returned, for `in` queries. So a scan never reads much
 * more than scanFactor documents per id wanted, with no count of the collection first (a count is
 * a read of its whole index). Each page asks for at most scanFactor documents per id still wanted.
 */
async function scanWhileDense(
  endpoint: FirestoreRestEndpoint,
  collection: string,
  ids: readonly string[],
  onPage: (page: readonly RestQueryDocument[]) => void,
): Promise<string[]> {
  let next = 0; // ids before this index lie at or before the last document read
  let after: string | null = null;
  while (next < ids.length) {
    const limit = Math.min(scanPageSize, scanFactor * (ids.length - next));
    const page = await runRestQuery(endpoint, collection, rangeQuery(endpoint, collection, ids[next]!, ids.at(-1)!, after, limit));
    onPage(page);
    if (page.length < limit) return []; // the range is read to its end
    const lastId = page.at(-1)!.name.slice(page.at(-1)!.name.lastIndexOf('/') + 1);
    const passedBefore = next;
    while (next < ids.length && compareCodePoints(ids[next]!, lastId) <= 0) next++;
    if ((next - passedBefore) * scanFactor < page.length) return ids.slice(next);
    after = page.at(-1)!.name;
  }
  return [];
}
/** Up to `limit` documents from `first` (or after the document named `after`) to `last`, by name. */
function rangeQuery(endpoint: FirestoreRestEndpoint, collection: string, first: string, last: string, after: string | null, limit: number): Record<string, unknown> {
  const filters = [
    after === null
      ? { fieldFilter: { field: nameField, op: 'GREATER_THAN_OR_EQUAL', value: referenceTo(endpoint, collection, first) } }
      : { fieldFilter: { field: nameField, op: 'GREATER_THAN', value: { referenceValue: after } } },
    { fieldFilter: { field: nameField, op: 'LESS_THAN_OR_EQUAL', value: referenceTo(endpoint, collection, last) } },
  ];
  return { where: { compositeFilter: { op: 'AND', filters } }, orderBy: byName, limit };
}

/** `sorted` cut into at most `parts` runs of about equal length, in order. */
export function idGroups(sorted: readonly string[], parts: number): string[][] {
  const count = Math.max(1, Math.min(parts, sorted.length));
  const groups: string[][] = [];
  for (let part = 0; part < count; part++) {
    const group = sorted.slice(Math.floor((part * sorted.length) / count), Math.floor(((part + 1) * sorted.length) / count));
    if (group.length > 0) groups.push(group);
  }
  return groups;
}

/** Firestore orders document ids by their UTF-8 bytes, which is code point order (not UTF-16's). */
export function compareCodePoints(left: string, right: string): number {
  // By code point in place: no array per comparison (a sort of 10,000 ids makes ~130,000 of them).
  for (let i = 0; i < left.length && i < right.length; ) {
    const a = left.codePointAt(i)!;
    const b = right.codePointAt(i)!;
    if (a !== b) return a - b;
    i += a > 0xffff ? 2 : 1;
  }
  // Equal so far: one is a prefix of the other, in code units as in code points.
  return left.length - right.length;
}
