// Brick's HttpJobs queue as Brick writes it (brickFixtures.ts): the op from the method and the
// Prefer header, collection and id from the URL (REST paths and PostgREST filters) or the body,
// attempts without the try in flight, and the lock as Brick reads it.
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { buildInspectReport } from '../../../core/cli/inspect';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { scratchDir } from '../../helpers/sqliteCli';
import { schemaErrors, validatorFor } from '../cli/cliSchema';
import { brickIssueJobs, writeBrickFixture, type BrickJob } from './brickFixtures';
import { fixtureNow } from './fixtures';

const scratch = scratchDir('synclens-brick-');
let issuePath = '';
before(() => {
  issuePath = writeBrickFixture(scratch.dir, brickIssueJobs(fixtureNow));
});
after(() => scratch.cleanup());

async function operationsOf(path: string) {
  const app = await openAppDatabase(path, { config: 'none', now: fixtureNow });
  try {
    return app.queue?.operations ?? [];
  } finally {
    app.close();
  }
}

describe('Brick HttpJobs', () => {
  test('inspect --json: 3 requests, read-only, none dead-lettered or backing off by SyncLens policy', async () => {
    const { queue } = await buildInspectReport(issuePath, { applyWal: true, now: fixtureNow, config: false });
    assert.equal(queue?.kind, 'brick');
    assert.equal(queue?.table, 'HttpJobs');
    assert.deepEqual(
      { total: queue?.total, pending: queue?.pending, ready: queue?.ready, invalid: queue?.invalid, deadLettered: queue?.deadLettered, backingOff: queue?.backingOff },
      { total: 3, pending: 3, ready: 3, invalid: 0, deadLettered: 0, backingOff: 0 },
    );
    assert.equal(queue?.oldestPendingAgeMs, 20 * 60_000);
    assert.equal(queue?.lastSync, null, 'Brick keeps no last sync');
    const validate = validatorFor('inspectQueue');
    assert.ok(validate(queue), schemaErrors(validate));
  });

  test('a PostgREST upsert names its row by on_conflict; a filter other than id names it too; locks and attempts as Brick counts them', async () => {
    const ops = await operationsOf(issuePath);
    assert.deepEqual(
      ops.map((op) => [op.operation, op.entityType, op.entityId, op.retryCount, op.facts?.['attempts'], op.facts?.['lock']]),
      [
        ['upsert', 'kitchens', 'k1', 1, 1, null],
        ['update', 'kitchens', 'k2', 2, 3, 'in flight'],
        ['delete', 'kitchens', 'k3', 1, 2, 'stale (older than 2 minutes: Brick unlocks it)'],
      ],
    );
    assert.deepEqual(ops[0]?.payload, { slug: 'k1', name: 'Kiwi' });
    assert.equal(ops[2]?.payload, null, 'a DELETE sends an empty body');
    assert.equal(ops[1]?.lastAttempt, fixtureNow - 60_000);
    assert.equal(ops[0]?.createdAt, fixtureNow - 20 * 60_000);
  });

  test('POST without merge-duplicates creates (id from the body), PUT upserts, a bulk body of one row is that row, other methods are invalid', async () => {
    const dir = join(scratch.dir, 'methods');
    mkdirSync(dir);
    const job = (method: string, url: string, body: string | null, headers: Record<string, string> = {}): BrickJob => ({
      attempts: 1,
      body,
      headers,
      locked: 0,
      method,
      url,
      createdAt: fixtureNow - 60_000,
      updatedAt: fixtureNow - 60_000,
    });
    const path = writeBrickFixture(dir, [
      job('POST', 'https://api.example.com/kitchens', '{"id":7,"name":"Fig"}', { 'Content-Type': 'application/json' }),
      job('PUT', 'https://api.example.com/kitchens/k8', '{"name":"Date"}'),
      job('POST', 'https://demo.supabase.co/rest/v1/kitchens', '[{"id":"k9","name":"Yuzu"}]', { PREFER: 'resolution=merge-duplicates' }),
      job('POST', 'https://demo.supabase.co/rest/v1/kitchens', '{"id":"k10"}', { Prefer: 'resolution=ignore-duplicates', 'X-Note': 'resolution=merge-duplicates' }),
      job('HEAD', 'https://api.example.com/kitchens/k11', null),
    ]);
    const ops = await operationsOf(path);
    assert.deepEqual(
      ops.map((op) => [op.operation, op.entityType, op.entityId, op.status]),
      [
        ['create', 'kitchens', '7', 'ready'],
        ['upsert', 'kitchens', 'k8', 'ready'],
        ['upsert', 'kitchens', 'k9', 'ready'],
        ['create', 'kitchens', 'k10', 'ready'],
        ['update', 'kitchens', 'k11', 'invalid'],
      ],
    );
    assert.deepEqual(ops[2]?.payload, { id: 'k9', name: 'Yuzu' });
    assert.match(ops[4]?.reason ?? '', /operation "HEAD request" is none of/);
  });

  test('synclens.json may name kind brick (and its table); without HttpJobs it says what is missing', async () => {
    const dir = join(scratch.dir, 'named');
    mkdirSync(dir);
    const path = writeBrickFixture(dir, brickIssueJobs(fixtureNow));
    const config = join(dir, 'synclens.json');
    writeFileSync(config, JSON.stringify({ queue: { kind: 'brick', table: 'HttpJobs' } }));
    const app = await openAppDatabase(path, { config: { file: config }, now: fixtureNow });
    try {
      assert.equal(app.queue?.kind, 'brick');
      assert.equal(app.queue?.totals.total, 3);
    } finally {
      app.close();
    }
    writeFileSync(config, JSON.stringify({ queue: { kind: 'brick', table: 'Jobs' } }));
    await assert.rejects(
      openAppDatabase(path, { config: { file: config } }),
      /queue\.kind is "brick" but the database has no Brick request queue \(a table Jobs with request_method and url columns\)/,
    );
  });
});
