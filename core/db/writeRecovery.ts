// What a write-back (writeBack.ts) that stopped midway (the process killed, the machine off) leaves
// beside the database, and how the next open puts it right. The write goes through these states,
// and every file it creates on the way is named after its backup set and its process:
//   1. `.<name>.synclens-partial-backup-<set>-<pid>-<hex>`: the backup copy being made. The file and
//      its -wal/-journal are untouched.
//   2. `<name>.synclens-backup-<set>` (complete, synced) and `.<name>.synclens-tmp-<set>-<pid>-<hex>`:
//      the new version being written. The file is untouched.
//   3. as 2, with the -wal and/or -journal moved to `<name>.synclens-backup-<set>-wal`/`-journal`: the
//      file untouched but its committed transactions set aside. The state that hides data.
//   4. the temp renamed over the file: done; the backup set holds the old file and its sidecars.
// Step 4's rename is atomic, so a temp file that still exists means the file is the old one: the
// write never happened, and nobody was told it did. Recovery undoes it: the sidecars go back beside
// the file, the temp and the partial backup are deleted, and so is the backup copy of the untouched
// file; each step is logged. Files of a process that is still running (another window, the CLI in a
// terminal, this process's own write in progress) are left alone.
// Several processes (and threads) may open the file at once and find the same stopped write: the
// one that renames its temp to a claim of its own (`.<name>.synclens-recovering-<set>-<pid>-<hex>`)
// undoes it, the others leave it; a claim whose process died is taken over like a temp.
import { randomBytes } from 'node:crypto';
import { existsSync, linkSync, readdirSync, realpathSync, renameSync, statSync, unlinkSync } from 'node:fs';
import { basename, dirname, join, sep } from 'node:path';
import { errorMessage } from '../errors';

/** Between the database's name and the backup set's timestamp: `app.db.synclens-backup-20261124T190000Z`. */
export const backupMarker = '.synclens-backup-';

/** What follows the marker: the set's time (writeBack.ts's backupTimestamp), then `.2`, `.3`, … for a second set in the same second. */
export const backupSetPattern = /^(\d{8}T\d{6}Z)(?:\.(\d+))?$/;

/** The folder beside a database that holds its backups when they are not kept beside it (synclens.backups.location). */
export const backupFolderName = join('.synclens', 'backups');

/**
 * The database a backup copy was made of, or null for a path that names no backup: an encrypted
 * database's backups open with its key, which is kept under the database's own path.
 */
export function databaseOfBackup(backupPath: string): string | null {
  const name = basename(backupPath);
  const at = name.lastIndexOf(backupMarker);
  if (at <= 0 || !backupSetPattern.test(name.slice(at + backupMarker.length))) return null;
  const folder = dirname(backupPath);
  const databaseFolder = folder.endsWith(`${sep}${backupFolderName}`) ? dirname(dirname(folder)) : folder;
  return join(databaseFolder, name.slice(0, at));
}

/** Where the backup set `set` of `path` is: beside it, or in the .synclens/backups folder beside it. */
function backupSetPath(path: string, set: string): string {
  const beside = `${path}${backupMarker}${set}`;
  const inFolder = join(dirname(path), backupFolderName, `${basename(path)}${backupMarker}${set}`);
  const present = (candidate: string): boolean => ['', '-wal', '-journal'].some((suffix) => existsSync(`${candidate}${suffix}`));
  return !present(beside) && present(inFolder) ? inFolder : beside;
}

export type InFlightKind = 'tmp' | 'partial-backup' | 'recovering';

const inFlightPattern = /^\.(.+)\.synclens-(tmp|partial-backup|recovering)-(\d{8}T\d{6}Z(?:\.\d+)?)-(\d+)-[0-9a-f]{8}$/;
/** A temp file of the versions before the name carried its backup set: which set it used is unknown. */
const unlinkedTempPattern = /^\.(.+)\.synclens-tmp-(\d+)-[0-9a-f]{8}$/;

/** The name of a file a write-back creates on its way, beside `path`, for the backup set `backupPath`. */
export function inFlightPath(path: string, kind: InFlightKind, backupPath: string): string {
  const set = basename(backupPath).slice(`${basename(path)}${backupMarker}`.length);
  return join(dirname(path), `.${basename(path)}.synclens-${kind}-${set}-${process.pid}-${randomBytes(4).toString('hex')}`);
}

function isProcessRunning(pid: number): boolean {
  if (pid === process.pid) return true;
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it runs, as another user.
    return error instanceof Error && 'code' in error && error.code === 'EPERM';
  }
}

let log: (line: string) => void = (line) => void process.stderr.write(`synclens: ${line}\n`);

/** Where recovery's lines go (default: stderr). The extension sends them to its output channel. */
export function setWriteRecoveryLog(sink: (line: string) => void): void {
  log = sink;
}

/** Moves `from` to `to` unless `to` exists (a hard link cannot overwrite; a rename where links are not supported). */
function moveWithoutOverwriting(from: string, to: string): boolean {
  try {
    linkSync(from, to);
    unlinkSync(from);
    return true;
  } catch (error) {
    const code = error instanceof Error && 'code' in error ? error.code : undefined;
    if (code === 'EEXIST') return false;
    if (existsSync(to)) return false;
    renameSync(from, to);
    return true;
  }
}

/** False when there was nothing to remove (another recoverer removed it first). */
function removeIfPresent(path: string): boolean {
  try {
    unlinkSync(path);
    return true;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
    return false;
  }
}

/** Renames `leftover` to `claim`; false when another recoverer took it first. */
function claim(leftover: string, claimed: string): boolean {
  try {
    renameSync(leftover, claimed);
    return true;
  } catch (error) {
    if (error instanceof Error && 'code' in error && error.code === 'ENOENT') return false;
    throw error;
  }
}

/** The file and its sidecars as they are now: what a stopped write changes when it hides data (it moves a -wal or -journal away). */
function folderState(path: string): string {
  return ['', '-wal', '-journal']
    .map((suffix) => {
      try {
        const stat = statSync(`${path}${suffix}`, { bigint: true });
        return `${stat.ino}:${stat.size}:${stat.mtimeNs}`;
      } catch {
        return '-';
      }
    })
    .join('|');
}

/** Per path this process opened: the folder state its last recovery left. */
const recoveredStates = new Map<string, string>();

/**
 * Finishes or undoes every write-back of `path` that stopped midway (see the states above), and
 * returns what it did, one line per step, each also sent to the log. A folder that cannot be read
 * is left to the open that follows, which names the problem. Runs before every open, so the user's
 * data is never shown without the -wal a stopped write set aside; it reads the folder only when
 * this process has not looked since the file or its sidecars last changed (three stats, where a
 * folder of many files takes milliseconds to list). A write stopped before it set a sidecar aside
 * hides nothing: its leftovers go at the next change, or the next process's first open.
 */
export function recoverInterruptedWriteBack(requestedPath: string): string[] {
  const before = folderState(requestedPath);
  if (recoveredStates.get(requestedPath) === before) return [];
  const lines = recoverNow(requestedPath);
  recoveredStates.set(requestedPath, lines.length === 0 ? before : folderState(requestedPath));
  return lines;
}

function recoverNow(requestedPath: string): string[] {
  let path: string;
  let names: string[];
  try {
    path = realpathSync(requestedPath);
    names = readdirSync(dirname(path));
  } catch {
    return [];
  }
  const name = basename(path);
  const lines: string[] = [];
  const note = (line: string): void => {
    lines.push(line);
    log(line);
  };
  for (const entry of names) {
    const unlinked = unlinkedTempPattern.exec(entry);
    if (unlinked && unlinked[1] === name && !isProcessRunning(Number(unlinked[2]))) {
      if (removeIfPresent(join(dirname(path), entry)))
        note(`${name}: removed ${entry}, the unfinished new version of a write-back that never replaced the file (process ${unlinked[2]}).`);
      continue;
    }
    const match = inFlightPattern.exec(entry);
    if (!match || match[1] !== name) continue;
    const [, , kind, set, pid] = match;
    if (isProcessRunning(Number(pid))) continue;
    const leftover = join(dirname(path), entry);
    const backupPath = backupSetPath(path, set!);
    try {
      if (kind === 'partial-backup') {
        if (removeIfPresent(leftover)) note(`${name}: a write-back stopped while it copied the backup (process ${pid}); the file was not changed. Removed the unfinished copy ${entry}.`);
        continue;
      }
      const claimed = inFlightPath(path, 'recovering', backupPath);
      if (!claim(leftover, claimed)) continue;
      undoStoppedWrite(path, claimed, entry, backupPath, Number(pid), note);
    } catch (error) {
      note(`${name}: could not finish recovering the write-back that process ${pid} left (${errorMessage(error)}); ${entry} is still there.`);
    }
  }
  return lines;
}

/** `temp` is the stopped write's new version, claimed by this process; `entry` the name it was found under. */
function undoStoppedWrite(path: string, temp: string, entry: string, backupPath: string, pid: number, note: (line: string) => void): void {
  const name = basename(path);
  const backup = basename(backupPath);
  let allBack = true;
  for (const suffix of ['-wal', '-journal']) {
    const setAside = `${backupPath}${suffix}`;
    if (!existsSync(setAside)) continue;
    if (moveWithoutOverwriting(setAside, `${path}${suffix}`)) {
      note(`${name}: a write-back stopped before it replaced the file (process ${pid}): moved ${name}${suffix} back from ${basename(setAside)}, so its transactions show again.`);
    } else {
      allBack = false;
      note(
        `${name}: a write-back stopped before it replaced the file (process ${pid}) and had set ${name}${suffix} aside as ${basename(setAside)}; ` +
          `a new ${name}${suffix} exists since, so the old one stays there: compare the two before deleting either.`,
      );
    }
  }
  removeIfPresent(temp);
  note(`${name}: removed ${entry}, the unfinished new version of a write-back that never replaced the file; ${name} is as it was before that write.`);
  // The backup copy is of the file as it still is: clutter, as after any write that failed. Kept
  // while a sidecar of its set could not go back, so the set stays whole.
  if (allBack && existsSync(backupPath)) {
    removeIfPresent(backupPath);
    note(`${name}: removed ${backup}, the backup of a write that did not happen.`);
  }
}
