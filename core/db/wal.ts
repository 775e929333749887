// SQLite write-ahead log reader. SyncLens never lets SQLite open a -wal (that would need a -shm and
// locks); it indexes the WAL's committed frames itself, exactly as SQLite's own recovery does
// (src/wal.c, walIndexRecover): frames are valid while their salts match the header and the running
// checksum chain holds; only frames up to the last valid commit frame count. The snapshot VFS then
// serves those pages from the -wal in place of the database file's.

import { sidecarFailure } from './errors';

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

/** Reads up to `length` bytes at `offset` of a file (fewer at its end). */
export type ByteReader = (offset: number, length: number) => Uint8Array;

export interface WalIndex extends WalReplay {
  /** Byte offset in the WAL of each committed frame's page data, by page number (the last one wins). */
  latestPageOffset: Map<number, number>;
}

/** Frames are read this many bytes at a time, so a WAL of any size is indexed in bounded memory. */
const scanChunkBytes = 4 * 1024 * 1024;

/**
 * Indexes the committed frames of a WAL of `size` bytes, reading it through `read` chunk by chunk:
 * the index holds offsets, never pages, so memory grows with the frames present, not their claims.
 * `file` names the -wal in errors: anything that goes wrong while indexing, other than an error of
 * the file system, is the WAL's bytes at fault and becomes a 'corrupt' DatabaseFileError saying
 * which frame, never an unexplained exception.
 */
export function indexWal(read: ByteReader, size: number, file: string): WalIndex {
  const progress = { at: 'its header' };
  try {
    return indexFrames(read, size, progress);
  } catch (error) {
    throw sidecarFailure(error, file, progress.at, 'Copy the database together with its -wal again; without the -wal it reads as of its last checkpoint.');
  }
}

function indexFrames(read: ByteReader, size: number, progress: { at: string }): WalIndex {
  const headerBytes = read(0, walHeaderBytes);
  const parsed = parseWalHeader(headerBytes);
  const empty = { latestPageOffset: new Map<number, number>(), framesApplied: 0, transactionsApplied: 0, databasePages: null };
  if ('problem' in parsed) {
    return { ...empty, header: null, framesIgnored: 0, stoppedBecause: size === 0 ? null : parsed.problem };
  }
  const { header } = parsed;
  const frameBytes = frameHeaderBytes + header.pageSize;
  const completeFrames = Math.floor((size - walHeaderBytes) / frameBytes);
  const framesPerChunk = Math.max(1, Math.floor(scanChunkBytes / frameBytes));

  const pending = new Map<number, number>();
  const committed = new Map<number, number>();
  let checksum = parsed.checksum;
  let framesApplied = 0;
  let transactionsApplied = 0;
  let databasePages: number | null = null;
  let stoppedBecause: string | null = null;
  scan: for (let chunkStart = 0; chunkStart < completeFrames; chunkStart += framesPerChunk) {
    const chunkFrames = Math.min(framesPerChunk, completeFrames - chunkStart);
    const chunkOffset = walHeaderBytes + chunkStart * frameBytes;
    progress.at = `frames ${chunkStart + 1}-${chunkStart + chunkFrames}`;
    const chunk = read(chunkOffset, chunkFrames * frameBytes);
    if (chunk.byteLength < chunkFrames * frameBytes) {
      stoppedBecause = 'the WAL got shorter while it was read';
      break;
    }
    const view = new DataView(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    for (let index = 0; index < chunkFrames; index += 1) {
      const frame = chunkStart + index;
      const offset = index * frameBytes;
      progress.at = `frame ${frame + 1}`;
      const pageNumber = view.getUint32(offset);
      const pagesAfterCommit = view.getUint32(offset + 4);
      if (view.getUint32(offset + 8) !== header.salt1 || view.getUint32(offset + 12) !== header.salt2) {
        stoppedBecause = `frame ${frame + 1} has salts that do not match the WAL header (left over from before a checkpoint)`;
        break scan;
      }
      if (pageNumber === 0) {
        stoppedBecause = `frame ${frame + 1} names page 0`;
        break scan;
      }
      checksum = walChecksum(chunk, offset, 8, header.bigEndianChecksums, checksum);
      checksum = walChecksum(chunk, offset + frameHeaderBytes, header.pageSize, header.bigEndianChecksums, checksum);
      if (checksum[0] !== view.getUint32(offset + 16) || checksum[1] !== view.getUint32(offset + 20)) {
        stoppedBecause = `frame ${frame + 1} fails its checksum`;
        break scan;
      }
      pending.set(pageNumber, chunkOffset + offset + frameHeaderBytes);
      if (pagesAfterCommit !== 0) {
        for (const [page, dataOffset] of pending) committed.set(page, dataOffset);
        pending.clear();
        framesApplied = frame + 1;
        transactionsApplied += 1;
        databasePages = pagesAfterCommit;
      }
    }
  }
  if (stoppedBecause === null && framesApplied < completeFrames) {
    stoppedBecause = `the last ${completeFrames - framesApplied} frame(s) belong to a transaction that never committed`;
  }
  if (stoppedBecause === null && (size - walHeaderBytes) % frameBytes !== 0) {
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

/** What the report says when a WAL's page size shows it belongs to another database: nothing applies. */
export function foreignWalReport(index: WalIndex, databasePageSize: number): WalReplay {
  return {
    header: index.header,
    framesApplied: 0,
    transactionsApplied: 0,
    framesIgnored: index.framesApplied + index.framesIgnored,
    databasePages: null,
    stoppedBecause: `the WAL's page size (${index.header?.pageSize}) differs from the database's (${databasePageSize}): it belongs to another database`,
  };
}

export function isInWalMode(database: Uint8Array): boolean {
  return database.byteLength >= 100 && (database[headerWriteVersionOffset] === 2 || database[headerReadVersionOffset] === 2);
}

/** Shows SQLite a rollback-journal database, so it never looks for a -wal or -shm of its own. */
export function markRollbackJournalMode(image: Uint8Array): void {
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
