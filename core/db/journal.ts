// Rollback-journal playback. A `-journal` beside a database in rollback mode with a live header
// means a transaction was in flight (the app is mid-write, or crashed): the database file may
// already hold some of its uncommitted pages. SQLite's first reader rolls those back from the
// journal's copies of the original pages (src/pager.c, pager_playback); SyncLens does the same on
// its in-memory image so it shows the last committed state, and never touches the files.

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

function resized(image: Uint8Array, bytes: number): Uint8Array {
  if (image.byteLength === bytes) return image;
  const next = new Uint8Array(bytes);
  next.set(image.subarray(0, Math.min(bytes, image.byteLength)));
  return next;
}

/**
 * Returns `database` with a hot journal rolled back (a new array; the input is untouched), or the
 * same array when the journal is not hot (empty, zeroed header after a PERSIST commit, no magic).
 */
export function rollBackJournal(database: Uint8Array, journal: Uint8Array, databasePageSize: number): { image: Uint8Array; report: JournalRollback } {
  const notHot = { image: database, report: { hot: false, pagesRestored: 0, originalPages: null, stoppedBecause: null } };
  if (journal.byteLength < journalHeaderFields || !hasMagicAt(journal, 0)) return notHot;
  const view = new DataView(journal.buffer, journal.byteOffset, journal.byteLength);
  const sectorSize = view.getUint32(20);
  const pageSize = view.getUint32(24) || databasePageSize;
  if (!isPowerOfTwoBetween(sectorSize, 32, 65536) || !isPowerOfTwoBetween(pageSize, 512, 65536)) {
    // The writer crashed before the header was synced: SQLite treats this as nothing to roll back.
    return { image: database, report: { hot: true, pagesRestored: 0, originalPages: null, stoppedBecause: 'the journal header names an impossible sector or page size' } };
  }
  const recordBytes = 4 + pageSize + 4;
  const pendingBytePage = Math.floor(pendingByteOffset / pageSize) + 1;

  let image: Uint8Array = database.slice();
  let originalPages: number | null = null;
  let pagesRestored = 0;
  let stoppedBecause: string | null = null;
  let offset = 0;
  let firstHeader = true;
  playback: for (;;) {
    const headerOffset = Math.ceil(offset / sectorSize) * sectorSize;
    if (headerOffset + sectorSize > journal.byteLength || !hasMagicAt(journal, headerOffset)) break;
    let records = view.getUint32(headerOffset + 8);
    const nonce = view.getUint32(headerOffset + 12);
    const pagesAtStart = view.getUint32(headerOffset + 16);
    offset = headerOffset + sectorSize;
    if (records === 0xffffffff) records = Math.floor((journal.byteLength - offset) / recordBytes);
    if (firstHeader) {
      originalPages = pagesAtStart;
      image = resized(image, pagesAtStart * pageSize);
      firstHeader = false;
    }
    for (let record = 0; record < records; record += 1) {
      if (offset + recordBytes > journal.byteLength) {
        stoppedBecause = 'the journal ends in a partly written page record';
        break playback;
      }
      const pageNumber = view.getUint32(offset);
      const page = journal.subarray(offset + 4, offset + 4 + pageSize);
      const stored = view.getUint32(offset + 4 + pageSize);
      offset += recordBytes;
      if (pageNumber === 0 || pageNumber === pendingBytePage) {
        stoppedBecause = `a page record names page ${pageNumber}`;
        break playback;
      }
      if (journalPageChecksum(page, nonce) !== stored) {
        stoppedBecause = `page record ${pagesRestored + 1} fails its checksum (not yet synced when the writer stopped)`;
        break playback;
      }
      if (pageNumber * pageSize > image.byteLength) image = resized(image, pageNumber * pageSize);
      image.set(page, (pageNumber - 1) * pageSize);
      pagesRestored += 1;
    }
  }
  return { image, report: { hot: true, pagesRestored, originalPages, stoppedBecause } };
}
