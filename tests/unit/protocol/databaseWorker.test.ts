// The database worker through its typed protocol, as the extension drives it: a real worker thread
// running the TypeScript source, on fixtures written by the real sqlite3 CLI.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { withRowCounts } from '../../../core/db/schema';
import { DatabaseWorkerProtocol } from '../../../core/protocol/databaseWorker';
import { timestampEncodingsOf, type GridCell, type GridPage } from '../../../core/protocol/gridModel';
import { RpcEndpoint, RpcError } from '../../../core/protocol/rpc';
import { expectedQueue, lastSeenMillis, lastSeenShown, writeConfigOverrideFixture } from '../../helpers/configOverrideFixture';
import { parseCsv } from '../../helpers/csv';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { sourceWorkerThread, type WorkerThread } from '../../helpers/workerThread';

const workerSource = join(__dirname, '../../../extension/worker/databaseWorker.ts');

describe('database worker', () => {
  const scratch = scratchDir('synclens-worker-');
  const dbPath = join(scratch.dir, 'odd values.db');
  let thread: WorkerThread;
  let endpoint: RpcEndpoint;
  const rowCount = 5000;

  before(() => {
    sqlite3(
      dbPath,
      `CREATE TABLE "odd ""table""" (id INTEGER PRIMARY KEY, "text, quoted" TEXT, big INTEGER, data BLOB, note TEXT);
       INSERT INTO "odd ""table""" VALUES (1, 'comma, "quote"' || char(10) || 'newline', 9007199254740993, x'00ff10', NULL);
       INSERT INTO "odd ""table""" VALUES (2, '<img src=x onerror=alert(1)>', -1, NULL, 'ünïcode ✓');
       CREATE TABLE numbers (n INTEGER PRIMARY KEY, parity TEXT);
       WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${rowCount})
       INSERT INTO numbers SELECT n, CASE n % 2 WHEN 0 THEN 'even' ELSE 'odd' END FROM seq;`,
    );
    thread = sourceWorkerThread(workerSource);
    endpoint = thread.endpoint;
  });

  after(async () => {
    await thread.close();
    scratch.cleanup();
  });

  test('opens a database and summarises it without touching the file', async () => {
    const before = sha256OfFile(dbPath);
    const summary = await endpoint.sendRequest(DatabaseWorkerProtocol.open, { path: dbPath });
    const counts = await endpoint.sendRequest(DatabaseWorkerProtocol.countTables, { path: dbPath });
    assert.deepEqual(
      withRowCounts(summary.schema, counts).tables.map((table) => [table.name, table.rows]),
      [
        ['numbers', rowCount],
        ['odd "table"', 2],
      ],
    );
    assert.equal(summary.fileName, 'odd values.db');
    assert.equal(sha256OfFile(dbPath), before);
  });

  test('first rows come back before the counts, and without them', async () => {
    const bigPath = join(scratch.dir, 'big.db');
    const bigRows = 300_000;
    sqlite3(
      bigPath,
      `CREATE TABLE events (id INTEGER PRIMARY KEY, note TEXT);
       WITH RECURSIVE seq(n) AS (SELECT 1 UNION ALL SELECT n + 1 FROM seq WHERE n < ${bigRows})
       INSERT INTO events SELECT n, printf('event %08d', n) FROM seq;
       CREATE TABLE tags (name TEXT);
       INSERT INTO tags VALUES ('a'), ('b');`,
    );
    const summary = await endpoint.sendRequest(DatabaseWorkerProtocol.open, { path: bigPath });
    assert.deepEqual(
      summary.schema.tables.map((table) => [table.name, table.rows]),
      [
        ['events', null],
        ['tags', null],
      ],
    );
    // Asked for first: on one thread the page would wait for every count(*).
    const arrived: string[] = [];
    const counting = endpoint.sendRequest(DatabaseWorkerProtocol.countTables, { path: bigPath }).then((counts) => {
      arrived.push('counts');
      return counts;
    });
    const filteredCount = endpoint.sendRequest(DatabaseWorkerProtocol.countRows, {
      path: bigPath,
      table: 'events',
      filters: [{ column: 'note', op: 'contains', value: '7' }],
    });
    const page = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, {
      path: bigPath,
      query: { table: 'events', sort: null, filters: [], after: null, limit: 100 },
    });
    arrived.push('page');
    assert.equal(page.rows.length, 100);
    assert.deepEqual(page.rows[99]?.[1], { kind: 'text', value: 'event 00000100' });
    assert.deepEqual(await counting, [
      { table: 'events', rows: Number(sqlite3(bigPath, 'SELECT count(*) FROM events;').trim()) },
      { table: 'tags', rows: 2 },
    ]);
    assert.equal(await filteredCount, Number(sqlite3(bigPath, "SELECT count(*) FROM events WHERE note LIKE '%7%';").trim()));
    assert.deepEqual(arrived, ['page', 'counts']);
    await endpoint.sendRequest(DatabaseWorkerProtocol.close, { path: bigPath });
  });

  test('keyset pages cover every row exactly once, in either direction, with filters', async () => {
    for (const direction of ['asc', 'desc'] as const) {
      const seen: number[] = [];
      let after: string | null = null;
      for (;;) {
        const page: GridPage = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, {
          path: dbPath,
          query: { table: 'numbers', sort: { column: 'parity', direction }, filters: [{ column: 'n', op: 'le' as const, value: 1000 }], after, limit: 97 },
        });
        seen.push(...page.rows.map((row) => Number((row[0] as Extract<GridCell, { kind: 'integer' }>).text)));
        if (!page.hasMore) break;
        after = page.nextCursor;
      }
      assert.equal(seen.length, 1000);
      assert.equal(new Set(seen).size, 1000);
      const expected = sqlite3(dbPath, `SELECT n FROM numbers WHERE n <= 1000 ORDER BY parity ${direction}, rowid ${direction};`).trim().split('\n').map(Number);
      assert.deepEqual(seen, expected);
    }
    assert.equal(await endpoint.sendRequest(DatabaseWorkerProtocol.countRows, { path: dbPath, table: 'numbers', filters: [{ column: 'parity', op: 'eq', value: 'even' }] }), rowCount / 2);
  });

  test('cursors survive the trip as strings, big integers exact', async () => {
    const first = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, {
      path: dbPath,
      query: { table: 'odd "table"', sort: { column: 'big', direction: 'desc' }, filters: [], after: null, limit: 1 },
    });
    assert.equal(typeof first.nextCursor, 'string');
    assert.deepEqual(first.rows[0]?.[2], { kind: 'integer', value: 9007199254740992, text: '9007199254740993' });
    const second = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, {
      path: dbPath,
      query: { table: 'odd "table"', sort: { column: 'big', direction: 'desc' }, filters: [], after: first.nextCursor, limit: 1 },
    });
    assert.deepEqual(second.rows[0]?.[0], { kind: 'integer', value: 2, text: '2' });
  });

  test('exports CSV that parses back to the stored values', async () => {
    const output = join(scratch.dir, 'odd.csv');
    const result = await endpoint.sendRequest(DatabaseWorkerProtocol.exportRows, {
      exportId: 1,
      path: dbPath,
      table: 'odd "table"',
      sort: null,
      filters: [],
      format: 'csv',
      outputPath: output,
    });
    assert.deepEqual(result, { rows: 2, cancelled: false });
    assert.deepEqual(parseCsv(readFileSync(output, 'utf8')), [
      ['id', 'text, quoted', 'big', 'data', 'note'],
      ['1', 'comma, "quote"\nnewline', '9007199254740993', "x'00ff10'", ''],
      ['2', '<img src=x onerror=alert(1)>', '-1', '', 'ünïcode ✓'],
    ]);
  });

  test('exports JSON with exact values and null', async () => {
    const output = join(scratch.dir, 'odd.json');
    await endpoint.sendRequest(DatabaseWorkerProtocol.exportRows, { exportId: 2, path: dbPath, table: 'odd "table"', sort: null, filters: [], format: 'json', outputPath: output });
    assert.deepEqual(JSON.parse(readFileSync(output, 'utf8')), [
      { id: 1, 'text, quoted': 'comma, "quote"\nnewline', big: '9007199254740993', data: "x'00ff10'", note: null },
      { id: 2, 'text, quoted': '<img src=x onerror=alert(1)>', big: -1, data: null, note: 'ünïcode ✓' },
    ]);
  });

  test('a cancelled export leaves no file behind', async () => {
    const output = join(scratch.dir, 'cancelled.csv');
    const progress: number[] = [];
    const cancel = new AbortController();
    const stop = endpoint.onNotification(DatabaseWorkerProtocol.exportProgress, (update) => {
      if (update.exportId !== 3) return;
      progress.push(update.rows);
      cancel.abort();
    });
    const result = await endpoint.sendRequest(
      DatabaseWorkerProtocol.exportRows,
      { exportId: 3, path: dbPath, table: 'numbers', sort: null, filters: [], format: 'csv', outputPath: output },
      { signal: cancel.signal },
    );
    stop();
    assert.equal(result.cancelled, true);
    assert.ok(result.rows < rowCount, `stopped early (${result.rows} rows)`);
    assert.ok(progress.length >= 1);
    assert.equal(existsSync(output), false);
    assert.deepEqual(readdirSync(scratch.dir).filter((name) => name.includes('partial')), []);
  });

  test('a file that is not SQLite is refused with its code', async () => {
    const notes = join(scratch.dir, 'notes.db');
    writeFileSync(notes, 'meeting notes, not a database\n');
    await assert.rejects(endpoint.sendRequest(DatabaseWorkerProtocol.open, { path: notes }), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, 'not-sqlite');
      assert.match(error.message, /notes\.db is not a SQLite database/);
      return true;
    });
  });

  test('the nearest synclens.json sets roles, encodings and the queue totals; a broken one is a config error', async () => {
    const folder = join(scratch.dir, 'configured');
    mkdirSync(folder);
    const path = writeConfigOverrideFixture(folder, Date.now());
    const summary = await endpoint.sendRequest(DatabaseWorkerProtocol.open, { path });
    assert.equal(summary.tableRoles.journal, 'entity');
    assert.equal(timestampEncodingsOf(summary.roles, 'users').lastSeen, 'epoch-millis');
    // The summary leaves the queue for later, so the first rows never wait for its analysis.
    assert.equal(summary.queueTotals, null);
    const totals = await endpoint.sendRequest(DatabaseWorkerProtocol.queueTotals, { path });
    const { total, pending, ready, backingOff, deadLettered } = totals!;
    assert.deepEqual({ total, pending, ready, backingOff, deadLettered }, expectedQueue.withConfig);
    const page = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path, query: { table: 'users', sort: null, filters: [], after: null, limit: 10 } });
    const lastSeen = page.columns.indexOf('lastSeen');
    assert.deepEqual(page.rows[0]?.[lastSeen], { kind: 'timestamp', raw: lastSeenMillis, encoding: 'epoch-millis', millis: lastSeenMillis, utc: lastSeenShown });

    writeFileSync(join(folder, 'synclens.json'), '{ "maxRetries": 0 }');
    await assert.rejects(endpoint.sendRequest(DatabaseWorkerProtocol.open, { path }), (error: unknown) => {
      assert.ok(error instanceof RpcError);
      assert.equal(error.code, 'config');
      assert.match(error.message, /synclens\.json:1:17: "maxRetries" must be >= 1/);
      return true;
    });
  });
});
