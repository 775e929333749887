// `npm start`: SyncLens in a real VS Code. Builds, installs code-server when missing, installs the
// freshly packaged synclens.vsix into a scratch extensions folder, serves a fresh copy of the sample
// workspace on 127.0.0.1 and prints the URL to open in a browser. Ctrl-C stops everything it started.
//   npm start -- /path/to/folder   serve that folder instead of the sample copy
//   SYNCLENS_PORT=NNNN             a fixed port instead of a free one
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { installVsix, startCodeServer, tail, type RunningCodeServer } from './codeServer';
import { ensureCodeServerInstalled } from './install';
import { cacheRoot, repoRoot, vsceFlags } from './paths';
import { defaultSettings } from './workbench';

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
      console.log(`\nstart: ${signal}: stopping code-server`);
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

    // HOOK (issue 5 item 12): start the Firestore emulator here with startFirestoreEmulator() from
    // scripts/firestore-emulator.ts, seed it with sample-workspace/seed-emulator.ts, push its
    // stop() onto `stops`, and point the copied synclens.json at its port.

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
  console.error(`start: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
