// The local write-back's many-row statements (core/engine/localStore.ts) bind their ids as one
// JSON array read by json_each. They must touch exactly the rows the plain `IN (?, ?, ...)` list
// of bound values touches, whatever the column's affinity and collation: each case runs both on
// the same image, written by the real sqlite3 CLI, and compares the rows.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { queryObjects } from '../../../core/db/query';
import type { SqlDatabase } from '../../../core/db/sqlDatabase';
import type { EntityTableRole, QueueTableRole } from '../../../core/db/types';
import { deleteQueueOperations, markEntitiesSynced } from '../../../core/engine/localStore';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const scratch = scratchDir('localstore-wherein-');
after(() => scratch.cleanup());

/** Declared types of the external id column, each with the rows the app might have written. */
const columnDeclarations = ['TEXT', 'INTEGER', 'NUMERIC', '', 'TEXT COLLATE NOCASE', 'BLOB'];

function writeDatabase(name: string, externalIdType: string): string {
  const path = join(scratch.dir, `${name}.db`);
  sqlite3(
    path,
    `CREATE TABLE users (id INTEGER PRIMARY KEY, odid ${externalIdType}, isSynced INTEGER NOT NULL DEFAULT 0);
     INSERT INTO users (odid) VALUES ('a'), ('A'), ('42'), (42), ('042'), (7.0), ('7'), ('it''s'), ('back\\slash'), ('naïve'), ('😀'), ('tab	in'), (NULL), ('1e3'), (1000);
     CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt TEXT, retryCount INTEGER);
     WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 1200) INSERT INTO sync_operations (id, entityType, entityId, operation) SELECT i, 'users', 'u' || i, 'create' FROM n;`,
  );
  return path;
}

const role: EntityTableRole = {
  table: 'users',
  collection: 'users',
  entityTypes: ['users'],
  columns: { localId: 'id', externalId: 'odid', createdAt: null, updatedAt: null, isSynced: 'isSynced', isDeleted: null, version: null },
  timestampEncodings: {},
  jsonColumns: [],
};

const queue = { table: 'sync_operations', columns: { id: 'id' } } as QueueTableRole;

/** The statement as a list of bound values, chunked as the engine did before. */
function markWithBoundList(db: SqlDatabase, ids: readonly string[]): void {
  for (let start = 0; start < ids.length; start += 500) {
    const chunk = ids.slice(start, start + 500);
    const statement = db.prepare(`UPDATE main."users" SET "isSynced" = 1 WHERE "odid" IN (${chunk.map(() => '?').join(', ')})`);
    statement.run(chunk);
    statement.free();
  }
}

const syncedRows = (db: SqlDatabase): unknown[] => queryObjects(db, 'SELECT id FROM users WHERE isSynced = 1 ORDER BY id').map((row) => row.id);

describe('markEntitiesSynced marks the rows a list of bound ids marks', () => {
  const idSets: readonly (readonly string[])[] = [
    ['a', '42', '7', "it's", 'back\\slash', 'naïve', '😀', 'tab\tin', '1e3', 'missing'],
    ['A', '042', '7.0', '1000'],
    // A lone surrogate cannot go through JSON exactly: the bound list is used, with the same rows.
    ['a', '\ud800', '42'],
    // More ids than one list of bound values holds.
    [...Array.from({ length: 1100 }, (_, index) => `x${index}`), 'a', '42'],
  ];
  for (const declared of columnDeclarations) {
    test(`external id column declared "${declared}"`, async () => {
      const path = writeDatabase(`mark-${declared.replace(/\W/g, '_') || 'none'}`, declared);
      for (const ids of idSets) {
        const engine = await openDatabaseFile(path);
        const reference = await openDatabaseFile(path);
        try {
          markEntitiesSynced(engine.db, role, ids);
          markWithBoundList(reference.db, ids);
          assert.deepEqual(syncedRows(engine.db), syncedRows(reference.db), `ids ${JSON.stringify(ids.slice(0, 12))}`);
        } finally {
          engine.close();
          reference.close();
        }
      }
    });
  }
});

describe('deleteQueueOperations deletes the ops a list of bound ids deletes', () => {
  for (const declared of columnDeclarations) {
    test(`queue id column declared "${declared}"`, async () => {
      const path = join(scratch.dir, `delete-${declared.replace(/\W/g, '_') || 'none'}.db`);
      // Ids stored as text and as numbers: the engine's ids are numbers either way.
      sqlite3(path, `CREATE TABLE ops (id ${declared}, entityId TEXT); INSERT INTO ops VALUES ('5', 'a'), (6, 'b'), ('07', 'c'), (8.0, 'd'), ('9.0', 'e'), (10, 'f');`);
      const ids = [5, 6, 7, 8, 9, 11];
      const engine = await openDatabaseFile(path);
      const reference = await openDatabaseFile(path);
      try {
        deleteQueueOperations(engine.db, { table: 'ops', columns: { id: 'id' } } as QueueTableRole, ids);
        const statement = reference.db.prepare(`DELETE FROM main."ops" WHERE "id" IN (${ids.map(() => '?').join(', ')})`);
        statement.run(ids);
        statement.free();
        const left = (db: SqlDatabase): unknown[] => queryObjects(db, 'SELECT entityId FROM ops ORDER BY entityId').map((row) => row.entityId);
        assert.deepEqual(left(engine.db), left(reference.db));
      } finally {
        engine.close();
        reference.close();
      }
    });
  }
});

describe('deleteQueueOperations', () => {
  test('removes exactly the given ops, over more than one list of bound values', async () => {
    const path = writeDatabase('delete', 'TEXT');
    const opened = await openDatabaseFile(path);
    try {
      const gone = Array.from({ length: 1200 }, (_, index) => index + 1).filter((id) => id % 3 !== 0);
      deleteQueueOperations(opened.db, queue, [...gone, 5000]);
      const left = queryObjects(opened.db, 'SELECT id FROM sync_operations ORDER BY id').map((row) => row.id);
      assert.deepEqual(left, Array.from({ length: 400 }, (_, index) => 3 * (index + 1)));
    } finally {
      opened.close();
    }
  });
});
