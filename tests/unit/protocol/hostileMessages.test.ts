// Messages a compromised webview could send, delivered to the real database worker thread as the
// extension forwards them: each is refused with one error and changes nothing. (The other hostile
// messages of the security review need the extension host: tests/vscode/suite/hostileMessages.test.ts.)
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { DatabaseWorkerProtocol } from '../../../core/protocol/databaseWorker';
import type { GridQuery } from '../../../core/protocol/gridModel';
import { RpcEndpoint, RpcError } from '../../../core/protocol/rpc';
import { scratchDir, sha256OfFile, sqlite3 } from '../../helpers/sqliteCli';
import { sourceWorkerThread, type WorkerThread } from '../../helpers/workerThread';

const workerSource = join(__dirname, '../../../extension/worker/databaseWorker.ts');

describe('hostile messages to the database worker', () => {
  const scratch = scratchDir('synclens-hostile-');
  const dbPath = join(scratch.dir, 'app.db');
  let thread: WorkerThread;
  let endpoint: RpcEndpoint;

  before(async () => {
    // A view has no unique key, so its cursor carries `duplicates`, which the next page's LIMIT adds.
    sqlite3(
      dbPath,
      `CREATE TABLE items (id INTEGER PRIMARY KEY, label TEXT NOT NULL);
       WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 20) INSERT INTO items SELECT i, 'item ' || (i % 4) FROM n;
       CREATE VIEW labels AS SELECT label FROM items;`,
    );
    thread = sourceWorkerThread(workerSource);
    endpoint = thread.endpoint;
    await endpoint.sendRequest(DatabaseWorkerProtocol.open, { path: dbPath });
  });

  after(async () => {
    await thread.close();
    scratch.cleanup();
  });

  const firstPage: GridQuery = { table: 'labels', sort: { column: 'label', direction: 'asc' }, filters: [], after: null, limit: 3 };

  test('a cursor whose duplicates count is SQL is refused, and the real cursor still reads the same next page', async () => {
    const before = sha256OfFile(dbPath);
    const page = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: firstPage });
    assert.ok(page.nextCursor, 'the view has more rows');
    const cursor = JSON.parse(page.nextCursor) as { values: unknown[]; duplicates?: unknown };
    assert.equal(typeof cursor.duplicates, 'number', 'a view cursor counts the rows equal to the last one');
    const expected = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: { ...firstPage, after: page.nextCursor } });

    // `LIMIT ${limit + duplicates + 1}` would read `LIMIT 30 OR 11`: one row instead of a page.
    for (const duplicates of ['0 OR 1', -5, 1.5, '2']) {
      const hostile = JSON.stringify({ ...cursor, duplicates });
      await assert.rejects(
        endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: { ...firstPage, after: hostile } }),
        (error: unknown) => {
          assert.ok(error instanceof RpcError, String(error));
          assert.equal(error.code, 'invalid-params', `duplicates ${JSON.stringify(duplicates)}: ${error.message}`);
          assert.match(error.message, /cursor/);
          return true;
        },
      );
    }
    for (const hostile of ['{"values": "x"}', 'not json', '{"values": [{"$where": 1}]}']) {
      await assert.rejects(endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: { ...firstPage, after: hostile } }), { code: 'invalid-params' });
    }
    const again = await endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: { ...firstPage, after: page.nextCursor } });
    assert.deepEqual(again, expected);
    assert.equal(sha256OfFile(dbPath), before, 'the file is untouched');
  });

  test('a page size that is not a positive integer is refused before any SQL runs', async () => {
    for (const limit of ['3 OR 1', 0, -1, 2.5]) {
      await assert.rejects(
        endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: dbPath, query: { ...firstPage, limit: limit as number } }),
        (error: unknown) => error instanceof RpcError && error.code === 'invalid-params' && /query\.limit/.test(error.message),
      );
    }
  });
});
