// The Firestore SDK cache's tables in the data grid with their values decoded: encoded paths as
// `posts/p2`, protobuf BLOBs (documents, targets, overlays, write batches) as JSON, read times as
// times. The grid still pages, sorts and filters on the stored values; only what it shows changes.
import { toCell } from '../../db/cells';
import type { Page } from '../../db/rows';
import type { CellValue, SqlValue } from '../../db/types';
import { errorMessage } from '../../errors';
import { decodeEncodedPath, decodeMaybeDocument, decodeOverlay, decodeTarget } from './cache';
import { decodeWriteBatch } from './writes';

type CellDecoder = (value: SqlValue) => CellValue | null;

const path: CellDecoder = (value) => {
  if (typeof value !== 'string') return null;
  const decoded = decodeEncodedPath(value);
  return decoded === null ? null : { kind: 'text', value: decoded };
};

const epochSeconds: CellDecoder = (value) => (typeof value === 'number' || typeof value === 'bigint' ? toCell(value, 'epoch-seconds') : null);

/** A BLOB decoded to JSON text; a BLOB that does not decode (or a large one the page only previews) says why. */
function protobuf(decode: (bytes: Uint8Array) => unknown, message: string): CellDecoder {
  return (value) => {
    if (!(value instanceof Uint8Array)) return null;
    try {
      return { kind: 'json', value: JSON.stringify(decode(value)) };
    } catch (error) {
      return { kind: 'text', value: `(not a ${message}: ${errorMessage(error)})` };
    }
  };
}

/** A cached document as its cell shows it: a found one's fields first, what is known of the others. */
function documentCell(bytes: Uint8Array): unknown {
  const document = decodeMaybeDocument(bytes);
  const { state, path: name, fields, version, createTime, hasCommittedMutations } = document;
  return state === 'found' ? { fields, version, createTime, hasCommittedMutations, state, path: name } : { state, version, hasCommittedMutations, path: name };
}

const decoders: Readonly<Partial<Record<string, Readonly<Partial<Record<string, CellDecoder>>>>>> = {
  remote_documents: { path, contents: protobuf(documentCell, 'firestore.client.MaybeDocument'), read_time_seconds: epochSeconds },
  targets: { target_proto: protobuf(decodeTarget, 'firestore.client.Target'), snapshot_version_seconds: epochSeconds },
  document_overlays: { collection_path: path, overlay_mutation: protobuf(decodeOverlay, 'google.firestore.v1.Write') },
  mutations: { mutations: protobuf(decodeWriteBatch, 'firestore.client.WriteBatch') },
  document_mutations: { path },
  target_documents: { path },
};

/** Tables of the SDK cache whose cells the grid shows decoded. */
export function hasDecodedCells(table: string): boolean {
  return table in decoders;
}

/** The page with its SDK-encoded cells decoded; other tables' pages unchanged. */
export function decodeFirestoreSdkPage(table: string, page: Page): Page {
  const byColumn = decoders[table];
  if (!byColumn) return page;
  const columns = page.columns.map((name) => byColumn[name] ?? null);
  if (columns.every((decoder) => decoder === null)) return page;
  const rows = page.rows.map((cells, rowIndex) =>
    cells.map((cell, index) => {
      const decoder = columns[index];
      const raw = page.values[rowIndex]?.[index];
      return decoder && raw !== undefined ? (decoder(raw) ?? cell) : cell;
    }),
  );
  return { ...page, rows };
}
