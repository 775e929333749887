// SQLite write-ahead log reader. sql.js runs SQLite on an in-memory file and cannot open a WAL,
// so SyncLens replays the WAL's committed frames onto the image itself, exactly as SQLite's own
// recovery does (src/wal.c, walIndexRecover): frames are valid while their salts match the header
// and the running checksum chain holds; only frames up to the last valid commit frame count.

const walHeaderBytes = 32;
const frameHeaderBytes = 24;
const walMagicLittleEndianChecksums = 0x377f0682;
const walMagicBigEndianChecksums = 0x377f0683;
const walFormatVersion = 3007000;

/** Where the database header keeps the file-format write and read versions (2 = WAL mode). */
const headerWriteVersionOffset = 18;
const headerReadVersionOffset = 19;

export interface WalHeader {
  /** True when the checksums are computed over big-endian words (magic 0x377f0683). */
  bigEndianChecksums: boolean;
  version: number;
  pageSize: number;
  checkpointSequence: number;
  salt1: number;
  salt2: number;
}

/** What replaying a WAL did, for the UI and the CLI. */
export interface WalReplay {
  header: WalHeader | null;
  /** Frames belonging to committed transactions, all written into the image. */
  framesApplied: number;
  transactionsApplied: number;
  /** Complete frames in the file after the last applied one (an uncommitted or invalid tail). */
  framesIgnored: number;
  /** Database size in pages after the last applied commit, or null when nothing was applied. */
  databasePages: number | null;
  /** Why reading stopped before the end of the file, or null when every frame was used. */
  stoppedBecause: string | null;
}

export interface WalApplied {
  image: Uint8Array;
  report: WalReplay;
}

function isValidPageSize(size: number): boolean {
  return size >= 512 && size <= 65536 && (size & (size - 1)) === 0;
}

/**
 * SQLite's walChecksumBytes: Fibonacci-weighted sums over pairs of 32-bit words, continued from
 * the previous checksum. The words are read in the byte order the WAL's magic number selects.
 */
export function walChecksum(
  bytes: Uint8Array,
  start: number,
  length: number,
  bigEndian: boolean,
  previous: readonly [number, number],
): [number, number] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const littleEndian = !bigEndian;
  let s1 = previous[0];
  let s2 = previous[1];
  for (let offset = start; offset < start + length; offset += 8) {
    s1 = (s1 + view.getUint32(offset, littleEndian) + s2) >>> 0;
    s2 = (s2 + view.getUint32(offset + 4, littleEndian) + s1) >>> 0;
  }
  return [s1, s2];
}

export function parseWalHeader(wal: Uint8Array): { header: WalHeader; checksum: [number, number] } | { problem: string } {
  if (wal.byteLength < walHeaderBytes) return { problem: `the WAL is ${wal.byteLength} bytes, shorter than its 32-byte header` };
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const magic = view.getUint32(0);
  if (magic !== walMagicLittleEndianChecksums && magic !== walMagicBigEndianChecksums) {
    return { problem: `the WAL header has no WAL magic number (found 0x${magic.toString(16).padStart(8, '0')})` };
  }
  const header: WalHeader = {
    bigEndianChecksums: magic === walMagicBigEndianChecksums,
    version: view.getUint32(4),
    pageSize: view.getUint32(8),
    checkpointSequence: view.getUint32(12),
    salt1: view.getUint32(16),
    salt2: view.getUint32(20),
  };
  if (header.version !== walFormatVersion) return { problem: `unsupported WAL format version ${header.version}` };
  if (!isValidPageSize(header.pageSize)) return { problem: `the WAL header names an impossible page size ${header.pageSize}` };
  const checksum = walChecksum(wal, 0, 24, header.bigEndianChecksums, [0, 0]);
  if (checksum[0] !== view.getUint32(24) || checksum[1] !== view.getUint32(28)) {
    return { problem: 'the WAL header checksum does not match (a stale or damaged WAL)' };
  }
  return { header, checksum };
}

interface CommittedFrames extends WalReplay {
  /** Byte offset of each committed frame's page data, by page number (the last one wins). */
  latestPageOffset: Map<number, number>;
}

function scanCommittedFrames(wal: Uint8Array): CommittedFrames {
  const parsed = parseWalHeader(wal);
  const empty = { latestPageOffset: new Map<number, number>(), framesApplied: 0, transactionsApplied: 0, databasePages: null };
  if ('problem' in parsed) {
    return { ...empty, header: null, framesIgnored: 0, stoppedBecause: wal.byteLength === 0 ? null : parsed.problem };
  }
  const { header } = parsed;
  const view = new DataView(wal.buffer, wal.byteOffset, wal.byteLength);
  const frameBytes = frameHeaderBytes + header.pageSize;
  const completeFrames = Math.floor((wal.byteLength - walHeaderBytes) / frameBytes);

  const pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let checksum = parsed.checksum;
  let framesApplied = 0;
  let transactionsApplied = 0;
  let databasePages: number | null = null;
  let stoppedBecause: string | null = null;
  let frame = 0;
  for (; frame < completeFrames; frame += 1) {
    const offset = walHeaderBytes + frame * frameBytes;
    const pageNumber = view.getUint32(offset);
    const pagesAfterCommit = view.getUint32(offset + 4);
    if (view.getUint32(offset + 8) !== header.salt1 || view.getUint32(offset + 12) !== header.salt2) {
      stoppedBecause = `frame ${frame + 1} has salts that do not match the WAL header (left over from before a checkpoint)`;
      break;
    }
    if (pageNumber === 0) {
      stoppedBecause = `frame ${frame + 1} names page 0`;
      break;
    }
    checksum = walChecksum(wal, offset, 8, header.bigEndianChecksums, checksum);
    checksum = walChecksum(wal, offset + frameHeaderBytes, header.pageSize, header.bigEndianChecksums, checksum);
    if (checksum[0] !== view.getUint32(offset + 16) || checksum[1] !== view.getUint32(offset + 20)) {
      stoppedBecause = `frame ${frame + 1} fails its checksum`;
      break;
    }
    pending.set(pageNumber, offset + frameHeaderBytes);
    if (pagesAfterCommit !== 0) {
      for (const [page, dataOffset] of pending) committed.set(page, dataOffset);
      pending.clear();
      framesApplied = frame + 1;
      transactionsApplied += 1;
      databasePages = pagesAfterCommit;
    }
  }
  if (stoppedBecause === null && framesApplied < completeFrames) {
    stoppedBecause = `the last ${completeFrames - framesApplied} frame(s) belong to a transaction that never committed`;
  }
  if (stoppedBecause === null && (wal.byteLength - walHeaderBytes) % frameBytes !== 0) {
    stoppedBecause = 'the WAL ends in a partly written frame';
  }
  return {
    header,
    latestPageOffset: committed,
    framesApplied,
    transactionsApplied,
    framesIgnored: completeFrames - framesApplied,
    databasePages,
    stoppedBecause,
  };
}

/**
 * Returns a new image: `database` with every committed WAL transaction applied and its header
 * switched out of WAL mode. Neither input is modified. An invalid or partial WAL is not an error:
 * what is valid is applied and the rest is reported.
 */
export function applyWal(database: Uint8Array, wal: Uint8Array): WalApplied {
  const scan = scanCommittedFrames(wal);
  const databasePageSize = pageSizeOf(database);
  if (scan.header !== null && databasePageSize !== null && databasePageSize !== scan.header.pageSize) {
    const report: WalReplay = {
      header: scan.header,
      framesApplied: 0,
      transactionsApplied: 0,
      framesIgnored: scan.framesApplied + scan.framesIgnored,
      databasePages: null,
      stoppedBecause: `the WAL's page size (${scan.header.pageSize}) differs from the database's (${databasePageSize}): it belongs to another database`,
    };
    return { report, image: withRollbackJournalHeader(database) };
  }
  const report: WalReplay = {
    header: scan.header,
    framesApplied: scan.framesApplied,
    transactionsApplied: scan.transactionsApplied,
    framesIgnored: scan.framesIgnored,
    databasePages: scan.databasePages,
    stoppedBecause: scan.stoppedBecause,
  };
  if (scan.header === null || scan.databasePages === null) {
    return { report, image: withRollbackJournalHeader(database) };
  }
  const pageSize = scan.header.pageSize;
  const image = new Uint8Array(scan.databasePages * pageSize);
  image.set(database.subarray(0, Math.min(database.byteLength, image.byteLength)));
  for (const [pageNumber, dataOffset] of scan.latestPageOffset) {
    if (pageNumber > scan.databasePages) continue;
    image.set(wal.subarray(dataOffset, dataOffset + pageSize), (pageNumber - 1) * pageSize);
  }
  markRollbackJournalMode(image);
  return { report, image };
}

/** A copy of the image whose header no longer asks for WAL mode (sql.js cannot open a WAL). */
export function withRollbackJournalHeader(database: Uint8Array): Uint8Array {
  if (!isInWalMode(database)) return database;
  const copy = database.slice();
  markRollbackJournalMode(copy);
  return copy;
}

function pageSizeOf(database: Uint8Array): number | null {
  if (database.byteLength < 100) return null;
  const raw = ((database[16] ?? 0) << 8) | (database[17] ?? 0);
  return raw === 1 ? 65536 : raw;
}

export function isInWalMode(database: Uint8Array): boolean {
  return database.byteLength >= 100 && (database[headerWriteVersionOffset] === 2 || database[headerReadVersionOffset] === 2);
}

function markRollbackJournalMode(image: Uint8Array): void {
  if (image.byteLength < 100) return;
  if (image[headerWriteVersionOffset] === 2) image[headerWriteVersionOffset] = 1;
  if (image[headerReadVersionOffset] === 2) image[headerReadVersionOffset] = 1;
}

/** Puts the header's file-format versions back to what the original file had (WAL mode stays WAL mode). */
export function restoreJournalModeHeader(image: Uint8Array, original: { writeVersion: number; readVersion: number }): void {
  if (image.byteLength < 100) return;
  image[headerWriteVersionOffset] = original.writeVersion;
  image[headerReadVersionOffset] = original.readVersion;
}
