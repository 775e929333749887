// `npm run test:firestore`: starts ONE Firestore emulator for the run, runs every
// tests/firestore/**/*.test.ts against it (one file at a time) and always stops it. Where the
// emulator cannot run, says so loudly and runs the files anyway so each test reports `skip`.
import { spawn } from 'node:child_process';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { tsImport } from 'tsx/esm/api';
import { findTests } from './testFiles.mjs';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const testProject = 'demo-synclens-test';

const files = findTests(join(root, 'tests/firestore'))
  .map((file) => relative(root, file))
  .sort();
if (files.length === 0) {
  console.error('no test files under tests/firestore');
  process.exit(1);
}

const { emulatorUnavailableReason, startFirestoreEmulator } = await tsImport('./firestore-emulator.ts', import.meta.url);

const env = { ...process.env };
delete env.FIRESTORE_EMULATOR_HOST;
delete env.SYNCLENS_FIRESTORE_SKIP;
let emulator;
const unavailable = emulatorUnavailableReason();
if (unavailable) {
  const banner = '!'.repeat(100);
  console.error(`${banner}\n!! FIRESTORE TESTS SKIPPED: ${unavailable}\n${banner}`);
  env.SYNCLENS_FIRESTORE_SKIP = `Firestore emulator unavailable: ${unavailable}`;
} else {
  const started = Date.now();
  emulator = await startFirestoreEmulator({ projectId: testProject });
  console.log(`Firestore emulator on ${emulator.host}:${emulator.port} (pid ${emulator.pid}), ready in ${Date.now() - started} ms`);
  env.FIRESTORE_EMULATOR_HOST = `${emulator.host}:${emulator.port}`;
  env.SYNCLENS_TEST_PROJECT = testProject;
}

let stopping;
function stopEmulator() {
  stopping ??= emulator ? emulator.stop() : Promise.resolve();
  return stopping;
}

const runner = spawn(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=1', '--test-reporter=spec', ...files],
  { stdio: 'inherit', env, cwd: root },
);
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.once(signal, () => {
    runner.kill(signal);
    void stopEmulator().then(() => process.exit(130));
  });
}
const status = await new Promise((resolve) => {
  runner.once('error', (error) => {
    console.error(`could not run the tests: ${error.message}`);
    resolve(1);
  });
  runner.once('exit', (code, signal) => resolve(code ?? (signal ? 1 : 0)));
});
await stopEmulator();
if (unavailable) console.error(`!! FIRESTORE TESTS SKIPPED: ${unavailable}`);
process.exit(status);
