// The only VFS SQLite gets: every database it opens is a DatabaseSnapshot registered here under a
// private name, and every other file it asks for (a statement journal, a temp table) lives in
// memory. Nothing it does reaches the disk: no write, no -journal, no -shm, no lock. xAccess says
// no sidecar exists, so SQLite never finds a hot journal or a WAL of its own: the snapshot has
// already laid those over the pages it serves.
/// <reference types="@journeyapps/wa-sqlite" />
import * as VFS from '@journeyapps/wa-sqlite/src/VFS.js';
import { SnapshotChangedError, type DatabaseSnapshot } from '../snapshot/snapshot';
import type { WaSqliteModule } from './sqliteModule';

export const snapshotVfsName = 'synclens-snapshot';

const SQLITE_OPEN_MAIN_DB = 0x100;
const SQLITE_IOERR_READ = 266;
const SQLITE_IOERR_SHORT_READ = 522;
const SQLITE_IOERR_WRITE = 778;
const SQLITE_IOERR_FSTAT = 1802;
const SQLITE_CANTOPEN = 14;
const SQLITE_NOTFOUND = 12;

/** A file SQLite wants that is not the database (statement journals, temp tables): in memory. */
class MemoryFile {
  bytes = new Uint8Array(0);
  size = 0;

  read(into: Uint8Array, offset: number): number {
    const available = Math.max(0, Math.min(into.byteLength, this.size - offset));
    into.set(this.bytes.subarray(offset, offset + available));
    into.fill(0, available);
    return available;
  }

  write(data: Uint8Array, offset: number): void {
    const end = offset + data.byteLength;
    if (end > this.bytes.byteLength) {
      const grown = new Uint8Array(Math.max(end, this.bytes.byteLength * 2));
      grown.set(this.bytes.subarray(0, this.size));
      this.bytes = grown;
    }
    this.bytes.set(data, offset);
    this.size = Math.max(this.size, end);
  }

  truncate(size: number): void {
    this.size = Math.min(this.size, size);
  }
}

type OpenFile = { kind: 'snapshot'; snapshot: DatabaseSnapshot } | { kind: 'memory'; file: MemoryFile };

export class SnapshotVfs extends VFS.Base {
  private readonly snapshots = new Map<string, DatabaseSnapshot>();
  private readonly openFiles = new Map<number, OpenFile>();
  private nextName = 1;

  constructor(private readonly sqlite: WaSqliteModule) {
    super(snapshotVfsName, sqlite);
    this.mxPathname = 1024;
  }

  /** The name to open `snapshot` by; it is served until `forget`. */
  register(snapshot: DatabaseSnapshot): string {
    const name = `/synclens/${this.nextName++}.db`;
    this.snapshots.set(name, snapshot);
    return name;
  }

  forget(name: string): void {
    this.snapshots.delete(name);
  }

  override xOpen(_vfs: number, zName: number, pFile: number, flags: number, pOutFlags: number): number {
    const name = zName ? this.sqlite.UTF8ToString(zName) : null;
    const snapshot = name === null ? undefined : this.snapshots.get(name);
    if (flags & SQLITE_OPEN_MAIN_DB) {
      if (!snapshot) return SQLITE_CANTOPEN;
      this.openFiles.set(pFile, { kind: 'snapshot', snapshot });
    } else if (name === null || name.startsWith('/synclens/')) {
      // SQLite's nameless temp files, and the journals of our own databases: in memory.
      this.openFiles.set(pFile, { kind: 'memory', file: new MemoryFile() });
    } else {
      return SQLITE_CANTOPEN;
    }
    if (pOutFlags) this.sqlite.setValue(pOutFlags, flags, 'i32');
    return VFS.SQLITE_OK;
  }

  override xDelete(): number {
    return VFS.SQLITE_OK;
  }

  override xAccess(_vfs: number, _zName: number, _flags: number, pResOut: number): number {
    this.sqlite.setValue(pResOut, 0, 'i32');
    return VFS.SQLITE_OK;
  }

  override xFullPathname(_vfs: number, zName: number, nOut: number, zOut: number): number {
    const heap = this.sqlite.HEAPU8;
    let length = 0;
    while (heap[zName + length] !== 0 && length < nOut - 1) length += 1;
    heap.copyWithin(zOut, zName, zName + length);
    heap[zOut + length] = 0;
    return VFS.SQLITE_OK;
  }

  override xClose(pFile: number): number {
    this.openFiles.delete(pFile);
    return VFS.SQLITE_OK;
  }

  override xRead(pFile: number, pData: number, iAmt: number, iOffsetLo: number, iOffsetHi: number): number {
    const open = this.openFiles.get(pFile);
    if (!open) return SQLITE_IOERR_READ;
    const into = this.sqlite.HEAPU8.subarray(pData, pData + iAmt);
    const offset = offsetOf(iOffsetLo, iOffsetHi);
    try {
      const served = open.kind === 'snapshot' ? open.snapshot.read(into, offset) : open.file.read(into, offset);
      return served < iAmt ? SQLITE_IOERR_SHORT_READ : VFS.SQLITE_OK;
    } catch (error) {
      // An exception must not unwind through SQLite's C stack: the snapshot remembers why, and the
      // connection turns the I/O error back into it.
      if (!(error instanceof SnapshotChangedError)) rememberFailure(open, error);
      return SQLITE_IOERR_READ;
    }
  }

  override xWrite(pFile: number, pData: number, iAmt: number, iOffsetLo: number, iOffsetHi: number): number {
    const open = this.openFiles.get(pFile);
    if (!open) return SQLITE_IOERR_WRITE;
    const data = this.sqlite.HEAPU8.subarray(pData, pData + iAmt);
    const offset = offsetOf(iOffsetLo, iOffsetHi);
    try {
      if (open.kind === 'snapshot') open.snapshot.write(data, offset);
      else open.file.write(data, offset);
      return VFS.SQLITE_OK;
    } catch (error) {
      rememberFailure(open, error);
      return SQLITE_IOERR_WRITE;
    }
  }

  override xTruncate(pFile: number, sizeLo: number, sizeHi: number): number {
    const open = this.openFiles.get(pFile);
    if (!open) return SQLITE_IOERR_WRITE;
    const size = offsetOf(sizeLo, sizeHi);
    if (open.kind === 'snapshot') open.snapshot.truncate(size);
    else open.file.truncate(size);
    return VFS.SQLITE_OK;
  }

  override xSync(): number {
    return VFS.SQLITE_OK;
  }

  override xFileSize(pFile: number, pSize: number): number {
    const open = this.openFiles.get(pFile);
    if (!open) return SQLITE_IOERR_FSTAT;
    const size = open.kind === 'snapshot' ? open.snapshot.size : open.file.size;
    this.sqlite.setValue(pSize, size % 0x1_0000_0000 | 0, 'i32');
    this.sqlite.setValue(pSize + 4, Math.floor(size / 0x1_0000_0000), 'i32');
    return VFS.SQLITE_OK;
  }

  override xLock(): number {
    return VFS.SQLITE_OK;
  }

  override xUnlock(): number {
    return VFS.SQLITE_OK;
  }

  override xCheckReservedLock(_pFile: number, pResOut: number): number {
    this.sqlite.setValue(pResOut, 0, 'i32');
    return VFS.SQLITE_OK;
  }

  override xFileControl(): number {
    return SQLITE_NOTFOUND;
  }

  override xSectorSize(): number {
    return 4096;
  }

  override xDeviceCharacteristics(): number {
    return 0;
  }
}

function offsetOf(low: number, high: number): number {
  return high * 0x1_0000_0000 + (low >>> 0);
}

/** Failures other than a changed file (EIO on a bad disk, say) are kept for the error message. */
const failures = new WeakMap<DatabaseSnapshot, unknown>();

function rememberFailure(open: OpenFile, error: unknown): void {
  if (open.kind === 'snapshot') failures.set(open.snapshot, error);
}

export function lastFailureOf(snapshot: DatabaseSnapshot): unknown {
  return failures.get(snapshot);
}
