import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { backoffOf, ConfigError, conflictPolicyFor, formatConfigProblem, maxRetriesOf, toRoleOverrides } from '../../../core/config/config';
import { checkConfigAgainstDatabase } from '../../../core/config/databaseCheck';
import { matchesDatabaseGlobs } from '../../../core/config/databaseGlobs';
import { findConfigFor, loadConfig, loadConfigFor } from '../../../core/config/load';
import { firestoreTargetOf, MissingSecretError } from '../../../core/config/target';
import { checkConfigText, configJsonSchema, parseConfig } from '../../../core/config/validate';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import { loadSqlJs } from '../../../core/db/sqlite';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const root = join(__dirname, '../../..');

/** The problems of a config text, each formatted as the CLI prints it. */
function problemsOf(text: string): string[] {
  return checkConfigText(text, 'synclens.json').problems.map(formatConfigProblem);
}

describe('valid configs', () => {
  test('the sample workspace config validates and names the emulator', () => {
    const loaded = loadConfig(join(root, 'sample-workspace/synclens.json'));
    // No $schema: a relative one would not resolve in the copies npm start and the walkthrough open; VS Code
    // validates every synclens.json with the shipped schema (package.json jsonValidation), as the language server does.
    assert.equal((JSON.parse(readFileSync(loaded.path, 'utf8')) as { $schema?: string }).$schema, undefined);
    const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { contributes: { jsonValidation: { fileMatch: string; url: string }[] } };
    const validation = manifest.contributes.jsonValidation.find((entry) => entry.fileMatch === 'synclens.json');
    assert.ok(validation, 'package.json validates synclens.json');
    assert.equal(readFileSync(join(root, validation.url), 'utf8'), readFileSync(join(root, 'schemas/synclens.schema.json'), 'utf8'));
    const target = firestoreTargetOf(loaded.config);
    assert.equal(target?.kind, 'emulator');
  });

  test('a config using every key validates, with comments and trailing commas', () => {
    const config = parseConfig(
      `{
  // JSONC: comments are fine
  "$schema": "../schemas/synclens.schema.json",
  "databases": ["*.db", "data/**/*.sqlite"],
  "queue": {
    "table": "outbox",
    "columns": { "entityType": "kind", "lastError": null },
    "operationEncoding": "ordinal",
    "timestampEncodings": { "queued_at": "epoch-seconds" }
  },
  "entities": {
    "people": {
      "collection": "users",
      "entityTypes": ["person", "Person"],
      "columns": { "externalId": "uid", "updatedAt": "changed", "version": null },
      "timestampEncodings": { "changed": "epoch-micros" },
      "jsonColumns": ["prefs"]
    }
  },
  "state": { "table": "kv", "keyColumn": "k", "valueColumn": "v" },
  "maxRetries": 8,
  "backoff": { "baseMs": 1000, "factor": 3, "capMs": 60000, "jitter": 1 },
  "conflicts": { "default": "manual", "collections": { "posts": "remoteWins" } },
  "firestore": {
    "projectId": "my-app",
    "webConfig": { "apiKey": "AIzaSyExample", "projectId": "my-app", "authDomain": "my-app.firebaseapp.com" },
    "auth": { "email": "dev@example.com", "passwordEnv": "SYNCLENS_MY_APP_PASSWORD" },
  },
}`,
      'synclens.json',
    );
    assert.equal(maxRetriesOf(config), 8);
    assert.deepEqual(backoffOf(config), { baseMs: 1000, factor: 3, capMs: 60000, jitter: 1 });
    assert.equal(conflictPolicyFor(config, 'posts'), 'remoteWins');
    assert.equal(conflictPolicyFor(config, 'users'), 'manual');
    assert.deepEqual(firestoreTargetOf(config, { env: { SYNCLENS_MY_APP_PASSWORD: 's3cret' } }), {
      kind: 'project',
      webConfig: { apiKey: 'AIzaSyExample', projectId: 'my-app', authDomain: 'my-app.firebaseapp.com' },
      auth: { email: 'dev@example.com', password: 's3cret' },
    });
    assert.throws(() => firestoreTargetOf(config, { env: {} }), (error: unknown) => {
      assert.ok(error instanceof MissingSecretError);
      assert.match(error.message, /SYNCLENS_MY_APP_PASSWORD/);
      return true;
    });
  });

  test('defaults apply where the config is silent', () => {
    const config = parseConfig('{}', 'synclens.json');
    assert.equal(maxRetriesOf(config), 5);
    assert.deepEqual(backoffOf(config), { baseMs: 2000, factor: 2, capMs: 3_600_000, jitter: 0.5 });
    assert.equal(conflictPolicyFor(config, 'users'), 'lastWriteWins');
    assert.equal(firestoreTargetOf(config), null);
    assert.deepEqual(
      firestoreTargetOf(parseConfig('{"firestore": {"emulator": {"port": 8181}}}', 'synclens.json')),
      { kind: 'emulator', host: '127.0.0.1', port: 8181, projectId: 'demo-synclens' },
    );
  });
});

describe('bad configs name the key and its line:column', () => {
  const cases: Array<[string, string, string[]]> = [
    ['wrong type', '{\n  "databases": ["*.db"],\n  "maxRetries": "five"\n}', ['synclens.json:3:17: "maxRetries" must be an integer']],
    ['fraction where an integer belongs', '{\n  "maxRetries": 2.5\n}', ['synclens.json:2:17: "maxRetries" must be an integer']],
    ['unknown key with a suggestion', '{\n  "maxRetry": 5\n}', ['synclens.json:2:3: unknown key "maxRetry": did you mean "maxRetries"?']],
    [
      'unknown nested key',
      '{\n  "backoff": {\n    "baseMS": 10\n  }\n}',
      ['synclens.json:3:5: unknown key "baseMS" in "backoff": did you mean "baseMs"?'],
    ],
    [
      'enum value',
      '{\n  "conflicts": {\n    "collections": { "posts": "newestWins" }\n  }\n}',
      ['synclens.json:3:31: "conflicts.collections.posts" must be one of "lastWriteWins", "localWins", "remoteWins", "manual"'],
    ],
    [
      'timestamp encoding enum',
      '{\n  "entities": { "users": { "timestampEncodings": { "updatedAt": "millis" } } }\n}',
      ['synclens.json:2:65: "entities.users.timestampEncodings.updatedAt" must be one of "iso8601", "epoch-seconds", "epoch-millis", "epoch-micros"'],
    ],
    ['out of range', '{\n  "backoff": { "jitter": 1.5 }\n}', ['synclens.json:2:26: "backoff.jitter" must be <= 1']],
    ['missing required key', '{\n  "firestore": {\n    "emulator": { "host": "127.0.0.1" }\n  }\n}', ['synclens.json:3:5: "firestore.emulator" is missing "port"']],
    [
      'a secret',
      '{\n  "firestore": {\n    "webConfig": { "apiKey": "k", "projectId": "p" },\n    "auth": { "email": "a@b.c", "password": "hunter2" }\n  }\n}',
      [
        'synclens.json:4:33: "firestore.auth.password" looks like a secret: secrets never go in synclens.json (the extension keeps the password in SecretStorage; the CLI reads SYNCLENS_FIREBASE_PASSWORD or firestore.auth.passwordEnv)',
      ],
    ],
    ['duplicate key', '{\n  "maxRetries": 3,\n  "maxRetries": 4\n}', ['synclens.json:3:3: "maxRetries" is given twice']],
    [
      'emulator and a real project at once',
      '{\n  "firestore": {\n    "emulator": { "port": 8080 },\n    "webConfig": { "apiKey": "k", "projectId": "p" }\n  }\n}',
      ['synclens.json:4:5: "firestore" names both an emulator and a real project\'s webConfig: keep one'],
    ],
    ['bad project id', '{ "firestore": { "projectId": "My Project" } }', ['synclens.json:1:31: "firestore.projectId" is not a valid project id (lowercase letters, digits and dashes)']],
    ['empty glob', '{\n  "databases": ["*.db", ""]\n}', ['synclens.json:2:25: "databases[1]" must not be empty']],
    ['not an object', '["*.db"]', ['synclens.json:1:1: synclens.json must hold a JSON object']],
    [
      'several problems, in file order',
      '{\n  "maxRetries": -1,\n  "queue": { "table": "q", "operationEncoding": "int" }\n}',
      [
        'synclens.json:2:17: "maxRetries" must be >= 1',
        'synclens.json:3:49: "queue.operationEncoding" must be one of "text", "ordinal"',
      ],
    ],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => assert.deepEqual(problemsOf(text), expected));
  }

  test('parseConfig throws a ConfigError whose message is the first problem', () => {
    assert.throws(() => parseConfig('{\n  "maxRetries": "five"\n}', 'app/synclens.json'), (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.equal(error.message, 'app/synclens.json:2:17: "maxRetries" must be an integer');
      assert.equal(error.problems[0]?.keyPath, 'maxRetries');
      return true;
    });
  });
});

describe('malformed JSON gets one message with its position', () => {
  const cases: Array<[string, string, string]> = [
    ['missing comma', '{\n  "maxRetries": 5\n  "databases": []\n}', 'synclens.json:3:3: malformed JSON: expected a comma'],
    ['unterminated string', '{\n  "databases": ["*.db]\n}', 'synclens.json:2:17: malformed JSON: unterminated string'],
    ['unclosed object', '{\n  "maxRetries": 5\n', 'synclens.json:3:1: malformed JSON: expected a closing brace }'],
    ['single quotes', "{ 'maxRetries': 5 }", 'synclens.json:1:3: malformed JSON: unexpected character'],
    ['empty file', '   \n', 'synclens.json:1:1: malformed JSON: the file is empty'],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => assert.deepEqual(problemsOf(text), [expected]));
  }

  test('a CRLF file counts lines like an editor', () => {
    assert.deepEqual(problemsOf('{\r\n  "maxRetries": true\r\n}'), ['synclens.json:2:17: "maxRetries" must be an integer']);
  });
});

describe('files', () => {
  test('findConfigFor finds the config beside or above the database, or none', () => {
    const scratch = scratchDir();
    try {
      const nested = join(scratch.dir, 'app/build/device');
      mkdirSync(nested, { recursive: true });
      assert.equal(findConfigFor(join(nested, 'app.db')), null);
      writeFileSync(join(scratch.dir, 'app/synclens.json'), '{"maxRetries": 7}');
      assert.equal(findConfigFor(join(nested, 'app.db')), join(scratch.dir, 'app/synclens.json'));
      assert.equal(loadConfigFor(join(nested, 'app.db'))?.config.maxRetries, 7);
      writeFileSync(join(nested, 'synclens.json'), '\uFEFF{"maxRetries": 9}');
      assert.equal(loadConfigFor(join(nested, 'app.db'))?.config.maxRetries, 9);
    } finally {
      scratch.cleanup();
    }
  });

  test('loadConfig names a missing file', () => {
    assert.throws(() => loadConfig('/nonexistent/synclens.json'), /nonexistent\/synclens\.json:1:1: cannot read the config: no such file/);
  });

  test('loadConfig reads regular files only, and no file larger than a config can be', () => {
    const scratch = scratchDir();
    try {
      // A FIFO would block a plain read until a writer came; /dev/zero would never end.
      const fifo = join(scratch.dir, 'synclens.json');
      execFileSync('mkfifo', [fifo]);
      assert.throws(() => loadConfig(fifo), /synclens\.json:1:1: cannot read the config: it is not a regular file/);
      assert.throws(() => loadConfig('/dev/zero'), /\/dev\/zero:1:1: cannot read the config: it is not a regular file/);
      const huge = join(scratch.dir, 'huge.json');
      writeFileSync(huge, ' '.repeat(2 * 1024 * 1024));
      assert.throws(() => loadConfig(huge), /cannot read the config: it is 2097152 bytes, larger than any config/);
    } finally {
      scratch.cleanup();
    }
  });

  test('database globs are relative to the config folder', () => {
    const loaded = { path: '/work/app/synclens.json', config: { databases: ['*.db', 'data/**/*.sqlite'] } };
    assert.equal(matchesDatabaseGlobs(loaded, '/work/app/app.db'), true);
    assert.equal(matchesDatabaseGlobs(loaded, '/work/app/sub/app.db'), false);
    assert.equal(matchesDatabaseGlobs(loaded, '/work/app/data/a/b/x.sqlite'), true);
    assert.equal(matchesDatabaseGlobs(loaded, '/work/app/data/x.sqlite'), true);
    assert.equal(matchesDatabaseGlobs(loaded, '/work/other/app.db'), false);
    assert.equal(matchesDatabaseGlobs({ path: '/w/synclens.json', config: {} }, '/w/deep/x.db3'), true);
  });
});

describe('config meets the database', () => {
  async function openFixture(sql: string): Promise<{ db: import('sql.js').Database; cleanup: () => void }> {
    const scratch = scratchDir();
    const path = join(scratch.dir, 'app.db');
    sqlite3(path, sql);
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(path));
    return { db, cleanup: () => (db.close(), scratch.cleanup()) };
  }

  const fixtureSql = `
    CREATE TABLE people (pk INTEGER PRIMARY KEY, uid TEXT NOT NULL, full_name TEXT, changed INTEGER, synced INTEGER, prefs TEXT);
    INSERT INTO people VALUES (1, 'p1', 'Ada', 1700000000000000, 1, '{"dark":true}');
    CREATE TABLE outbox (seq INTEGER PRIMARY KEY, kind TEXT, target TEXT, op INTEGER, body TEXT, queued INTEGER, tries INTEGER);
    CREATE TABLE kv (k TEXT PRIMARY KEY, v TEXT);`;

  test('toRoleOverrides feeds detectRoles: the configured names win', async () => {
    const fixture = await openFixture(fixtureSql);
    try {
      const config = parseConfig(
        JSON.stringify({
          queue: {
            table: 'outbox',
            columns: { id: 'seq', entityType: 'kind', entityId: 'target', operation: 'op', payload: 'body', createdAt: 'queued', retryCount: 'tries' },
            operationEncoding: 'ordinal',
          },
          entities: {
            people: {
              collection: 'users',
              entityTypes: ['person'],
              columns: { externalId: 'uid', updatedAt: 'changed', isSynced: 'synced' },
              timestampEncodings: { changed: 'epoch-micros' },
              jsonColumns: ['prefs'],
            },
          },
          state: { table: 'kv', keyColumn: 'k', valueColumn: 'v' },
        }),
        'synclens.json',
      );
      const roles = detectRoles(fixture.db, readSchema(fixture.db), toRoleOverrides(config));
      assert.equal(roles.queue?.table, 'outbox');
      assert.equal(roles.queue?.columns.entityType, 'kind');
      assert.equal(roles.queue?.operationEncoding, 'ordinal');
      assert.deepEqual(roles.state, { table: 'kv', keyColumn: 'k', valueColumn: 'v' });
      const people = roles.entities.find((entity) => entity.table === 'people');
      assert.equal(people?.collection, 'users');
      assert.deepEqual(people?.entityTypes, ['person']);
      assert.equal(people?.columns.externalId, 'uid');
      assert.equal(people?.columns.updatedAt, 'changed');
      assert.equal(people?.timestampEncodings.changed, 'epoch-micros');
      assert.deepEqual(people?.jsonColumns, ['prefs']);
      assert.deepEqual(toRoleOverrides(parseConfig('{"queue": null, "state": null}', 'synclens.json')), { queue: null, state: null });
    } finally {
      fixture.cleanup();
    }
  });

  test('misspelt tables and columns are positioned with the closest name', async () => {
    const fixture = await openFixture(fixtureSql);
    try {
      const text = '{\n  "queue": { "table": "outbx" },\n  "entities": {\n    "people": { "columns": { "updatedAt": "chnged" }, "jsonColumns": ["prefs", "nope"] },\n    "peple": {}\n  }\n}';
      const problems = checkConfigAgainstDatabase(text, 'synclens.json', readSchema(fixture.db));
      assert.deepEqual(
        problems.map((problem) => [formatConfigProblem(problem), problem.keyPath, problem.suggestion]),
        [
          ['synclens.json:2:23: table "outbx" does not exist in the database: did you mean "outbox"?', 'queue.table', 'outbox'],
          ['synclens.json:4:43: table "people" has no column "chnged": did you mean "changed"?', 'entities.people.columns.updatedAt', 'changed'],
          ['synclens.json:4:80: table "people" has no column "nope"', 'entities.people.jsonColumns[1]', undefined],
          ['synclens.json:5:5: table "peple" does not exist in the database: did you mean "people"?', 'entities.peple', 'people'],
        ],
      );
    } finally {
      fixture.cleanup();
    }
  });
});

describe('the JSON Schema', () => {
  test('every key has a description (the editor shows them on hover)', () => {
    const missing: string[] = [];
    const visit = (node: unknown, path: string): void => {
      if (!node || typeof node !== 'object') return;
      const schema = node as Record<string, unknown>;
      for (const [key, child] of Object.entries((schema.properties as Record<string, unknown>) ?? {})) {
        if (typeof (child as { description?: unknown }).description !== 'string') missing.push(`${path}.${key}`);
        visit(child, `${path}.${key}`);
      }
      const additional = schema.additionalProperties;
      if (additional && typeof additional === 'object') {
        const resolved = '$ref' in additional ? undefined : additional;
        if (resolved && typeof (resolved as { description?: unknown }).description !== 'string') missing.push(`${path}.*`);
        visit(additional, `${path}.*`);
      }
      if (schema.items) visit(schema.items, `${path}[]`);
    };
    const schema = configJsonSchema();
    visit(schema, '');
    for (const [name, definition] of Object.entries(schema.definitions as Record<string, unknown>)) visit(definition, `#${name}`);
    assert.deepEqual(missing, []);
  });
});
