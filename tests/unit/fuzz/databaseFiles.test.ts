// Fuzzing what SyncLens reads from disk: forged -wal frames and headers, forged -journal headers and
// records, damaged database files (the classifier, and SQLite's record decoding through SyncLens's
// readers). The inputs are real files written by the sqlite3 CLI (seeds.ts), mutated. Every case
// gets a right answer or a typed error (harness.ts); where SQLite can judge the same bytes, the
// sqlite3 CLI is the oracle for the answer.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, existsSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import fc from 'fast-check';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { classifyDatabasePrefix } from '../../../core/db/classify';
import { isDatabaseFileError } from '../../../core/db/errors';
import { indexHotJournal } from '../../../core/db/journal';
import { readPage } from '../../../core/db/rows';
import type { CellValue } from '../../../core/db/types';
import { indexWal } from '../../../core/db/wal';
import { scratchDir } from '../../helpers/sqliteCli';
import { fuzzProperties, fuzzProperty } from './harness';
import { applyMutations, journalFieldOffsets, mutationsArbitrary, resealJournal, resealWal, walFieldOffsets, type Mutation } from './mutate';
import { seedFiles } from './seeds';

const seeds = seedFiles();

/** A reader over bytes in memory that counts what it hands out (the indexers' memory is what they read). */
function countingReader(bytes: Uint8Array): { read: (offset: number, length: number) => Uint8Array; largest: () => number } {
  let largest = 0;
  return {
    read: (offset, length) => {
      const slice = bytes.subarray(Math.max(0, offset), Math.max(0, Math.min(bytes.byteLength, offset + length)));
      largest = Math.max(largest, slice.byteLength);
      return Uint8Array.from(slice);
    },
    largest: () => largest,
  };
}

interface Forged {
  mutations: Mutation[];
  reseal: boolean;
}

function forgedArbitrary(original: Uint8Array, hot: readonly number[]): fc.Arbitrary<Forged> {
  return fc.record({ mutations: mutationsArbitrary(original.byteLength, hot), reseal: fc.boolean() });
}

function forgeWal(forged: Forged): Uint8Array {
  const bytes = applyMutations(seeds.wal, forged.mutations);
  return forged.reseal ? resealWal(bytes) : bytes;
}

function forgeJournal(forged: Forged): Uint8Array {
  const bytes = applyMutations(seeds.journal, forged.mutations);
  return forged.reseal ? resealJournal(bytes) : bytes;
}

function assertCell(cell: CellValue): void {
  switch (cell.kind) {
    case 'null':
      return;
    case 'integer':
    case 'real':
      assert.equal(typeof cell.value, 'number');
      assert.equal(typeof cell.text, 'string');
      return;
    case 'text':
    case 'json':
      assert.equal(typeof cell.value, 'string');
      return;
    case 'blob':
      assert.ok(Number.isInteger(cell.size) && cell.size >= 0);
      assert.match(cell.hexPrefix, /^[0-9a-f]*$/);
      return;
    case 'timestamp':
      assert.ok(Number.isFinite(cell.millis), `timestamp millis ${cell.millis}`);
      assert.equal(typeof cell.utc, 'string');
      return;
    default:
      assert.fail(`unknown cell kind ${JSON.stringify(cell)}`);
  }
}

let dir: string;
let cleanup: () => void;
let casePath: string;

function writeCase(main: Uint8Array, sidecars: { wal?: Uint8Array; journal?: Uint8Array }): void {
  for (const suffix of ['-wal', '-journal']) rmSync(`${casePath}${suffix}`, { force: true });
  writeFileSync(casePath, main);
  if (sidecars.wal) writeFileSync(`${casePath}-wal`, sidecars.wal);
  if (sidecars.journal) writeFileSync(`${casePath}-journal`, sidecars.journal);
}

/** Row counts per table as SyncLens reads them (every row of the first page of each checked). */
async function readEverything(): Promise<Map<string, number>> {
  const app = await openAppDatabase(casePath, { config: 'none', now: Date.UTC(2026, 11, 1) });
  try {
    const counts = new Map<string, number>();
    for (const table of app.schema.tables) {
      const page = app.file.read((db) => readPage(db, { table: table.name, limit: 200 }));
      for (const row of page.rows) for (const cell of row) assertCell(cell);
      assert.ok(page.rows.length <= 200);
      counts.set(table.name, page.rows.length);
    }
    return counts;
  } finally {
    app.close();
  }
}

/**
 * What SQLite itself reads from the same files (on a copy: the CLI replays a -wal or rolls back a
 * journal when it opens), or null when SQLite calls them damaged.
 */
function sqliteCounts(tables: readonly string[]): Map<string, number> | null {
  const copy = join(dir, 'oracle.db');
  for (const suffix of ['', '-wal', '-journal', '-shm']) rmSync(`${copy}${suffix}`, { force: true });
  copyFileSync(casePath, copy);
  for (const suffix of ['-wal', '-journal']) if (existsSync(`${casePath}${suffix}`)) copyFileSync(`${casePath}${suffix}`, `${copy}${suffix}`);
  const sql = tables.map((table) => `SELECT min(count(*), 200) FROM "${table.replace(/"/g, '""')}";`).join('\n');
  try {
    const output = execFileSync('sqlite3', ['-bail', copy], { input: `PRAGMA quick_check;\n${sql}\n`, encoding: 'utf8', stdio: ['pipe', 'pipe', 'ignore'] });
    const [check, ...counts] = output.trim().split('\n');
    if (check !== 'ok') return null;
    return new Map(tables.map((table, index) => [table, Number(counts[index])]));
  } catch {
    return null;
  }
}

/** Opens the case; when SyncLens answers and SQLite reads the same files cleanly, the row counts agree. */
async function openAndCompare(): Promise<void> {
  let counts: Map<string, number>;
  try {
    counts = await readEverything();
  } catch (error) {
    if (isDatabaseFileError(error) && error.code === 'corrupt') assert.match(error.message, /\S/);
    throw error;
  }
  const oracle = sqliteCounts([...counts.keys()]);
  if (oracle) assert.deepEqual(counts, oracle, 'SyncLens and SQLite read different rows from the same files');
}

const walHot = walFieldOffsets(seeds.wal);
const journalHot = journalFieldOffsets(seeds.journal);
/** The header fields and page 1's b-tree header, where a classifier looks. */
const headerHot = [0, 15, 16, 17, 18, 19, 20, 21, 24, 28, 32, 36, 40, 44, 48, 52, 56, 60, 64, 92, 96, 100, 101, 103, 105, 107];

const properties = [
  fuzzProperty({
    name: 'WAL index: forged headers and frames',
    arbitrary: forgedArbitrary(seeds.wal, walHot),
    runs: 600,
    inputBytes: (forged: Forged) => seeds.wal.byteLength + forged.mutations.length * 2000,
    check: (forged: Forged) => {
      const wal = forgeWal(forged);
      const reader = countingReader(wal);
      const index = indexWal(reader.read, wal.byteLength, "/fuzz/case.db-wal");
      assert.ok(reader.largest() <= Math.max(wal.byteLength, 64), 'reads stay within the file');
      assert.ok(index.latestPageOffset.size <= index.framesApplied, 'one offset per applied frame at most');
      for (const [page, offset] of index.latestPageOffset) {
        assert.ok(page >= 1 && offset + (index.header?.pageSize ?? 0) <= wal.byteLength, `page ${page} at ${offset}`);
      }
      assert.equal(index.databasePages === null, index.framesApplied === 0);
    },
  }),
  fuzzProperty({
    name: 'journal index: forged headers and page records',
    arbitrary: forgedArbitrary(seeds.journal, journalHot),
    runs: 600,
    inputBytes: (forged: Forged) => seeds.journal.byteLength + forged.mutations.length * 2000,
    check: (forged: Forged) => {
      const journal = forgeJournal(forged);
      const reader = countingReader(journal);
      const index = indexHotJournal(reader.read, journal.byteLength, seeds.pageSize, "/fuzz/case.db-journal");
      assert.ok(reader.largest() <= Math.max(journal.byteLength, 64), 'reads stay within the file');
      assert.ok(index.originalPageOffset.size <= index.report.pagesRestored);
      for (const [page, offset] of index.originalPageOffset) assert.ok(page >= 1 && offset + seeds.pageSize <= journal.byteLength, `page ${page} at ${offset}`);
    },
  }),
  fuzzProperty({
    name: 'classifier: damaged headers and first pages',
    arbitrary: fc.record({ seed: fc.constantFrom('app', 'wal', 'torn'), mutations: mutationsArbitrary(seeds.appDb.byteLength, headerHot, 4) }),
    runs: 800,
    inputBytes: () => seeds.tornDb.byteLength,
    check: ({ seed, mutations }: { seed: 'app' | 'wal' | 'torn'; mutations: Mutation[] }) => {
      const original = seed === 'app' ? seeds.appDb : seed === 'wal' ? seeds.walDb : seeds.tornDb;
      const bytes = applyMutations(original, mutations);
      const header = classifyDatabasePrefix(bytes.subarray(0, 256 * 1024), bytes.byteLength, '/fuzz/case.db');
      if (header) assert.ok([512, 1024, 2048, 4096, 8192, 16384, 32768, 65536].includes(header.pageSize));
    },
  }),
  fuzzProperty({
    name: 'opening a database with a forged -wal (SQLite as the oracle)',
    arbitrary: forgedArbitrary(seeds.wal, walHot),
    runs: 120,
    inputBytes: (forged: Forged) => seeds.walDb.byteLength + seeds.wal.byteLength + forged.mutations.length * 2000,
    check: async (forged: Forged) => {
      writeCase(seeds.walDb, { wal: forgeWal(forged) });
      await openAndCompare();
    },
  }),
  fuzzProperty({
    name: 'opening a torn database with a forged hot -journal (SQLite as the oracle)',
    arbitrary: forgedArbitrary(seeds.journal, journalHot),
    runs: 120,
    inputBytes: (forged: Forged) => seeds.tornDb.byteLength + seeds.journal.byteLength + forged.mutations.length * 2000,
    check: async (forged: Forged) => {
      writeCase(seeds.tornDb, { journal: forgeJournal(forged) });
      await openAndCompare();
    },
  }),
  fuzzProperty({
    name: 'record decoding: damaged b-tree pages of an app database, every table read',
    arbitrary: mutationsArbitrary(seeds.appDb.byteLength, [], 4),
    runs: 150,
    inputBytes: (mutations: Mutation[]) => seeds.appDb.byteLength + mutations.length * 2000,
    check: async (mutations: Mutation[]) => {
      writeCase(applyMutations(seeds.appDb, mutations), {});
      await openAndCompare();
    },
  }),
];

describe('fuzz: database files, -wal and -journal', () => {
  before(() => {
    ({ dir, cleanup } = scratchDir('synclens-fuzz-'));
    casePath = join(dir, 'case.db');
  });
  after(() => cleanup());
  fuzzProperties(properties);
});
