import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { SqlDatabase } from '../../../core/db/sqlDatabase';
import { queryAll, quoteIdentifier } from '../../../core/db/query';
import { isCodedError } from '../../../core/errors';
import { countRows, iterateRows, readPage, readRowByKey, RowsRequestError, type Cursor, type RowSort } from '../../../core/db/rows';
import type { SqlValue, TypedFilter } from '../../../core/db/types';
import { sqliteFixture } from '../../helpers/schemas';

const fixtureSql = `
CREATE TABLE "order" ("select" INTEGER PRIMARY KEY, "group" TEXT, "from" REAL, "naïve ✓" INTEGER, data BLOB, note TEXT COLLATE NOCASE);
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 237)
INSERT INTO "order"
SELECT i,
       CASE WHEN i % 7 = 0 THEN NULL ELSE 'g' || (i % 5) END,
       CASE WHEN i % 11 = 0 THEN NULL ELSE (i % 13) * 0.5 END,
       CASE WHEN i % 3 = 0 THEN NULL ELSE i % 4 END,
       CASE WHEN i % 9 = 0 THEN NULL ELSE CAST(printf('blob-%d', i % 6) AS BLOB) END,
       CASE WHEN i % 4 = 0 THEN 'Note ' || (i % 3) ELSE 'note ' || (i % 3) END
  FROM n;
CREATE TABLE shadowed ("rowid" TEXT, oid INTEGER, v INTEGER);
CREATE INDEX order_group ON "order" ("group");
INSERT INTO shadowed VALUES ('a', 1, 3), ('b', 2, NULL), ('c', 3, 3), ('d', 4, 1), ('e', 5, NULL);
CREATE TABLE pairs (k TEXT NOT NULL, n INTEGER NOT NULL, v TEXT, PRIMARY KEY (k, n)) WITHOUT ROWID;
WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 60)
INSERT INTO pairs SELECT 'k' || (i % 4), i, CASE WHEN i % 5 = 0 THEN NULL ELSE 'v' || (i % 3) END FROM n;
CREATE VIEW "dup view" AS SELECT "group", "naïve ✓" FROM "order";
CREATE TABLE nocols_rowid ("rowid" INTEGER, "_rowid_" INTEGER, "oid" INTEGER);
INSERT INTO nocols_rowid VALUES (1, 1, 1), (1, 1, 1), (2, NULL, 2), (1, 1, 1);
`;

let fixture: Awaited<ReturnType<typeof sqliteFixture>>;
let db: SqlDatabase;
before(async () => {
  fixture = await sqliteFixture(fixtureSql);
  db = fixture.db;
});
after(() => fixture.close());

/** Every page from the first, concatenated: values and cursors as a caller would use them. */
function allPages(table: string, limit: number, sort: RowSort | null = null, filters: TypedFilter[] = []): { rows: SqlValue[][]; pages: number } {
  const rows: SqlValue[][] = [];
  let after: Cursor | null = null;
  let pages = 0;
  for (;;) {
    const page = readPage(db, { table, sort, filters, after, limit });
    pages++;
    assert.ok(page.values.length <= limit);
    rows.push(...page.values);
    if (!page.hasMore) {
      assert.equal(page.nextCursor, null);
      return { rows, pages };
    }
    assert.equal(page.values.length, limit, 'only the last page is short');
    after = page.nextCursor;
    assert.ok(pages < 10_000);
  }
}

/** The oracle: one ORDER BY over the whole table, as SQLite itself orders it. */
function fullSorted(table: string, order: string, where = '', params: SqlValue[] = []): SqlValue[][] {
  return queryAll(db, `SELECT * FROM ${quoteIdentifier(table)} ${where} ORDER BY ${order}`, params).rows;
}

describe('keyset pages', () => {
  const columns = ['select', 'group', 'from', 'naïve ✓', 'data', 'note'];
  for (const limit of [1, 7, 50, 1000]) {
    test(`"order" pages of ${limit} concatenate to the full sorted result, for every column and direction`, () => {
      assert.deepEqual(allPages('order', limit).rows, fullSorted('order', 'rowid'));
      for (const column of limit === 1 ? ['group'] : columns) {
        for (const direction of ['asc', 'desc'] as const) {
          const expected = fullSorted('order', `${quoteIdentifier(column)} ${direction}, rowid ${direction}`);
          assert.deepEqual(allPages('order', limit, { column, direction }).rows, expected, `${column} ${direction}`);
        }
      }
    });
  }

  test('NULLs come first ascending and last descending', () => {
    const ascending = readPage(db, { table: 'order', sort: { column: 'group', direction: 'asc' }, limit: 3 });
    assert.deepEqual(ascending.rows.map((row) => row[1]), [{ kind: 'null' }, { kind: 'null' }, { kind: 'null' }]);
    assert.deepEqual(ascending.values.map((row) => row[0]), [7, 14, 21]);
    const descending = allPages('order', 10, { column: 'group', direction: 'desc' }).rows;
    assert.equal(descending.at(-1)?.[1], null);
    assert.equal(descending.at(0)?.[1], 'g4');
  });

  test('with filters, pages still concatenate to the filtered sorted result', () => {
    const filters: TypedFilter[] = [{ column: 'from', op: 'ge', value: '2' }, { column: 'naïve ✓', op: 'ne', value: 1 }];
    const expected = fullSorted('order', '"group" DESC, rowid DESC', 'WHERE "from" >= 2 AND "naïve ✓" IS NOT 1');
    assert.ok(expected.length > 20);
    assert.deepEqual(allPages('order', 6, { column: 'group', direction: 'desc' }, filters).rows, expected);
  });

  test('a table whose column is named rowid pages by _rowid_', () => {
    assert.deepEqual(allPages('shadowed', 2, { column: 'v', direction: 'asc' }).rows, fullSorted('shadowed', 'v, _rowid_'));
    assert.deepEqual(readPage(db, { table: 'shadowed', limit: 2 }).keys, [[1], [2]]);
  });

  test('WITHOUT ROWID pages by its primary key', () => {
    for (const limit of [1, 4, 13]) {
      assert.deepEqual(allPages('pairs', limit).rows, fullSorted('pairs', 'k, n'));
      assert.deepEqual(allPages('pairs', limit, { column: 'v', direction: 'desc' }).rows, fullSorted('pairs', 'v DESC, k DESC, n DESC'));
    }
    assert.deepEqual(readPage(db, { table: 'pairs', limit: 2 }).keys, [['k0', 4], ['k0', 8]]);
  });

  test('a view with duplicate rows pages over all its columns without losing or repeating any', () => {
    for (const limit of [1, 3, 10, 40]) {
      assert.deepEqual(allPages('dup view', limit).rows, fullSorted('dup view', '1, 2'), `limit ${limit}`);
      assert.deepEqual(
        allPages('dup view', limit, { column: 'naïve ✓', direction: 'desc' }).rows,
        fullSorted('dup view', '2 DESC, 1 DESC, 2 DESC'),
        `limit ${limit} desc`,
      );
    }
  });

  test('a table with rowid, _rowid_ and oid all taken pages like a view', () => {
    assert.deepEqual(allPages('nocols_rowid', 1).rows, [[1, 1, 1], [1, 1, 1], [1, 1, 1], [2, null, 2]]);
  });

  test('a deep page is an index seek, never a scan with OFFSET, in either direction', () => {
    const plans: string[] = [];
    const prepare = db.prepare.bind(db);
    db.prepare = (text, params) => {
      if (text.startsWith('SELECT')) {
        plans.push(queryAll(db, `EXPLAIN QUERY PLAN ${text}`).rows.map((row) => String(row[3])).join(' | '));
      }
      return prepare(text, params);
    };
    try {
      const byKey = readPage(db, { table: 'order', limit: 5, after: { values: [200] } });
      assert.deepEqual(byKey.values.map((row) => row[0]), [201, 202, 203, 204, 205]);
      for (const direction of ['asc', 'desc'] as const) {
        const sort: RowSort = { column: 'group', direction };
        const first = readPage(db, { table: 'order', limit: 50, sort });
        readPage(db, { table: 'order', limit: 50, sort, after: first.nextCursor });
      }
    } finally {
      db.prepare = prepare;
    }
    assert.ok(plans.length >= 5);
    for (const plan of plans) {
      assert.doesNotMatch(plan, /OFFSET|TEMP B-TREE/, plan);
    }
    const seeks = plans.filter((plan) => /SEARCH/.test(plan));
    assert.ok(seeks.length >= 3, plans.join('\n'));
    assert.match(plans[0]!, /SEARCH .*(rowid|INTEGER PRIMARY KEY)/);
  });

  test('a page size out of range is clamped', () => {
    assert.equal(readPage(db, { table: 'order', limit: 0 }).values.length, 1);
    assert.equal(readPage(db, { table: 'order', limit: Number.NaN }).values.length, 100);
    assert.equal(readPage(db, { table: 'order', limit: 1e9 }).values.length, 237);
  });

  test('a cursor from another sort is refused with a clear message', () => {
    const page = readPage(db, { table: 'order', limit: 2 });
    assert.throws(
      () => readPage(db, { table: 'order', limit: 2, after: page.nextCursor, sort: { column: 'group', direction: 'asc' } }),
      /cursor does not fit "order"/,
    );
  });
});

describe('cells', () => {
  let cellsFixture: Awaited<ReturnType<typeof sqliteFixture>>;
  before(async () => {
    cellsFixture = await sqliteFixture(`
      CREATE TABLE "my cells" (id INTEGER PRIMARY KEY, t TEXT, j TEXT, b BLOB, r REAL, i INTEGER, created_at INTEGER, updatedAt TEXT);
      INSERT INTO "my cells" VALUES
        (1, '<script>alert(1)</script>', '{"a": [1, 2]}', x'00ff10', 2.0, 9007199254740993, 1709301909, '2024-03-01T14:05:09Z'),
        (2, '<img src=x onerror="alert(1)">', '[1, "two"]', zeroblob(100), 0.5, -3, 1709301910, '2024-03-01 14:05:10'),
        (3, 'tab	and "quotes" & <b>amp</b> ünï ✓', '{not json}', x'', NULL, 0, NULL, NULL),
        (4, CAST(x'e282ac2041' AS TEXT), '  {"padded": true}  ', NULL, -1e300, NULL, 1709301911, '2024-03-01T14:05:11.5+00:00'),
        (5, CAST(x'011b5b33316d7f0d0a3c2f7464' AS TEXT), '', NULL, NULL, NULL, NULL, NULL);`);
  });
  after(() => cellsFixture.close());

  test('hostile text comes back verbatim as text, never markup', () => {
    const page = readPage(cellsFixture.db, { table: 'my cells', limit: 10 });
    assert.deepEqual(page.rows.map((row) => row[1]), [
      { kind: 'text', value: '<script>alert(1)</script>' },
      { kind: 'text', value: '<img src=x onerror="alert(1)">' },
      { kind: 'text', value: 'tab\tand "quotes" & <b>amp</b> ünï ✓' },
      { kind: 'text', value: '€ A' },
      { kind: 'text', value: '\u0001\u001b[31m\u007f\r\n</td' },
    ]);
  });

  test('JSON objects and arrays are detected; other braces stay text', () => {
    const cells = readPage(cellsFixture.db, { table: 'my cells', limit: 10 }).rows.map((row) => row[2]);
    assert.deepEqual(cells, [
      { kind: 'json', value: '{"a": [1, 2]}' },
      { kind: 'json', value: '[1, "two"]' },
      { kind: 'text', value: '{not json}' },
      { kind: 'json', value: '  {"padded": true}  ' },
      { kind: 'text', value: '' },
    ]);
  });

  test('BLOBs as size and the hex of the first 32 bytes; raw bytes kept in values', () => {
    const page = readPage(cellsFixture.db, { table: 'my cells', limit: 10 });
    assert.deepEqual(page.rows.map((row) => row[3]), [
      { kind: 'blob', size: 3, hexPrefix: '00ff10' },
      { kind: 'blob', size: 100, hexPrefix: '00'.repeat(32) },
      { kind: 'blob', size: 0, hexPrefix: '' },
      { kind: 'null' },
      { kind: 'null' },
    ]);
    assert.deepEqual(page.values[0]?.[3], new Uint8Array([0, 255, 16]));
  });

  test('integers exact, reals distinct from integers', () => {
    const page = readPage(cellsFixture.db, { table: 'my cells', limit: 10 });
    assert.deepEqual(page.rows[0]?.[4], { kind: 'real', value: 2, text: '2.0' });
    assert.deepEqual(page.rows[0]?.[5], { kind: 'integer', value: 9007199254740992, text: '9007199254740993' });
    assert.equal(page.values[0]?.[5], 9007199254740993n);
    assert.deepEqual(page.rows[1]?.[5], { kind: 'integer', value: -3, text: '-3' });
    assert.deepEqual(page.rows[3]?.[4], { kind: 'real', value: -1e300, text: '-1e+300' });
  });

  test('timestamps: detected from time-like columns, or as the caller says', () => {
    const detected = readPage(cellsFixture.db, { table: 'my cells', limit: 10 });
    assert.deepEqual(detected.rows[0]?.[6], { kind: 'timestamp', raw: 1709301909, encoding: 'epoch-seconds', millis: 1709301909000, utc: '2024-03-01 14:05:09 UTC' });
    assert.deepEqual(detected.rows[3]?.[7], { kind: 'timestamp', raw: '2024-03-01T14:05:11.5+00:00', encoding: 'iso8601', millis: 1709301911500, utc: '2024-03-01 14:05:11.500 UTC' });
    assert.deepEqual(detected.rows[2]?.[6], { kind: 'null' });
    const told = readPage(cellsFixture.db, { table: 'my cells', limit: 1, timestampEncodings: { i: 'epoch-millis' } });
    assert.deepEqual(told.rows[0]?.[6], { kind: 'integer', value: 1709301909, text: '1709301909' }, 'given encodings replace detection');
    assert.equal(told.rows[0]?.[5]?.kind, 'integer', 'a value outside the encoding stays what it is');
  });
});

describe('filters', () => {
  const ids = (filters: TypedFilter[], table = 'order'): number[] =>
    [...iterateRows(db, { table, filters, chunkRows: 100 })].flatMap((page) => page.values.map((row) => Number(row[0])));
  const oracle = (where: string, params: SqlValue[] = []): number[] =>
    queryAll(db, `SELECT "select" FROM "order" WHERE ${where} ORDER BY rowid`, params).rows.map((row) => Number(row[0]));

  test('each operator, with values converted to the column type', () => {
    assert.deepEqual(ids([{ column: 'select', op: 'eq', value: '42' }]), [42]);
    assert.deepEqual(ids([{ column: 'group', op: 'eq', value: 'g1' }]), oracle(`"group" = 'g1'`));
    assert.deepEqual(ids([{ column: 'naïve ✓', op: 'ne', value: '2' }]), oracle('"naïve ✓" IS NOT 2'));
    assert.ok(ids([{ column: 'naïve ✓', op: 'ne', value: 2 }]).includes(3), 'ne keeps NULLs');
    assert.deepEqual(ids([{ column: 'from', op: 'gt', value: '5.5' }]), oracle('"from" > 5.5'));
    assert.deepEqual(ids([{ column: 'from', op: 'ge', value: 5.5 }]), oracle('"from" >= 5.5'));
    assert.deepEqual(ids([{ column: 'select', op: 'lt', value: 4 }]), [1, 2, 3]);
    assert.deepEqual(ids([{ column: 'select', op: 'le', value: '4' }]), [1, 2, 3, 4]);
    assert.deepEqual(ids([{ column: 'select', op: 'between', value: '10', to: 12 }]), [10, 11, 12]);
    assert.deepEqual(ids([{ column: 'group', op: 'null' }]), oracle('"group" IS NULL'));
    assert.deepEqual(ids([{ column: 'data', op: 'notNull' }]), oracle('data IS NOT NULL'));
    assert.deepEqual(ids([{ column: 'note', op: 'startsWith', value: 'NOTE 2' }]), oracle(`note LIKE 'note 2%'`));
    assert.deepEqual(ids([{ column: 'data', op: 'contains', value: 'b-5' }]), oracle(`CAST(data AS TEXT) LIKE '%b-5%'`));
    assert.deepEqual(ids([{ column: 'group', op: 'contains', value: 'g' }, { column: 'select', op: 'lt', value: 10 }]), oracle(`"group" LIKE '%g%' AND "select" < 10`));
  });

  test('LIKE wildcards in a value are literal', async () => {
    const wild = await sqliteFixture(`CREATE TABLE w (id INTEGER PRIMARY KEY, t TEXT); INSERT INTO w (t) VALUES ('100%'), ('1000'), ('a_b'), ('axb'), ('back\\slash'), ('backslash');`);
    try {
      const texts = (value: string, op: 'contains' | 'startsWith' = 'contains'): SqlValue[] =>
        readPage(wild.db, { table: 'w', limit: 10, filters: [{ column: 't', op, value }] }).values.map((row) => row[1] ?? null);
      assert.deepEqual(texts('0%'), ['100%']);
      assert.deepEqual(texts('a_'), ['a_b']);
      assert.deepEqual(texts('k\\s'), ['back\\slash']);
      assert.deepEqual(texts('10', 'startsWith'), ['100%', '1000']);
    } finally {
      wild.close();
    }
  });

  test('an ISO date filters an epoch column in its own encoding', async () => {
    const times = await sqliteFixture(`CREATE TABLE t (id INTEGER PRIMARY KEY, createdAt INTEGER); INSERT INTO t (createdAt) VALUES (1709301909000000), (1709388309000000), (1709474709000000);`);
    try {
      const filters: TypedFilter[] = [{ column: 'createdAt', op: 'gt', value: '2024-03-02' }];
      assert.equal(countRows(times.db, 't', filters, { createdAt: 'epoch-micros' }), 2);
      const page = readPage(times.db, { table: 't', limit: 10, filters, timestampEncodings: { createdAt: 'epoch-micros' } });
      assert.deepEqual(page.keys, [[2], [3]]);
    } finally {
      times.close();
    }
  });

  test('bad requests get one clear message', () => {
    assert.throws(() => readPage(db, { table: 'nope', limit: 1 }), new RowsRequestError('no table or view named "nope"'));
    // The request's fault, not a bug: the code crosses the worker's message port (core/protocol/rpc.ts).
    assert.throws(() => readPage(db, { table: 'nope', limit: 1 }), (error: unknown) => isCodedError(error, 'invalid-params'));
    assert.throws(() => readPage(db, { table: 'order', limit: 1, sort: { column: 'x', direction: 'asc' } }), /"order" has no column "x" to sort by/);
    assert.throws(() => countRows(db, 'order', [{ column: 'x', op: 'null' }]), /"order" has no column "x" to filter on/);
    assert.throws(() => countRows(db, 'order', [{ column: 'select', op: 'between', value: 1 }]), /needs a upper bound/);
    assert.throws(() => countRows(db, 'order', [{ column: 'select', op: 'eq' }]), /needs a value/);
  });
});

describe('countRows, readRowByKey and iterateRows', () => {
  test('countRows is exact, with and without filters', () => {
    assert.equal(countRows(db, 'order'), 237);
    assert.equal(countRows(db, 'order', [{ column: 'group', op: 'null' }]), 33);
    assert.equal(countRows(db, 'dup view'), 237);
  });

  test('readRowByKey finds a row by the key its page gave', () => {
    const page = readPage(db, { table: 'order', limit: 3, sort: { column: 'from', direction: 'desc' } });
    const found = readRowByKey(db, 'order', page.keys[2]!);
    assert.deepEqual(found?.values, page.values[2]);
    assert.deepEqual(found?.row, page.rows[2]);
    assert.equal(readRowByKey(db, 'order', [100_000]), null);
    assert.deepEqual(readRowByKey(db, 'pairs', ['k1', 5])?.values, ['k1', 5, null]);
    const viewPage = readPage(db, { table: 'dup view', limit: 1 });
    assert.deepEqual(readRowByKey(db, 'dup view', viewPage.keys[0]!)?.values, viewPage.values[0]);
    assert.throws(() => readRowByKey(db, 'pairs', ['k1']), /has 2 values, not 1/);
  });

  test('iterateRows yields every row once, in order, in both call forms', () => {
    const byOptions = [...iterateRows(db, { table: 'order', sort: { column: 'group', direction: 'asc' }, chunkRows: 40 })];
    assert.deepEqual(byOptions.map((page) => page.values.length), [40, 40, 40, 40, 40, 37]);
    assert.deepEqual(byOptions.flatMap((page) => page.values), fullSorted('order', '"group", rowid'));
    const positional = [...iterateRows(db, 'order', [{ column: 'group', op: 'eq', value: 'g2' }], { column: 'select', direction: 'desc' }, 10)];
    assert.deepEqual(positional.flatMap((page) => page.values), fullSorted('order', 'rowid DESC', `WHERE "group" = 'g2'`));
    assert.deepEqual([...iterateRows(db, 'order', [{ column: 'select', op: 'lt', value: 0 }])], []);
  });
});

describe('large BLOBs in a page', () => {
  let photos: Awaited<ReturnType<typeof sqliteFixture>>;
  const photoBytes = 3 * 1024 * 1024;
  before(async () => {
    // A 3 MiB photo per row (zeroblob with a marker at the start), beside a small BLOB.
    photos = await sqliteFixture(`
      CREATE TABLE photos (id INTEGER PRIMARY KEY, caption TEXT, image BLOB, thumb BLOB);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 12)
      INSERT INTO photos SELECT i, 'photo ' || i, CAST(x'ffd8ffe0' || zeroblob(${photoBytes} - 4) AS BLOB), x'0102' FROM n;`);
  });
  after(() => photos.close());

  test('a page reads a large BLOB as its exact size and first bytes, a small one whole', () => {
    const page = readPage(photos.db, { table: 'photos', limit: 5 });
    assert.deepEqual(page.columns, ['id', 'caption', 'image', 'thumb']);
    assert.equal(page.rows.length, 5);
    const [image, thumb] = [page.rows[0]![2], page.rows[0]![3]];
    assert.deepEqual(image, { kind: 'blob', size: photoBytes, hexPrefix: 'ffd8ffe0' + '00'.repeat(28) });
    assert.deepEqual(thumb, { kind: 'blob', size: 2, hexPrefix: '0102' });
    // Only the preview crossed into JavaScript: 32 bytes, not 3 MiB per row.
    assert.equal((page.values[0]![2] as Uint8Array).byteLength, 32);
    assert.ok(page.hasMore);
  });

  test('sorting by a BLOB column reads it whole, as the cursor needs', () => {
    const page = readPage(photos.db, { table: 'photos', limit: 2, sort: { column: 'image', direction: 'asc' } });
    assert.equal((page.values[0]![2] as Uint8Array).byteLength, photoBytes);
  });

  test('export reads every value whole, in pages that end at 32 MiB of values however many rows were asked', () => {
    const pages = [...iterateRows(photos.db, { table: 'photos', chunkRows: 100 })];
    assert.equal((pages[0]!.values[0]![2] as Uint8Array).byteLength, photoBytes);
    // 11 photos of 3 MiB pass 32 MiB: the first page ends there, the next one carries on after it.
    assert.deepEqual(pages.map((page) => page.rows.length), [11, 1]);
    assert.deepEqual(pages.flatMap((page) => page.keys.map((key) => key[0])), [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12]);
  });
});
