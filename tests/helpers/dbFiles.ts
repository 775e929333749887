// Real database files in the states an app leaves them in: WAL snapshots taken while the writer still
// holds the database open (so committed transactions live only in the -wal), and byte-level damage.
import { randomBytes } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256OfFile, sqlite3 } from './sqliteCli';

const walHeaderBytes = 32;
const frameHeaderBytes = 24;

function quoteForShell(path: string): string {
  return `'${path.replace(/'/g, `'\\''`)}'`;
}

/**
 * Runs `sql` in one sqlite3 process on `writerPath` (WAL mode, automatic checkpoints off) and, before
 * that process exits and checkpoints, copies the database and its -wal to `snapshotPath` with the
 * CLI's `.shell`. The snapshot is what a developer pulls off a device while the app is running.
 * `beforeWal` runs first (settings such as page_size that WAL mode fixes).
 */
export function snapshotWalDatabase(writerPath: string, snapshotPath: string, sql: string, options: { beforeWal?: string } = {}): void {
  const copy = `.shell cp ${quoteForShell(writerPath)} ${quoteForShell(snapshotPath)} && cp ${quoteForShell(`${writerPath}-wal`)} ${quoteForShell(`${snapshotPath}-wal`)}`;
  sqlite3(writerPath, `${options.beforeWal ?? ''}\nPRAGMA journal_mode=WAL;\nPRAGMA wal_autocheckpoint=0;\n${sql}\n${copy}\n`);
  if (!existsSync(`${snapshotPath}-wal`) || statSync(`${snapshotPath}-wal`).size <= walHeaderBytes) {
    throw new Error(`the WAL snapshot ${snapshotPath}-wal holds no frames`);
  }
}

/** What SQLite itself reads from a database + -wal/-journal: asked on a throwaway copy, since reading one checkpoints or rolls it back. */
export function sqliteView(dbPath: string, query: string, scratchPath: string): string {
  copyFileSync(dbPath, scratchPath);
  for (const sidecar of ['-wal', '-journal']) {
    if (existsSync(`${dbPath}${sidecar}`)) copyFileSync(`${dbPath}${sidecar}`, `${scratchPath}${sidecar}`);
  }
  return sqlite3(scratchPath, `${query};\n`).trim();
}

export interface WalFrameInfo {
  index: number;
  offset: number;
  pageNumber: number;
  commitPages: number;
}

/** The frames a WAL file holds (whatever their validity), read straight from the bytes. */
export function walFrames(walPath: string): { pageSize: number; frames: WalFrameInfo[] } {
  const bytes = readFileSync(walPath);
  const pageSize = bytes.readUInt32BE(8);
  const frameBytes = frameHeaderBytes + pageSize;
  const frames: WalFrameInfo[] = [];
  for (let offset = walHeaderBytes, index = 0; offset + frameBytes <= bytes.byteLength; offset += frameBytes, index += 1) {
    frames.push({ index, offset, pageNumber: bytes.readUInt32BE(offset), commitPages: bytes.readUInt32BE(offset + 4) });
  }
  return { pageSize, frames };
}

export function pageOf(rootPageQueryResult: string): number {
  const page = Number(rootPageQueryResult.trim());
  if (!Number.isInteger(page) || page < 1) throw new Error(`not a page number: ${rootPageQueryResult}`);
  return page;
}

/** A fresh random byte string (the stand-in for ciphertext and garbage). */
export function noise(length: number): Buffer {
  return randomBytes(length);
}

/** sha256 of every file in a folder, to prove a read changed nothing and created nothing. */
export function folderFingerprint(dir: string): Record<string, string> {
  const entries: Record<string, string> = {};
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    entries[name] = statSync(path).isDirectory() ? 'dir' : sha256OfFile(path);
  }
  return entries;
}
