import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkReachable, connectFirestore, FirestoreConnectionError } from '../../core/firestore/client';
import { findEmulatorJar, findFreePort, startFirestoreEmulator } from '../../scripts/firestore-emulator';
import { firestoreSkipReason, firestoreTest, loadSecurityRules } from './helpers/emulator';

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch (error) {
    assert.equal((error as NodeJS.ErrnoException).code, 'ESRCH');
    return false;
  }
}

const skip = firestoreSkipReason();

test('findEmulatorJar honours SYNCLENS_FIRESTORE_EMULATOR_JAR', { skip }, () => {
  const saved = process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR;
  try {
    process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR = '/nonexistent/cloud-firestore-emulator.jar';
    assert.equal(findEmulatorJar(), null);
    delete process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR;
    const found = findEmulatorJar();
    assert.ok(found?.endsWith('cloud-firestore-emulator.jar'), `found ${found}`);
    process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR = found ?? undefined;
    assert.equal(findEmulatorJar(), found);
  } finally {
    if (saved === undefined) delete process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR;
    else process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR = saved;
  }
});

test('an emulator starts on a free port, wipes, and stops with its whole process group', { skip, timeout: 120_000 }, async () => {
  const emulator = await startFirestoreEmulator({ projectId: 'demo-emulator-lifecycle' });
  try {
    assert.equal(emulator.host, '127.0.0.1');
    assert.ok(groupAlive(emulator.pid), 'java runs in its own process group');
    const answer = await fetch(`http://127.0.0.1:${emulator.port}/`);
    assert.equal(answer.status, 200);
    await answer.arrayBuffer();

    const target = { kind: 'emulator' as const, host: emulator.host, port: emulator.port, projectId: emulator.projectId };
    const connection = await connectFirestore(target);
    try {
      const { doc, setDoc, getDoc } = connection.sdk;
      await setDoc(doc(connection.db, 'users/u1'), { name: 'Ada' });
      assert.equal((await getDoc(doc(connection.db, 'users/u1'))).data()?.name, 'Ada');
      await emulator.wipe();
      assert.equal((await getDoc(doc(connection.db, 'users/u1'))).exists(), false);
    } finally {
      await connection.close();
    }
  } finally {
    await emulator.stop();
  }
  assert.equal(groupAlive(emulator.pid), false, 'no process of the group survives stop()');
  await assert.rejects(fetch(`http://127.0.0.1:${emulator.port}/`, { signal: AbortSignal.timeout(2_000) }));
  await emulator.stop();
});

test('a port already taken makes start fail fast with the emulator output', { skip, timeout: 120_000 }, async () => {
  const { createServer } = await import('node:net');
  const blocker = createServer((socket) => socket.destroy());
  const port = await findFreePort();
  await new Promise<void>((resolve) => blocker.listen(port, '127.0.0.1', resolve));
  try {
    // The taken port still answers TCP, but not the emulator's HTTP: java must exit and say why.
    await assert.rejects(startFirestoreEmulator({ port, readyTimeoutMs: 60_000 }), (error: Error) => {
      assert.match(error.message, /exited before it answered|did not answer/);
      return true;
    });
  } finally {
    await new Promise<void>((resolve) => blocker.close(() => resolve()));
  }
});

firestoreTest('checkReachable accepts the running emulator', async ({ target }) => {
  const reachability = await checkReachable(target);
  assert.ok(reachability.latencyMs >= 0);
});

test('checkReachable says "unreachable" quickly for a port nobody listens on', async () => {
  const port = await findFreePort();
  const started = Date.now();
  await assert.rejects(
    checkReachable({ kind: 'emulator', host: '127.0.0.1', port, projectId: 'demo-nobody' }, { timeoutMs: 5_000 }),
    (error: unknown) => {
      assert.ok(error instanceof FirestoreConnectionError);
      assert.equal(error.code, 'unreachable');
      assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}.*not answering`));
      return true;
    },
  );
  assert.ok(Date.now() - started < 5_000);
});

firestoreTest('checkReachable reports "permission-denied" when rules deny the read', async ({ emulator }) => {
  // Rules are per project in the emulator: deny everything in a project of its own.
  const projectId = 'demo-synclens-denied';
  const rules = "rules_version = '2';\nservice cloud.firestore { match /databases/{db}/documents { match /{doc=**} { allow read, write: if false; } } }";
  await loadSecurityRules(emulator, projectId, rules);
  await assert.rejects(
    checkReachable({ kind: 'emulator', host: emulator.host, port: emulator.port, projectId }, { timeoutMs: 15_000 }),
    (error: unknown) => {
      assert.ok(error instanceof FirestoreConnectionError, String(error));
      assert.equal(error.code, 'permission-denied');
      return true;
    },
  );
});

test('the start command seeds, serves until SIGTERM, then stops the java group', { skip, timeout: 120_000 }, async () => {
  const { spawn } = await import('node:child_process');
  const { writeFileSync } = await import('node:fs');
  const { join } = await import('node:path');
  const { scratchDir } = await import('../helpers/sqliteCli');
  const scratch = scratchDir();
  try {
    // The seed script gets FIRESTORE_EMULATOR_HOST and SYNCLENS_EMULATOR_PROJECT; it writes over REST.
    const seed = join(scratch.dir, 'seed.mjs');
    writeFileSync(
      seed,
      `const base = 'http://' + process.env.FIRESTORE_EMULATOR_HOST + '/v1/projects/' + process.env.SYNCLENS_EMULATOR_PROJECT + '/databases/(default)/documents';
       const response = await fetch(base + '/users?documentId=seeded', { method: 'POST', headers: { 'content-type': 'application/json' },
         body: JSON.stringify({ fields: { name: { stringValue: 'Ada' } } }) });
       if (!response.ok) throw new Error(await response.text());`,
    );
    const command = spawn(process.execPath, ['--import', 'tsx', 'scripts/firestore-emulator.ts', 'start', '--project', 'demo-cli', '--seed', seed], {
      cwd: join(__dirname, '../..'),
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    command.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => command.once('exit', (code) => resolve(code)));
    await new Promise<void>((resolve, reject) => {
      command.stdout.on('data', (chunk: Buffer) => {
        output += chunk.toString();
        if (output.includes('Press Ctrl-C')) resolve();
      });
      void exited.then(() => reject(new Error(`start exited early:\n${output}`)));
    });
    const host = /FIRESTORE_EMULATOR_HOST=(\S+)/.exec(output)?.[1];
    const pid = Number(/pid (\d+)/.exec(output)?.[1]);
    assert.ok(host && pid, output);
    assert.match(output, /Seeded from/);
    const seeded = await fetch(`http://${host}/v1/projects/demo-cli/databases/(default)/documents/users/seeded`);
    assert.equal(((await seeded.json()) as { fields: { name: { stringValue: string } } }).fields.name.stringValue, 'Ada');

    command.kill('SIGTERM');
    assert.equal(await exited, 0, output);
    assert.match(output, /Firestore emulator stopped/);
    assert.equal(groupAlive(pid), false);
  } finally {
    scratch.cleanup();
  }
});
