// One consistent, read-only view of an app database: the file, with the committed frames of its
// -wal and the original pages of a hot -journal laid over it, page by page. Nothing is read whole:
// the WAL and the journal are indexed (offsets only) and every page is read when SQLite asks for it.
// Writes SQLite makes land in an in-memory map of changed pages over the same view (copy-on-write),
// so the files are never touched; a write-back later turns that map into a new file.
//
// While the app runs it may commit and checkpoint under us. Every page served is checked against
// the file it came from right after it was read (fstat identity, and the WAL's salts): a file that
// changed marks the snapshot stale and fails the read, and the caller re-opens a fresh snapshot.
import { basename } from 'node:path';
import { classifyDatabasePrefix, type SqliteHeader } from '../classify';
import { DatabaseFileError } from '../errors';
import { CodedError } from '../../errors';
import { indexHotJournal, type JournalRollback } from '../journal';
import { identityAt, journalPathOf, walPathOf, type FileStamp } from '../stamp';
import { foreignWalReport, indexWal, isInWalMode, markRollbackJournalMode, parseWalHeader, type WalReplay } from '../wal';
import {
  closeSourceFile,
  identityOf,
  openSourceFile,
  readSourceBytes,
  readSourceInto,
  resolveDatabasePath,
  sameIdentity,
  type FileIdentity,
  type SourceFile,
} from './sourceFile';

/**
 * Pages are read from the files in blocks of this size and kept in a small cache: one read and one
 * fstat serve 16 pages of 4 KiB, and SQLite's scans mostly walk neighbouring pages.
 */
const readBlockBytes = 64 * 1024;
/** 4 MiB of blocks at most, whatever the file's size. */
const maxCachedBlocks = 64;

/** Enough of the file to tell SQLite from MDBX, archives, text and ciphertext. */
const classifyPrefixBytes = 256 * 1024;
const headerWriteVersionOffset = 18;

/** The file changed under a read: the caller reopens a fresh snapshot (core/db/open.ts). */
export class SnapshotChangedError extends CodedError<'changed'> {
  override readonly name = 'SnapshotChangedError';
  constructor(readonly file: string) {
    super('changed', `${basename(file)} changed while SyncLens was reading it`);
  }
}

export interface SnapshotFiles {
  /** The database file as the user named it. */
  requestedPath: string;
  /** The real file behind any symbolic links: what is read, watched and written. */
  path: string;
  main: FileIdentity;
  wal: FileIdentity | null;
  journal: FileIdentity | null;
}

export interface OpenSnapshotOptions {
  applyWal?: boolean;
  rollBackJournal?: boolean;
  /**
   * Serve a file that looks encrypted as it is (ciphertext pages) instead of refusing it: a cipher
   * VFS above ours decrypts them (core/db/cipher.ts). A plain SQLite file opens as usual.
   */
  allowCiphertext?: boolean;
}

interface PageSource {
  file: SourceFile;
  offset: number;
}

export class DatabaseSnapshot {
  /** Pages written through SQLite on this snapshot (copy-on-write), by page number. */
  readonly changedPages = new Map<number, Uint8Array>();
  private changedSize: number | null = null;
  private readonly blocks = new Map<SourceFile, Map<number, Uint8Array>>();
  private cachedBlocks = 0;
  /** An evicted block's buffer, read into next (see readBlock). */
  private spareBlock: Uint8Array | null = null;
  private staleFile: string | null = null;
  private closed = false;

  private constructor(
    public files: SnapshotFiles,
    private main: SourceFile,
    private wal: SourceFile | null,
    private journal: SourceFile | null,
    readonly pageSize: number,
    /** Size SQLite sees before any change: what the last commit (WAL, or rolled-back journal) gives. */
    private committedSize: number,
    private readonly walPages: Map<number, number>,
    private readonly journalPages: Map<number, number>,
    private walSalts: readonly [number, number] | null,
    readonly sourceHeader: SqliteHeader | null,
    readonly walReplay: WalReplay | null,
    readonly journalRollback: JournalRollback | null,
    /** The pages are ciphertext (allowCiphertext): only a cipher VFS can read them. */
    readonly ciphertext: boolean,
  ) {}

  static open(requestedPath: string, options: OpenSnapshotOptions = {}): DatabaseSnapshot {
    const path = resolveDatabasePath(requestedPath);
    const main = openSourceFile(path, false, requestedPath);
    let wal: SourceFile | null = null;
    let journal: SourceFile | null = null;
    try {
      wal = options.applyWal === false ? null : openSourceFile(walPathOf(path), true);
      journal = options.rollBackJournal === false ? null : openSourceFile(journalPathOf(path), true);
      return DatabaseSnapshot.index(requestedPath, path, main!, wal, journal, options.allowCiphertext === true);
    } catch (error) {
      // A verdict on bytes that moved while they were read (a checkpoint grew the file between its
      // fstat and the read of its header: "truncated") says nothing about the file: read it again.
      const moved = error instanceof DatabaseFileError && [main, wal, journal].some((file) => file !== null && !sameIdentity(identityOf(file.fd).identity, file.identity));
      closeSourceFile(main);
      closeSourceFile(wal);
      closeSourceFile(journal);
      throw moved ? new SnapshotChangedError(path) : error;
    }
  }

  private static index(requestedPath: string, path: string, main: SourceFile, wal: SourceFile | null, journal: SourceFile | null, allowCiphertext: boolean): DatabaseSnapshot {
    const prefix = readSourceBytes(main, 0, classifyPrefixBytes);
    const walIndex = wal && wal.identity.size > 0 ? indexWal((offset, length) => readSourceBytes(wal, offset, length), wal.identity.size, walPathOf(requestedPath)) : null;
    const walCommitted = walIndex !== null && walIndex.databasePages !== null;
    const { sourceHeader, ciphertext } = classifyOrCiphertext(prefix, main.identity.size, requestedPath, walCommitted, allowCiphertext);
    // A ciphertext file hides its page size: pages are then kept in units of SQLite's smallest page,
    // which divides every real one (a -wal's header names the real size in the clear).
    const pageSize = sourceHeader?.pageSize ?? walIndex?.header?.pageSize ?? (ciphertext ? smallestPageSize : 4096);
    const mainPages = Math.floor(main.identity.size / pageSize);

    let journalRollback: JournalRollback | null = null;
    let journalPages = new Map<number, number>();
    let sizeAfterJournal = mainPages;
    if (journal && sourceHeader && !isInWalMode(prefix)) {
      const index = indexHotJournal((offset, length) => readSourceBytes(journal, offset, length), journal.identity.size, pageSize, journalPathOf(requestedPath));
      if (index.report.hot) {
        journalRollback = index.report;
        journalPages = index.originalPageOffset;
        // What the header claims is bounded by the pages the files hold.
        const highestJournalPage = highestPage(journalPages);
        if (index.report.originalPages !== null) sizeAfterJournal = Math.min(index.report.originalPages, Math.max(mainPages, highestJournalPage));
      }
    }

    let walReplay: WalReplay | null = null;
    let walPages = new Map<number, number>();
    let committedPages = sizeAfterJournal;
    if (walIndex) {
      if (walIndex.header && sourceHeader && walIndex.header.pageSize !== sourceHeader.pageSize) {
        walReplay = foreignWalReport(walIndex, sourceHeader.pageSize);
      } else {
        const { latestPageOffset, ...report } = walIndex;
        walReplay = report;
        if (walIndex.databasePages !== null) {
          walPages = latestPageOffset;
          const highestWalPage = highestPage(walPages);
          committedPages = Math.min(walIndex.databasePages, Math.max(sizeAfterJournal, highestWalPage));
        }
      }
    } else if (wal) {
      walReplay = { header: null, framesApplied: 0, transactionsApplied: 0, framesIgnored: 0, databasePages: null, stoppedBecause: null };
    }
    if (committedPages === 0 && main.identity.size === 0) {
      throw new DatabaseFileError('empty', requestedPath, `${basename(requestedPath)} is empty (0 bytes) and its -wal holds no committed transaction: there is no database to show yet.`);
    }
    const salts = walIndex?.header ? ([walIndex.header.salt1, walIndex.header.salt2] as const) : null;
    // The stamp names the -wal even when it was not applied, so a write-back can refuse to drop it.
    const walIdentity = wal?.identity ?? identityAt(walPathOf(path));
    const files: SnapshotFiles = { requestedPath, path, main: main.identity, wal: walIdentity, journal: journal?.identity ?? null };
    const snapshot = new DatabaseSnapshot(files, main, wal, journal, pageSize, committedPages * pageSize, walPages, journalPages, salts, sourceHeader, walReplay, journalRollback, ciphertext);
    // The index is only as good as the files were while it was built.
    snapshot.assertUnchanged(main);
    if (wal) snapshot.assertUnchanged(wal);
    if (journal) snapshot.assertUnchanged(journal);
    return snapshot;
  }

  get path(): string {
    return this.files.path;
  }

  /** What the file and its -wal looked like when read (after a write-back: the file written). */
  get stamp(): FileStamp {
    return { path: this.files.path, main: this.files.main, wal: this.files.wal };
  }

  /** The size SQLite sees: the committed size, or the size after its own writes. */
  get size(): number {
    return this.changedSize ?? this.committedSize;
  }

  get isStale(): boolean {
    return this.staleFile !== null;
  }

  get stalePath(): string | null {
    return this.staleFile;
  }

  /** Fills `into` with the bytes at `offset`; returns how many of them the database holds. */
  read(into: Uint8Array, offset: number): number {
    if (this.staleFile !== null) throw new SnapshotChangedError(this.staleFile);
    const size = this.size;
    const end = Math.min(offset + into.byteLength, size);
    let position = offset;
    while (position < end) {
      const page = Math.floor(position / this.pageSize) + 1;
      const within = position - (page - 1) * this.pageSize;
      const length = Math.min(this.pageSize - within, end - position);
      const target = into.subarray(position - offset, position - offset + length);
      this.readPagePart(page, within, target);
      position += length;
    }
    const served = Math.max(0, end - offset);
    into.fill(0, served);
    // Ciphertext is served as it is: the cipher above authenticates page 1 and would refuse it changed.
    if (!this.ciphertext && offset < 100 && offset + into.byteLength > headerWriteVersionOffset + 1) this.showRollbackJournalMode(into, offset);
    return served;
  }

  write(data: Uint8Array, offset: number): void {
    let position = offset;
    const end = offset + data.byteLength;
    while (position < end) {
      const page = Math.floor(position / this.pageSize) + 1;
      const within = position - (page - 1) * this.pageSize;
      const length = Math.min(this.pageSize - within, end - position);
      let copy = this.changedPages.get(page);
      if (!copy) {
        copy = new Uint8Array(this.pageSize);
        if (within !== 0 || length !== this.pageSize) this.read(copy, (page - 1) * this.pageSize);
        this.changedPages.set(page, copy);
      }
      copy.set(data.subarray(position - offset, position - offset + length), within);
      position += length;
    }
    if (end > this.size) this.changedSize = end;
  }

  truncate(size: number): void {
    this.changedSize = size;
    const lastPage = Math.ceil(size / this.pageSize);
    for (const page of [...this.changedPages.keys()]) if (page > lastPage) this.changedPages.delete(page);
  }

  /**
   * The pages whose bytes differ from the database file's at the same offset: those served from the
   * -wal or the -journal and those SQLite changed. A write-back copies the file, then writes these.
   */
  pagesDifferingFromFile(): number[] {
    const lastPage = Math.ceil(this.size / this.pageSize);
    const pages = new Set<number>([...this.walPages.keys(), ...this.journalPages.keys(), ...this.changedPages.keys()]);
    return [...pages].filter((page) => page <= lastPage).sort((a, b) => a - b);
  }

  /**
   * After a write-back replaced the file with this snapshot's pages: read the new file from now on.
   * It holds every page SQLite sees (the -wal's, the journal's and the changed ones), so nothing
   * is laid over it any more; the sidecars were moved into the backup set.
   */
  rebase(newMain: SourceFile): void {
    closeSourceFile(this.main);
    closeSourceFile(this.wal);
    closeSourceFile(this.journal);
    this.main = newMain;
    this.wal = null;
    this.journal = null;
    this.walPages.clear();
    this.journalPages.clear();
    this.walSalts = null;
    this.committedSize = newMain.identity.size;
    this.changedSize = null;
    this.changedPages.clear();
    this.blocks.clear();
    this.cachedBlocks = 0;
    this.files = { requestedPath: this.files.requestedPath, path: this.files.path, main: newMain.identity, wal: null, journal: null };
  }

  /** True when no file behind the snapshot changed since it was taken (a cheap fstat of each). */
  isCurrent(): boolean {
    return [this.main, this.wal, this.journal].every((file) => file === null || this.fileUnchanged(file));
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    closeSourceFile(this.main);
    closeSourceFile(this.wal);
    closeSourceFile(this.journal);
  }

  private readPagePart(page: number, within: number, target: Uint8Array): void {
    const changed = this.changedPages.get(page);
    if (changed) {
      target.set(changed.subarray(within, within + target.byteLength));
      return;
    }
    if ((page - 1) * this.pageSize >= this.committedSize) {
      target.fill(0);
      return;
    }
    this.readSourcePage(page, within, target);
  }

  private readSourcePage(page: number, within: number, target: Uint8Array): void {
    const source = this.sourceOf(page);
    let filled = 0;
    while (filled < target.byteLength) {
      const position = source.offset + within + filled;
      const index = Math.floor(position / readBlockBytes);
      const block = this.blockOf(source.file, index);
      const start = position - index * readBlockBytes;
      if (start >= block.byteLength) break;
      const length = Math.min(block.byteLength - start, target.byteLength - filled);
      target.set(block.subarray(start, start + length), filled);
      filled += length;
    }
    target.fill(0, filled);
  }

  /**
   * A block of the file, from the cache or read now. A block enters the cache only after its file
   * was seen unchanged right after the read, so every cached byte belongs to this snapshot.
   */
  private blockOf(file: SourceFile, index: number): Uint8Array {
    let blocks = this.blocks.get(file);
    if (!blocks) {
      blocks = new Map();
      this.blocks.set(file, blocks);
    }
    const cached = blocks.get(index);
    if (cached) {
      // Map order is the eviction order: a hit moves to the back.
      blocks.delete(index);
      blocks.set(index, cached);
      return cached;
    }
    const block = this.readBlock(file, index);
    this.assertUnchanged(file);
    blocks.set(index, block);
    this.cachedBlocks += 1;
    if (this.cachedBlocks > maxCachedBlocks) this.evictOne();
    return block;
  }

  /**
   * Reads block `index` into the buffer the last eviction freed, or a new one. A scan of a large
   * file passes every block through the cache: a new 64 KiB buffer per block left the evicted ones
   * for the garbage collector, tens of MB of peak RSS on a full count (bench/db-open.ts).
   */
  private readBlock(file: SourceFile, index: number): Uint8Array {
    const offset = index * readBlockBytes;
    const buffer = this.spareBlock ?? new Uint8Array(readBlockBytes);
    this.spareBlock = null;
    const filled = readSourceInto(file, buffer.subarray(0, Math.max(0, Math.min(readBlockBytes, file.identity.size - offset))), offset);
    return filled === readBlockBytes ? buffer : buffer.subarray(0, filled);
  }

  private evictOne(): void {
    const fullest = [...this.blocks.values()].reduce((a, b) => (b.size > a.size ? b : a));
    const oldest = fullest.entries().next();
    if (!oldest.done) {
      const [index, block] = oldest.value;
      fullest.delete(index);
      this.cachedBlocks -= 1;
      // Nothing else holds a block: readSourcePage copies out of it before it asks for the next.
      this.spareBlock = new Uint8Array(block.buffer, 0, readBlockBytes);
    }
  }

  private sourceOf(page: number): PageSource {
    const walOffset = this.walPages.get(page);
    if (walOffset !== undefined && this.wal) return { file: this.wal, offset: walOffset };
    const journalOffset = this.journalPages.get(page);
    if (journalOffset !== undefined && this.journal) return { file: this.journal, offset: journalOffset };
    return { file: this.main, offset: (page - 1) * this.pageSize };
  }

  private assertUnchanged(file: SourceFile): void {
    if (this.fileUnchanged(file)) return;
    this.staleFile = file.path;
    throw new SnapshotChangedError(file.path);
  }

  private fileUnchanged(file: SourceFile): boolean {
    const now = identityOf(file.fd).identity;
    if (sameIdentity(now, file.identity)) return true;
    // A WAL that only grew still holds every frame we indexed: SQLite appends until it restarts
    // the log, and a restart always writes new salts into the header.
    if (file === this.wal && this.walSalts !== null && now.size >= file.identity.size) {
      const header = parseWalHeader(readSourceBytes(file, 0, 32));
      if (!('problem' in header) && header.header.salt1 === this.walSalts[0] && header.header.salt2 === this.walSalts[1]) {
        file.identity = now;
        return true;
      }
    }
    return false;
  }

  private showRollbackJournalMode(into: Uint8Array, offset: number): void {
    const header = new Uint8Array(100);
    const start = Math.max(0, offset);
    header.set(into.subarray(0, Math.min(into.byteLength, 100 - start)), start);
    if (!isInWalMode(header)) return;
    markRollbackJournalMode(header);
    into.set(header.subarray(start, Math.min(100, start + into.byteLength)), 0);
  }
}

const smallestPageSize = 512;

function classifyOrCiphertext(prefix: Uint8Array, size: number, requestedPath: string, hasWalContent: boolean, allowCiphertext: boolean): { sourceHeader: SqliteHeader | null; ciphertext: boolean } {
  try {
    return { sourceHeader: classifyDatabasePrefix(prefix, size, requestedPath, { hasWalContent }), ciphertext: false };
  } catch (error) {
    if (allowCiphertext && error instanceof DatabaseFileError && error.code === 'encrypted') return { sourceHeader: null, ciphertext: true };
    throw error;
  }
}

/** The highest page number indexed (a loop: a WAL can index more pages than a call takes arguments). */
function highestPage(pages: ReadonlyMap<number, number>): number {
  let highest = 0;
  for (const page of pages.keys()) if (page > highest) highest = page;
  return highest;
}
