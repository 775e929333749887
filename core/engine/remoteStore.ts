// The engine's view of Firestore. Every call returns a Result instead of throwing: the
// reference's SyncService never counted a failure a save *returned*; here there is only one path.
import { CodedError, errorMessage } from '../errors';
import { firestoreErrorCode, type FirestoreConnection } from '../firestore/client';
import type { MappingSdk } from '../firestore/mapping';
import { commitRestWrites } from '../firestore/restCommit';
import { connectionRestEndpoint, documentsRoot } from '../firestore/restRequests';
import { RestValueReader } from '../firestore/restValues';
import { readRemoteDocuments } from './remoteReads';
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
  let reader: RestValueReader | undefined;
  /** The reference's soft delete, but deletedAt: the server's time is set by mergeSet's transform. */
  const tombstoneOf = (write: Extract<RemoteWrite, { kind: 'soft-delete' }>): Record<string, unknown> =>
    write.updatedAt === null
      ? { [remoteFields.isDeleted]: true }
      : { [remoteFields.isDeleted]: true, [remoteFields.updatedAt]: toTimestamp(write.updatedAt) };

  return {
    sdk,
    target: connection.target.kind,
    async readDocuments(refs) {
      return attempt(timeoutMs, async () => {
        reader ??= new RestValueReader(sdk, db);
        return readRemoteDocuments(await connectionRestEndpoint(connection), reader, refs);
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
