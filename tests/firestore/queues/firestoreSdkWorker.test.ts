// The Sync Queue view's Plan on the Firestore SDK's cache, as the extension drives it: the built
// dist/syncWorker.js in a real worker thread, the fixture cache (written by the real sqlite3) and
// the real emulator. The queue snapshot says the queue is the SDK's and read-only (the toolbar's
// Replay wording comes from it); Plan classifies every write with the SDK's own verdict.
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe } from 'node:test';
import { RpcEndpoint } from '../../../core/protocol/rpc';
import { SyncWorkerProtocol } from '../../../extension/sync/workerProtocol';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';
import { writeFirestoreSdkCache } from '../../unit/queues/fixtures';
import { emulatorBaseUrl, firestoreTest, type EmulatorEndpoint } from '../helpers/emulator';
import { builtWorkerThread, type WorkerThread } from '../../helpers/workerThread';

const root = join(__dirname, '..', '..', '..');
const workerScript = join(root, 'dist', 'syncWorker.js');

async function seed(emulator: EmulatorEndpoint, projectId: string, path: string, fields: Record<string, unknown>): Promise<void> {
  const url = `${emulatorBaseUrl(emulator)}/v1/projects/${projectId}/databases/(default)/documents/${path}`;
  const response = await fetch(url, { method: 'PATCH', headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' }, body: JSON.stringify({ fields }) });
  assert.ok(response.ok, `seeding ${path}: ${response.status} ${await response.text()}`);
}

describe('sync worker: Plan of the Firestore SDK cache against the emulator', () => {
  let thread: WorkerThread;
  let endpoint: RpcEndpoint;
  const scratch = scratchDir('synclens-sdk-worker-');

  before(() => {
    thread = builtWorkerThread(workerScript);
    endpoint = thread.endpoint;
  });

  after(async () => {
    await thread.close();
    scratch.cleanup();
  });

  firestoreTest('the snapshot names the SDK as owner; Plan gives each write its SDK verdict in send order', async ({ emulator, t }) => {
    if (Date.now() < Date.UTC(2026, 10, 24, 12)) return t.skip('the machine clock is before the fixture local write times');
    const dir = join(scratch.dir, 'plan');
    mkdirSync(dir);
    const path = writeFirestoreSdkCache(dir);
    // The writes are checked in the project the file is named for (demo-synclens), whatever the target's project.
    await seed(emulator, 'demo-synclens', 'posts/p2', { title: { stringValue: 'Remote' } });
    const before = sha256OfFile(path);

    const snapshot = await endpoint.sendRequest(SyncWorkerProtocol.analyzeQueue, { path });
    assert.equal(snapshot.sourceKind, 'firestore-sdk');
    assert.match(snapshot.readOnlyReason ?? '', /Firestore SDK owns this file/);

    const target = { kind: 'emulator' as const, host: emulator.host, port: emulator.port, projectId: emulator.projectId };
    const plan = await endpoint.sendRequest(SyncWorkerProtocol.plan, { path, target, only: null, force: false });
    assert.match(plan.target, /project demo-synclens/);
    assert.equal(plan.queueRevision, snapshot.revision, 'made from the queue the view shows');
    assert.deepEqual(
      plan.rows.map((row) => [row.opId, row.operation, row.sdk?.path, row.sdk?.verdict, row.classification, row.expected]),
      [
        [1, 'set', 'posts/p1', 'apply', 'apply', 'applied'],
        // Seeded now, after the local write 10 minutes before fixtureNow: the SDK's update overwrites it.
        [2, 'update', 'posts/p2', 'remote-newer', 'conflict', 'applied'],
        [3, 'delete', 'posts/p3', 'already-equal', 'already-applied', 'already-applied'],
      ],
    );
    const update = plan.rows[1]!;
    assert.deepEqual(update.sdk?.fieldMask, ['title', 'tags']);
    assert.equal(update.sdk?.precondition, 'exists');
    assert.equal(update.sdk?.batchId, 2);
    assert.deepEqual(update.remote, { title: 'Remote' });
    assert.deepEqual(update.document, { title: 'Edited', tags: ['a'] });
    assert.deepEqual(plan.rows[0]!.sdk?.transforms, ['updatedAt: server time']);
    assert.equal(plan.remoteReads, 3);
    assert.equal(sha256OfFile(path), before, 'the plan writes nothing');

    // A real project is planned too (tests/firestore/queues/firestoreSdkPlan.test.ts reads one under
    // rules), but only the file's own: another project is refused with the reason, before any read.
    await assert.rejects(
      endpoint.sendRequest(SyncWorkerProtocol.plan, { path, target: { kind: 'project', webConfig: { apiKey: 'k', projectId: 'p', appId: 'a' } }, only: null, force: false }),
      /this is the cache of project demo-synclens, but the target is Firestore project p: plan it against project demo-synclens/,
    );
  });
});
