// The one set-up: `npm start`, `npm test`, test:vscode, screenshots, readme-images and bench run it
// first (as `node --import tsx scripts/setup.ts`, not `npm run setup`: a second npm would cost
// ~0.4 s of the warm run). It installs what this machine lacks, says what it installs, and costs a
// few hundred ms when everything is there.
//   node --import tsx scripts/setup.ts [start|test]   start: what `npm start` needs; test (default): everything
// - Debian packages: apt-get when root; otherwise one line with the exact `sudo apt-get install`.
// - Google's Firestore emulator (Debian package) where apt can install it; where it cannot, the
//   Firestore tests report skipped with the reason (scripts/run-firestore-tests.mjs).
// - Node 24 and code-server into SYNCLENS_CACHE (scripts/vscode/install.ts), with an environment
//   clean of the npm that runs this script.
import { spawnSync } from 'node:child_process';
import { accessSync, constants, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';
import { ensureCodeServerInstalled } from './vscode/install';
import type { FreshInstallRecord } from './vscode/cacheFolder';
import { CODE_SERVER_VERSION, NODE_VERSION, cacheRoot, freshInstallRecord, isInstalled } from './vscode/paths';
import { emulatorPackage, findEmulatorJar } from './firestore-emulator';
import { ensureMultipleCiphersInstalled } from './multipleCiphers';
import { errorMessage } from '../core/errors';

type Purpose = 'start' | 'test';

interface DebianPackage {
  name: string;
  present(): boolean;
  /** A missing optional package is reported; the set-up goes on without it. */
  optional?: boolean;
}

function onPath(command: string): boolean {
  return (process.env.PATH ?? '').split(delimiter).some((folder) => {
    try {
      accessSync(join(folder || '.', command), constants.X_OK);
      return true;
    } catch {
      return false;
    }
  });
}

function dpkgInstalled(name: string): boolean {
  const result = spawnSync('dpkg-query', ['-W', '-f=${db:Status-Abbrev}', name], { encoding: 'utf8' });
  return result.status === 0 && result.stdout.startsWith('ii');
}

const binary = (name: string, command = name): DebianPackage => ({ name, present: () => onPath(command) });

function neededPackages(purpose: Purpose): DebianPackage[] {
  const needed: DebianPackage[] = [];
  // node-gyp compiles code-server's ~8 native addons; kerberos needs the krb5 headers.
  if (!isInstalled()) {
    needed.push(binary('python3'), binary('make'), binary('g++'), { name: 'libkrb5-dev', present: () => dpkgInstalled('libkrb5-dev') });
  }
  if (purpose === 'test') {
    // sqlite3: the real SQLite writer for fixtures and benches; sqlcipher: real encrypted files for
    // the bad-file tests; chromium: the headless browser that drives the VS Code tests and screenshots;
    // neovim: a real LSP client other than VS Code for the language server (tests/lsp/neovim.test.ts).
    needed.push(binary('sqlite3'), binary('sqlcipher'), binary('neovim', 'nvim'), {
      name: 'chromium',
      present: () => Boolean(process.env.SYNCLENS_CHROMIUM) || onPath('chromium') || onPath('chromium-browser'),
    });
  }
  return needed;
}

/**
 * Where `apt-cache policy` has no candidate for the emulator (its apt source is disabled here, and
 * one Debian 13 variant lacks it), asking again costs ~0.8 s a run: the answer is kept until the
 * apt lists change (`apt-get update`).
 */
const notInstallableFile = join(cacheRoot, 'emulator-not-installable');
const aptListsDir = '/var/lib/apt/lists';

function aptListsStamp(): string {
  try {
    return String(statSync(aptListsDir).mtimeMs);
  } catch {
    return 'none';
  }
}

function aptHasCandidate(name: string): boolean {
  if (existsSync(notInstallableFile) && readFileSync(notInstallableFile, 'utf8') === aptListsStamp()) return false;
  const policy = spawnSync('apt-cache', ['policy', name], { encoding: 'utf8' });
  const candidate = /Candidate:\s*(\S+)/.exec(policy.stdout ?? '')?.[1];
  const installable = Boolean(candidate && candidate !== '(none)');
  if (!installable) {
    mkdirSync(cacheRoot, { recursive: true });
    writeFileSync(notInstallableFile, aptListsStamp());
  }
  return installable;
}

/** The emulator's package (or a Java for a jar that is there), or why it stays absent. */
function emulatorPackages(): { packages: DebianPackage[]; absent?: string } {
  // A jar of the user's choosing: nothing to install (a wrong path is reported by the Firestore tests).
  if (process.env.SYNCLENS_FIRESTORE_EMULATOR_JAR) return { packages: [] };
  if (findEmulatorJar()) {
    return onPath('java') ? { packages: [] } : { packages: [{ name: 'default-jre-headless', present: () => onPath('java'), optional: true }] };
  }
  if (!onPath('apt-cache') || !aptHasCandidate(emulatorPackage)) {
    return { packages: [], absent: `${emulatorPackage} cannot be installed here (apt has no candidate: its source is not enabled)` };
  }
  return { packages: [{ name: emulatorPackage, present: () => findEmulatorJar() !== null, optional: true }] };
}

function aptGet(args: string[]): void {
  const result = spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
  if (result.status !== 0) throw new Error(`apt-get ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

function installDebianPackages(purpose: Purpose): void {
  let missing = neededPackages(purpose).filter((pkg) => !pkg.present());
  let emulator = emulatorPackages();
  if (missing.length === 0 && emulator.packages.length === 0) {
    if (emulator.absent) console.log(`setup: no Firestore emulator: ${emulator.absent}; the Firestore tests will report skipped`);
    return;
  }
  const isRoot = process.getuid?.() === 0;
  if (isRoot && onPath('apt-get')) {
    const started = Date.now();
    console.log(`setup: apt-get update (to install ${[...missing, ...emulator.packages].map((pkg) => pkg.name).join(' ')})`);
    try {
      aptGet(['update', '-qq']);
    } catch (error) {
      // Lists from an earlier update may still have the packages: try the install with them.
      console.log(`setup: ${errorMessage(error)}; installing from the lists there are`);
    }
    // Fresh lists can make the emulator installable (or not).
    if (!findEmulatorJar()) emulator = emulatorPackages();
    const install = [...missing, ...emulator.packages].map((pkg) => pkg.name);
    console.log(`setup: installing Debian packages: ${install.join(' ')}`);
    aptGet(['install', '-y', '-qq', ...install]);
    console.log(`setup: Debian packages installed in ${seconds(started)}`);
    missing = missing.filter((pkg) => !pkg.present());
    if (missing.length) throw new Error(`apt-get installed ${missing.map((pkg) => pkg.name).join(' ')} but they are still missing`);
    if (emulator.absent) console.log(`setup: no Firestore emulator: ${emulator.absent}; the Firestore tests will report skipped`);
    return;
  }
  const names = [...missing, ...emulator.packages].map((pkg) => pkg.name).join(' ');
  const how = onPath('apt-get') ? `sudo apt-get install -y ${names}` : `install the Debian packages ${names} with your package manager`;
  const line = `missing Debian packages ${names}; install them with: ${how}`;
  if (missing.some((pkg) => !pkg.optional)) throw new Error(line);
  console.log(`setup: ${line} (optional: without them the Firestore tests report skipped)`);
}

function seconds(since: number): string {
  return `${((Date.now() - since) / 1000).toFixed(1)} s`;
}

async function setup(purpose: Purpose = 'test'): Promise<void> {
  const started = Date.now();
  installDebianPackages(purpose);
  const hadCodeServer = isInstalled();
  // Looked at only when there is something to install: the warm start stays one check.
  const cacheWasEmpty = !hadCodeServer && (!existsSync(cacheRoot) || readdirSync(cacheRoot).length === 0);
  await ensureCodeServerInstalled();
  if (cacheWasEmpty) recordFreshInstall(started);
  // The native cipher library that writes the encrypted-database fixtures runs on code-server's Node 24.
  if (purpose === 'test') ensureMultipleCiphersInstalled();
  if (hadCodeServer) {
    console.log(`setup: ready in ${Date.now() - started} ms (Debian packages, Node ${NODE_VERSION} and code-server ${CODE_SERVER_VERSION} in ${cacheRoot})`);
  } else {
    console.log(`setup: done in ${seconds(started)}`);
  }
}

/**
 * Says that this set-up installed into an empty cache, under which npm and in which `npm test` run
 * (SYNCLENS_TEST_RUN, set by package.json's test script), so that test:setup
 * (scripts/check-fresh-install.ts) can take this install as the fresh one it checks instead of
 * installing a second time into another empty cache (about 165 s of every CI run).
 */
function recordFreshInstall(started: number): void {
  const record: FreshInstallRecord = {
    testRun: process.env.SYNCLENS_TEST_RUN ?? null,
    npmAgent: process.env.npm_config_user_agent ?? null,
    seconds: Math.round((Date.now() - started) / 1000),
    at: new Date().toISOString(),
  };
  writeFileSync(freshInstallRecord, `${JSON.stringify(record, null, 2)}\n`);
}

const purpose = process.argv[2] ?? 'test';
if (purpose !== 'start' && purpose !== 'test') {
  console.error(`setup: unknown purpose ${purpose} (start | test)`);
  process.exit(2);
}
setup(purpose).catch((error: unknown) => {
  console.error(`setup: ${errorMessage(error)}`);
  process.exit(1);
});
