import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeQueue, backoffDelayMs, jitterFraction, readQueue } from '../../../core/db/queue';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import { parseIso } from '../../../core/db/timestamps';
import { defaultBackoffPolicy, type SyncRoles } from '../../../core/db/types';
import { appDatabaseSql, scenarioNow, scenarioOperations, schemaStyles, sqliteFixture } from '../../helpers/schemas';

const sendOrder = [...scenarioOperations].sort((a, b) => a.createdAt - b.createdAt || a.id - b.id);

describe('readQueue', () => {
  for (const style of schemaStyles) {
    test(`${style}: every op in send order (createdAt, then id) with decoded fields`, async () => {
      const fixture = await sqliteFixture(appDatabaseSql(style));
      try {
        const operations = readQueue(fixture.db, detectRoles(fixture.db, readSchema(fixture.db)));
        assert.deepEqual(operations.map((op) => op.id), sendOrder.map((op) => op.id));
        const precision = style === 'drift' ? 1000 : 1;
        for (const [index, op] of operations.entries()) {
          const expected = sendOrder[index]!;
          assert.equal(op.operation, expected.operation, `op ${op.id} operation`);
          assert.equal(op.entityId, expected.entityId);
          assert.equal(op.createdAt, Math.floor(expected.createdAt / precision) * precision);
          assert.equal(op.lastAttempt, expected.lastAttempt === null ? null : Math.floor(expected.lastAttempt / precision) * precision);
          assert.equal(op.retryCount, expected.retryCount);
          assert.equal(op.lastError, expected.lastError);
          assert.equal(op.payloadText, expected.payload);
        }
        assert.deepEqual(operations.find((op) => op.id === 1)?.payload, { odid: 'u-alice', name: 'Alice', email: 'alice@example.com' });
        assert.equal(operations.find((op) => op.id === 6)?.payload, null);
      } finally {
        fixture.close();
      }
    });
  }

  test('createdAt in every ISO-8601 spelling reads as the ISO pattern reads it (the canonical shape has a faster path)', async () => {
    // Canonical UTC shapes (1..9 fraction digits), the days past the 28th that roll over by the
    // year's own months, an early year, and the shapes only the general pattern reads.
    const spellings = [
      '2026-11-20T09:00:00Z', '2026-11-20T09:00:00.5Z', '2026-11-20T09:00:00.12Z', '2026-11-20T09:00:00.123Z',
      '2026-11-20T09:00:00.123456789Z', '2026-02-28T23:59:59.999Z', '2026-02-29T00:00:00Z', '2023-02-30T12:00:00Z',
      '2026-04-31T00:00:00Z', '2026-12-31T23:59:60Z', '0050-06-01T00:00:00Z', '2026-11-20T09:00:00.Z', '2026-13-01T00:00:00Z',
      '2026-11-20T24:00:00Z', '2026-00-10T00:00:00Z', '2026-11-00T00:00:00Z', '2026-11-20t09:00:00z', '2026-11-20 09:00:00Z',
      '2026-11-20T09:00:00+02:00', '2026-11-20T09:00:00,5Z', ' 2026-11-20T09:00:00Z', '2026-11-20T09:00Z', '2026-11-20', '2026-1a-20T09:00:00Z',
    ];
    const values = spellings.map((text, index) => `(${index + 1}, 'users', 'u-${index}', 'update', '{}', '${text}')`).join(', ');
    const fixture = await sqliteFixture(`
      CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt TEXT, retryCount INTEGER DEFAULT 0, lastAttempt TEXT, lastError TEXT);
      INSERT INTO sync_operations (id, entityType, entityId, operation, payload, createdAt) VALUES ${values};
    `);
    try {
      const roles = detectRoles(fixture.db, readSchema(fixture.db));
      assert.equal(roles.queue?.table, 'sync_operations');
      const read = new Map(readQueue(fixture.db, roles).map((op) => [op.id, op.createdAt]));
      // With a space before it, text never takes the canonical shape's path: the pattern reads it.
      const byPattern = (text: string): number | null => parseIso(` ${text}`);
      for (const [index, text] of spellings.entries()) {
        assert.equal(read.get(index + 1), byPattern(text), `createdAt '${text}'`);
        assert.equal(parseIso(text), byPattern(text), `parseIso('${text}')`);
      }
      assert.equal(read.get(1), Date.UTC(2026, 10, 20, 9));
      assert.equal(read.get(8), Date.UTC(2023, 2, 1, 12), 'Feb 30 rolls over as parseIso rolls it');
    } finally {
      fixture.close();
    }
  });

  test('no queue table: no operations', () => {
    const roles: SyncRoles = { entities: [], queue: null, state: null };
    assert.deepEqual(readQueue(null as never, roles), []);
  });
});

describe('analyzeQueue', () => {
  for (const style of schemaStyles) {
    test(`${style}: a status and reason for every op, and the totals`, async () => {
      const fixture = await sqliteFixture(appDatabaseSql(style));
      try {
        const analysis = analyzeQueue(fixture.db, detectRoles(fixture.db, readSchema(fixture.db)), { now: scenarioNow });
        assert.deepEqual(
          analysis.operations.map((op) => [op.id, op.status]),
          sendOrder.map((op) => [op.id, op.expected]),
        );
        for (const op of analysis.operations) {
          assert.ok(op.reason.length > 0 && !op.reason.includes('\n'), `one-line reason for op ${op.id}: ${op.reason}`);
          const expected = sendOrder.find((candidate) => candidate.id === op.id)!;
          assert.equal(op.supersededBy, expected.supersededBy ?? null, `supersededBy of op ${op.id}`);
        }
        const byId = new Map(analysis.operations.map((op) => [op.id, op]));
        assert.match(byId.get(4)!.reason, /failed 5 times \(max 5\).*PERMISSION_DENIED/);
        assert.match(byId.get(6)!.reason, /payload is not a JSON object/);
        assert.match(byId.get(11)!.reason, /JSON array/);
        assert.match(byId.get(3)!.reason, /no row in .* odid = "u-ghost"/);
        assert.match(byId.get(8)!.reason, /op #9 deletes/);
        const backingOff = byId.get(7)!;
        const expectedNext = backingOff.lastAttempt! + backoffDelayMs(2, 7);
        assert.equal(backingOff.nextAttemptAt, expectedNext);
        assert.ok(expectedNext > scenarioNow);
        assert.match(backingOff.reason, /next attempt at \d{4}-\d\d-\d\d \d\d:\d\d:\d\d/);
        assert.equal(byId.get(1)!.table, style === 'isar' ? 'UserModel' : 'users');

        assert.deepEqual(analysis.totals, {
          total: 11,
          pending: 10,
          ready: 4,
          backingOff: 1,
          deadLettered: 1,
          invalid: 2,
          orphans: 1,
          superseded: 2,
          oldestPendingAt: sendOrder[0]!.createdAt - (style === 'drift' ? sendOrder[0]!.createdAt % 1000 : 0),
        });
        assert.equal(analysis.table, detectRoles(fixture.db, readSchema(fixture.db)).queue?.table);
      } finally {
        fixture.close();
      }
    });
  }

  test('maxRetries and the clock move ops between statuses', async () => {
    const fixture = await sqliteFixture(appDatabaseSql('camel'));
    try {
      const roles = detectRoles(fixture.db, readSchema(fixture.db));
      const strict = analyzeQueue(fixture.db, roles, { now: scenarioNow, maxRetries: 2 });
      const status = (id: number, analysis = strict): string | undefined => analysis.operations.find((op) => op.id === id)?.status;
      assert.equal(status(7), 'dead-lettered');
      assert.equal(status(10), 'ready');
      assert.equal(strict.totals.pending, 9);
      const later = analyzeQueue(fixture.db, roles, { now: scenarioNow + 10_000 });
      assert.equal(status(7, later), 'ready');
      assert.match(later.operations.find((op) => op.id === 7)!.reason, /backoff after 2 failures has elapsed/);
    } finally {
      fixture.close();
    }
  });

  test('superseding follows the documented rule', async () => {
    const fixture = await sqliteFixture(`
      CREATE TABLE users (id INTEGER PRIMARY KEY, odid TEXT, name TEXT, is_synced INTEGER);
      INSERT INTO users (odid, name, is_synced) VALUES ('a', 'A', 0), ('b', 'B', 0), ('c', 'C', 0), ('d', 'D', 0);
      CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entity_type TEXT, entity_id TEXT, operation TEXT, payload TEXT, created_at INTEGER, retry_count INTEGER, last_attempt INTEGER, last_error TEXT);
      INSERT INTO sync_operations VALUES
        (1, 'users', 'a', 'create', '{"odid":"a","name":"A"}', 1717243200, 0, NULL, NULL),
        (2, 'users', 'a', 'update', '{"odid":"a","name":"A2"}', 1717243201, 0, NULL, NULL),
        (3, 'users', 'a', 'update', '{"odid":"a","name":"A3","email":"x"}', 1717243202, 0, NULL, NULL),
        (4, 'users', 'b', 'update', '{"odid":"b","name":"B2","email":"y"}', 1717243203, 0, NULL, NULL),
        (5, 'users', 'b', 'update', '{"odid":"b","name":"B3"}', 1717243204, 0, NULL, NULL),
        (6, 'users', 'c', 'update', '{"odid":"c","name":"C2"}', 1717243205, 0, NULL, NULL),
        (7, 'users', 'c', 'delete', '', 1717243206, 9, 1717243206, 'boom'),
        (8, 'users', 'd', 'create', '{"odid":"d"}', 1717243207, 0, NULL, NULL),
        (9, 'users', 'd', 'delete', '', 1717243208, 0, NULL, NULL),
        (10, 'users', 'd', 'merge', '{}', 1717243209, 0, NULL, NULL);`);
    try {
      const analysis = analyzeQueue(fixture.db, detectRoles(fixture.db, readSchema(fixture.db)), { now: Date.UTC(2024, 5, 2) });
      const summary = analysis.operations.map((op) => `${op.id}:${op.status}${op.supersededBy ? `>${op.supersededBy}` : ''}`);
      assert.deepEqual(summary, [
        '1:ready', // a create is never superseded by an update
        '2:superseded>3', // a later update covers every field
        '3:ready',
        '4:ready', // the later update lacks "email": both must be sent
        '5:ready',
        '6:ready', // the later delete is dead-lettered, so it will not be sent
        '7:dead-lettered',
        '8:superseded>9', // a later delete makes a create redundant
        '9:ready', // a delete may carry no payload
        '10:invalid',
      ]);
      assert.match(analysis.operations[9]!.reason, /operation "merge" is none of create, update, upsert, delete/);
    } finally {
      fixture.close();
    }
  });
});

describe('backoffDelayMs', () => {
  const noJitter = { ...defaultBackoffPolicy, jitter: 0 };

  test('exponential from base by factor, capped', () => {
    assert.equal(backoffDelayMs(0, 1, noJitter), 0);
    assert.deepEqual([1, 2, 3, 4, 5].map((retry) => backoffDelayMs(retry, 1, noJitter)), [2000, 4000, 8000, 16000, 32000]);
    assert.equal(backoffDelayMs(12, 1, noJitter), 3_600_000);
    assert.equal(backoffDelayMs(400, 1, noJitter), 3_600_000);
  });

  test('jitter stays within its share and is the same on every call for an op id', () => {
    const delays = Array.from({ length: 200 }, (_, id) => backoffDelayMs(3, id));
    assert.ok(delays.every((delay) => delay >= 4000 && delay <= 8000));
    assert.ok(new Set(delays).size > 150, 'different ops get different jitter');
    assert.deepEqual(Array.from({ length: 200 }, (_, id) => backoffDelayMs(3, id)), delays);
    assert.equal(backoffDelayMs(3, 7, defaultBackoffPolicy, () => 0), 4000);
    assert.equal(backoffDelayMs(3, 7, defaultBackoffPolicy, () => 0.5), 6000);
    const fractions = Array.from({ length: 1000 }, (_, id) => jitterFraction(id, 1));
    assert.ok(fractions.every((fraction) => fraction >= 0 && fraction < 1));
    const mean = fractions.reduce((sum, fraction) => sum + fraction, 0) / fractions.length;
    assert.ok(mean > 0.4 && mean < 0.6, `mean ${mean}`);
  });
});
