// Round trips through the real emulator: rows read from a database the sqlite3 CLI wrote, mapped to
// documents, written, read back, mapped back, and compared with the rows.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Database } from 'sql.js';
import { detectRoles } from '../../core/db/roles';
import { queryObjects } from '../../core/db/query';
import { readSchema } from '../../core/db/schema';
import { loadSqlJs } from '../../core/db/sqlite';
import type { EntityTableRole, SqlValue, TimestampEncoding } from '../../core/db/types';
import { createEntityMapping, documentContains, documentsEqual, type DocumentData } from '../../core/firestore/mapping';
import { scratchDir, sqlite3 } from '../helpers/sqliteCli';
import { firestoreTest, type FirestoreTestContext } from './helpers/emulator';

const encodings: Array<{ table: string; encoding: TimestampEncoding; created: string; updated: string; micros: number }> = [
  // Each updated value carries microseconds where the encoding can hold them.
  { table: 'users_iso', encoding: 'iso8601', created: "'2026-03-01T14:05:09.120Z'", updated: "'2026-03-02T08:00:00.123456Z'", micros: 123456 },
  { table: 'users_seconds', encoding: 'epoch-seconds', created: '1772373909', updated: '1772438400', micros: 0 },
  { table: 'users_millis', encoding: 'epoch-millis', created: '1772373909120', updated: '1772438400123', micros: 123000 },
  { table: 'users_micros', encoding: 'epoch-micros', created: '1772373909120000', updated: '1772438400123456', micros: 123456 },
];

const unicodeName = "Zoë Ångström 🚀 日本語 «quotes» \"double\" 'single' \\ back\\slash";
const settings = { darkMode: true, locale: 'ja_JP', tags: ['a', 'ü', '🙂'], nested: { depth: { n: 3, nothing: null } } };

function fixtureSql(): string {
  const tables = encodings.map(({ table, encoding, created, updated }) => {
    const timeType = encoding === 'iso8601' ? 'TEXT' : 'INTEGER';
    return `
      CREATE TABLE "${table}" (
        "id" INTEGER PRIMARY KEY, "odid" TEXT NOT NULL UNIQUE, "name" TEXT NOT NULL, "settings" TEXT,
        "score" REAL, "nickname" TEXT, "avatar" BLOB, "isAdmin" INTEGER NOT NULL,
        "createdAt" ${timeType} NOT NULL, "updatedAt" ${timeType} NOT NULL,
        "isSynced" INTEGER NOT NULL, "isDeleted" INTEGER NOT NULL, "version" INTEGER NOT NULL);
      INSERT INTO "${table}" VALUES (1, 'doc-${table}', '${unicodeName.replace(/'/g, "''")}', '${JSON.stringify(settings).replace(/'/g, "''")}',
        2.5, NULL, X'00FF10', 1, ${created}, ${updated}, 1, 0, 7);
      INSERT INTO "${table}" VALUES (2, 'doc2-${table}', 'plain', '[1,2,{"x":"y"}]', -0.125, 'n', NULL, 0, ${created}, ${created}, 0, 1, 1);`;
  });
  return `${tables.join('\n')}
    CREATE TABLE "user_profiles" ("id" INTEGER PRIMARY KEY, "odid" TEXT NOT NULL, "display_name" TEXT, "created_at" INTEGER,
      "updated_at" INTEGER, "is_synced" INTEGER, "is_deleted" INTEGER, "home_address" TEXT);
    INSERT INTO "user_profiles" VALUES (1, 'p1', 'Ada', 1772373909120000, 1772438400123456, 0, 0, '{"city":"Zürich"}');`;
}

interface Fixture {
  db: Database;
  roles: EntityTableRole[];
  cleanup(): void;
}

async function openFixture(): Promise<Fixture> {
  const scratch = scratchDir();
  const path = join(scratch.dir, 'app.db');
  sqlite3(path, fixtureSql());
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(path));
  const roles = detectRoles(db, readSchema(db)).entities;
  return { db, roles, cleanup: () => (db.close(), scratch.cleanup()) };
}

function roleOf(fixture: Fixture, table: string): EntityTableRole {
  const role = fixture.roles.find((each) => each.table === table);
  assert.ok(role, `detectRoles found ${table}`);
  return role;
}

function rowsOf(db: Database, table: string): Record<string, SqlValue>[] {
  return queryObjects(db, `SELECT * FROM "${table}" ORDER BY "id"`);
}

function columnsOf(db: Database, table: string): string[] {
  return readSchema(db).tables.find((each) => each.name === table)!.columns.map((column) => column.name);
}

async function writeAndRead(context: FirestoreTestContext, collection: string, id: string, data: DocumentData): Promise<DocumentData> {
  const { sdk, db } = context;
  await sdk.setDoc(sdk.doc(db, collection, id), data);
  // A second client reads, so nothing comes from the writer's own cache.
  const reader = await context.connectAnother();
  const snapshot = await reader.sdk.getDoc(reader.sdk.doc(reader.db, collection, id));
  assert.ok(snapshot.exists(), `${collection}/${id} was written`);
  return snapshot.data();
}

for (const { table, encoding, micros } of encodings) {
  firestoreTest(`a ${encoding} row survives row -> document -> emulator -> document -> row`, async (context) => {
    const fixture = await openFixture();
    try {
      const role = roleOf(fixture, table);
      assert.equal(role.timestampEncodings.updatedAt, encoding, 'detected encoding');
      const mapping = createEntityMapping(role, columnsOf(fixture.db, table), context.sdk);
      for (const row of rowsOf(fixture.db, table)) {
        const document = mapping.rowToDocument(row);
        assert.equal('odid' in document || 'id' in document || 'isSynced' in document, false, 'local-only columns are not sent');
        assert.ok(document.updatedAt instanceof context.sdk.Timestamp, 'updatedAt is a Timestamp');
        assert.equal(typeof document.isDeleted, 'boolean');
        assert.equal(typeof document.isAdmin, 'boolean');

        const stored = await writeAndRead(context, role.collection, String(row.odid), document);
        assert.ok(documentsEqual(stored, document), 'the emulator returns what was written');
        if (row.id === 1) {
          const updatedAt = stored.updatedAt as InstanceType<typeof context.sdk.Timestamp>;
          assert.equal(updatedAt.nanoseconds, micros * 1000, 'sub-second precision kept exactly');
          assert.deepEqual(stored.settings, settings, 'JSON text became a map');
          assert.equal(stored.name, unicodeName);
          assert.equal(stored.isAdmin, true);
          assert.deepEqual([...(stored.avatar as { toUint8Array(): Uint8Array }).toUint8Array()], [0x00, 0xff, 0x10]);
        }

        const back = mapping.documentToRow(String(row.odid), stored);
        const expected = { ...row };
        delete expected.id;
        delete expected.isSynced;
        if (encoding !== 'iso8601') assert.deepEqual(back, expected);
        else {
          // ISO text comes back in one canonical form: the same instant, microseconds kept.
          assert.deepEqual({ ...back, createdAt: null, updatedAt: null }, { ...expected, createdAt: null, updatedAt: null });
          assert.equal(back.updatedAt, row.id === 1 ? '2026-03-02T08:00:00.123456Z' : '2026-03-01T14:05:09.120Z');
          assert.equal(back.createdAt, '2026-03-01T14:05:09.120Z');
        }
        assert.equal(documentsEqual(stored, { ...document, name: 'changed' }), false);
      }
    } finally {
      fixture.cleanup();
    }
  });
}

firestoreTest('a camelCase payload over a snake_case table maps by normalised name, micros exact', async (context) => {
  const fixture = await openFixture();
  try {
    const role = roleOf(fixture, 'user_profiles');
    assert.equal(role.timestampEncodings.updated_at, 'epoch-micros');
    const mapping = createEntityMapping(role, columnsOf(fixture.db, 'user_profiles'), context.sdk);
    const payload = {
      id: 1,
      odid: 'p1',
      displayName: 'Ada Lovelace',
      createdAt: '2026-03-01T14:05:09.120Z',
      updatedAt: '2026-03-02T08:00:00.123456Z',
      isSynced: false,
      isDeleted: false,
      homeAddress: { city: 'Zürich', lines: ['Bahnhofstrasse 1'] },
      appOnlyField: 'kept',
    };
    const document = mapping.payloadToDocument(payload);
    assert.deepEqual(Object.keys(document).sort(), ['appOnlyField', 'createdAt', 'displayName', 'homeAddress', 'isDeleted', 'updatedAt']);

    const stored = await writeAndRead(context, role.collection, 'p1', document);
    assert.ok(documentContains(stored, document));
    const back = mapping.documentToRow('p1', stored);
    assert.deepEqual(back, {
      odid: 'p1',
      display_name: 'Ada Lovelace',
      created_at: 1772373909120000,
      updated_at: 1772438400123456,
      is_deleted: 0,
      home_address: '{"city":"Zürich","lines":["Bahnhofstrasse 1"]}',
    });

    // The row as stored locally maps to the same document as its payload.
    const fromRow = mapping.rowToDocument(rowsOf(fixture.db, 'user_profiles')[0]!);
    assert.ok(documentsEqual(fromRow, { ...document, displayName: 'Ada', homeAddress: { city: 'Zürich' }, appOnlyField: undefined }));
  } finally {
    fixture.cleanup();
  }
});

firestoreTest('a soft delete with a server timestamp still counts as already applied', async (context) => {
  const fixture = await openFixture();
  try {
    const role = roleOf(fixture, 'users_millis');
    const mapping = createEntityMapping(role, columnsOf(fixture.db, 'users_millis'), context.sdk);
    const row = rowsOf(fixture.db, 'users_millis')[0]!;
    const deleted = mapping.rowToDocument({ ...row, isDeleted: 1 });
    const { sdk, db } = context;
    await sdk.setDoc(sdk.doc(db, role.collection, 'gone'), { ...deleted, deletedAt: sdk.serverTimestamp() });
    const stored = (await sdk.getDoc(sdk.doc(db, role.collection, 'gone'))).data()!;
    assert.ok(stored.deletedAt instanceof sdk.Timestamp, 'the server set deletedAt');
    assert.ok(documentsEqual(stored, deleted), 'deletedAt is server-managed');
    assert.equal(documentsEqual(stored, deleted, { ignore: [] }), false);
    assert.equal(mapping.documentToRow('gone', stored).isDeleted, 1);
  } finally {
    fixture.cleanup();
  }
});
