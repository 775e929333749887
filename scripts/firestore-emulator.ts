// The Firestore emulator from the command line (core/firestore/emulator.ts is the launcher; tests,
// benches and scripts import it from here too):
//   node --import tsx scripts/firestore-emulator.ts start [--port N] [--project ID] [--seed script.ts]
// stays in the foreground until Ctrl-C / SIGTERM and then stops the java process group.
import { spawn, type ChildProcess } from 'node:child_process';
import { basename } from 'node:path';
import { errorMessage } from '../core/errors';
import { startFirestoreEmulator, type RunningEmulator } from '../core/firestore/emulator';

export {
  defaultEmulatorProjectId,
  emulatorPackage,
  EmulatorStartError,
  EmulatorUnavailableError,
  emulatorUnavailableReason,
  findEmulatorJar,
  findFreePort,
  knownEmulatorJarPath,
  startFirestoreEmulator,
  wipeEmulator,
  type RunningEmulator,
  type StartEmulatorOptions,
} from '../core/firestore/emulator';

function parseCommandLine(args: string[]): { port?: number; projectId?: string; seed?: string } {
  const parsed: { port?: number; projectId?: string; seed?: string } = {};
  for (let i = 0; i < args.length; i++) {
    const flag = args[i];
    const value = args[i + 1];
    if (value === undefined) throw new Error(`${flag} needs a value`);
    if (flag === '--port') {
      const port = Number(value);
      if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new Error(`--port must be a port number, got "${value}"`);
      parsed.port = port;
    } else if (flag === '--project') {
      parsed.projectId = value;
    } else if (flag === '--seed') {
      parsed.seed = value;
    } else {
      throw new Error(`unknown option ${flag}`);
    }
    i++;
  }
  return parsed;
}

function runSeedScript(script: string, emulator: RunningEmulator): Promise<void> {
  return new Promise((resolve, reject) => {
    const seeding: ChildProcess = spawn(process.execPath, ['--import', 'tsx', script], {
      stdio: 'inherit',
      env: {
        ...process.env,
        FIRESTORE_EMULATOR_HOST: `${emulator.host}:${emulator.port}`,
        SYNCLENS_EMULATOR_PROJECT: emulator.projectId,
      },
    });
    seeding.once('error', reject);
    seeding.once('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`seed script ${script} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

async function main(args: string[]): Promise<void> {
  const [command, ...rest] = args;
  if (command !== 'start') {
    console.error('usage: firestore-emulator.ts start [--port N] [--project ID] [--seed script.ts]');
    process.exitCode = 2;
    return;
  }
  let options: ReturnType<typeof parseCommandLine>;
  try {
    options = parseCommandLine(rest);
  } catch (error) {
    console.error(`firestore-emulator: ${errorMessage(error)}`);
    process.exitCode = 2;
    return;
  }
  const emulator = await startFirestoreEmulator({ port: options.port, projectId: options.projectId });
  let stopped = false;
  const shutdown = async (): Promise<void> => {
    if (stopped) return;
    stopped = true;
    await emulator.stop();
    console.log('Firestore emulator stopped.');
  };
  process.once('SIGINT', () => void shutdown());
  process.once('SIGTERM', () => void shutdown());
  console.log(`Firestore emulator on ${emulator.host}:${emulator.port} (project ${emulator.projectId}, pid ${emulator.pid})`);
  console.log(`FIRESTORE_EMULATOR_HOST=${emulator.host}:${emulator.port}`);
  if (options.seed) {
    try {
      await runSeedScript(options.seed, emulator);
      console.log(`Seeded from ${options.seed}.`);
    } catch (error) {
      console.error(`firestore-emulator: ${errorMessage(error)}`);
      process.exitCode = 1;
      await shutdown();
      return;
    }
  }
  console.log('Press Ctrl-C to stop.');
}

if (basename(process.argv[1] ?? '') === 'firestore-emulator.ts') {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`firestore-emulator: ${errorMessage(error)}`);
    process.exitCode = 1;
  });
}
