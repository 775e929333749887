// Google's Firestore emulator (the Debian jar) for tests, `npm start` and the sample seed script.
// Library: findEmulatorJar / startFirestoreEmulator. Command line:
//   node --import tsx scripts/firestore-emulator.ts start [--port N] [--project ID] [--seed script.ts]
// stays in the foreground until Ctrl-C / SIGTERM and then stops the java process group.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { basename } from 'node:path';

export const defaultEmulatorProjectId = 'demo-synclens';
export const knownEmulatorJarPath =
  '/usr/lib/google-cloud-sdk/platform/cloud-firestore-emulator/cloud-firestore-emulator.jar';
export const emulatorPackage = 'google-cloud-cli-firestore-emulator';
const emulatorMainClass = 'com.google.cloud.datastore.emulator.firestore.CloudFirestore';
const defaultReadyTimeoutMs = 60_000;
const stopGraceMs = 5_000;
const outputTailChars = 4_000;

export interface RunningEmulator {
  host: '127.0.0.1';
  port: number;
  projectId: string;
  /** Process id of the java process, which leads its own process group. */
  pid: number;
  /** Deletes every document of `projectId` (or of the given project). */
  wipe(projectId?: string): Promise<void>;
  /** Kills the process group and resolves once the java process has exited. Safe to call twice. */
  stop(): Promise<void>;
}

export interface StartEmulatorOptions {
  /** A fixed port; by default a free one is chosen. */
  port?: number;
  projectId?: string;
  jar?: string;
  readyTimeoutMs?: number;
  /**
   * Let this node process exit while the emulator runs (a test file's own emulator); it is
   * still killed when the process exits.
   */
  unref?: boolean;
}

export class EmulatorUnavailableError extends Error {
  override readonly name = 'EmulatorUnavailableError';
}

export class EmulatorStartError extends Error {
  override readonly name = 'EmulatorStartError';
}

/**
 * The emulator jar: $SYNCLENS_FIRESTORE_EMULATOR_JAR, else the file Debian's package installed
 * (`dpkg -L`), else the package's usual path. null when none exists.
 */
export function findEmulatorJar(): string | null {
  const fromEnv = process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR;
  if (fromEnv) return existsSync(fromEnv) ? fromEnv : null;
  const fromPackage = jarListedByDpkg();
  if (fromPackage) return fromPackage;
  return existsSync(knownEmulatorJarPath) ? knownEmulatorJarPath : null;
}

function jarListedByDpkg(): string | null {
  try {
    const listing = execFileSync('dpkg', ['-L', emulatorPackage], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
      timeout: 10_000,
    });
    const jar = listing.split('\n').find((line) => line.endsWith('/cloud-firestore-emulator.jar'));
    return jar && existsSync(jar) ? jar : null;
  } catch {
    return null;
  }
}

function javaAvailable(): boolean {
  try {
    execFileSync('java', ['-version'], { stdio: 'ignore', timeout: 20_000 });
    return true;
  } catch {
    return false;
  }
}

/** Why the emulator cannot run on this machine, or null when it can. */
export function emulatorUnavailableReason(): string | null {
  const fromEnv = process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR;
  if (fromEnv && !existsSync(fromEnv)) {
    return `SYNCLENS_FIRESTORE_EMULATOR_JAR points at ${fromEnv}, which does not exist`;
  }
  if (!findEmulatorJar()) {
    return `the Firestore emulator jar was not found (Debian package ${emulatorPackage} is not installed, ` +
      `no ${knownEmulatorJarPath}, SYNCLENS_FIRESTORE_EMULATOR_JAR not set)`;
  }
  if (!javaAvailable()) return 'java is not installed (the Firestore emulator needs Java 17+)';
  return null;
}

/** A port that was free a moment ago: bind port 0 and read what the kernel chose. */
export function findFreePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => {
        if (address && typeof address === 'object') resolve(address.port);
        else reject(new Error('could not read the port chosen by the kernel'));
      });
    });
  });
}

export async function startFirestoreEmulator(options: StartEmulatorOptions = {}): Promise<RunningEmulator> {
  const jar = options.jar ?? findEmulatorJar();
  if (!jar) throw new EmulatorUnavailableError(emulatorUnavailableReason() ?? 'the Firestore emulator jar was not found');
  const projectId = options.projectId ?? defaultEmulatorProjectId;
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await findFreePort());
    try {
      return await launch(jar, port, projectId, options);
    } catch (error) {
      // Another process may take a port between our probe and java's bind: try a fresh one.
      lastError = error;
      if (!(error instanceof EmulatorStartError) || !/address already in use|BindException/i.test(error.message)) {
        throw error;
      }
    }
  }
  throw lastError;
}

async function launch(jar: string, port: number, projectId: string, options: StartEmulatorOptions): Promise<RunningEmulator> {
  const child = spawn(
    'java',
    ['-Duser.language=en', '-Xmx512m', '-cp', jar, emulatorMainClass, '--host=127.0.0.1', `--port=${port}`],
    { detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const pid = child.pid;
  let output = '';
  const keepTail = (chunk: Buffer): void => {
    output = (output + chunk.toString('utf8')).slice(-outputTailChars);
  };
  child.stdout?.on('data', keepTail);
  child.stderr?.on('data', keepTail);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  const spawnFailure = new Promise<never>((_, reject) => {
    child.once('error', (error) => reject(new EmulatorStartError(`could not start java: ${error.message}`)));
  });
  if (pid === undefined) await spawnFailure;

  const killGroupOnExit = (): void => killGroup(pid as number, 'SIGKILL');
  process.on('exit', killGroupOnExit);
  // A process dying of a signal runs no 'exit' handlers: an unref'd emulator (a test file's own)
  // is killed first, then the signal takes its default course.
  const killGroupOnSignal = (signal: NodeJS.Signals): void => {
    killGroup(pid as number, 'SIGKILL');
    process.kill(process.pid, signal);
  };
  const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];
  if (options.unref) {
    child.unref();
    for (const stream of [child.stdout, child.stderr]) (stream as unknown as { unref?: () => void } | null)?.unref?.();
    for (const signal of signals) process.once(signal, killGroupOnSignal);
  }

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!hasExited) {
        killGroup(pid as number, 'SIGTERM');
        const timer = setTimeout(() => killGroup(pid as number, 'SIGKILL'), stopGraceMs);
        await exited;
        clearTimeout(timer);
      }
      // The JVM is the group leader; anything it left behind goes with the group.
      killGroup(pid as number, 'SIGKILL');
      process.off('exit', killGroupOnExit);
      for (const signal of signals) process.off(signal, killGroupOnSignal);
    })();
    return stopping;
  };

  const baseUrl = `http://127.0.0.1:${port}`;
  try {
    await Promise.race([
      waitUntilAnswering(baseUrl, options.readyTimeoutMs ?? defaultReadyTimeoutMs, () => hasExited),
      spawnFailure,
      exited.then(() => {
        throw new EmulatorStartError(
          `the Firestore emulator exited before it answered on ${baseUrl} (exit code ${child.exitCode ?? child.signalCode}):\n${output.trim()}`,
        );
      }),
    ]);
  } catch (error) {
    await stop();
    if (error instanceof EmulatorStartError) throw error;
    throw new EmulatorStartError(`${(error as Error).message}\n${output.trim()}`);
  }

  return {
    host: '127.0.0.1',
    port,
    projectId,
    pid: pid as number,
    wipe: (otherProjectId?: string) => wipeEmulator(baseUrl, otherProjectId ?? projectId),
    stop,
  };
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function waitUntilAnswering(baseUrl: string, timeoutMs: number, hasExited: () => boolean): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let delayMs = 50;
  while (!hasExited()) {
    try {
      const response = await fetch(`${baseUrl}/`, { signal: AbortSignal.timeout(2_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      throw new EmulatorStartError(`the Firestore emulator did not answer on ${baseUrl} within ${timeoutMs} ms`);
    }
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    delayMs = Math.min(delayMs * 2, 250);
  }
}

/** Deletes every document of a project in a running emulator. */
export async function wipeEmulator(baseUrl: string, projectId: string): Promise<void> {
  const url = `${baseUrl}/emulator/v1/projects/${encodeURIComponent(projectId)}/databases/(default)/documents`;
  const response = await fetch(url, { method: 'DELETE', signal: AbortSignal.timeout(30_000) });
  const body = await response.text();
  if (!response.ok) throw new Error(`wiping the emulator failed: HTTP ${response.status} ${body.trim()}`);
}

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
    console.error(`firestore-emulator: ${(error as Error).message}`);
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
      console.error(`firestore-emulator: ${(error as Error).message}`);
      process.exitCode = 1;
      await shutdown();
      return;
    }
  }
  console.log('Press Ctrl-C to stop.');
}

if (basename(process.argv[1] ?? '') === 'firestore-emulator.ts') {
  main(process.argv.slice(2)).catch((error: unknown) => {
    console.error(`firestore-emulator: ${(error as Error).message}`);
    process.exitCode = 1;
  });
}
