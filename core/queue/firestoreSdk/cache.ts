// The Firestore Android SDK's local cache beside its pending writes: the remote documents it last
// read (`remote_documents`, firestore.client.MaybeDocument), the queries it listens to (`targets`,
// firestore.client.Target) and the overlays its pending writes make on documents
// (`document_overlays`, google.firestore.v1.Write). Decoded with protobufjs (protos.ts); read only.
// Paths are stored in the SDK's EncodedPath form (firebase-android-sdk
// firebase-firestore/src/main/java/com/google/firebase/firestore/local/EncodedPath.java, commit
// 00d46269): segments end in \u0001\u0001, a NUL is \u0001\u0010 and \u0001 itself \u0001\u0011.
import { asNumber, asText, queryAll } from '../../db/query';
import type { SqlDatabase } from '../../db/sqlDatabase';
import type { SchemaInfo } from '../../db/types';
import { errorMessage } from '../../errors';
import { maybeDocumentType, targetType } from './protos';
import { decodeWrite, documentPath, fieldsToJson, timestampMillis, toObjectOptions, type DecodedTimestamp, type DecodedValue, type SdkWrite } from './writes';

/** `posts\u0001\u0001p2\u0001\u0001` -> `posts/p2`; null for text that is not an encoded path. */
export function decodeEncodedPath(encoded: string): string | null {
  if (encoded.length < 2 || !encoded.endsWith('\u0001\u0001')) return null;
  const segments: string[] = [];
  let segment = '';
  for (let at = 0; at < encoded.length; at += 1) {
    const char = encoded[at]!;
    if (char !== '\u0001') {
      segment += char;
      continue;
    }
    const next = encoded[at + 1];
    at += 1;
    if (next === '\u0001') {
      segments.push(segment);
      segment = '';
    } else if (next === '\u0010') segment += '\u0000';
    else if (next === '\u0011') segment += '\u0001';
    else return null;
  }
  return segments.filter((part) => part !== '').join('/');
}

export type CachedDocumentState = 'found' | 'missing' | 'unknown';

export interface CachedDocument {
  /** `found`: the SDK holds its fields; `missing`: known not to exist; `unknown`: exists, contents not read. */
  state: CachedDocumentState;
  path: string;
  /** Null unless found. */
  fields: Record<string, unknown> | null;
  /** The document's version on the server (update time; for missing, when it was seen missing), ISO. */
  version: string | null;
  createTime: string | null;
  /** Written back from an acknowledged write, not read from the server: may differ from the server's copy. */
  hasCommittedMutations: boolean;
}

interface DecodedMaybeDocument {
  document_type?: 'no_document' | 'document' | 'unknown_document';
  no_document?: { name?: string; read_time?: DecodedTimestamp };
  document?: { name?: string; fields?: Record<string, DecodedValue>; create_time?: DecodedTimestamp; update_time?: DecodedTimestamp };
  unknown_document?: { name?: string; version?: DecodedTimestamp };
  has_committed_mutations?: boolean;
}

const iso = (timestamp: DecodedTimestamp | undefined): string | null => {
  const at = timestampMillis(timestamp);
  return at === null ? null : new Date(at).toISOString();
};

/** Throws protobufjs's error for bytes that are not a MaybeDocument. */
export function decodeMaybeDocument(bytes: Uint8Array): CachedDocument {
  const type = maybeDocumentType();
  const decoded = type.toObject(type.decode(bytes), toObjectOptions) as DecodedMaybeDocument;
  const committed = decoded.has_committed_mutations ?? false;
  if (decoded.document_type === 'document') {
    const document = decoded.document ?? {};
    return { state: 'found', path: documentPath(document.name ?? ''), fields: fieldsToJson(document.fields ?? {}), version: iso(document.update_time), createTime: iso(document.create_time), hasCommittedMutations: committed };
  }
  if (decoded.document_type === 'no_document') {
    return { state: 'missing', path: documentPath(decoded.no_document?.name ?? ''), fields: null, version: iso(decoded.no_document?.read_time), createTime: null, hasCommittedMutations: committed };
  }
  if (decoded.document_type === 'unknown_document') {
    return { state: 'unknown', path: documentPath(decoded.unknown_document?.name ?? ''), fields: null, version: iso(decoded.unknown_document?.version), createTime: null, hasCommittedMutations: committed };
  }
  throw new Error('the MaybeDocument holds no document, no_document or unknown_document');
}

export interface CachedTarget {
  targetId: number;
  /** `query`: a collection query; `documents`: a listen on named documents. */
  kind: 'query' | 'documents' | 'none';
  /** The query's parent path ('' for the database root). */
  parent: string | null;
  /** Collection ids the query reads (`posts`, or `posts (all descendants)` for a collection group). */
  collections: string[];
  orderBy: string[];
  limit: number | null;
  /** The named documents' paths, for a documents target. */
  documents: string[];
  /** The last consistent snapshot the SDK received for this target, ISO. */
  snapshotVersion: string | null;
  resumeTokenBytes: number;
  lastListenSequenceNumber: string;
  synced: boolean;
}

interface DecodedQuery {
  from?: { collection_id?: string; all_descendants?: boolean }[];
  order_by?: { field?: { field_path?: string }; direction?: string }[];
  limit?: { value?: number };
}
interface DecodedTarget {
  target_id?: number;
  snapshot_version?: DecodedTimestamp;
  resume_token?: string;
  last_listen_sequence_number?: string;
  target_type?: 'query' | 'documents';
  query?: { parent?: string; structured_query?: DecodedQuery };
  documents?: { documents?: string[] };
  synced?: boolean;
}

/** Throws protobufjs's error for bytes that are not a firestore.client.Target. */
export function decodeTarget(bytes: Uint8Array): CachedTarget {
  const type = targetType();
  const decoded = type.toObject(type.decode(bytes), toObjectOptions) as DecodedTarget;
  const query = decoded.query?.structured_query;
  return {
    targetId: decoded.target_id ?? 0,
    kind: decoded.target_type ?? 'none',
    parent: decoded.query ? documentPath(decoded.query.parent ?? '').replace(/^projects\/.*\/documents$/, '') : null,
    collections: (query?.from ?? []).map((from) => `${from.collection_id ?? ''}${from.all_descendants ? ' (all descendants)' : ''}`),
    orderBy: (query?.order_by ?? []).map((order) => `${order.field?.field_path ?? '?'}${order.direction === 'DESCENDING' ? ' desc' : ''}`),
    limit: query?.limit?.value ?? null,
    documents: (decoded.documents?.documents ?? []).map(documentPath),
    snapshotVersion: iso(decoded.snapshot_version),
    resumeTokenBytes: decoded.resume_token ? Buffer.from(decoded.resume_token, 'base64').byteLength : 0,
    lastListenSequenceNumber: decoded.last_listen_sequence_number ?? '0',
    synced: decoded.synced ?? false,
  };
}

/** Throws protobufjs's error for bytes that are not a google.firestore.v1.Write. */
export function decodeOverlay(bytes: Uint8Array): SdkWrite {
  return decodeWrite(bytes);
}

const cacheTables = ['remote_documents', 'targets', 'document_overlays'];

export interface FirestoreSdkCacheSummary {
  /** Remote documents per collection path (`posts`, `users/u1/notes`), in path order. */
  collections: { collection: string; found: number; missing: number; unknown: number }[];
  documents: number;
  targets: number;
  overlays: number;
  /** Rows whose BLOB or path did not decode, with why (at most a few). */
  undecodable: string[];
}

export function hasFirestoreSdkCacheTables(schema: SchemaInfo): boolean {
  return cacheTables.every((name) => schema.tables.some((table) => table.name === name && table.kind === 'table'));
}

/** Decodes every remote document once for the per-collection counts; targets and overlays are counted. */
export function summarizeFirestoreSdkCache(db: SqlDatabase): FirestoreSdkCacheSummary {
  const counts = new Map<string, { found: number; missing: number; unknown: number }>();
  const undecodable: string[] = [];
  const { rows } = queryAll(db, 'SELECT path, contents FROM main.remote_documents ORDER BY path');
  for (const row of rows) {
    const encoded = asText(row[0] ?? null) ?? '';
    const path = decodeEncodedPath(encoded);
    const blob = row[1] ?? null;
    if (path === null || !(blob instanceof Uint8Array)) {
      undecodable.push(`remote_documents row ${JSON.stringify(encoded)}: ${path === null ? 'not an encoded path' : 'contents is not a BLOB'}`);
      continue;
    }
    let state: CachedDocumentState;
    try {
      state = decodeMaybeDocument(blob).state;
    } catch (error) {
      undecodable.push(`remote_documents ${path}: not a firestore.client.MaybeDocument: ${errorMessage(error)}`);
      continue;
    }
    const collection = path.includes('/') ? path.slice(0, path.lastIndexOf('/')) : '';
    const entry = counts.get(collection) ?? { found: 0, missing: 0, unknown: 0 };
    entry[state] += 1;
    counts.set(collection, entry);
  }
  const count = (table: string): number => asNumber(queryAll(db, `SELECT count(*) FROM main.${table}`).rows[0]?.[0] ?? 0) ?? 0;
  return {
    collections: [...counts].map(([collection, entry]) => ({ collection, ...entry })),
    documents: rows.length,
    targets: count('targets'),
    overlays: count('document_overlays'),
    undecodable: undecodable.slice(0, 5),
  };
}
