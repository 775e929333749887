// SyncLens reading a database while a real app (python3's sqlite3 module, WAL mode) commits and
// checkpoints it. SyncLens takes no lock and has no -shm, so the writer checkpoints and restarts
// the log whenever it likes: every result must still be one committed state (the invariants
// below hold), and no read may fail except with a 'changing' DatabaseFileError.
import assert from 'node:assert/strict';
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, test } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { DatabaseFileError } from '../../../core/db/errors';
import { openDatabaseFile, type OpenedDatabase } from '../../../core/db/open';
import { readPage, type Cursor, type Page } from '../../../core/db/rows';
import type { SqlCell } from '../../../core/db/sqlDatabase';
import { scratchDir } from '../../helpers/sqliteCli';

const accounts = 12;
const startBalance = 1000;
const batchRows = 8;
const batchTotal = 4000;
const keptBatches = 30;
const writerScript = join(__dirname, '..', '..', 'helpers', 'liveWalWriter.py');

/** Reader passes to make at least, and checkpoints the writer must have made meanwhile. */
const minimumPasses = 40;
const minimumCheckpoints = 20;
const maximumPasses = 5000;

interface LiveWriter {
  readonly ready: Promise<void>;
  readonly checkpointModes: Set<string>;
  checkpoints: number;
  stop(): Promise<string>;
}

function startWriter(path: string, seed: number): LiveWriter {
  const child: ChildProcessWithoutNullStreams = spawn('python3', [writerScript, path, ...[accounts, startBalance, batchRows, batchTotal, keptBatches, seed].map(String)], { stdio: 'pipe' });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  // Writing "stop" to a writer that already died fails with EPIPE; its exit code tells the story.
  child.stdin.on('error', () => undefined);
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve, reject) => {
    markReady = resolve;
    void exited.then((code) => reject(new Error(`the writer exited (${code}) before it was ready: ${stderr}`)));
  });
  let lastLine = '';
  const lines = createInterface({ input: child.stdout });
  const allRead = new Promise<void>((resolve) => lines.once('close', resolve));
  const writer: LiveWriter = {
    ready,
    checkpointModes: new Set(),
    checkpoints: 0,
    async stop() {
      child.stdin.end('stop\n');
      const [code] = await Promise.all([exited, allRead]);
      assert.equal(code, 0, `the writer failed: ${stderr}`);
      return lastLine;
    },
  };
  lines.on('line', (line) => {
    lastLine = line;
    const [word, mode] = line.split(' ');
    if (word === 'ready') markReady();
    else if (word === 'checkpoint' && mode) {
      writer.checkpoints += 1;
      writer.checkpointModes.add(mode);
    }
  });
  return writer;
}

const asNumber = (cell: SqlCell | undefined): number => Number(cell);

/** The whole committed state, read in one go: returns meta.seq after checking every invariant against it. */
function checkWholeState(opened: OpenedDatabase): number {
  const { balances, seq, batches } = opened.read((db) => ({
    balances: db.exec('SELECT sum(balance), count(*) FROM accounts')[0]?.values[0] ?? [],
    seq: asNumber(db.exec("SELECT seq FROM meta WHERE key = 'seq'")[0]?.values[0]?.[0]),
    batches:
      db.exec('SELECT batch, count(*), sum(amount), min(id), max(id), sum(length(note) = note_length) FROM ledger GROUP BY batch ORDER BY batch')[0]?.values ?? [],
  }));
  assert.deepEqual(balances.map(asNumber), [accounts * startBalance, accounts], 'the balances sum to the fixed total');
  assert.deepEqual(
    batches.map((row) => asNumber(row[0])),
    Array.from({ length: keptBatches }, (_, index) => seq - keptBatches + 1 + index),
    `the ledger holds exactly the batches up to meta.seq ${seq}`,
  );
  for (const [batch, count, sum, minId, maxId, notesIntact] of batches.map((row) => row.map(asNumber))) {
    assert.deepEqual([count, sum, minId, maxId, notesIntact], [batchRows, batchTotal, batch! * batchRows, batch! * batchRows + batchRows - 1, batchRows], `batch ${batch} is whole`);
  }
  return seq;
}

/** Pages through the ledger as the grid does (one read per page, keyset cursor): every page holds whole batches. */
function checkPagedLedger(opened: OpenedDatabase): number {
  let cursor: Cursor | null = null;
  let pages = 0;
  do {
    const after: Cursor | null = cursor;
    const page: Page = opened.read((db) => readPage(db, { table: 'ledger', after, limit: batchRows * 3 }));
    const [id, batch, amount] = ['id', 'batch', 'amount'].map((name) => page.columns.indexOf(name));
    const sums = new Map<number, { rows: number[]; total: number }>();
    for (const row of page.values) {
      const group = sums.get(Number(row[batch!])) ?? { rows: [], total: 0 };
      group.rows.push(Number(row[id!]));
      group.total += Number(row[amount!]);
      sums.set(Number(row[batch!]), group);
    }
    for (const [number, group] of sums) {
      assert.deepEqual(group, { rows: Array.from({ length: batchRows }, (_, index) => number * batchRows + index), total: batchTotal }, `page ${pages + 1}: batch ${number}`);
    }
    // The balances, read between two pages: another read, another moment of the writer's.
    const total = opened.read((db) => asNumber(db.exec('SELECT sum(balance) FROM accounts')[0]?.values[0]?.[0]));
    assert.equal(total, accounts * startBalance);
    cursor = page.nextCursor;
    pages += 1;
  } while (cursor !== null);
  return pages;
}

describe('reading a database while a live app writes and checkpoints it', () => {
  test('every result is one committed state, and nothing fails but a rare "changing"', { timeout: 120_000 }, async () => {
    const { dir, cleanup } = scratchDir();
    const path = join(dir, 'live.db');
    const writer = startWriter(path, 11);
    const outcome = { passes: 0, changing: 0, changingAtOpen: 0, pagesRead: 0, highestSeq: 0 };
    try {
      await writer.ready;
      while (outcome.passes < maximumPasses && (outcome.passes < minimumPasses || writer.checkpoints < minimumCheckpoints || writer.checkpointModes.size < 4)) {
        outcome.passes += 1;
        // Lets the writer's progress lines in; the reads themselves are synchronous.
        await nextTurn();
        let opened: OpenedDatabase;
        try {
          // Without quick_check every page a pass reads is read by the checks below, not at open.
          opened = await openDatabaseFile(path, { quickCheck: outcome.passes % 3 !== 0 });
        } catch (error) {
          if (error instanceof DatabaseFileError && error.code === 'changing') {
            outcome.changing += 1;
            outcome.changingAtOpen += 1;
            continue;
          }
          throw error;
        }
        try {
          const seq = checkWholeState(opened);
          assert.ok(seq >= outcome.highestSeq, `a later read (seq ${seq}) never shows an older state than an earlier one (seq ${outcome.highestSeq})`);
          outcome.highestSeq = seq;
          if (outcome.passes % 2 === 0) outcome.pagesRead += checkPagedLedger(opened);
        } catch (error) {
          if (!(error instanceof DatabaseFileError && error.code === 'changing')) throw error;
          outcome.changing += 1;
        } finally {
          opened.close();
        }
      }
    } finally {
      try {
        const stopped = await writer.stop();
        console.log(`live writer: ${JSON.stringify(outcome)}, writer ${stopped}, modes ${[...writer.checkpointModes].join('/')}`);
      } finally {
        cleanup();
      }
    }
    assert.ok(writer.checkpoints >= minimumCheckpoints && writer.checkpointModes.size === 4, `the writer checkpointed ${writer.checkpoints} times in every mode while SyncLens read`);
    assert.ok(outcome.pagesRead > minimumPasses, 'the grid-style reads paged through the ledger');
    // Stale snapshots are re-read (five times) before 'changing': it must stay the exception, even
    // against a writer that checkpoints every few commits (measured: 5-15% of passes on a busy machine).
    assert.ok(outcome.changing * 4 < outcome.passes, `${outcome.changing} of ${outcome.passes} passes ended 'changing'`);
  });
});
