// Finding and reading a database's synclens.json: the nearest one beside or above the database.
// Whatever is wrong with the file (missing, not a regular file, too large, not JSON, invalid) is a
// ConfigError naming it, never an internal error.
import { closeSync, constants, existsSync, fstatSync, openSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { errorMessage } from '../errors';
import { configFileName, ConfigError, type LoadedConfig } from './config';
import { parseConfig } from './validate';

/** A config is a few kilobytes; a file far larger than that is not one, and is not read whole. */
const maxConfigBytes = 1024 * 1024;

/** The text of a config file: a regular file only (a FIFO would block, /dev/zero never end), of bounded size. */
function readConfigText(path: string): string {
  const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) throw new Error('it is not a regular file');
    if (stats.size > maxConfigBytes) throw new Error(`it is ${stats.size} bytes, larger than any config (${maxConfigBytes} at most)`);
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}

export function loadConfig(path: string): LoadedConfig {
  const absolute = resolve(path);
  let text: string;
  try {
    text = readConfigText(absolute);
  } catch (error) {
    const reason = (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file' : errorMessage(error);
    throw new ConfigError(absolute, [{ file: absolute, line: 1, column: 1, offset: 0, length: 0, keyPath: '', message: `cannot read the config: ${reason}` }]);
  }
  // A byte-order mark is legal in files saved by some editors; jsonc-parser would call it a symbol.
  return { path: absolute, config: parseConfig(text.replace(/^\uFEFF/, ''), absolute) };
}

/** The synclens.json beside the database or in the nearest folder above it, or null. */
export function findConfigFor(dbPath: string): string | null {
  let folder = dirname(resolve(dbPath));
  for (;;) {
    const candidate = join(folder, configFileName);
    if (existsSync(candidate) && statSync(candidate).isFile()) return candidate;
    const parent = dirname(folder);
    if (parent === folder) return null;
    folder = parent;
  }
}

/** The nearest config of a database, loaded; null when there is none (then everything is detected). */
export function loadConfigFor(dbPath: string): LoadedConfig | null {
  const found = findConfigFor(dbPath);
  return found ? loadConfig(found) : null;
}
