// Google's Firestore emulator (the Debian jar): found, started on a free port, wiped and stopped.
// The extension starts it for "Start Firestore Emulator" and the walkthrough; tests, benches and
// `npm start` start it through scripts/firestore-emulator.ts, which adds a command line.
import { execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { defaultEmulatorProjectId } from '../config/target';
import { CodedError, errorMessage } from '../errors';

export { defaultEmulatorProjectId };
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

/** The jar or Java is missing: the message says which and how to install it. */
export class EmulatorUnavailableError extends CodedError<'emulator-unavailable'> {
  override readonly name = 'EmulatorUnavailableError';
  constructor(message: string) {
    super('emulator-unavailable', message);
  }
}

/** Java ran but the emulator did not answer: the message ends with the tail of its output. */
export class EmulatorStartError extends CodedError<'emulator-start'> {
  override readonly name = 'EmulatorStartError';
  constructor(message: string) {
    super('emulator-start', message);
  }
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
    throw new EmulatorStartError(`${errorMessage(error)}\n${output.trim()}`);
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
