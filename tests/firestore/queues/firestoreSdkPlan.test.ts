// Plan of the Firestore Android SDK's pending writes against the real emulator: each of the
// fixture's three writes (tests/unit/queues/fixtures.ts) classified against documents seeded through
// the emulator's REST API, and the `synclens plan` command on the cache file (text and --json,
// validated against schemas/cli-output.schema.json's sdkPlan). Then the path a real project takes:
// documents:batchGet as a signed-in user (an unsigned emulator ID token, not the admin "owner"),
// under security rules loaded into the emulator for a project of its own. Writes nothing.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { after, describe, test } from 'node:test';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { errorCode } from '../../../core/errors';
import { projectRestEndpoint, type FirestoreRestEndpoint } from '../../../core/firestore/restRequests';
import { planSdkQueue, sdkPlanEndpoint } from '../../../core/queue/firestoreSdk/remotePlan';
import { readRestDocuments } from '../../../core/queue/firestoreSdk/restDocuments';
import { firestoreSdkCacheFileName, writeFirestoreSdkCacheFile } from '../../../sample-workspace/firestoreSdkCache';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';
import { assertCliJson } from '../../unit/cli/cliSchema';
import { fixtureNow, writeFirestoreSdkCache } from '../../unit/queues/fixtures';
import { emulatorBaseUrl, firestoreTest, loadSecurityRules, type EmulatorEndpoint } from '../helpers/emulator';

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

async function planWith(path: string, endpoint: FirestoreRestEndpoint): Promise<string[]> {
  const app = await openAppDatabase(path, { config: 'none', now: fixtureNow });
  try {
    const plan = await planSdkQueue(app.queue?.operations ?? [], endpoint);
    return plan.planned.map((entry) => `${entry.path}:${entry.classification}`);
  } finally {
    app.close();
  }
}

/** Against the emulator as its admin ("Bearer owner"), in the project the file is named for. */
async function planOf(path: string, emulator: EmulatorEndpoint): Promise<string[]> {
  const endpoint = await sdkPlanEndpoint({ kind: 'emulator', host: emulator.host, port: emulator.port, projectId: emulator.projectId }, basename(path));
  assert.equal(endpoint.bearer, 'owner');
  return planWith(path, endpoint);
}

describe('Firestore SDK pending writes: plan against the emulator', () => {
  firestoreTest('an empty project: the set applies, the update of a missing document fails, the delete changes nothing', async ({ emulator }) => {
    // Named for the run's project, which firestoreTest wipes: the emulator plan reads the project the file is named for.
    const path = writeFirestoreSdkCacheFile(folder('empty'), emulator.projectId, fixtureNow);
    assert.deepEqual(await planOf(path, emulator), ['posts/p1:apply', 'posts/p2:remote-missing', 'posts/p3:already-equal']);
  });

  firestoreTest('seeded documents: newer remote changes and an update the target already holds', async ({ emulator, t }) => {
    if (Date.now() < fixtureNow) return t.skip('the machine clock is before the fixture local write times');
    // Named for the run's project, which firestoreTest wipes: the emulator plan reads the project the file is named for.
    const path = writeFirestoreSdkCacheFile(folder('seeded'), emulator.projectId, fixtureNow);
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

// A project of its own: the rules loaded here apply to no other test's project.
const rulesProject = 'demo-sdk-plan-rules';
const rules = `rules_version = '2';
service cloud.firestore {
  match /databases/{database}/documents {
    match /posts/{id} { allow read: if request.auth != null && request.auth.uid == 'u1'; }
  }
}`;

/** An ID token as the emulator takes it (unsigned, alg none): the user the rules see. */
function emulatorIdToken(uid: string): string {
  const part = (value: object): string => Buffer.from(JSON.stringify(value)).toString('base64url');
  const now = Math.floor(Date.now() / 1000);
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iss: `https://securetoken.google.com/${rulesProject}`, aud: rulesProject, sub: uid, user_id: uid, iat: now, exp: now + 3600, auth_time: now, firebase: { sign_in_provider: 'password', identities: {} } })}.`;
}

async function loadRules(emulator: EmulatorEndpoint): Promise<void> {
  const base = emulatorBaseUrl(emulator);
  const cleared = await fetch(`${base}/emulator/v1/projects/${rulesProject}/databases/(default)/documents`, { method: 'DELETE' });
  assert.ok(cleared.ok, `clearing ${rulesProject}: ${cleared.status}`);
  await loadSecurityRules(emulator, rulesProject, rules);
}

describe('Firestore SDK pending writes: plan as a real project reads, under security rules', () => {
  firestoreTest('the signed-in user the rules allow gets the same plan as the emulator\'s admin', async ({ emulator, t }) => {
    if (Date.now() < fixtureNow) return t.skip('the machine clock is before the fixture local write times');
    await loadRules(emulator);
    await seed({ ...emulator, projectId: rulesProject }, 'posts/p2', { title: { stringValue: 'Edited' }, tags: { arrayValue: { values: [{ stringValue: 'a' }] } } });
    const path = writeFirestoreSdkCacheFile(folder('rules-allowed'), rulesProject, fixtureNow);
    const asUser = projectRestEndpoint(rulesProject, '(default)', emulatorIdToken('u1'), emulatorBaseUrl(emulator));
    assert.notEqual(asUser.bearer, 'owner');
    const expected = ['posts/p1:apply', 'posts/p2:already-equal', 'posts/p3:already-equal'];
    assert.deepEqual(await planWith(path, asUser), expected);
    assert.deepEqual(await planOf(path, emulator), expected, 'the admin reads the same documents');
    // Paged (2 names per request, so 2 requests): the same documents.
    const paths = ['posts/p1', 'posts/p2', 'posts/p3'];
    const paged = await readRestDocuments(asUser, paths, { batchSize: 2 });
    assert.deepEqual([...paged.entries()].sort(), [...(await readRestDocuments(asUser, paths)).entries()].sort());
    assert.deepEqual(paged.get('posts/p2')?.fields, { title: 'Edited', tags: ['a'] });
    assert.equal(paged.get('posts/p1'), null);
  });

  firestoreTest('a user the rules do not allow: permission-denied naming the collection; no user at all: the same', async ({ emulator }) => {
    await loadRules(emulator);
    const path = writeFirestoreSdkCacheFile(folder('rules-denied'), rulesProject, fixtureNow);
    const otherUser = projectRestEndpoint(rulesProject, '(default)', emulatorIdToken('u2'), emulatorBaseUrl(emulator));
    await assert.rejects(planWith(path, otherUser), (error: unknown) => {
      assert.equal(errorCode(error), 'permission-denied');
      assert.match(String((error as Error).message), /^Firestore project demo-sdk-plan-rules denied reading posts \(posts\/p1, posts\/p2, posts\/p3\) \(HTTP 403\)/);
      return true;
    });

    // The project target's own path (connectFirestore, no sign-in configured: no ID token), its REST
    // base URL pointed at the emulator: the rules see no user.
    const target = { kind: 'project' as const, webConfig: { apiKey: 'synclens-test-key', projectId: rulesProject } };
    const endpoint = await sdkPlanEndpoint(target, basename(path), { restBaseUrl: emulatorBaseUrl(emulator) });
    assert.equal(endpoint.bearer, null);
    await assert.rejects(planWith(path, endpoint), (error: unknown) => errorCode(error) === 'permission-denied');
  });

  firestoreTest('a real project target that is not the file\'s project is refused before anything is read', async ({ emulator }) => {
    const path = writeFirestoreSdkCache(folder('other-project'));
    const target = { kind: 'project' as const, webConfig: { apiKey: 'synclens-test-key', projectId: 'someone-else' } };
    await assert.rejects(sdkPlanEndpoint(target, basename(path), { restBaseUrl: emulatorBaseUrl(emulator) }), (error: unknown) => {
      assert.equal(errorCode(error), 'bad-option');
      assert.match(String((error as Error).message), /cache of project demo-synclens, but the target is Firestore project someone-else/);
      return true;
    });
  });

  firestoreTest('an emulator that does not answer is unreachable', async ({ emulator }) => {
    const path = writeFirestoreSdkCache(folder('unreachable'));
    // Port 9 (discard) has no Firestore: the connection is refused.
    const nowhere = await sdkPlanEndpoint({ kind: 'emulator', host: '127.0.0.1', port: 9, projectId: emulator.projectId }, basename(path));
    await assert.rejects(planWith(path, nowhere), (error: unknown) => errorCode(error) === 'unreachable');
  });
});

describe('synclens plan on a Firestore SDK cache with a real-project target in synclens.json', () => {
  const runPlan = (dir: string, env: Record<string, string | undefined>): { status: number; error: { code: string; message: string } } => {
    const file = join(dir, firestoreSdkCacheFileName('demo-synclens'));
    try {
      execFileSync(process.execPath, ['--import', 'tsx', join(root, 'core/cli/main.ts'), 'plan', file, '--json'], { cwd: root, encoding: 'utf8', env: { ...process.env, FIRESTORE_EMULATOR_HOST: undefined, ...env }, stdio: 'pipe' });
      assert.fail('the plan should have been refused');
    } catch (error) {
      const failed = error as { status: number; stdout: string };
      return { status: failed.status, error: (JSON.parse(failed.stdout) as { error: { code: string; message: string } }).error };
    }
  };
  const workspace = (name: string, firestore: object): string => {
    const dir = folder(name);
    const source = writeFirestoreSdkCache(folder(`${name}-source`));
    copyFileSync(source, join(dir, basename(source)));
    writeFileSync(join(dir, 'synclens.json'), JSON.stringify({ firestore }));
    return dir;
  };

  // Both are refused before any request: neither needs the network nor the emulator.
  test('the config\'s project is used: the password is read from the environment, another project is refused', () => {
    const webConfig = { apiKey: 'synclens-test-key', projectId: 'demo-synclens', appId: '1:1:web:1' };
    const signsIn = workspace('signs-in', { webConfig, auth: { email: 'dev@example.com', passwordEnv: 'SYNCLENS_SDK_PLAN_TEST_PASSWORD' } });
    const missing = runPlan(signsIn, { SYNCLENS_SDK_PLAN_TEST_PASSWORD: undefined });
    assert.equal(missing.status, 2);
    assert.equal(missing.error.code, 'config');
    assert.match(missing.error.message, /signs in as dev@example\.com: set the password in the environment variable SYNCLENS_SDK_PLAN_TEST_PASSWORD/);

    const other = workspace('other', { webConfig: { ...webConfig, projectId: 'someone-else' } });
    const refused = runPlan(other, {});
    assert.equal(refused.status, 2);
    assert.equal(refused.error.code, 'bad-option');
    assert.match(refused.error.message, /cache of project demo-synclens, but the target is Firestore project someone-else/);
  });
});
