// `npm start`: SyncLens in a real VS Code. Builds, installs code-server when missing, installs the
// freshly packaged synclens.vsix into a scratch extensions folder, serves a fresh copy of the sample
// workspace on 127.0.0.1 and prints the URL to open in a browser. Ctrl-C stops everything it started.
//   npm start -- /path/to/folder   serve that folder instead of the sample copy
//   SYNCLENS_PORT=NNNN             a fixed port instead of a free one
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installVsix, startCodeServer, tail, type RunningCodeServer } from './codeServer';
import { ensureCodeServerInstalled } from './install';
import { cacheRoot, repoRoot, vsceFlags } from './paths';
import { defaultSettings } from './workbench';
import { emulatorUnavailableReason, startFirestoreEmulator } from '../firestore-emulator';
import { seedEmulator } from '../../sample-workspace/seed-emulator';
import { errorMessage } from '../../core/errors';

/**
 * The sample's Firestore: an emulator on a free port, seeded so that plan shows every classification and the
 * conflicts view has conflicts to resolve; the copied synclens.json is pointed at it.
 */
async function startSeededEmulator(folder: string, stops: Array<() => Promise<void>>): Promise<void> {
  const unavailable = emulatorUnavailableReason();
  if (unavailable) {
    console.log(`start: no Firestore emulator (${unavailable}); the sync views will say the target does not answer`);
    return;
  }
  console.log('start: starting and seeding the Firestore emulator');
  const emulator = await startFirestoreEmulator();
  stops.push(() => emulator.stop());
  const configPath = join(folder, 'synclens.json');
  const config = JSON.parse(readFileSync(configPath, 'utf8')) as { firestore: { emulator: { host: string; port: number }; projectId: string } };
  config.firestore.emulator = { host: emulator.host, port: emulator.port };
  config.firestore.projectId = emulator.projectId;
  writeFileSync(configPath, `${JSON.stringify(config, null, 2)}\n`);
  const summary = await seedEmulator(join(folder, 'app.db'), { kind: 'emulator', host: emulator.host, port: emulator.port, projectId: emulator.projectId });
  console.log(`start: emulator ${emulator.host}:${emulator.port} (${emulator.projectId}) seeded: ${summary.conflicts.length} conflicting entities`);
}

function run(command: string, args: string[], quiet = false): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

async function main(): Promise<void> {
  const userFolder = process.argv[2] ? resolve(process.argv[2]) : undefined;
  if (userFolder && !existsSync(userFolder)) throw new Error(`${userFolder} does not exist`);

  console.log('start: building');
  run(process.execPath, ['scripts/build.mjs']);
  await ensureCodeServerInstalled();

  const scratch = mkdtempSync(join(tmpdir(), 'synclens-start-'));
  const stops: Array<() => Promise<void>> = [];
  let stopping: Promise<void> | undefined;
  const stopAll = (): Promise<void> =>
    (stopping ??= (async () => {
      for (const stop of stops.reverse()) await stop();
      rmSync(scratch, { recursive: true, force: true });
    })());
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      console.log(`\nstart: ${signal}: stopping code-server and the emulator`);
      void stopAll().finally(() => process.exit(0));
    });
  }

  try {
    const vsix = join(scratch, 'synclens.vsix');
    console.log('start: packaging and installing synclens.vsix');
    run(join(repoRoot, 'node_modules/.bin/vsce'), ['package', ...vsceFlags, '--out', vsix], true);
    const extensionsDir = join(scratch, 'extensions');
    await installVsix(vsix, extensionsDir, join(scratch, 'install'));

    // A fresh copy each start: replay and resolve write to app.db, and the repo's copy stays as committed.
    const folder = userFolder ?? join(scratch, 'sample-workspace');
    if (!userFolder) cpSync(join(repoRoot, 'sample-workspace'), folder, { recursive: true });

    if (!userFolder) await startSeededEmulator(folder, stops);

    // Settings and UI state survive restarts; the extension and the workspace copy do not.
    const userDataDir = join(cacheRoot, 'start-user-data');
    const settingsFile = join(userDataDir, 'User', 'settings.json');
    if (!existsSync(settingsFile)) {
      mkdirSync(join(userDataDir, 'User'), { recursive: true });
      writeFileSync(settingsFile, JSON.stringify(defaultSettings, null, 2));
    }
    const port = process.env.SYNCLENS_PORT ? Number(process.env.SYNCLENS_PORT) : undefined;
    const server: RunningCodeServer = await startCodeServer({ scratchDir: join(scratch, 'code-server'), userDataDir, extensionsDir, folder, port });
    stops.push(() => server.stop());

    console.log(`\nSyncLens is running in VS Code (code-server) with ${folder} open:\n`);
    console.log(`    ${server.url}/?folder=${encodeURIComponent(folder)}\n`);
    console.log('Open app.db there (or the SyncLens view in the activity bar). Ctrl-C stops it.');
    const code = await server.exited;
    if (stopping) return;
    console.error(`start: code-server exited (code ${code}):\n${tail(server.logFile)}`);
    await stopAll();
    process.exit(1);
  } catch (error) {
    await stopAll();
    throw error;
  }
}

main().catch((error: unknown) => {
  console.error(`start: ${errorMessage(error)}`);
  process.exit(1);
});
