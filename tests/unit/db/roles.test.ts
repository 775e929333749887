import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { collectionForTable, detectRoles, entityRoleForType, entityTypesFor, readSyncState, roleOfTable, SyncRolesConfigError } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import { appDatabaseSql, schemaStyles, sqliteFixture, styleNames } from '../../helpers/schemas';

describe('detectRoles', () => {
  for (const style of schemaStyles) {
    test(`${style}: entity, queue and state tables with their columns and encodings`, async () => {
      const names = styleNames(style);
      const fixture = await sqliteFixture(appDatabaseSql(style));
      try {
        const roles = detectRoles(fixture.db, readSchema(fixture.db));
        const c = names.column;

        assert.deepEqual(roles.entities.map((entity) => entity.table).sort(), [names.posts, names.users].sort());
        const users = roles.entities.find((entity) => entity.table === names.users)!;
        assert.equal(users.collection, 'users');
        assert.ok(users.entityTypes.includes(names.userType), `${names.userType} in ${users.entityTypes.join(', ')}`);
        assert.deepEqual(users.columns, {
          localId: c('id'),
          externalId: 'odid',
          createdAt: c('createdAt'),
          updatedAt: c('updatedAt'),
          isSynced: c('isSynced'),
          isDeleted: c('isDeleted'),
          version: 'version',
        });
        assert.deepEqual(users.timestampEncodings, { [c('createdAt')]: names.entityTimestamps, [c('updatedAt')]: names.entityTimestamps });
        assert.deepEqual(users.jsonColumns, ['settings']);
        const posts = roles.entities.find((entity) => entity.table === names.posts)!;
        assert.equal(posts.collection, 'posts');
        assert.equal(posts.columns.version, null);

        assert.ok(roles.queue);
        assert.equal(roles.queue.table, names.queue);
        assert.equal(roles.queue.operationEncoding, names.operationEncoding);
        assert.deepEqual(roles.queue.columns, {
          id: c('id'),
          entityType: c('entityType'),
          entityId: c('entityId'),
          operation: 'operation',
          payload: 'payload',
          createdAt: c('createdAt'),
          retryCount: c('retryCount'),
          lastAttempt: c('lastAttempt'),
          lastError: c('lastError'),
        });
        assert.deepEqual(roles.queue.timestampEncodings, { [c('createdAt')]: names.queueTimestamps, [c('lastAttempt')]: names.queueTimestamps });

        assert.deepEqual(roles.state, { table: names.state, keyColumn: 'key', valueColumn: 'value' });
        assert.equal(readSyncState(fixture.db, roles.state).get('lastSyncAt'), '2024-05-31T12:00:00.000Z');

        assert.equal(roleOfTable(roles, names.users), 'entity');
        assert.equal(roleOfTable(roles, names.queue), 'queue');
        assert.equal(roleOfTable(roles, names.state), 'state');
        assert.equal(roleOfTable(roles, 'nope'), 'other');
        assert.equal(entityRoleForType(roles, names.postType)?.table, names.posts);
      } finally {
        fixture.close();
      }
    });
  }

  test('a database without sync tables has no roles', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE notes (id INTEGER PRIMARY KEY, title TEXT, created_at TEXT);
      CREATE TABLE settings (key TEXT PRIMARY KEY, value TEXT);
      INSERT INTO settings VALUES ('theme', 'dark');
      CREATE TABLE tags (uuid TEXT PRIMARY KEY, label TEXT);`);
    try {
      assert.deepEqual(detectRoles(fixture.db, readSchema(fixture.db)), { entities: [], queue: null, state: null });
    } finally {
      fixture.close();
    }
  });

  test('a key/value table is the sync state when it holds lastSyncAt, whatever its name', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE kv (name TEXT PRIMARY KEY, val TEXT);
      INSERT INTO kv VALUES ('last_sync_at', '1717243200');`);
    try {
      assert.deepEqual(detectRoles(fixture.db, readSchema(fixture.db)).state, { table: 'kv', keyColumn: 'name', valueColumn: 'val' });
    } finally {
      fixture.close();
    }
  });

  test('an empty queue table falls back to the declared type for its operation encoding', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE SyncOperation (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation INTEGER, payload TEXT, createdAt INTEGER, retryCount INTEGER, lastAttempt INTEGER, lastError TEXT);`);
    try {
      const queue = detectRoles(fixture.db, readSchema(fixture.db)).queue;
      assert.equal(queue?.operationEncoding, 'ordinal');
      assert.deepEqual(queue?.timestampEncodings, {});
    } finally {
      fixture.close();
    }
  });

  test('overrides name tables and columns detection would miss, and fix encodings', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE outgoing (seq INTEGER PRIMARY KEY, kind TEXT, doc TEXT, verb TEXT, body TEXT, at INTEGER, tries INTEGER);
      CREATE TABLE people (pk INTEGER PRIMARY KEY, doc_key TEXT, changed INTEGER);
      CREATE TABLE prefs (k TEXT, v TEXT);
      INSERT INTO outgoing VALUES (1, 'people', 'x', 'update', '{}', 1717243200, 0);
      INSERT INTO people VALUES (1, 'x', 1717243200);`);
    try {
      const roles = detectRoles(fixture.db, readSchema(fixture.db), {
        queue: { table: 'outgoing', columns: { entityType: 'kind', entityId: 'doc', operation: 'verb', payload: 'body', createdAt: 'at', retryCount: 'tries' } },
        entities: [{ table: 'people', collection: 'persons', columns: { externalId: 'doc_key', updatedAt: 'changed' }, timestampEncodings: { changed: 'epoch-millis' } }],
        state: { table: 'prefs', keyColumn: 'k', valueColumn: 'v' },
      });
      assert.equal(roles.queue?.columns.id, 'seq');
      assert.equal(roles.queue?.columns.lastAttempt, null);
      assert.deepEqual(roles.queue?.timestampEncodings, { at: 'epoch-seconds' });
      assert.equal(roles.entities.length, 1);
      assert.equal(roles.entities[0]?.collection, 'persons');
      assert.equal(roles.entities[0]?.columns.externalId, 'doc_key');
      assert.deepEqual(roles.entities[0]?.timestampEncodings, { changed: 'epoch-millis' });
      assert.equal(roles.state?.table, 'prefs');

      assert.deepEqual(detectRoles(fixture.db, readSchema(fixture.db), { queue: null }).queue, null);
      assert.throws(() => detectRoles(fixture.db, readSchema(fixture.db), { entities: [{ table: 'ghosts' }] }), SyncRolesConfigError);
      assert.throws(
        () => detectRoles(fixture.db, readSchema(fixture.db), { entities: [{ table: 'people', columns: { externalId: 'missing' } }] }),
        /column "missing" \(externalId\) does not exist/,
      );
      assert.throws(() => detectRoles(fixture.db, readSchema(fixture.db), { queue: { table: 'people' } }), /has no entityType column/);
    } finally {
      fixture.close();
    }
  });

  test('a table the queue names is an entity even without sync flags', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE comments (id INTEGER PRIMARY KEY, odid TEXT, body TEXT);
      CREATE TABLE tags (id INTEGER PRIMARY KEY, odid TEXT, label TEXT);
      CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entity_type TEXT, entity_id TEXT, operation TEXT, payload TEXT, created_at INTEGER, retry_count INTEGER);
      INSERT INTO sync_operations VALUES (1, 'Comment', 'c1', 'create', '{}', 1717243200, 0);`);
    try {
      const roles = detectRoles(fixture.db, readSchema(fixture.db));
      assert.deepEqual(roles.entities.map((entity) => entity.table), ['comments']);
      assert.equal(entityRoleForType(roles, 'Comment')?.collection, 'comments');
    } finally {
      fixture.close();
    }
  });

  test('a text primary key with sync columns is the external id', async () => {
    const fixture = await sqliteFixture(`CREATE TABLE todos (id TEXT PRIMARY KEY, title TEXT, is_synced INTEGER, updated_at TEXT);`);
    try {
      const [todos] = detectRoles(fixture.db, readSchema(fixture.db)).entities;
      assert.equal(todos?.columns.externalId, 'id');
      assert.equal(todos?.columns.localId, null);
    } finally {
      fixture.close();
    }
  });
});

describe('collection and entity type names', () => {
  test('Isar class names become camelCase plural collections; other names stay', () => {
    assert.equal(collectionForTable('UserModel'), 'users');
    assert.equal(collectionForTable('PostModel'), 'posts');
    assert.equal(collectionForTable('BlogPostEntity'), 'blogPosts');
    assert.equal(collectionForTable('Category'), 'categories');
    assert.equal(collectionForTable('users'), 'users');
    assert.equal(collectionForTable('user_profiles'), 'user_profiles');
  });

  test('entity types list the table, collection, singular and class forms', () => {
    assert.deepEqual(entityTypesFor('UserModel', 'users'), ['UserModel', 'users', 'user', 'User']);
    assert.deepEqual(entityTypesFor('users', 'users'), ['users', 'user', 'User', 'UserModel']);
    assert.deepEqual(entityTypesFor('user_profiles', 'user_profiles'), ['user_profiles', 'user_profile', 'UserProfile', 'UserProfileModel']);
    assert.deepEqual(entityTypesFor('categories', 'categories'), ['categories', 'category', 'Category', 'CategoryModel']);
  });
});
