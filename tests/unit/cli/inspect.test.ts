import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { buildOnce, runCli, sampleDir, sampleNowIso, stderrLines, type CliRun } from './cliProcess';

interface JsonColumn {
  name: string;
  type: string;
  pk: boolean;
  notNull: boolean;
  timestampEncoding?: string;
}
interface JsonTable {
  name: string;
  kind: string;
  rows: number;
  role: string;
  collection?: string;
  columns: JsonColumn[];
}
interface JsonReport {
  file: string;
  config: string | null;
  walFramesApplied: number;
  tables: JsonTable[];
  queue: Record<string, unknown> | null;
}

function parseReport(run: CliRun): JsonReport {
  assert.equal(run.status, 0, `exit 0 expected; stderr: ${run.stderr}`);
  assert.equal(run.stderr, '');
  return JSON.parse(run.stdout) as JsonReport;
}

function table(report: JsonReport, name: string): JsonTable {
  const found = report.tables.find((candidate) => candidate.name === name);
  assert.ok(found, `table ${name} in ${report.tables.map((t) => t.name).join(', ')}`);
  return found;
}

/** Every file of a database (main, -wal, -shm, -journal) with its hash, and which exist. */
function snapshot(dbPath: string): Record<string, string | null> {
  const files: Record<string, string | null> = {};
  for (const suffix of ['', '-wal', '-shm', '-journal']) {
    const path = dbPath + suffix;
    files[suffix || 'main'] = existsSync(path) ? sha256OfFile(path) : null;
  }
  return files;
}

before(() => buildOnce());

describe('synclens inspect on the sample workspace', () => {
  const appDb = join(sampleDir, 'app.db');
  const walDb = join(sampleDir, 'app-wal.db');

  test('--json at the capture instant: the issue shape with exact numbers', () => {
    const before = snapshot(appDb);
    const report = parseReport(runCli(['inspect', 'sample-workspace/app.db', '--json', '--now', sampleNowIso]));
    assert.deepEqual(snapshot(appDb), before, 'app.db and its companions unchanged');

    assert.equal(report.file, 'sample-workspace/app.db');
    assert.equal(report.config, 'sample-workspace/synclens.json');
    assert.equal(report.walFramesApplied, 0);
    assert.deepEqual(
      report.tables.map(({ name, kind, rows, role }) => ({ name, kind, rows, role })),
      [
        { name: 'posts', kind: 'table', rows: 61, role: 'entity' },
        { name: 'sync_operations', kind: 'table', rows: 15, role: 'queue' },
        { name: 'sync_state', kind: 'table', rows: 2, role: 'state' },
        { name: 'users', kind: 'table', rows: 41, role: 'entity' },
      ],
    );
    const users = table(report, 'users');
    assert.deepEqual(
      users.columns.map(({ name, type, pk, notNull }) => ({ name, type, pk, notNull })).slice(0, 3),
      [
        { name: 'id', type: 'INTEGER', pk: true, notNull: false },
        { name: 'odid', type: 'TEXT', pk: false, notNull: true },
        { name: 'email', type: 'TEXT', pk: false, notNull: true },
      ],
    );
    assert.equal(users.columns.find((c) => c.name === 'updatedAt')?.timestampEncoding, 'epoch-millis');
    assert.equal(table(report, 'posts').columns.find((c) => c.name === 'createdAt')?.timestampEncoding, 'iso8601');
    assert.equal(users.collection, 'users');

    assert.deepEqual(report.queue, {
      table: 'sync_operations',
      kind: 'table',
      readOnlyReason: null,
      total: 15,
      pending: 13,
      deadLettered: 2,
      invalid: 2,
      // The delete of a post that is not in the database is sent anyway: not an orphan (issue 14).
      orphans: 1,
      backingOff: 1,
      superseded: 2,
      ready: 7,
      oldestPendingAt: '2026-11-20T12:00:00.000Z',
      oldestPendingAgeMs: 4 * 24 * 3600 * 1000,
      now: '2026-11-24T12:00:00.000Z',
      // The sample's sync_state row (sample-workspace/generate.ts).
      lastSync: { at: '2026-11-21T10:00:00.000Z', source: 'sync_state.lastSyncAt', facts: {} },
    });
  });

  test('against the real clock the backing-off operation has become ready', (t) => {
    // The op's last attempt was 3 s before the capture and its backoff is at most 16 s.
    if (Date.now() < Date.parse(sampleNowIso) + 60_000) return t.skip('the machine clock is before the sample capture');
    const report = parseReport(runCli(['inspect', 'sample-workspace/app.db', '--json']));
    assert.equal(report.queue?.backingOff, 0);
    assert.equal(report.queue?.ready, 8);
    assert.equal(report.queue?.pending, 13);
  });

  test('the WAL copy: frames applied from the -wal, its newest operations counted, no byte touched', () => {
    const before = snapshot(walDb);
    assert.ok(before['-wal'], 'the sample ships app-wal.db-wal');
    const report = parseReport(runCli(['inspect', walDb, '--json', '--now', sampleNowIso]));
    assert.deepEqual(snapshot(walDb), before, 'app-wal.db, its -wal unchanged and no -shm created');

    const pageSize = readFileSync(walDb).readUInt16BE(16);
    const frames = (statSync(`${walDb}-wal`).size - 32) / (24 + pageSize);
    assert.ok(Number.isInteger(frames) && frames > 0);
    assert.equal(report.walFramesApplied, frames, 'every frame of the -wal is committed');
    assert.equal(table(report, 'users').rows, 41);
    assert.equal(table(report, 'posts').rows, 62);
    assert.equal(table(report, 'sync_operations').rows, 18);
    assert.deepEqual(
      { ...report.queue, oldestPendingAt: undefined, oldestPendingAgeMs: undefined, now: undefined },
      {
        table: 'sync_operations',
        kind: 'table',
        readOnlyReason: null,
        total: 18,
        pending: 16,
        deadLettered: 2,
        invalid: 2,
        orphans: 1,
        backingOff: 1,
        superseded: 2,
        ready: 10,
        oldestPendingAt: undefined,
        oldestPendingAgeMs: undefined,
        now: undefined,
        lastSync: { at: '2026-11-21T10:00:00.000Z', source: 'sync_state.lastSyncAt', facts: {} },
      },
    );
  });

  test('--no-wal reads the main file alone', () => {
    const report = parseReport(runCli(['inspect', walDb, '--json', '--no-wal', '--now', sampleNowIso]));
    assert.equal(report.walFramesApplied, 0);
    assert.equal(table(report, 'sync_operations').rows, 15);
  });

  test('the Isar-style database: class-named tables and ordinal operations', () => {
    const isar = join(sampleDir, 'isar-style.db');
    const report = parseReport(runCli(['inspect', isar, '--json', '--now', sampleNowIso]));
    const roles = Object.fromEntries(report.tables.map((t) => [t.name, t.role]));
    assert.deepEqual(roles, { PostModel: 'entity', SyncOperation: 'queue', UserModel: 'entity' });
    const operations = Number(sqlite3(isar, 'SELECT count(*) FROM "SyncOperation";').trim());
    assert.equal(report.queue?.table, 'SyncOperation');
    assert.equal(report.queue?.total, operations);
    assert.equal(table(report, 'UserModel').columns.find((c) => c.name === 'updatedAt')?.timestampEncoding, 'epoch-micros');
    assert.equal(table(report, 'UserModel').collection, 'users');
    const text = runCli(['inspect', isar, '--now', sampleNowIso]).stdout;
    assert.match(text, /^SyncOperation\s+table\s+\d+\s+queue\s+9\s+operation as ordinal, times epoch-micros$/m);
  });

  test('the readable summary lists tables with rows and roles, and the queue totals', () => {
    const run = runCli(['inspect', 'sample-workspace/app.db', '--now', sampleNowIso]);
    assert.equal(run.status, 0);
    assert.equal(run.stderr, '');
    const lines = run.stdout.split('\n');
    assert.match(lines[0] ?? '', /^sample-workspace\/app\.db: 4 tables, no WAL frames applied$/);
    assert.ok(lines.some((line) => /^users\s+table\s+41\s+entity\s+10\s+collection users, id odid, times epoch-millis$/.test(line)), run.stdout);
    assert.ok(lines.some((line) => /^sync_operations\s+table\s+15\s+queue\s+9\s+operation as text, times epoch-millis$/.test(line)), run.stdout);
    assert.ok(lines.some((line) => /^sync_state\s+table\s+2\s+state\s+2\s+key -> value$/.test(line)), run.stdout);
    assert.ok(lines.includes('Sync queue sync_operations (table, as of 2026-11-24T12:00:00.000Z):'), run.stdout);
    for (const [label, count] of [['total', 15], ['pending', 13], ['ready', 7], ['backing off', 1], ['dead-lettered', 2]] as const) {
      assert.ok(lines.some((line) => new RegExp(`^\\s+${label}\\s+${count}$`).test(line)), `${label} ${count} in\n${run.stdout}`);
    }
    assert.ok(lines.includes('  oldest pending: 4d old (created 2026-11-20T12:00:00.000Z)'), run.stdout);
  });

  test('a database without a queue reports queue: null', () => {
    const scratch = scratchDir();
    try {
      const plain = join(scratch.dir, 'plain.db');
      sqlite3(plain, 'CREATE TABLE "notes" ("id" INTEGER PRIMARY KEY, "body" TEXT); INSERT INTO "notes" ("body") VALUES (\'hi\');');
      const report = parseReport(runCli(['inspect', plain, '--json']));
      assert.equal(report.queue, null);
      assert.deepEqual(report.tables.map(({ name, rows, role }) => ({ name, rows, role })), [{ name: 'notes', rows: 1, role: 'other' }]);
      const text = runCli(['inspect', plain]);
      assert.match(text.stdout, /Sync queue: none detected/);
    } finally {
      scratch.cleanup();
    }
  });
});

describe('synclens inspect with synclens.json', () => {
  const scratch = scratchDir();
  const db = join(scratch.dir, 'app.db');
  const config = join(scratch.dir, 'synclens.json');
  before(() => copyFileSync(join(sampleDir, 'app.db'), db));
  after(() => scratch.cleanup());

  test('the nearest config sets the retry policy', () => {
    writeFileSync(config, JSON.stringify({ maxRetries: 6 }));
    const report = parseReport(runCli(['inspect', db, '--json', '--now', sampleNowIso]));
    assert.equal(report.config, config);
    // retryCount 5 is pending again under maxRetries 6 (its backoff long over); 7 stays dead-lettered.
    assert.equal(report.queue?.deadLettered, 1);
    assert.equal(report.queue?.pending, 14);
    assert.equal(report.queue?.ready, 8);
  });

  test('a bad config is bad input naming its line; --no-config ignores it', () => {
    writeFileSync(config, '{\n  "maxRetries": "five"\n}\n');
    const run = runCli(['inspect', db, '--json']);
    assert.equal(run.status, 2);
    assert.deepEqual(stderrLines(run), [`synclens: ${db}: ${config}:2:17: "maxRetries" must be an integer`]);
    assert.equal((JSON.parse(run.stdout) as { error: { code: string } }).error.code, 'config');

    const ignored = parseReport(runCli(['inspect', db, '--json', '--no-config', '--now', sampleNowIso]));
    assert.equal(ignored.config, null);
    assert.equal(ignored.queue?.deadLettered, 2);
  });

  test('--config names another file; a table it names must exist', () => {
    const other = join(scratch.dir, 'other.json');
    writeFileSync(other, JSON.stringify({ entities: { missing_table: {} } }));
    const run = runCli(['inspect', db, '--config', other]);
    assert.equal(run.status, 2);
    assert.equal(stderrLines(run).length, 1);
    assert.match(run.stderr, /missing_table/);
  });
});

describe('synclens inspect on hostile names', () => {
  test('control characters in names are escaped in the summary and exact in JSON', () => {
    const scratch = scratchDir();
    try {
      const path = join(scratch.dir, 'hostile.db');
      const evil = 'evil\u001b[2J\nname "quoted" 表';
      sqlite3(path, `CREATE TABLE "${evil.replace(/"/g, '""')}" ("<script>alert(1)</script>" TEXT, "select" INTEGER);`);
      const report = parseReport(runCli(['inspect', path, '--json']));
      assert.equal(report.tables[0]?.name, evil);
      assert.deepEqual(report.tables[0]?.columns.map((c) => c.name), ['<script>alert(1)</script>', 'select']);

      const text = runCli(['inspect', path]);
      assert.equal(text.status, 0);
      assert.ok(!text.stdout.includes('\u001b'), 'no raw ESC reaches the terminal');
      assert.ok(text.stdout.includes('evil\\u001b[2J\\u000aname "quoted" 表'), text.stdout);
    } finally {
      scratch.cleanup();
    }
  });
});

describe('synclens inspect on bad files: exit 2, one stderr line, a JSON error, bytes unchanged', () => {
  const scratch = scratchDir();
  after(() => scratch.cleanup());

  /** Bytes that look random but repeat from run to run. */
  function noise(length: number, seed: string): Buffer {
    const chunks: Buffer[] = [];
    for (let index = 0; chunks.length * 32 < length; index++) chunks.push(createHash('sha256').update(`${seed}:${index}`).digest());
    return Buffer.concat(chunks).subarray(0, length);
  }

  function realDatabase(name: string, rows: number): string {
    const path = join(scratch.dir, name);
    sqlite3(
      path,
      `CREATE TABLE "t" ("id" INTEGER PRIMARY KEY, "body" TEXT);
       CREATE INDEX "t_body" ON "t" ("body");
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${rows})
       INSERT INTO "t" ("body") SELECT printf('row %06d %s', i, hex(randomblob(40))) FROM n;`,
    );
    return path;
  }

  const cases: Array<{ name: string; code: string; make: () => string }> = [
    { name: 'an empty file', code: 'empty', make: () => write('empty.db', Buffer.alloc(0)) },
    { name: 'a text file', code: 'not-sqlite', make: () => write('notes.db', Buffer.from('just some notes\nnot a database\n')) },
    {
      name: 'an unknown binary file',
      code: 'not-sqlite',
      make: () => write('image.db', Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), noise(3000, 'png')])),
    },
    {
      name: 'an Isar (MDBX) file',
      code: 'mdbx',
      make: () => {
        // A libmdbx meta page: P_META in the page header, then MDBX_MAGIC << 8 | version, then the page size.
        const page = Buffer.alloc(4096 * 3);
        page.writeUInt16LE(0x08, 10);
        page.writeBigUInt64LE((0x59659dbdef4c11n << 8n) | 3n, 20);
        page.writeUInt32LE(4096, 20 + 44);
        noise(4096, 'mdbx').copy(page, 4096);
        return write('default.isar', page);
      },
    },
    { name: 'an encrypted (SQLCipher-like) file', code: 'encrypted', make: () => write('cipher.db', noise(4096 * 4, 'cipher')) },
    {
      name: 'a truncated database',
      code: 'truncated',
      make: () => {
        const path = realDatabase('truncated.db', 2000);
        truncateSync(path, Math.floor(statSync(path).size / 2 / 4096) * 4096);
        return path;
      },
    },
    {
      name: 'a corrupt database',
      code: 'corrupt',
      make: () => {
        const path = realDatabase('corrupt.db', 2000);
        const bytes = readFileSync(path);
        // Scribble over b-tree pages in the middle; the header and page count stay intact.
        noise(4096 * 3, 'corrupt').copy(bytes, 4096 * 5);
        writeFileSync(path, bytes);
        return path;
      },
    },
    {
      name: 'a folder instead of a file',
      code: 'unreadable',
      make: () => {
        const path = join(scratch.dir, 'folder.db');
        mkdirSync(path);
        return path;
      },
    },
  ];

  function write(name: string, bytes: Buffer): string {
    const path = join(scratch.dir, name);
    writeFileSync(path, bytes);
    return path;
  }

  for (const badFile of cases) {
    test(`${badFile.name} -> ${badFile.code}`, () => {
      const path = badFile.make();
      const before = existsSync(path) && statSync(path).isFile() ? snapshot(path) : null;

      const text = runCli(['inspect', path]);
      assert.equal(text.status, 2);
      assert.equal(text.stdout, '');
      const lines = stderrLines(text);
      assert.equal(lines.length, 1, `exactly one stderr line: ${JSON.stringify(text.stderr)}`);
      assert.ok(lines[0]?.startsWith(`synclens: ${path}: `), lines[0]);
      assert.ok((lines[0]?.length ?? 0) > `synclens: ${path}: `.length + 10, 'the message says something');

      const json = runCli(['inspect', path, '--json']);
      assert.equal(json.status, 2);
      assert.equal(stderrLines(json).length, 1);
      assert.equal(stderrLines(json)[0], lines[0]);
      const parsed = JSON.parse(json.stdout) as { error: { code: string; message: string } };
      assert.deepEqual(Object.keys(parsed), ['error']);
      assert.equal(parsed.error.code, badFile.code, parsed.error.message);
      assert.ok(parsed.error.message.length > 0 && !parsed.error.message.includes('\n'));

      if (before) assert.deepEqual(snapshot(path), before, 'the bad file is unchanged');
    });
  }

  test('a missing file -> unreadable', () => {
    const path = join(scratch.dir, 'missing.db');
    const json = runCli(['inspect', path, '--json']);
    assert.equal(json.status, 2);
    assert.equal(stderrLines(json).length, 1);
    assert.equal((JSON.parse(json.stdout) as { error: { code: string } }).error.code, 'unreadable');
    assert.equal(existsSync(path), false, 'reading never creates the file');
  });

  test('a live WAL database is read without checkpointing or creating files', () => {
    const source = join(sampleDir, 'app-wal.db');
    const path = join(scratch.dir, 'live.db');
    copyFileSync(source, path);
    copyFileSync(`${source}-wal`, `${path}-wal`);
    const before = snapshot(path);
    assert.equal(runCli(['inspect', path]).status, 0);
    assert.deepEqual(snapshot(path), before);
  });
});

describe('synclens usage', () => {
  test('--version prints the package version', () => {
    const packageJson = JSON.parse(readFileSync(join(__dirname, '..', '..', '..', 'package.json'), 'utf8')) as { version: string };
    const run = runCli(['--version']);
    assert.equal(run.status, 0);
    assert.equal(run.stdout.trim(), packageJson.version);
  });

  test('--help lists inspect and the exit codes', () => {
    const run = runCli(['--help']);
    assert.equal(run.status, 0);
    assert.match(run.stdout, /inspect \[options\] <db>/);
    assert.match(run.stdout, /Exit codes: 0/);
    const inspectHelp = runCli(['inspect', '--help']);
    assert.equal(inspectHelp.status, 0);
    assert.match(inspectHelp.stdout, /--json/);
    assert.match(inspectHelp.stdout, /--now <iso-time>/);
  });

  test('usage errors are bad input: exit 2 and one stderr line', () => {
    for (const args of [['inspect'], ['inspect', 'a.db', '--bogus'], ['frobnicate']]) {
      const run = runCli(args);
      assert.equal(run.status, 2, args.join(' '));
      assert.equal(stderrLines(run).length, 1, `${args.join(' ')}: ${JSON.stringify(run.stderr)}`);
      assert.match(run.stderr, /^synclens: /);
    }
  });

  test('a malformed --now is rejected before the file is read', () => {
    const run = runCli(['inspect', 'sample-workspace/app.db', '--json', '--now', 'yesterday']);
    assert.equal(run.status, 2);
    assert.equal(stderrLines(run).length, 1);
    assert.equal((JSON.parse(run.stdout) as { error: { code: string } }).error.code, 'bad-option');
  });
});
