// The Firestore Android SDK's own offline cache (`firestore.<persistence key>.<project>.<database>`,
// URL-encoded, in the app's databases folder): its pending writes per user, in the order the SDK
// sends them (each user's batches by batch_id; a signed-out user's wait until they sign in again).
// Schema: firebase-android-sdk's SQLiteSchema.java (version 18). iOS and the web keep this cache in
// LevelDB and IndexedDB, which SyncLens does not read. SyncLens never writes this file: the SDK
// owns it and sends the writes itself.
import { asNumber, asText, queryAll } from '../../db/query';
import type { SqlDatabase } from '../../db/sqlDatabase';
import type { QueueOperation, SchemaInfo } from '../../db/types';
import { errorMessage } from '../../errors';
import type { QueueSource } from '../types';
import { decodeWriteBatch, type SdkWrite } from './writes';

const requiredTables = ['mutation_queues', 'mutations', 'document_mutations'];

export const firestoreSdkReadOnlyReason =
  "the Firestore SDK owns this file and sends these writes itself when the app is online: SyncLens only reads them, and never writes the SDK's cache";

/** What the data grid says above the SDK's cache tables (extension/databaseEditor.ts). */
export const firestoreSdkGridNotice =
  "The Firestore SDK owns this file; SyncLens only reads it. Encoded paths, documents, targets, overlays and write batches are shown decoded (export keeps them as stored).";

export function isFirestoreSdkCache(schema: SchemaInfo): boolean {
  return requiredTables.every((name) => schema.tables.some((table) => table.name === name && table.kind === 'table'));
}

export interface FirestoreSdkFileName {
  persistenceKey: string;
  projectId: string;
  databaseId: string;
}

/** `firestore.%5BDEFAULT%5D.my-app.%28default%29` -> [DEFAULT], my-app, (default); null for other names. */
export function parseFirestoreSdkFileName(fileName: string): FirestoreSdkFileName | null {
  const parts = fileName.split('.');
  if (parts.length !== 4 || parts[0] !== 'firestore') return null;
  try {
    const [persistenceKey, projectId, databaseId] = parts.slice(1).map((part) => decodeURIComponent(part.replace(/\+/g, ' ')));
    return { persistenceKey: persistenceKey!, projectId: projectId!, databaseId: databaseId! };
  } catch {
    return null;
  }
}

export function firestoreSdkQueueSource(): QueueSource {
  return {
    kind: 'firestore-sdk',
    table: 'mutations',
    readOnlyReason: firestoreSdkReadOnlyReason,
    followsRetryPolicy: false,
    read: readPendingWrites,
  };
}

/** One operation per write, numbered 1.. in send order; facts name the batch, user and write kind. */
function readPendingWrites(db: SqlDatabase): QueueOperation[] {
  const { rows } = queryAll(db, 'SELECT uid, batch_id, mutations FROM main.mutations ORDER BY uid, batch_id');
  const operations: QueueOperation[] = [];
  for (const row of rows) {
    const user = asText(row[0] ?? null) ?? '';
    const batchId = asNumber(row[1] ?? null) ?? 0;
    const blob = row[2] ?? null;
    const id = operations.length + 1;
    if (!(blob instanceof Uint8Array)) {
      operations.push(undecodable(id, user, batchId, `the batch is ${blob === null ? 'NULL' : typeof blob}, not a protobuf BLOB`));
      continue;
    }
    let batch;
    try {
      batch = decodeWriteBatch(blob);
    } catch (error) {
      operations.push(undecodable(id, user, batchId, `not a firestore.client.WriteBatch: ${errorMessage(error)}`));
      continue;
    }
    batch.writes.forEach((write, index) => {
      operations.push(toOperation(operations.length + 1, write, { user, batchId, index, count: batch.writes.length, baseWrites: batch.baseWriteCount }, batch.localWriteTime));
    });
  }
  return operations;
}

interface BatchPlace {
  user: string;
  batchId: number;
  index: number;
  count: number;
  baseWrites: number;
}

function toOperation(id: number, write: SdkWrite, place: BatchPlace, localWriteTime: number | null): QueueOperation {
  const slash = write.path.lastIndexOf('/');
  const payloadText = write.fields === null ? null : JSON.stringify(write.fields);
  return {
    id,
    entityType: slash < 0 ? '' : write.path.slice(0, slash),
    entityId: slash < 0 ? write.path : write.path.slice(slash + 1),
    operation: operationOf(write),
    // A transform-only or verify write carries no fields: an empty object, not an invalid payload.
    payload: write.fields ?? (write.kind === 'delete' ? null : {}),
    payloadText,
    createdAt: localWriteTime,
    retryCount: 0,
    lastAttempt: null,
    lastError: null,
    facts: {
      write: write.kind,
      path: write.path,
      precondition: write.precondition,
      fieldMask: write.fieldMask,
      transforms: write.transforms,
      user: place.user === '' ? '(signed out)' : place.user,
      batchId: place.batchId,
      writeInBatch: `${place.index + 1} of ${place.count}`,
      baseWrites: place.baseWrites,
    },
  };
}

/** set -> upsert (missing precondition = create), update/transform/verify -> update, delete -> delete. */
function operationOf(write: SdkWrite): QueueOperation['operation'] {
  if (write.kind === 'delete') return 'delete';
  if (write.kind === 'set') return write.precondition === 'missing' ? 'create' : 'upsert';
  return 'update';
}

function undecodable(id: number, user: string, batchId: number, why: string): QueueOperation {
  return {
    id,
    entityType: '',
    entityId: '',
    operation: 'update',
    unknownOperation: `batch ${batchId} of user "${user}": ${why}`,
    payload: null,
    payloadText: null,
    createdAt: null,
    retryCount: 0,
    lastAttempt: null,
    lastError: null,
    facts: { user, batchId },
  };
}

