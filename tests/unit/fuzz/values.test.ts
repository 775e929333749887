// Fuzzing what SyncLens parses and converts that is not a database page: synclens.json texts (the
// config parser), rows and payloads into Firestore documents and back (core/firestore/mapping.ts, with
// the roles detected on a real sqlite3-written app database), and document values into the tagged
// JSON of --json and the webviews and back (core/engine/taggedValues.ts).
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import fc from 'fast-check';
import { checkConfigText, parseConfig } from '../../../core/config/validate';
import { openAppDatabase } from '../../../core/db/appDatabase';
import type { ColumnInfo, EntityTableRole, SqlValue } from '../../../core/db/types';
import { fromJsonValue, toJsonValue } from '../../../core/engine/taggedValues';
import { createEntityMapping, plainValuesSdk, valuesEqual, type EntityMapping } from '../../../core/firestore/mapping';
import { scratchDir } from '../../helpers/sqliteCli';
import { fuzzProperties, fuzzProperty } from './harness';
import { seedFiles } from './seeds';

/** A synclens.json using every key, comments and trailing commas included: the config parser's seed. */
const fullConfig = `{
  // JSONC
  "$schema": "../schemas/synclens.schema.json",
  "databases": ["*.db", "data/**/*.{sqlite,db3}"],
  "queue": { "table": "sync_operations", "columns": { "entityType": "entityType", "lastError": null }, "operationEncoding": "text",
             "timestampEncodings": { "createdAt": "epoch-millis" } },
  "entities": { "users": { "collection": "users", "entityTypes": ["users", "User"], "columns": { "externalId": "odid", "version": null },
                           "timestampEncodings": { "updatedAt": "iso8601" }, "jsonColumns": ["settings"] } },
  "state": { "table": "sync_state", "keyColumn": "key", "valueColumn": "value" },
  "maxRetries": 5,
  "backoff": { "baseMs": 1000, "factor": 2, "capMs": 60000, "jitter": 0.5 },
  "conflicts": { "default": "lastWriteWins", "collections": { "posts": "remoteWins" } },
  "firestore": { "projectId": "demo-synclens", "emulator": { "host": "127.0.0.1", "port": 8080 },
                 "auth": { "email": "dev@example.com", "passwordEnv": "SYNCLENS_FIREBASE_PASSWORD" }, },
}`;

/** JSON-ish text: real configs cut, spliced and with tokens replaced, plus generated JSON and deep nesting. */
const configText: fc.Arbitrary<string> = fc.oneof(
  fc.record({ at: fc.nat({ max: fullConfig.length }), cut: fc.nat({ max: 40 }), insert: fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom('{', '[', '"', '\\', '//', '/*', ',', ':', 'null', '1e999', '-0', '"\u202e"', '\ud800', '"**/**/**/**/**/**/**/*a"')) }).map(
    ({ at, cut, insert }) => fullConfig.slice(0, at) + insert + fullConfig.slice(at + cut),
  ),
  fc.json({ depthSize: 'medium' }),
  fc.record({ key: fc.constantFrom('databases', 'queue', 'entities', 'maxRetries', 'backoff', 'conflicts', 'firestore', 'state'), value: fc.jsonValue({ depthSize: 'small' }) }).map(({ key, value }) => JSON.stringify({ [key]: value })),
  fc.record({ depth: fc.integer({ min: 1, max: 5000 }), open: fc.constantFrom('[', '{"a":') }).map(({ depth, open }) => open.repeat(depth)),
  fc.string({ unit: 'binary', maxLength: 300 }),
);

const sqlValue: fc.Arbitrary<SqlValue> = fc.oneof(
  fc.constant(null),
  fc.integer(),
  fc.double(),
  fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }),
  fc.constantFrom(0, 1, 1700000000, 1700000000000, 1700000000000000, 253402300800000, -62135596800001, 8.64e15, 9e18, Number.MAX_SAFE_INTEGER),
  fc.string({ maxLength: 40 }),
  fc.constantFrom('2026-11-24T12:00:00.123456789Z', '2026-11-24 12:00:00', '0000-01-01T00:00:00Z', '+275760-09-13T00:00:00Z', '9999999999999999999', '1.5', '{"a":[1,{"b":null}]}', '[', 'true'),
  fc.uint8Array({ maxLength: 40 }),
);

/** Document values as the engine meets them: SDK-style Timestamps and Bytes, Dates, numbers JSON cannot hold, nesting. */
const documentValue: fc.Arbitrary<unknown> = fc.letrec<{ value: unknown }>((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    sqlValue,
    fc.boolean(),
    fc.constantFrom(Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY, -0, undefined),
    fc.record({ seconds: fc.oneof(fc.integer({ min: -62135596800, max: 253402300799 }), fc.constantFrom(-8.64e12, 8.64e12, 1e15, -1e300)), nanos: fc.integer({ min: 0, max: 999_999_999 }) }).map(
      ({ seconds, nanos }) => new plainValuesSdk.Timestamp(seconds, nanos),
    ),
    fc.uint8Array({ maxLength: 24 }).map((bytes) => plainValuesSdk.Bytes.fromUint8Array(bytes)),
    fc.oneof(fc.date(), fc.constant(new Date(Number.NaN))),
    fc.array(tie('value'), { maxLength: 4 }),
    fc.dictionary(fc.oneof(fc.string({ maxLength: 8 }), fc.constantFrom('$timestamp', '$bytes', '$map', '$number', '__proto__', 'constructor')), tie('value'), { maxKeys: 4 }),
  ),
})).value;

let users: { mapping: EntityMapping; columns: ColumnInfo[]; role: EntityTableRole } | undefined;

/** The users table's role as SyncLens detects it on the real seed database: timestamps, flags, JSON columns. */
function usersMapping(): NonNullable<typeof users> {
  if (!users) throw new Error('the seed database was not read');
  return users;
}

/** A Timestamp a document holds must be one Firestore can store (years 1 to 9999). */
function assertStorable(value: unknown, path: string): void {
  if (value === null || typeof value !== 'object') return;
  if (value instanceof plainValuesSdk.Timestamp) {
    assert.ok(value.seconds >= -62135596800 && value.seconds <= 253402300799, `${path}: a Timestamp Firestore cannot store (${value.seconds} s)`);
    return;
  }
  if (Array.isArray(value)) value.forEach((item, index) => assertStorable(item, `${path}[${index}]`));
  else if (!(value instanceof Uint8Array) && typeof (value as { toUint8Array?: unknown }).toUint8Array !== 'function') {
    for (const [key, item] of Object.entries(value)) assertStorable(item, `${path}.${key}`);
  }
}

const properties = [
  fuzzProperty({
    name: 'config parser: cut and spliced synclens.json, generated JSON, deep nesting',
    arbitrary: configText,
    runs: 500,
    inputBytes: (text: string) => text.length * 2,
    check: (text: string) => {
      const checked = checkConfigText(text, '/fuzz/synclens.json');
      assert.equal(checked.config === null, checked.problems.length > 0, 'a config exactly when there is no problem');
      for (const problem of checked.problems) {
        assert.ok(problem.line >= 1 && problem.column >= 1 && problem.offset >= 0 && problem.offset <= text.length, JSON.stringify(problem));
        assert.ok(problem.message.length > 0);
      }
      // The same text through the throwing entry: the config, or a ConfigError ('config').
      const parsed = checked.config === null ? null : parseConfig(text, '/fuzz/synclens.json');
      if (checked.config === null) parseConfig(text, '/fuzz/synclens.json');
      else assert.deepEqual(parsed, checked.config);
    },
  }),
  fuzzProperty({
    name: 'Firestore mapping: rows of the users table to documents and back',
    arbitrary: fc.array(sqlValue, { minLength: 11, maxLength: 11 }),
    runs: 600,
    inputBytes: (values: SqlValue[]) => JSON.stringify(values, (_, value: unknown) => (typeof value === 'bigint' ? String(value) : value)).length * 4,
    check: (values: SqlValue[]) => {
      const { mapping, columns, role } = usersMapping();
      const row = Object.fromEntries(columns.map((column, index) => [column.name, values[index] ?? null]));
      const document = mapping.rowToDocument(row);
      assertStorable(document, 'document');
      assert.equal(role.columns.externalId in document, false, 'the external id is the document id, never a field');
      const back = mapping.documentToRow(String(row[role.columns.externalId] ?? 'id'), document);
      // What the document says comes back to the same column value, text and numbers exactly.
      for (const column of columns) {
        const field = mapping.fieldForColumn(column.name);
        const value = row[column.name];
        if (field === null || value === null || value === undefined || role.timestampEncodings[column.name] || typeof document[field] !== typeof value) continue;
        assert.ok(valuesEqual(back[column.name], value), `${column.name}: ${String(value)} came back as ${String(back[column.name])}`);
      }
      const payload = mapping.payloadToDocument(JSON.parse(JSON.stringify(toJsonValue(row))) as Record<string, unknown>);
      assertStorable(payload, 'payload');
    },
  }),
  fuzzProperty({
    name: 'tagged JSON: document values to JSON and back',
    arbitrary: fc.dictionary(fc.string({ maxLength: 10 }), documentValue, { maxKeys: 6 }),
    runs: 800,
    inputBytes: () => 64 * 1024,
    check: (document: Record<string, unknown>) => {
      const encoded = toJsonValue(document);
      const text = JSON.stringify(encoded);
      assert.deepEqual(JSON.parse(text), encoded, 'the encoding is plain JSON');
      // Values that cannot be written back (integers past 2^53...) throw 'invalid-value': a typed outcome.
      const decoded = fromJsonValue(encoded, plainValuesSdk, '$');
      assert.deepEqual(toJsonValue(decoded), encoded, 'decoding and encoding again gives the same JSON');
    },
  }),
];

describe('fuzz: config, Firestore mapping, tagged JSON', () => {
  before(async () => {
    const { dir, cleanup } = scratchDir('synclens-fuzz-values-');
    try {
      const path = join(dir, 'app.db');
      writeFileSync(path, seedFiles().appDb);
      const app = await openAppDatabase(path, { config: 'none' });
      try {
        const role = app.roles.entities.find((entity) => entity.table === 'users');
        const table = app.schema.tables.find((candidate) => candidate.name === 'users');
        assert.ok(role && table, 'the seed database has a users entity');
        assert.equal(table.columns.length, 11);
        users = { mapping: createEntityMapping(role, table.columns, plainValuesSdk), columns: table.columns, role };
      } finally {
        app.close();
      }
    } finally {
      cleanup();
    }
  });
  fuzzProperties(properties);
});
