// Starts code-server (the real VS Code server + web workbench) on 127.0.0.1 and stops it with its
// whole process group: killing only the main process would leave the extension host behind.
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { CODE_SERVER_VERSION, codeServerEntry, isInstalled, nodeBinary } from './paths';

export interface CodeServerOptions {
  /** A private folder for this instance: config, logs, XDG homes and TMPDIR all go inside. */
  scratchDir: string;
  userDataDir: string;
  extensionsDir: string;
  /** Opened in the workbench when given. */
  folder?: string;
  /** Workspace trust is off unless a test asks for it (an untrusted workspace is read-only). */
  workspaceTrust?: boolean;
  /** Lets the workbench honour an extensionDevelopmentPath/extensionTestsPath payload in its URL. */
  smokeTestDriver?: boolean;
  /** A fixed port; a free one by default. */
  port?: number;
  /** Extra environment for the server and so for the extension host it spawns. */
  env?: NodeJS.ProcessEnv;
}

export interface RunningCodeServer {
  /** `http://127.0.0.1:PORT` without a trailing slash. */
  url: string;
  /** `127.0.0.1:PORT`, the authority of the `vscode-remote://` URIs the workbench uses. */
  authority: string;
  logFile: string;
  /** Resolves when the server exits for any reason. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Environment that keeps code-server and everything it spawns out of the user's home folder. */
export function isolatedEnv(scratchDir: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  const dirs = { XDG_CONFIG_HOME: 'xdg-config', XDG_DATA_HOME: 'xdg-data', XDG_CACHE_HOME: 'xdg-cache', TMPDIR: 'tmp' };
  const env: NodeJS.ProcessEnv = { ...process.env, ...extra };
  for (const [name, folder] of Object.entries(dirs)) {
    env[name] = join(scratchDir, folder);
    mkdirSync(env[name]!, { recursive: true });
  }
  return env;
}

export async function startCodeServer(options: CodeServerOptions): Promise<RunningCodeServer> {
  if (!isInstalled()) {
    throw new Error('code-server is not installed: run `npm run setup` first');
  }
  mkdirSync(options.scratchDir, { recursive: true });
  const port = options.port ?? (await freePort());
  const authority = `127.0.0.1:${port}`;
  const configFile = join(options.scratchDir, 'code-server.yaml');
  writeFileSync(configFile, `bind-addr: ${authority}\nauth: none\ncert: false\n`);
  const logFile = join(options.scratchDir, 'code-server.log');
  const args = [
    codeServerEntry,
    '--config', configFile,
    '--disable-telemetry',
    '--disable-update-check',
    ...(options.workspaceTrust ? [] : ['--disable-workspace-trust']),
    '--user-data-dir', options.userDataDir,
    '--extensions-dir', options.extensionsDir,
    ...(options.smokeTestDriver ? ['--vscode-option', 'enable-smoke-test-driver'] : []),
    ...(options.folder ? [options.folder] : []),
  ];
  const server = spawn(nodeBinary, args, {
    // A new session and process group (setsid), so stop() can end the server and its children.
    detached: true,
    env: isolatedEnv(options.scratchDir, options.env),
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const log = createWriteStream(logFile);
  server.stdout!.pipe(log);
  server.stderr!.pipe(log);
  const exited = new Promise<number | null>((resolve) => server.once('exit', (code) => resolve(code)));
  const running: RunningCodeServer = {
    url: `http://${authority}`,
    authority,
    logFile,
    exited,
    stop: () => stopProcessGroup(server, exited),
  };
  try {
    await waitForHealthz(running, 60_000);
  } catch (error) {
    await running.stop();
    throw error;
  }
  return running;
}

async function waitForHealthz(server: RunningCodeServer, timeoutMs: number): Promise<void> {
  let exitCode: number | null | undefined;
  void server.exited.then((code) => (exitCode = code));
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (exitCode !== undefined) {
      throw new Error(`code-server ${CODE_SERVER_VERSION} exited with code ${exitCode} before it was ready:\n${tail(server.logFile)}`);
    }
    try {
      const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(2_000) });
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`code-server did not answer ${server.url}/healthz within ${timeoutMs / 1000} s:\n${tail(server.logFile)}`);
}

export function tail(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n');
  } catch {
    return '(no log)';
  }
}

function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** SIGTERM to the group, SIGKILL after 5 s; resolves once no process of the group is left. */
export async function stopProcessGroup(child: ChildProcess, exited: Promise<unknown>): Promise<void> {
  const pid = child.pid;
  if (pid === undefined) return;
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGTERM');
    } catch {
      // already gone
    }
  }
  const deadline = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
  if (groupAlive(pid)) {
    try {
      process.kill(-pid, 'SIGKILL');
    } catch {
      // already gone
    }
  }
  const killDeadline = Date.now() + 5_000;
  while (groupAlive(pid) && Date.now() < killDeadline) await new Promise((resolve) => setTimeout(resolve, 50));
  await Promise.race([exited, new Promise((resolve) => setTimeout(resolve, 1_000))]);
}

/** `code-server --install-extension`: what a user does with the .vsix. */
export function installVsix(vsix: string, extensionsDir: string, scratchDir: string): Promise<void> {
  mkdirSync(scratchDir, { recursive: true });
  return new Promise((resolve, reject) => {
    const child = spawn(
      nodeBinary,
      [codeServerEntry, '--user-data-dir', join(scratchDir, 'user-data'), '--extensions-dir', extensionsDir, '--install-extension', vsix],
      { env: isolatedEnv(scratchDir), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0 && /was successfully installed/.test(output)) resolve();
      else reject(new Error(`code-server --install-extension ${vsix} failed (exit ${code}):\n${output.trim()}`));
    });
  });
}
