// Tells what a file that is not a readable SQLite database actually is, from its bytes alone, so
// the user gets one message that names the problem and what to do instead of "file is not a database".
import { basename } from 'node:path';
import { DatabaseFileError } from './errors';

const sqliteHeaderMagic = 'SQLite format 3\u0000';
const sqliteHeaderBytes = 100;

/** libmdbx's 56-bit MDBX_MAGIC; a meta page stores it shifted left by 8 with the format version below. */
const mdbxMagic = 0x59659dbdef4c11n;
const mdbxPageHeaderBytes = 20;
const mdbxMetaPageFlag = 0x08;
const mdbxMetaPages = 3;

export interface SqliteHeader {
  pageSize: number;
  /** Pages according to the header, or null when the header's count is not valid (pre-3.7.0 writers). */
  pageCount: number | null;
  writeVersion: number;
  readVersion: number;
}

export function hasSqliteMagic(bytes: Uint8Array): boolean {
  if (bytes.byteLength < sqliteHeaderMagic.length) return false;
  for (let index = 0; index < sqliteHeaderMagic.length; index += 1) {
    if (bytes[index] !== sqliteHeaderMagic.charCodeAt(index)) return false;
  }
  return true;
}

/** The fields SyncLens needs from a 100-byte SQLite header, or null when it is too short. */
export function readSqliteHeader(bytes: Uint8Array): SqliteHeader | null {
  if (bytes.byteLength < sqliteHeaderBytes) return null;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const rawPageSize = view.getUint16(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const changeCounter = view.getUint32(24);
  const headerPages = view.getUint32(28);
  const versionValidFor = view.getUint32(92);
  return {
    pageSize,
    pageCount: headerPages !== 0 && changeCounter === versionValidFor ? headerPages : null,
    writeVersion: bytes[18] ?? 1,
    readVersion: bytes[19] ?? 1,
  };
}

function isValidPageSize(size: number): boolean {
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0;
}

/** 512 bytes, 4.0 KB, 157.3 MB: sizes in messages. */
export function sizeText(bytes: number): string {
  if (bytes < 1024) return `${bytes} bytes`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(1)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Throws the DatabaseFileError that describes a file of `fileSize` bytes starting with `bytes` (its
 * first 256 KiB or so), or returns the SQLite header when they look
 * like a SQLite database worth handing to SQLite. `hasWalContent` lets a WAL-only database (an empty
 * main file whose pages all live in the -wal) through.
 */
export function classifyDatabasePrefix(bytes: Uint8Array, fileSize: number, file: string, options: { hasWalContent?: boolean } = {}): SqliteHeader | null {
  const name = basename(file);
  if (fileSize === 0) {
    if (options.hasWalContent) return null;
    throw new DatabaseFileError(
      'empty',
      file,
      `${name} is empty (0 bytes): the app has not created its database yet, or the copy off the device failed. Copy the file again after the app has run.`,
    );
  }
  if (hasSqliteMagic(bytes)) return classifySqlite(bytes, fileSize, file, name);
  const damaged = findDamagedSqliteHeader(bytes, fileSize);
  if (damaged) {
    throw new DatabaseFileError(
      'corrupt',
      file,
      `${name} is a damaged SQLite database: its first 16 bytes, where SQLite writes "SQLite format 3", are overwritten (they read ${hexPrefix(bytes, 16)}), ` +
        `but page 1 still has SQLite's structure (page size ${damaged.pageSize} at byte 16, a table b-tree page after the 100-byte header, ${damaged.pages} pages). ` +
        `Restore it from a backup, or repair a copy: write the 16 bytes back (printf 'SQLite format 3\\000' | dd of=copy.db bs=16 count=1 conv=notrunc) and open the copy, ` +
        'or salvage what it holds with sqlite3 copy.db .recover.',
    );
  }

  const mdbx = findMdbxMeta(bytes);
  if (mdbx) {
    throw new DatabaseFileError(
      'mdbx',
      file,
      `${name} is an Isar database in its native MDBX format (libmdbx meta page found, page size ${mdbx.pageSize}), not SQLite. ` +
        'Export the collections from Isar Inspector, or switch the app to Isar\'s SQLite engine (Isar 4: engine: IsarEngine.sqlite) and open that file.',
    );
  }
  const text = describeText(bytes);
  if (text) {
    throw new DatabaseFileError('not-sqlite', file, `${name} is not a SQLite database: it looks like ${text}. Open the app's database file instead (usually *.db, *.sqlite or *.sqlite3).`);
  }
  if (/\.isar$/i.test(name)) {
    throw new DatabaseFileError(
      'mdbx',
      file,
      `${name} is named like an Isar database (.isar) and has no SQLite header: Isar's native files are MDBX, not SQLite. ` +
        'Export the collections from Isar Inspector, or use Isar\'s SQLite engine.',
    );
  }
  const archive = describeArchive(bytes);
  if (archive) {
    throw new DatabaseFileError('not-sqlite', file, `${name} is not a SQLite database: it is ${archive}. Extract the database file from it first.`);
  }
  if (looksEncrypted(bytes, fileSize)) {
    throw new DatabaseFileError(
      'encrypted',
      file,
      `${name} looks encrypted (likely SQLCipher): no SQLite header, a page-aligned size (${sizeText(fileSize)}) and random-looking content. ` +
        `SyncLens opens it with its key: ${howToGiveTheKey}`,
    );
  }
  throw new DatabaseFileError(
    'not-sqlite',
    file,
    `${name} is not a SQLite database: it is an unknown binary file (${sizeText(fileSize)}, starts with ${hexPrefix(bytes, 8)}).`,
  );
}

function classifySqlite(bytes: Uint8Array, fileSize: number, file: string, name: string): SqliteHeader {
  const header = readSqliteHeader(bytes);
  if (!header) {
    throw new DatabaseFileError(
      'truncated',
      file,
      `${name} is truncated: it starts like a SQLite database but is only ${fileSize} bytes, shorter than the 100-byte header. Copy the file again.`,
    );
  }
  if (!isValidPageSize(header.pageSize)) {
    throw new DatabaseFileError('corrupt', file, `${name} is corrupt: its SQLite header names an impossible page size (${header.pageSize}). Restore it from a backup or copy it again.`);
  }
  const expectedBytes = header.pageCount === null ? null : header.pageCount * header.pageSize;
  if (fileSize < header.pageSize || (expectedBytes !== null && fileSize < expectedBytes)) {
    const expected = expectedBytes ?? header.pageSize;
    throw new DatabaseFileError(
      'truncated',
      file,
      `${name} is truncated: its header says ${sizeText(expected)} (${header.pageCount ?? 1} pages of ${header.pageSize} bytes) but the file has ${sizeText(fileSize)}. ` +
        'The copy was cut short: copy it again (with its -wal file), ideally after the app has closed the database.',
    );
  }
  if (looksLikePlaintextHeaderCipher(bytes, header.pageSize)) {
    throw new DatabaseFileError(
      'encrypted',
      file,
      `${name} looks encrypted (SQLCipher with a plaintext header): the SQLite header is readable but its pages are random-looking. SyncLens cannot read it without the key.`,
    );
  }
  return header;
}

/** Bytes 21-23 of every SQLite header: the b-tree payload fractions, fixed at 64, 32 and 32 since 3.0. */
const payloadFractions = [64, 32, 32];
const tableBtreePageTypes = new Set([0x05, 0x0d]);

/**
 * Page 1 of a SQLite database whose first 16 bytes (the header string) were overwritten: the rest of
 * the header still says SQLite (a valid page size at byte 16, file-format versions 1 or 2, the fixed
 * payload fractions at bytes 21-23), a table b-tree page (sqlite_schema's root) starts right after the
 * 100-byte header, and the file holds whole pages or as many as the header counts. Null otherwise;
 * text never matches (two printable bytes make no valid page size).
 */
export function findDamagedSqliteHeader(bytes: Uint8Array, fileSize: number): { pageSize: number; pages: number } | null {
  if (bytes.byteLength < sqliteHeaderBytes + 8) return null;
  const header = readSqliteHeader(bytes);
  if (!header || !isValidPageSize(header.pageSize) || fileSize < header.pageSize) return null;
  if (![1, 2].includes(header.writeVersion) || ![1, 2].includes(header.readVersion)) return null;
  if (payloadFractions.some((fraction, index) => bytes[21 + index] !== fraction)) return null;
  if (!tableBtreePageTypes.has(bytes[sqliteHeaderBytes] ?? 0)) return null;
  const wholePages = Math.floor(fileSize / header.pageSize);
  const headerPages = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(28);
  const plausibleCount = headerPages >= 1 && headerPages <= wholePages;
  if (fileSize % header.pageSize !== 0 && !plausibleCount) return null;
  return { pageSize: header.pageSize, pages: plausibleCount ? headerPages : wholePages };
}

const howToGiveTheKey =
  'in VS Code choose "Enter key…" on it; in the terminal put the key in SYNCLENS_DB_KEY (or the variable --key-env NAME names) and pick the cipher with --cipher auto|sqlcipher4|sqlcipher3|chacha20.';

/** SQLCipher can keep the first 32 bytes in clear (iOS): then page 1's b-tree header is noise. */
function looksLikePlaintextHeaderCipher(bytes: Uint8Array, pageSize: number): boolean {
  const pageType = bytes[sqliteHeaderBytes];
  const isBtreePage = pageType === 0x02 || pageType === 0x05 || pageType === 0x0a || pageType === 0x0d;
  if (isBtreePage) return false;
  return shannonEntropy(bytes.subarray(sqliteHeaderBytes, pageSize)) > 7.0;
}

/** Looks for a libmdbx meta page (page header flag P_META, then MDBX_MAGIC << 8 | version) in pages 0..2. */
export function findMdbxMeta(bytes: Uint8Array): { pageSize: number } | null {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const metaAt = (offset: number): { pageSize: number } | null => {
    if (offset + mdbxPageHeaderBytes + 48 > bytes.byteLength) return null;
    const flags = view.getUint16(offset + 10, true);
    const magicAndVersion = view.getBigUint64(offset + mdbxPageHeaderBytes, true);
    if ((flags & mdbxMetaPageFlag) === 0 || magicAndVersion >> 8n !== mdbxMagic) return null;
    // The page size lives in the GC tree's dupfix_size slot of the meta (meta offset 44).
    return { pageSize: view.getUint32(offset + mdbxPageHeaderBytes + 44, true) };
  };
  const first = metaAt(0);
  if (first) return first;
  // Page 0 may be damaged: the other meta pages sit at multiples of the page size.
  for (let pageSize = 4096; pageSize <= 65536; pageSize *= 2) {
    for (let page = 1; page < mdbxMetaPages; page += 1) {
      const meta = metaAt(page * pageSize);
      if (meta) return meta;
    }
  }
  return null;
}

/** 'JSON', 'CSV text', ... when the first bytes are UTF-8 text, else null. */
function describeText(bytes: Uint8Array): string | null {
  const sample = bytes.subarray(0, 8192);
  let controlBytes = 0;
  for (const byte of sample) {
    if (byte === 0) return null;
    if (byte < 0x20 && byte !== 0x09 && byte !== 0x0a && byte !== 0x0d && byte !== 0x0c) controlBytes += 1;
  }
  if (controlBytes > sample.byteLength / 100) return null;
  let text: string;
  try {
    // A multi-byte character cut at the sample's end is still text.
    text = new TextDecoder('utf-8', { fatal: true }).decode(trimPartialUtf8(sample));
  } catch {
    return null;
  }
  const trimmed = text.replace(/^\uFEFF/, '').trimStart();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) return 'JSON';
  if (/^(CREATE|INSERT|PRAGMA|BEGIN|--)/i.test(trimmed)) return 'SQL text (a dump: run it with sqlite3 to build a database)';
  if (/^<(\?xml|!doctype|html)/i.test(trimmed)) return 'XML/HTML text';
  const lines = trimmed.split(/\r?\n/).filter((line) => line.length > 0).slice(0, 5);
  if (lines.length >= 2) {
    const commas = lines.map((line) => line.split(',').length - 1);
    if (commas[0] !== undefined && commas[0] > 0 && commas.every((count) => count === commas[0])) return 'CSV text';
  }
  return 'plain text';
}

function trimPartialUtf8(sample: Uint8Array): Uint8Array {
  let end = sample.byteLength;
  let back = 0;
  while (end - back - 1 >= 0 && back < 3 && ((sample[end - back - 1] ?? 0) & 0xc0) === 0x80) back += 1;
  const lead = sample[end - back - 1] ?? 0;
  if (lead >= 0xc0) end = end - back - 1;
  return sample.subarray(0, end);
}

function describeArchive(bytes: Uint8Array): string | null {
  if (bytes[0] === 0x50 && bytes[1] === 0x4b && bytes[2] === 0x03 && bytes[3] === 0x04) return 'a ZIP archive';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'a gzip archive';
  return null;
}

/** SQLCipher: every page encrypted, so no header, a whole number of pages, and near-random bytes. */
function looksEncrypted(bytes: Uint8Array, fileSize: number): boolean {
  if (fileSize < 512 || fileSize % 512 !== 0) return false;
  return shannonEntropy(bytes.subarray(0, 65536)) > 7.5;
}

/** Bits per byte (8 = indistinguishable from random). */
export function shannonEntropy(bytes: Uint8Array): number {
  if (bytes.byteLength === 0) return 0;
  const counts = new Array<number>(256).fill(0);
  for (const byte of bytes) counts[byte] = (counts[byte] ?? 0) + 1;
  let entropy = 0;
  for (const count of counts) {
    if (count === 0) continue;
    const p = count / bytes.byteLength;
    entropy -= p * Math.log2(p);
  }
  return entropy;
}

function hexPrefix(bytes: Uint8Array, length: number): string {
  return Array.from(bytes.subarray(0, length), (byte) => byte.toString(16).padStart(2, '0')).join(' ');
}
