// Field and column names that are also Object.prototype's own names (`__proto__`, `constructor`,
// `prototype`) are data like any other: a row, a payload and a document with them round-trip
// through core/firestore/mapping.ts, and no object's prototype changes on the way.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { queryObjects } from '../../../core/db/query';
import type { EntityTableRole } from '../../../core/db/types';
import { readEntityRow } from '../../../core/engine/localStore';
import { createEntityMapping, documentsEqual, differingFields, plainValuesSdk } from '../../../core/firestore/mapping';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const role = (table: string): EntityTableRole => ({
  table,
  collection: table,
  entityTypes: [table],
  columns: { localId: 'id', externalId: 'odid', updatedAt: 'updatedAt', createdAt: null, version: null, isDeleted: null, isSynced: null },
  timestampEncodings: { updatedAt: 'epoch-millis' },
  jsonColumns: [],
});

test('columns and payload fields named __proto__, constructor and prototype round-trip through the mapping', async () => {
  const { dir, cleanup } = scratchDir('synclens-proto-');
  try {
    const path = join(dir, 'app.db');
    sqlite3(
      path,
      `CREATE TABLE notes (id INTEGER PRIMARY KEY, odid TEXT NOT NULL, "__proto__" TEXT, "constructor" TEXT, "prototype" TEXT, updatedAt INTEGER);
       INSERT INTO notes (odid, "__proto__", "constructor", "prototype", updatedAt) VALUES ('n1', 'p-text', 'c-text', 't-text', 1772438400123);
       CREATE TABLE tags (id INTEGER PRIMARY KEY, odid TEXT NOT NULL, label TEXT, updatedAt INTEGER);
       CREATE TABLE queue (id INTEGER PRIMARY KEY, payload TEXT NOT NULL);
       INSERT INTO queue (payload) VALUES ('{"odid":"n1","__proto__":"p-text","constructor":"c-text","prototype":"t-text","updatedAt":1772438400123}');
       INSERT INTO queue (payload) VALUES ('{"odid":"t1","label":"x","__proto__":{"polluted":true},"constructor":{"name":"kept"},"prototype":[1,2]}');`,
    );
    const opened = await openDatabaseFile(path);
    try {
      const columns = queryObjects(opened.db, 'SELECT name FROM pragma_table_info(\'notes\')').map((row) => String(row.name));
      const notes = createEntityMapping(role('notes'), columns, plainValuesSdk);
      const row = readEntityRow(opened.db, notes.role, 'n1');
      assert.ok(row);

      const fromRow = notes.rowToDocument(row);
      assert.equal(Object.getPrototypeOf(fromRow), Object.getPrototypeOf({}));
      assert.deepEqual(Object.keys(fromRow).sort(), ['__proto__', 'constructor', 'prototype', 'updatedAt']);
      assert.deepEqual([fromRow['__proto__'], fromRow['constructor'], fromRow['prototype']], ['p-text', 'c-text', 't-text']);

      const [first, second] = queryObjects(opened.db, 'SELECT payload FROM queue ORDER BY id').map((each) => JSON.parse(String(each.payload)) as Record<string, unknown>);
      const fromPayload = notes.payloadToDocument(first!);
      assert.deepEqual(Object.keys(fromPayload).sort(), ['__proto__', 'constructor', 'prototype', 'updatedAt']);
      assert.ok(documentsEqual(fromPayload, fromRow), 'payload and row meet in the same document');
      assert.deepEqual(differingFields(fromPayload, fromRow), []);

      // The document back to the row it came from: every column, as sqlite3 wrote it.
      const back = notes.documentToRow('n1', fromRow);
      assert.deepEqual(Object.keys(back).sort(), ['__proto__', 'constructor', 'odid', 'prototype', 'updatedAt']);
      assert.deepEqual([back['__proto__'], back['constructor'], back['prototype'], back['updatedAt']], ['p-text', 'c-text', 't-text', 1772438400123]);

      // Fields the table has no column for are sent as the app wrote them, objects too, never as a prototype.
      const tags = createEntityMapping(role('tags'), ['id', 'odid', 'label', 'updatedAt'], plainValuesSdk);
      const extra = tags.payloadToDocument(second!);
      assert.equal(Object.getPrototypeOf(extra), Object.getPrototypeOf({}));
      assert.equal((extra as { polluted?: unknown }).polluted, undefined, 'no field arrives through a prototype');
      assert.deepEqual(Object.keys(extra).sort(), ['__proto__', 'constructor', 'label', 'prototype']);
      assert.deepEqual(extra['__proto__'], { polluted: true });
      assert.deepEqual(extra['constructor'], { name: 'kept' });
      assert.ok(!documentsEqual(extra, { label: 'x' }), 'a __proto__ field counts in the comparison');
      assert.deepEqual(differingFields(extra, { label: 'x' }), ['__proto__', 'constructor', 'prototype']);
      assert.ok(documentsEqual({ label: 'x', constructor: null }, { label: 'x' }), 'a null field equals a missing one, also for constructor');
    } finally {
      opened.close();
    }
  } finally {
    cleanup();
  }
});
