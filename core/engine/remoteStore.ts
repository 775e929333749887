// The engine's view of Firestore. Every call returns a Result instead of throwing: the
// reference's SyncService never counted a failure a save *returned*; here there is only one path.
import { CodedError, errorMessage } from '../errors';
import { firestoreErrorCode, type FirestoreConnection } from '../firestore/client';
import type { MappingSdk } from '../firestore/mapping';
import { commitRestWrites } from '../firestore/restCommit';
import { connectionRestEndpoint, documentsRoot } from '../firestore/restRequests';
import { RestWriteEncoder } from '../firestore/restWrites';
import { remoteFields } from './planner';
import type { RemoteDocument } from './types';

export type RemoteResult<T> =
  | { ok: true; value: T }
  /**
   * `late`: a call that timed out is still on the wire (the SDK cannot abort it); this settles
   * when its answer comes after all. A retry waits for it before reading back (replayRetry.ts).
   */
  | { ok: false; error: string; code: string; late?: Promise<unknown> };

export type RemoteWrite =
  | { kind: 'set-merge'; collection: string; id: string; data: Record<string, unknown> }
  /** The reference's soft delete: isDeleted true, deletedAt = server time (+ updatedAt so pulls see it). */
  | { kind: 'soft-delete'; collection: string; id: string; updatedAt: number | null };

export interface DocumentReference {
  collection: string;
  id: string;
}

export interface ChangedPage {
  documents: RemoteDocument[];
  /** Pass back to read the next page; null when this was the last one. */
  next: unknown;
}

export interface RemoteStore {
  /** The SDK value classes documents are built with (Timestamp, Bytes). */
  readonly sdk: MappingSdk;
  /** What is behind it: a real project is throttled by Firestore's ramp (throttle.ts); unknown when absent. */
  readonly target?: 'emulator' | 'project';
  /** Bulk read; the map holds null for documents that do not exist. Keyed `collection/id`. */
  readDocuments(refs: readonly DocumentReference[]): Promise<RemoteResult<{ documents: Map<string, RemoteDocument | null>; requests: number }>>;
  /** One atomic batch (<= 500 writes), applied in order. */
  commit(writes: readonly RemoteWrite[]): Promise<RemoteResult<void>>;
  /** Documents with updatedAt > afterMillis (all when null), ascending by updatedAt, one page. */
  readChangedSince(collection: string, afterMillis: number | null, pageSize: number, cursor: unknown): Promise<RemoteResult<ChangedPage>>;
}

export const maxBatchWrites = 500;
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

export interface FirestoreRemoteOptions {
  /**
   * Bound on each remote call. Firestore Lite's requests carry no timeout of their own: a server
   * that accepts the connection and never answers would hold a replay until Node's fetch gives up,
   * minutes later.
   */
  timeoutMs?: number;
}

export function createFirestoreRemote(connection: FirestoreConnection, options: FirestoreRemoteOptions = {}): RemoteStore {
  const { sdk, db } = connection;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const toTimestamp = (millis: number) => sdk.Timestamp.fromMillis(millis);
  let encoder: RestWriteEncoder | undefined;
  /** The reference's soft delete, but deletedAt: the server's time is set by mergeSet's transform. */
  const tombstoneOf = (write: Extract<RemoteWrite, { kind: 'soft-delete' }>): Record<string, unknown> =>
    write.updatedAt === null
      ? { [remoteFields.isDeleted]: true }
      : { [remoteFields.isDeleted]: true, [remoteFields.updatedAt]: toTimestamp(write.updatedAt) };

  return {
    sdk,
    target: connection.target.kind,
    async readDocuments(refs) {
      const idSets = new Map<string, Set<string>>();
      for (const ref of refs) {
        const ids = idSets.get(ref.collection) ?? new Set<string>();
        ids.add(ref.id);
        idSets.set(ref.collection, ids);
      }
      const byCollection = new Map([...idSets].map(([collectionName, ids]) => [collectionName, [...ids]]));
      const chunks: { collection: string; ids: string[] }[] = [];
      for (const [collectionName, ids] of byCollection) {
        for (let start = 0; start < ids.length; start += maxIdsPerQuery) {
          chunks.push({ collection: collectionName, ids: ids.slice(start, start + maxIdsPerQuery) });
        }
      }
      return attempt(timeoutMs, async () => {
        const documents = new Map<string, RemoteDocument | null>();
        for (const ref of refs) documents.set(`${ref.collection}/${ref.id}`, null);
        let requests = 0;
        const keep = (collectionName: string, found: { id: string; data(): Record<string, unknown> }): void => {
          const key = `${collectionName}/${found.id}`;
          if (documents.has(key)) documents.set(key, { collection: collectionName, id: found.id, data: found.data() });
        };
        // When the queue touches a large share of a collection, a few pages of the whole
        // collection cost far less than one `in` query per 30 ids.
        const counts = await Promise.all(
          [...byCollection.keys()].map(async (collectionName) => {
            requests++;
            const snapshot = await sdk.getCount(sdk.collection(db, collectionName));
            return [collectionName, snapshot.data().count] as const;
          }),
        );
        const countOf = new Map(counts);
        const scanned = new Set(counts.filter(([name, count]) => count <= scanFactor * (byCollection.get(name)?.length ?? 0)).map(([name]) => name));
        const scanRange = async (collectionName: string, range: IdRange): Promise<void> => {
          let cursor: unknown = null;
          do {
            const constraints = [
              ...(range.from === null ? [] : [sdk.where(sdk.documentId(), '>=', range.from)]),
              ...(range.before === null ? [] : [sdk.where(sdk.documentId(), '<', range.before)]),
              sdk.orderBy(sdk.documentId()),
              ...(cursor ? [sdk.startAfter(cursor)] : []),
              sdk.limit(scanPageSize),
            ];
            const snapshot = await sdk.getDocs(sdk.query(sdk.collection(db, collectionName), ...constraints));
            requests++;
            for (const found of snapshot.docs) keep(collectionName, found);
            cursor = snapshot.docs.length === scanPageSize ? (snapshot.docs.at(-1) ?? null) : null;
          } while (cursor);
        };
        await Promise.all([
          inParallel(
            [...scanned].flatMap((collectionName) =>
              scanRanges(byCollection.get(collectionName) ?? [], Math.ceil((countOf.get(collectionName) ?? 0) / scanPageSize)).map(
                (range) => () => scanRange(collectionName, range),
              ),
            ),
            scanParallelism,
          ),
          inParallel(
            chunks
              .filter((chunk) => !scanned.has(chunk.collection))
              .map((chunk) => async () => {
                const snapshot = await sdk.getDocs(sdk.query(sdk.collection(db, chunk.collection), sdk.where(sdk.documentId(), 'in', chunk.ids)));
                requests++;
                for (const found of snapshot.docs) keep(chunk.collection, found);
              }),
            queryParallelism,
          ),
        ]);
        return { documents, requests };
      });
    },

    async commit(writes) {
      if (writes.length > maxBatchWrites) {
        return { ok: false, code: 'invalid-argument', error: `a batch holds at most ${maxBatchWrites} writes, got ${writes.length}` };
      }
      return attempt(timeoutMs, async () => {
        // Sent as REST JSON built straight from the writes, not through sdk.writeBatch: the SDK's
        // parsing and serialisation of a merge cost about a third of a second of CPU per 10,000
        // writes, which on a 2-core machine the emulator needs (core/firestore/restWrites.ts).
        const endpoint = await connectionRestEndpoint(connection);
        encoder ??= new RestWriteEncoder(sdk, documentsRoot(endpoint));
        const body = writes.map((write) =>
          write.kind === 'set-merge'
            ? encoder!.mergeSet(write.collection, write.id, write.data)
            : encoder!.mergeSet(write.collection, write.id, tombstoneOf(write), [remoteFields.deletedAt]),
        );
        await commitRestWrites(endpoint, body);
      });
    },

    async readChangedSince(collectionName, afterMillis, pageSize, cursor) {
      return attempt(timeoutMs, async () => {
        const constraints = [
          ...(afterMillis === null ? [] : [sdk.where(remoteFields.updatedAt, '>', toTimestamp(afterMillis))]),
          sdk.orderBy(remoteFields.updatedAt),
          ...(cursor ? [sdk.startAfter(cursor)] : []),
          sdk.limit(pageSize),
        ];
        const snapshot = await sdk.getDocs(sdk.query(sdk.collection(db, collectionName), ...constraints));
        const documents = snapshot.docs.map((found) => ({ collection: collectionName, id: found.id, data: found.data() }));
        const last = snapshot.docs.at(-1);
        return { documents, next: snapshot.docs.length === pageSize && last ? last : null };
      });
    },
  };
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

async function attempt<T>(timeoutMs: number, work: () => Promise<T>): Promise<RemoteResult<T>> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = work().then(
    (value): RemoteResult<T> => ({ ok: true, value }),
    (error: unknown): RemoteResult<T> => ({ ok: false, code: firestoreErrorCode(error), error: errorMessage(error) }),
  );
  const timeout = new Promise<RemoteResult<T>>((resolve) => {
    timer = setTimeout(
      () => resolve({ ok: false, code: 'deadline-exceeded', error: `no answer from Firestore within ${timeoutMs} ms`, late: run }),
      timeoutMs,
    );
  });
  try {
    return await Promise.race([run, timeout]);
  } finally {
    clearTimeout(timer);
  }
}

/** Codes after which further calls to the same target are pointless for now. */
export function isUnreachable(code: string): boolean {
  return code === 'unavailable' || code === 'deadline-exceeded';
}

/** The remote could not be read: nothing was classified or written. `remoteCode` is Firestore's code. */
export class RemoteUnavailableError extends CodedError<'unreachable'> {
  override readonly name = 'RemoteUnavailableError';
  constructor(
    message: string,
    readonly remoteCode: string,
  ) {
    super('unreachable', message);
  }
}
