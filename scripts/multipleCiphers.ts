// A real, native SQLite3 Multiple Ciphers for the encrypted-database tests: better-sqlite3-multiple-ciphers
// from the npm registry, installed once into SYNCLENS_CACHE. It writes the SQLCipher 4 and ChaCha20
// fixtures that SyncLens's wasm build must read (Debian's sqlcipher CLI writes the SQLCipher 3 ones).
// The package ships its own Node-API binaries inside the npm tarball, so nothing is compiled or
// downloaded from elsewhere (--ignore-scripts skips its prebuild/node-gyp step). Its binary needs
// Node 22 or newer (it crashes under Node 20), so the writer runs under the Node 24 that the set-up
// installs for code-server (scripts/vscode/paths.ts nodeBinary).
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { installEnv } from './vscode/install';
import { cacheRoot, nodeBinary, nodeDir } from './vscode/paths';

export const MULTIPLE_CIPHERS_VERSION = '13.0.3';
const prefix = join(cacheRoot, `better-sqlite3-multiple-ciphers-${MULTIPLE_CIPHERS_VERSION}`);
export const multipleCiphersModule = join(prefix, 'node_modules', 'better-sqlite3-multiple-ciphers');
const marker = join(prefix, '.synclens-installed');

export function isMultipleCiphersInstalled(): boolean {
  return existsSync(marker) && existsSync(nodeBinary);
}

/** Installs the package (about 2 s) unless a verified install is there. */
export function ensureMultipleCiphersInstalled(): void {
  if (isMultipleCiphersInstalled()) return;
  mkdirSync(prefix, { recursive: true });
  writeFileSync(join(prefix, 'package.json'), '{ "private": true }\n');
  const env = installEnv(join(nodeDir, 'bin'));
  const install = spawnSync('npm', ['install', '--prefix', prefix, '--no-save', '--ignore-scripts', '--no-audit', '--no-fund', `better-sqlite3-multiple-ciphers@${MULTIPLE_CIPHERS_VERSION}`], {
    env,
    encoding: 'utf8',
  });
  if (install.status !== 0) throw new Error(`npm install better-sqlite3-multiple-ciphers@${MULTIPLE_CIPHERS_VERSION} failed: ${install.stderr.trim().split('\n').slice(-3).join(' ')}`);
  const check = spawnSync(nodeBinary, ['-e', `const D = require(${JSON.stringify(multipleCiphersModule)}); new D(':memory:').close();`], { env, encoding: 'utf8' });
  if (check.status !== 0) throw new Error(`better-sqlite3-multiple-ciphers does not load under Node 24: ${check.stderr.trim().split('\n').slice(-3).join(' ')}`);
  writeFileSync(marker, `${MULTIPLE_CIPHERS_VERSION}\n`);
}
