// A Firestore Android SDK offline cache as the SDK writes it (`firestore.<persistence key>.<project>.<database>`),
// built with the real sqlite3 from the upstream DDL, its BLOBs encoded by protobufjs from the
// definitions SyncLens reads them with (core/queue/firestoreSdk/protos.ts). The sample workspace
// (generate.ts) and the tests (tests/unit/queues/fixtures.ts) write it from here.
//
// DDL: firebase-android-sdk's SQLiteSchema.java, version 18. Versions 1-16 as in
// warting/firebase-android-sdk firebase-firestore/src/main/java/com/google/firebase/firestore/local/SQLiteSchema.java
// (commit 937eda6fc522c936947bad097f889a0063041c04, VERSION = 16); 17 adds `globals` and 18
// `remote_documents.document_type` (createGlobalsTable, addDocumentType in the version-18 source,
// firebase/firebase-android-sdk commit 9b3767922ebffd62099901bc7d0add7a416bbd2c).
// Paths are stored encoded as the SDK's EncodedPath.java does (firebase/firebase-android-sdk commit
// 00d46269): each segment ends in \u0001\u0001. Overlays: SQLiteDocumentOverlayCache.java (commit
// 061e1c88) stores one google.firestore.v1.Write per document, keyed by collection path and id.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { maybeDocumentType, targetType, writeBatchType, writeType } from '../core/queue/firestoreSdk/protos';

export const firestoreSchemaV18 = `
CREATE TABLE mutation_queues (uid TEXT PRIMARY KEY, last_acknowledged_batch_id INTEGER, last_stream_token BLOB);
CREATE TABLE mutations (uid TEXT, batch_id INTEGER, mutations BLOB, PRIMARY KEY (uid, batch_id));
CREATE TABLE document_mutations (uid TEXT, path TEXT, batch_id INTEGER, PRIMARY KEY (uid, path, batch_id));
CREATE TABLE targets (target_id INTEGER PRIMARY KEY, canonical_id TEXT, snapshot_version_seconds INTEGER, snapshot_version_nanos INTEGER, resume_token BLOB, last_listen_sequence_number INTEGER,target_proto BLOB);
CREATE INDEX query_targets ON targets (canonical_id, target_id);
CREATE TABLE target_globals (highest_target_id INTEGER, highest_listen_sequence_number INTEGER, last_remote_snapshot_version_seconds INTEGER, last_remote_snapshot_version_nanos INTEGER);
CREATE TABLE target_documents (target_id INTEGER, path TEXT, PRIMARY KEY (target_id, path));
CREATE INDEX document_targets ON target_documents (path, target_id);
CREATE TABLE remote_documents (path TEXT PRIMARY KEY, contents BLOB);
INSERT INTO target_globals (highest_target_id, highest_listen_sequence_number, last_remote_snapshot_version_seconds, last_remote_snapshot_version_nanos) VALUES (0, 0, 0, 0);
ALTER TABLE target_globals ADD COLUMN target_count INTEGER;
ALTER TABLE target_documents ADD COLUMN sequence_number INTEGER;
CREATE TABLE collection_parents (collection_id TEXT, parent TEXT, PRIMARY KEY(collection_id, parent));
ALTER TABLE remote_documents ADD COLUMN read_time_seconds INTEGER;
ALTER TABLE remote_documents ADD COLUMN read_time_nanos INTEGER;
CREATE TABLE bundles (bundle_id TEXT PRIMARY KEY, create_time_seconds INTEGER, create_time_nanos INTEGER, schema_version INTEGER, total_documents INTEGER, total_bytes INTEGER);
CREATE TABLE named_queries (name TEXT PRIMARY KEY, read_time_seconds INTEGER, read_time_nanos INTEGER, bundled_query_proto BLOB);
ALTER TABLE remote_documents ADD COLUMN path_length INTEGER;
CREATE TABLE document_overlays (uid TEXT, collection_path TEXT, document_id TEXT, collection_group TEXT, largest_batch_id INTEGER, overlay_mutation BLOB, PRIMARY KEY (uid, collection_path, document_id));
CREATE INDEX batch_id_overlay ON document_overlays (uid, largest_batch_id);
CREATE INDEX collection_group_overlay ON document_overlays (uid, collection_group);
CREATE TABLE data_migrations (migration_name TEXT, PRIMARY KEY (migration_name));
CREATE TABLE index_configuration (index_id INTEGER, collection_group TEXT, index_proto BLOB, PRIMARY KEY (index_id));
CREATE TABLE index_state (index_id INTEGER, uid TEXT, sequence_number INTEGER, read_time_seconds INTEGER, read_time_nanos INTEGER, document_key TEXT, largest_batch_id INTEGER, PRIMARY KEY (index_id, uid));
CREATE TABLE index_entries (index_id INTEGER, uid TEXT, array_value BLOB, directional_value BLOB, document_key TEXT, PRIMARY KEY (index_id, uid, array_value, directional_value, document_key));
CREATE INDEX read_time ON remote_documents(read_time_seconds, read_time_nanos);
CREATE TABLE globals (name TEXT PRIMARY KEY, value BLOB);
ALTER TABLE remote_documents ADD COLUMN document_type INTEGER;
PRAGMA user_version = 18;
`;

/** Java's URLEncoder, which the SDK names the file with, also encodes ( ) ! ' and *. */
const javaUrlEncode = (text: string): string =>
  encodeURIComponent(text).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** `firestore.<persistence key>.<project>.<database>`, URL-encoded as the SDK names it. */
export function firestoreSdkCacheFileName(projectId: string): string {
  return `firestore.${javaUrlEncode('[DEFAULT]')}.${javaUrlEncode(projectId)}.${javaUrlEncode('(default)')}`;
}

const MINUTE = 60_000;
const timestamp = (ms: number): { seconds: number; nanos: number } => ({ seconds: Math.floor(ms / 1000), nanos: (ms % 1000) * 1_000_000 });
const encodedPath = (path: string): string => `${path.split('/').join('\u0001\u0001')}\u0001\u0001`;
const hex = (bytes: Uint8Array): string => `X'${Buffer.from(bytes).toString('hex')}'`;
const text = (value: string): string => `'${value.replace(/'/g, "''")}'`;

function encode(type: ReturnType<typeof writeBatchType>, message: Record<string, unknown>): Uint8Array {
  const problem = type.verify(type.fromObject(message));
  if (problem) throw new Error(`${type.name}: ${problem}`);
  return type.encode(type.fromObject(message)).finish();
}

/**
 * The cache of a signed-in user `u1` at `now`:
 * - 3 pending writes in 2 batches: a set of posts/p1 (with a server-time transform); then, in one
 *   batch, an update of posts/p2 with a field mask and an exists precondition, and a delete of posts/p3;
 *   each with the overlay the SDK keeps for its document;
 * - 6 remote documents: posts/p2, posts/p3, posts/p5 and users/u1/notes/n1 as read, posts/p9 known
 *   missing, posts/p4 known to exist at a version whose contents were not read;
 * - 2 targets: a query on posts (newest first, 20) and a listen on users/u1/notes/n1.
 */
export function firestoreSdkCacheSql(projectId: string, now: number): string {
  const name = (path: string): string => `projects/${projectId}/databases/(default)/documents/${path}`;
  const batch = (batchId: number, at: number, writes: unknown[]): Uint8Array => encode(writeBatchType(), { batch_id: batchId, writes, local_write_time: timestamp(at) });
  const setP1 = {
    update: { name: name('posts/p1'), fields: { title: { string_value: 'Hello' }, likes: { integer_value: 3 }, publishedAt: { timestamp_value: timestamp(now - 31 * MINUTE) } } },
    update_transforms: [{ field_path: 'updatedAt', set_to_server_value: 'REQUEST_TIME' }],
  };
  const updateP2 = {
    update: { name: name('posts/p2'), fields: { title: { string_value: 'Edited' }, tags: { array_value: { values: [{ string_value: 'a' }] } } } },
    update_mask: { field_paths: ['title', 'tags'] },
    current_document: { exists: true },
  };
  const deleteP3 = { delete: name('posts/p3') };

  const found = (path: string, fields: Record<string, unknown>, updated: number): Uint8Array =>
    encode(maybeDocumentType(), { document: { name: name(path), fields, create_time: timestamp(updated - 60 * MINUTE), update_time: timestamp(updated) } });
  const readAt = now - 45 * MINUTE;
  const remote: [string, Uint8Array, number][] = [
    ['posts/p2', found('posts/p2', { title: { string_value: 'Draft' }, tags: { array_value: {} }, body: { string_value: 'kept' } }, now - 2 * 60 * MINUTE), 2],
    ['posts/p3', found('posts/p3', { title: { string_value: 'Old news' }, likes: { integer_value: 0 } }, now - 3 * 60 * MINUTE), 2],
    ['posts/p4', encode(maybeDocumentType(), { unknown_document: { name: name('posts/p4'), version: timestamp(now - 50 * MINUTE) }, has_committed_mutations: true }), 3],
    ['posts/p5', found('posts/p5', { title: { string_value: 'Offline first' }, likes: { integer_value: 12 }, author: { reference_value: name('users/u1') }, place: { geo_point_value: { latitude: 52.52, longitude: 13.405 } } }, now - 5 * 60 * MINUTE), 2],
    ['posts/p9', encode(maybeDocumentType(), { no_document: { name: name('posts/p9'), read_time: timestamp(readAt) } }), 1],
    ['users/u1/notes/n1', found('users/u1/notes/n1', { text: { string_value: 'Buy milk' }, done: { boolean_value: false } }, now - 24 * 60 * MINUTE), 2],
  ];
  const postsQuery = encode(targetType(), {
    target_id: 2,
    snapshot_version: timestamp(readAt),
    resume_token: Buffer.from('resume-2'),
    last_listen_sequence_number: 7,
    query: {
      parent: `projects/${projectId}/databases/(default)/documents`,
      structured_query: { from: [{ collection_id: 'posts' }], order_by: [{ field: { field_path: 'publishedAt' }, direction: 'DESCENDING' }, { field: { field_path: '__name__' }, direction: 'DESCENDING' }], limit: { value: 20 } },
    },
    synced: true,
  });
  const noteListen = encode(targetType(), { target_id: 4, snapshot_version: timestamp(readAt), last_listen_sequence_number: 8, documents: { documents: [name('users/u1/notes/n1')] } });

  const overlay = (path: string, batchId: number, write: Record<string, unknown>): string => {
    const slash = path.lastIndexOf('/');
    const collection = path.slice(0, slash);
    return `('u1', ${text(encodedPath(collection))}, ${text(path.slice(slash + 1))}, ${text(collection.split('/').at(-1)!)}, ${batchId}, ${hex(encode(writeType(), write))})`;
  };
  const readSeconds = Math.floor(readAt / 1000);
  return `${firestoreSchemaV18}
INSERT INTO mutation_queues VALUES ('u1', -1, X'');
INSERT INTO mutations VALUES ('u1', 1, ${hex(batch(1, now - 30 * MINUTE, [setP1]))}), ('u1', 2, ${hex(batch(2, now - 10 * MINUTE, [updateP2, deleteP3]))});
INSERT INTO document_mutations VALUES ('u1', ${text(encodedPath('posts/p1'))}, 1), ('u1', ${text(encodedPath('posts/p2'))}, 2), ('u1', ${text(encodedPath('posts/p3'))}, 2);
INSERT INTO document_overlays (uid, collection_path, document_id, collection_group, largest_batch_id, overlay_mutation) VALUES ${[overlay('posts/p1', 1, setP1), overlay('posts/p2', 2, updateP2), overlay('posts/p3', 2, deleteP3)].join(', ')};
INSERT INTO remote_documents (path, contents, read_time_seconds, read_time_nanos, path_length, document_type) VALUES ${remote
    .map(([path, contents, type]) => `(${text(encodedPath(path))}, ${hex(contents)}, ${readSeconds}, 0, ${path.split('/').length}, ${type})`)
    .join(', ')};
INSERT INTO collection_parents VALUES ('posts', ''), ('users', ''), ('notes', ${text(encodedPath('users/u1'))});
INSERT INTO targets VALUES (2, 'posts|f:|ob:publishedAtdesc__name__desc|l:20', ${readSeconds}, 0, ${hex(Buffer.from('resume-2'))}, 7, ${hex(postsQuery)}), (4, 'users/u1/notes/n1|f:|ob:__name__asc', ${readSeconds}, 0, X'', 8, ${hex(noteListen)});
INSERT INTO target_documents (target_id, path, sequence_number) VALUES (2, ${text(encodedPath('posts/p2'))}, 7), (2, ${text(encodedPath('posts/p3'))}, 7), (2, ${text(encodedPath('posts/p5'))}, 7), (4, ${text(encodedPath('users/u1/notes/n1'))}, 8);
UPDATE target_globals SET highest_target_id = 4, highest_listen_sequence_number = 8, last_remote_snapshot_version_seconds = ${readSeconds}, target_count = 2;
`;
}

/** Writes the cache into `dir` with the real sqlite3; returns its path. */
export function writeFirestoreSdkCacheFile(dir: string, projectId: string, now: number): string {
  const path = join(dir, firestoreSdkCacheFileName(projectId));
  execFileSync('sqlite3', ['-bail', path], { input: firestoreSdkCacheSql(projectId, now), stdio: ['pipe', 'ignore', 'pipe'] });
  return path;
}
