import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { countTableRows, readSchema, readSchemaWithCounts, readTableInfo } from '../../../core/db/schema';
import type { SchemaInfo, TableInfo } from '../../../core/db/types';
import { appDatabaseSql, sqliteFixture } from '../../helpers/schemas';

const oddSchemaSql = `
CREATE TABLE "order" ("select" INTEGER PRIMARY KEY, "group" TEXT NOT NULL DEFAULT 'none', "from" REAL);
CREATE TABLE "my table" ("first name" TEXT, "say ""hi""" TEXT DEFAULT 'it''s', "Ωmega ✓" INTEGER);
CREATE TABLE "naïve_ünïcødé_表" ("ключ" TEXT PRIMARY KEY, "值" BLOB) WITHOUT ROWID;
CREATE TABLE parent (a INTEGER, b TEXT, PRIMARY KEY (a, b));
CREATE TABLE child (id INTEGER PRIMARY KEY, pa INTEGER, pb TEXT, note TEXT,
  doubled INTEGER GENERATED ALWAYS AS (id * 2) VIRTUAL,
  FOREIGN KEY (pa, pb) REFERENCES parent ON DELETE CASCADE ON UPDATE SET NULL);
CREATE INDEX "idx ""quoted""" ON "my table" ("first name" DESC, "Ωmega ✓");
CREATE UNIQUE INDEX child_note_partial ON child (note) WHERE note IS NOT NULL;
CREATE INDEX child_expr ON child (lower(note));
CREATE VIEW "order view" AS SELECT "select", "group" FROM "order" WHERE "from" > 1;
CREATE VIRTUAL TABLE docs USING fts4(body);
CREATE VIRTUAL TABLE notes USING fts5(body);
INSERT INTO "order" VALUES (1, 'a', 0.5), (2, 'b', 2.5), (3, 'c', 3.5);
INSERT INTO "my table" VALUES ('Zoë', 'x', 1);
INSERT INTO parent VALUES (1, 'x');
INSERT INTO child (id, pa, pb, note) VALUES (1, 1, 'x', 'n'), (2, 1, 'x', NULL);
INSERT INTO docs (body) VALUES ('hello world');
INSERT INTO notes (body) VALUES ('needs fts5');
`;

function table(schema: SchemaInfo, name: string): TableInfo {
  const found = schema.tables.find((candidate) => candidate.name === name);
  assert.ok(found, `table ${name} in ${schema.tables.map((t) => t.name).join(', ')}`);
  return found;
}

describe('readSchema', () => {
  let fixture: Awaited<ReturnType<typeof sqliteFixture>>;
  let schema: SchemaInfo;
  before(async () => {
    fixture = await sqliteFixture(oddSchemaSql);
    schema = readSchema(fixture.db);
  });
  after(() => fixture.close());

  test('lists user tables then views, leaving out sqlite_ and FTS shadow tables', () => {
    const names = schema.tables.map((t) => `${t.kind}:${t.name}`);
    assert.deepEqual(names, [
      'table:child',
      'table:docs',
      'table:my table',
      'table:naïve_ünïcødé_表',
      'table:notes',
      'table:order',
      'table:parent',
      'view:order view',
    ]);
  });

  test('columns keep declared type, pk position, not null and default, with odd names', () => {
    assert.deepEqual(table(schema, 'order').columns, [
      { name: 'select', type: 'INTEGER', pk: 1, notNull: false, defaultValue: null },
      { name: 'group', type: 'TEXT', pk: 0, notNull: true, defaultValue: "'none'" },
      { name: 'from', type: 'REAL', pk: 0, notNull: false, defaultValue: null },
    ]);
    assert.deepEqual(
      table(schema, 'my table').columns.map((c) => [c.name, c.defaultValue]),
      [['first name', null], ['say "hi"', "'it''s'"], ['Ωmega ✓', null]],
    );
    assert.deepEqual(table(schema, 'parent').columns.map((c) => c.pk), [1, 2]);
    assert.deepEqual(table(schema, 'child').columns.map((c) => c.name), ['id', 'pa', 'pb', 'note', 'doubled']);
  });

  test('reads no rows: counts are a step of their own', () => {
    assert.deepEqual(schema.tables.filter((t) => t.rows !== null), []);
    assert.deepEqual(countTableRows(fixture.db, ['order', 'order view', 'no such table']), [
      { table: 'order', rows: 3 },
      { table: 'order view', rows: 2 },
      { table: 'no such table', error: 'no such table: main.no such table' },
    ]);
  });

  test('exact row counts for tables, views and virtual tables', () => {
    const schema = readSchemaWithCounts(fixture.db);
    assert.equal(table(schema, 'order').rows, 3);
    assert.equal(table(schema, 'order view').rows, 2);
    assert.equal(table(schema, 'child').rows, 2);
    assert.equal(table(schema, 'notes').rows, 1);
    assert.equal(table(schema, 'naïve_ünïcødé_表').rows, 0);
    assert.deepEqual(schema.tables.filter((t) => t.error !== undefined).map((t) => t.name), ['docs']);
  });

  test('a virtual table whose module our SQLite lacks (FTS4; it has FTS5) is listed with the reason', () => {
    assert.match(table(schema, 'docs').error ?? '', /no such module: fts4/);
  });

  test('WITHOUT ROWID tables are detected', () => {
    assert.equal(table(schema, 'naïve_ünïcødé_表').withoutRowid, true);
    assert.equal(table(schema, 'order').withoutRowid, false);
    assert.deepEqual(table(schema, 'naïve_ünïcødé_表').columns.map((c) => [c.name, c.pk]), [['ключ', 1], ['值', 0]]);
  });

  test('indexes: unique, origin, partial, columns (expressions and quoted names)', () => {
    const indexes = Object.fromEntries(table(schema, 'child').indexes.map((index) => [index.name, index]));
    assert.deepEqual(indexes.child_note_partial, { name: 'child_note_partial', unique: true, columns: ['note'], origin: 'c', partial: true });
    assert.deepEqual(indexes.child_expr?.columns, ['<expression>']);
    assert.deepEqual(table(schema, 'my table').indexes, [
      { name: 'idx "quoted"', unique: false, columns: ['first name', 'Ωmega ✓'], origin: 'c', partial: false },
    ]);
    const parentKey = table(schema, 'parent').indexes.find((index) => index.origin === 'pk');
    assert.deepEqual(parentKey?.columns, ['a', 'b']);
    assert.equal(parentKey?.unique, true);
  });

  test('foreign keys group their columns and resolve an implicit parent key', () => {
    assert.deepEqual(table(schema, 'child').foreignKeys, [
      { id: 0, table: 'parent', from: ['pa', 'pb'], to: ['a', 'b'], onUpdate: 'SET NULL', onDelete: 'CASCADE' },
    ]);
  });

  test('keeps the CREATE statement', () => {
    assert.match(table(schema, 'order').sql, /^CREATE TABLE "order"/);
    assert.match(table(schema, 'order view').sql, /^CREATE VIEW/);
  });

  test('readTableInfo finds one table by exact name', () => {
    assert.equal(readTableInfo(fixture.db, 'my table')?.rows, 1);
    assert.equal(readTableInfo(fixture.db, 'My Table'), null);
    assert.equal(readTableInfo(fixture.db, 'sqlite_schema'), null);
  });
});

describe('readSchema with a broken view', () => {
  test('the view is listed with its error; every other table reads as usual', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE kept (id INTEGER PRIMARY KEY, name TEXT NOT NULL);
      CREATE TABLE gone (id INTEGER PRIMARY KEY);
      CREATE VIEW orphaned AS SELECT id FROM gone;
      CREATE TABLE child (id INTEGER PRIMARY KEY, kept_id INTEGER REFERENCES kept);
      CREATE INDEX child_kept ON child (kept_id);
      INSERT INTO kept (name) VALUES ('a'), ('b');
      PRAGMA legacy_alter_table = ON;
      DROP TABLE gone;`);
    try {
      const schema = readSchemaWithCounts(fixture.db);
      assert.deepEqual(schema.tables.map((t) => [t.name, t.rows, t.error === undefined]), [['child', 0, true], ['kept', 2, true], ['orphaned', 0, false]]);
      assert.match(table(schema, 'orphaned').error ?? '', /no such table: (main\.)?gone/);
      assert.deepEqual(table(schema, 'child').foreignKeys[0]?.to, ['id']);
      assert.deepEqual(table(schema, 'child').indexes.map((index) => index.columns), [['kept_id']]);
      assert.deepEqual(table(schema, 'kept').columns.map((column) => column.notNull), [false, true]);
    } finally {
      fixture.close();
    }
  });
});

describe('readSchema on an app database', () => {
  test('drift-style tables with their row counts and foreign key', async () => {
    const fixture = await sqliteFixture(appDatabaseSql('drift'));
    try {
      const schema = readSchemaWithCounts(fixture.db);
      assert.deepEqual(
        schema.tables.map((t) => [t.name, t.rows]),
        [['posts', 2], ['sync_operations', 11], ['sync_state', 2], ['users', 5]],
      );
      assert.deepEqual(table(schema, 'posts').foreignKeys[0]?.to, ['odid']);
      assert.ok(table(schema, 'users').indexes.some((index) => index.origin === 'u' && index.columns[0] === 'odid'));
    } finally {
      fixture.close();
    }
  });
});
