import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { currentRow, queryAll, rowCursor } from '../../../core/db/query';
import { readQueue } from '../../../core/db/queue';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import type { SqlDatabase } from '../../../core/db/sqlDatabase';
import { sqliteFixture } from '../../helpers/schemas';

/** The storage class and SQLite's own rendering of one bound value. */
function stored(db: SqlDatabase, value: number): [unknown, unknown] {
  const [row] = queryAll(db, 'SELECT typeof(?1), quote(?1)', [value]).rows;
  return [row![0], row![1]];
}

describe('wa-sqlite cells and bound numbers', () => {
  test('a number binds as INTEGER when it is a safe integer (int32 or wider) and as REAL otherwise, -0 included', async () => {
    const fixture = await sqliteFixture('CREATE TABLE t (x);');
    try {
      const integers = [0, 1, -1, 2 ** 31 - 1, -(2 ** 31), 2 ** 31, -(2 ** 31) - 1, 2 ** 32, 2 ** 32 + 5, -(2 ** 32) - 5, 2 ** 53 - 1, -(2 ** 53 - 1), 1e15 + 3];
      for (const value of integers) assert.deepEqual(stored(fixture.db, value), ['integer', BigInt(value).toString()], `${value}`);
      for (const value of [-0, 1.5, -2.25, 2 ** 53, -(2 ** 53), 1e300]) assert.equal(stored(fixture.db, value)[0], 'real', `${value}`);
      assert.deepEqual(stored(fixture.db, -0), ['real', '0.0']);
      assert.deepEqual(stored(fixture.db, 2 ** 53), ['real', '9007199254740992.0']);
    } finally {
      fixture.close();
    }
  });

  test('a cell read on its own is what currentRow reads: integers exact, REAL, text as TextDecoder decodes it, BLOB, NULL', async () => {
    const fixture = await sqliteFixture('CREATE TABLE t (x);');
    try {
      const sql = `SELECT 0, -1, 2147483648, 9007199254740991, -9007199254740991, 9007199254740992, -9007199254740992, 9223372036854775807,
        -9223372036854775808, 2.0, -0.0, 1.5e300, 'plain', '', 'é😀', CAST(x'efbbbf41' AS TEXT), CAST(x'ff41c3' AS TEXT), CAST(x'410042' AS TEXT), x'00ff', NULL`;
      const byRow = fixture.db.prepare(sql);
      const byCell = fixture.db.prepare(sql);
      try {
        assert.ok(byRow.step());
        const cursor = rowCursor(byCell);
        assert.ok(cursor.step());
        const row = currentRow(byRow);
        assert.equal(row.length, 20);
        for (const [column, value] of row.entries()) assert.deepEqual(cursor.cell(column), value, `column ${column}`);
        assert.equal(cursor.cell(3), 9007199254740991);
        assert.equal(cursor.cell(5), 9007199254740992n);
        assert.equal(cursor.cell(6), -9007199254740992n);
        assert.equal(cursor.cell(7), 9223372036854775807n);
        assert.equal(cursor.cell(15), 'A', 'a leading byte order mark is dropped, as TextDecoder drops it');
        assert.equal(cursor.cell(16), new TextDecoder().decode(new Uint8Array([0xff, 0x41, 0xc3])));
        assert.equal(cursor.cell(17), 'A\u0000B');
      } finally {
        byRow.free();
        byCell.free();
      }
    } finally {
      fixture.close();
    }
  });

  test("readQueue's payloads parse when read, stay one object, take assignments, and copy, clone and compare as plain data", async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt TEXT, retryCount INTEGER DEFAULT 0, lastAttempt TEXT, lastError TEXT);
      INSERT INTO sync_operations (id, entityType, entityId, operation, payload, createdAt) VALUES
        (1, 'users', 'u1', 'update', '{"name":"Ann","tags":["a"],"n":1.5}', '2026-11-20T09:00:00Z'),
        (2, 'users', 'u1', 'update', '[1]', '2026-11-20T09:00:01Z'),
        (3, 'users', 'u1', 'delete', NULL, '2026-11-20T09:00:02Z');
    `);
    try {
      const [first, second, third] = readQueue(fixture.db, detectRoles(fixture.db, readSchema(fixture.db)));
      const expected: Record<string, unknown> = { name: 'Ann', tags: ['a'], n: 1.5 };
      const fields = ['id', 'entityType', 'entityId', 'operation', 'payload', 'payloadText', 'createdAt', 'retryCount', 'lastAttempt', 'lastError'];
      assert.deepEqual(Object.keys(first!), fields);
      assert.equal(Object.getPrototypeOf(first), Object.prototype);
      assert.deepEqual(structuredClone(first)!.payload, expected, 'a clone (the workers post ops) carries the payload');
      assert.deepEqual({ ...first! }.payload, expected);
      assert.deepEqual(JSON.parse(JSON.stringify(first)).payload, expected);
      assert.deepStrictEqual(first, { ...first!, payload: expected });
      assert.equal(first!.payload, first!.payload, 'parsed once, then the same object');
      first!.payload!['name'] = 'Bea';
      assert.equal(first!.payload!['name'], 'Bea');
      first!.payload = { other: true };
      assert.deepEqual(first!.payload, { other: true });
      assert.equal(second!.payload, null);
      assert.equal(third!.payload, null);
      const unread = readQueue(fixture.db, detectRoles(fixture.db, readSchema(fixture.db)))[0]!;
      Object.freeze(unread);
      assert.deepEqual(unread.payload, expected, 'a frozen op still reads its payload');
    } finally {
      fixture.close();
    }
  });
});
