// Rollback-journal playback. A `-journal` beside a database in rollback mode with a live header
// means a transaction was in flight (the app is mid-write, or crashed): the database file may
// already hold some of its uncommitted pages. SQLite's first reader rolls those back from the
// journal's copies of the original pages (src/pager.c, pager_playback); SyncLens does the same on
// the pages it serves (the snapshot VFS reads the journal's copies in place of the file's), so it
// shows the last committed state, and never touches the files.
import { sidecarFailure } from './errors';

const journalMagic = [0xd9, 0xd5, 0x05, 0xf9, 0x20, 0xa1, 0x63, 0xd7];
const journalHeaderFields = 28;
/** The page holding the lock bytes at 1 GiB: never stored in a journal. */
const pendingByteOffset = 0x40000000;

export interface JournalRollback {
  /** True when the journal had a live header, i.e. a transaction was in flight. */
  hot: boolean;
  pagesRestored: number;
  /** Database size in pages when the transaction began, or null when not hot. */
  originalPages: number | null;
  /** Why playback ended before the end of the journal, or null. */
  stoppedBecause: string | null;
}

function hasMagicAt(journal: Uint8Array, offset: number): boolean {
  if (offset + journalMagic.length > journal.byteLength) return false;
  return journalMagic.every((byte, index) => journal[offset + index] === byte);
}

/** True when the bytes start with a live journal header (SQLite zeroes or deletes it when a transaction ends). */
export function isHotJournalHeader(journalStart: Uint8Array): boolean {
  return hasMagicAt(journalStart, 0);
}

function isPowerOfTwoBetween(value: number, min: number, max: number): boolean {
  return value >= min && value <= max && (value & (value - 1)) === 0;
}

/** SQLite's pager_cksum: the header's nonce plus every 200th byte of the page, counted from its end. */
export function journalPageChecksum(page: Uint8Array, nonce: number): number {
  let checksum = nonce;
  for (let index = page.byteLength - 200; index > 0; index -= 200) checksum = (checksum + (page[index] ?? 0)) >>> 0;
  return checksum;
}

export interface JournalIndex {
  report: JournalRollback;
  /** Offset in the journal of each original page to serve in place of the database file's. */
  originalPageOffset: Map<number, number>;
}

/**
 * Indexes the original pages of a hot journal of `size` bytes, read through `read`: the page
 * records are checked (checksums, page numbers) as SQLite's playback does, and only offsets are
 * kept, so a header's claims never allocate anything. Not hot: an empty index. `file` names the
 * -journal in errors: anything that goes wrong while indexing, other than an error of the file
 * system, is the journal's bytes at fault and becomes a 'corrupt' DatabaseFileError saying where.
 */
export function indexHotJournal(read: (offset: number, length: number) => Uint8Array, size: number, databasePageSize: number, file: string): JournalIndex {
  const progress = { at: 'its header' };
  try {
    return indexRecords(read, size, databasePageSize, progress);
  } catch (error) {
    throw sidecarFailure(error, file, progress.at, 'Copy the database together with its -journal again, after the app has finished writing.');
  }
}

function indexRecords(read: (offset: number, length: number) => Uint8Array, size: number, databasePageSize: number, progress: { at: string }): JournalIndex {
  const notHot: JournalIndex = { report: { hot: false, pagesRestored: 0, originalPages: null, stoppedBecause: null }, originalPageOffset: new Map() };
  const first = read(0, journalHeaderFields);
  if (first.byteLength < journalHeaderFields || !hasMagicAt(first, 0)) return notHot;
  const firstView = new DataView(first.buffer, first.byteOffset, first.byteLength);
  const sectorSize = firstView.getUint32(20);
  const pageSize = firstView.getUint32(24) || databasePageSize;
  if (!isPowerOfTwoBetween(sectorSize, 32, 65536) || !isPowerOfTwoBetween(pageSize, 512, 65536)) {
    // The writer crashed before the header was synced: SQLite treats this as nothing to roll back.
    return {
      report: { hot: true, pagesRestored: 0, originalPages: null, stoppedBecause: 'the journal header names an impossible sector or page size' },
      originalPageOffset: new Map(),
    };
  }
  if (pageSize !== databasePageSize) {
    return {
      report: { hot: true, pagesRestored: 0, originalPages: null, stoppedBecause: `the journal's page size (${pageSize}) differs from the database's (${databasePageSize})` },
      originalPageOffset: new Map(),
    };
  }
  const recordBytes = 4 + pageSize + 4;
  const pendingBytePage = Math.floor(pendingByteOffset / pageSize) + 1;

  const originalPageOffset = new Map<number, number>();
  let originalPages: number | null = null;
  let pagesRestored = 0;
  let stoppedBecause: string | null = null;
  let offset = 0;
  playback: for (;;) {
    const headerOffset = Math.ceil(offset / sectorSize) * sectorSize;
    if (headerOffset + sectorSize > size) break;
    progress.at = `the segment header at byte ${headerOffset}`;
    const header = read(headerOffset, journalHeaderFields);
    if (!hasMagicAt(header, 0) || header.byteLength < journalHeaderFields) break;
    const view = new DataView(header.buffer, header.byteOffset, header.byteLength);
    let records = view.getUint32(8);
    const nonce = view.getUint32(12);
    const pagesAtStart = view.getUint32(16);
    offset = headerOffset + sectorSize;
    if (records === 0xffffffff) records = Math.floor((size - offset) / recordBytes);
    originalPages ??= pagesAtStart;
    for (let record = 0; record < records; record += 1) {
      if (offset + recordBytes > size) {
        stoppedBecause = 'the journal ends in a partly written page record';
        break playback;
      }
      progress.at = `page record ${pagesRestored + 1}`;
      const bytes = read(offset, recordBytes);
      if (bytes.byteLength < recordBytes) {
        // The size came from an fstat before the reads: the app truncated the journal meanwhile.
        stoppedBecause = 'the journal got shorter while it was read';
        break playback;
      }
      const recordView = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const pageNumber = recordView.getUint32(0);
      const stored = recordView.getUint32(4 + pageSize);
      if (pageNumber === 0 || pageNumber === pendingBytePage) {
        stoppedBecause = `a page record names page ${pageNumber}`;
        break playback;
      }
      if (journalPageChecksum(bytes.subarray(4, 4 + pageSize), nonce) !== stored) {
        stoppedBecause = `page record ${pagesRestored + 1} fails its checksum (not yet synced when the writer stopped)`;
        break playback;
      }
      // The first copy of a page is its original: later records of the same page are ignored, as in SQLite.
      if (!originalPageOffset.has(pageNumber)) originalPageOffset.set(pageNumber, offset + 4);
      offset += recordBytes;
      pagesRestored += 1;
    }
  }
  return { report: { hot: true, pagesRestored, originalPages, stoppedBecause }, originalPageOffset };
}
