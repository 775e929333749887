// Plan of the Firestore Android SDK's pending writes against the real emulator: each of the
// fixture's three writes (tests/unit/queues/fixtures.ts) classified against documents seeded through
// the emulator's REST API, and the `synclens plan` command on the cache file (text and --json,
// validated against schemas/cli-output.schema.json's sdkPlan). Writes nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe } from 'node:test';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { readEmulatorDocuments } from '../../../core/queue/firestoreSdk/emulatorDocuments';
import { planSdkWrites } from '../../../core/queue/firestoreSdk/plan';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';
import { assertCliJson } from '../../unit/cli/cliSchema';
import { fixtureNow, writeFirestoreSdkCache } from '../../unit/queues/fixtures';
import { emulatorBaseUrl, firestoreTest, type EmulatorEndpoint } from '../helpers/emulator';

const scratch = scratchDir('synclens-sdk-plan-');
after(() => scratch.cleanup());
const root = join(__dirname, '..', '..', '..');
const folder = (name: string): string => {
  const dir = join(scratch.dir, name);
  mkdirSync(dir);
  return dir;
};

async function seed(emulator: EmulatorEndpoint, path: string, fields: Record<string, unknown>): Promise<void> {
  const url = `${emulatorBaseUrl(emulator)}/v1/projects/${emulator.projectId}/databases/(default)/documents/${path}`;
  const response = await fetch(url, { method: 'PATCH', headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' }, body: JSON.stringify({ fields }) });
  assert.ok(response.ok, `seeding ${path}: ${response.status} ${await response.text()}`);
}

async function planOf(path: string, emulator: EmulatorEndpoint): Promise<string[]> {
  const app = await openAppDatabase(path, { config: 'none', now: fixtureNow });
  try {
    const ops = app.queue?.operations ?? [];
    const remote = await readEmulatorDocuments(emulator, ops.map((op) => String(op.facts?.['path'])));
    return planSdkWrites(ops, remote).map((entry) => `${entry.path}:${entry.classification}`);
  } finally {
    app.close();
  }
}

describe('Firestore SDK pending writes: plan against the emulator', () => {
  firestoreTest('an empty project: the set applies, the update of a missing document fails, the delete changes nothing', async ({ emulator }) => {
    const path = writeFirestoreSdkCache(folder('empty'));
    assert.deepEqual(await planOf(path, emulator), ['posts/p1:apply', 'posts/p2:remote-missing', 'posts/p3:already-equal']);
  });

  firestoreTest('seeded documents: newer remote changes and an update the target already holds', async ({ emulator, t }) => {
    if (Date.now() < fixtureNow) return t.skip('the machine clock is before the fixture local write times');
    const path = writeFirestoreSdkCache(folder('seeded'));
    // Seeded now, after the fixture's local write times: remote-newer for p1 and p3.
    await seed(emulator, 'posts/p1', { title: { stringValue: 'Remote' } });
    await seed(emulator, 'posts/p2', { title: { stringValue: 'Edited' }, tags: { arrayValue: { values: [{ stringValue: 'a' }] } }, body: { stringValue: 'kept' } });
    await seed(emulator, 'posts/p3', { title: { stringValue: 'Still here' } });
    assert.deepEqual(await planOf(path, emulator), ['posts/p1:remote-newer', 'posts/p2:already-equal', 'posts/p3:remote-newer']);

    const before = sha256OfFile(path);
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'core/cli/main.ts'), 'plan', path, '--emulator', `${emulator.host}:${emulator.port}`, '--project', emulator.projectId], { cwd: root, encoding: 'utf8' });
    assert.match(output, /^#1 batch 1 set posts\/p1: remote-newer: posts\/p1 changed on the target at .*after the local write/m);
    assert.match(output, /^#2 batch 2 update posts\/p2: already-equal:/m);
    assert.match(output, /plan: 3 pending Firestore SDK writes in send order: 2 remote-newer, 1 already-equal \(read-only: the SDK sends them, SyncLens never writes this file\)/);

    const json = assertCliJson(
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'core/cli/main.ts'), 'plan', path, '--json', '--emulator', `${emulator.host}:${emulator.port}`, '--project', emulator.projectId], { cwd: root, encoding: 'utf8' }),
      'sdkPlan',
      'synclens.firestore-sdk-plan/1',
    ) as { target: { projectId: string }; totals: Record<string, number>; remoteReads: number; operations: { path: string; write: string; batchId: number; user: string; classification: string; remote: { fields: Record<string, unknown>; updateTime: string } | null; document: unknown }[] };
    assert.equal(json.target.projectId, emulator.projectId);
    assert.deepEqual(json.totals, { apply: 0, 'remote-newer': 2, 'remote-missing': 0, 'already-equal': 1 });
    assert.equal(json.remoteReads, 3);
    assert.deepEqual(
      json.operations.map((entry) => [entry.path, entry.write, entry.batchId, entry.user, entry.classification]),
      [
        ['posts/p1', 'set', 1, 'u1', 'remote-newer'],
        ['posts/p2', 'update', 2, 'u1', 'already-equal'],
        ['posts/p3', 'delete', 2, 'u1', 'remote-newer'],
      ],
    );
    assert.deepEqual(json.operations[0]!.remote?.fields, { title: 'Remote' });
    assert.ok(Date.parse(json.operations[0]!.remote?.updateTime ?? '') >= fixtureNow, 'the seeded document was updated after the local write');
    assert.equal(json.operations[2]!.document, null, 'a delete sends no fields');
    assert.equal(sha256OfFile(path), before, 'plan writes nothing');
  });
});
