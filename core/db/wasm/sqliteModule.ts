// The WASM SQLite that reads database files: @journeyapps/wa-sqlite's synchronous build, which
// lets a JavaScript VFS of ours serve every page SQLite reads (core/db/wasm/snapshotVfs.ts). It is
// the SQLite3 Multiple Ciphers build: a plain file is opened through our VFS directly, an encrypted
// one through the cipher VFS that wraps it (core/db/wasm/cipherConnection.ts). It is loaded once
// per process from the wasm shipped with SyncLens; nothing is fetched at run time.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
/// <reference types="@journeyapps/wa-sqlite" />
import moduleFactory from '@journeyapps/wa-sqlite/dist/mc-wa-sqlite.mjs';

const wasmFileName = 'mc-wa-sqlite.wasm';

/** The parts of the Emscripten module this project calls; every call is synchronous in this build. */
export interface WaSqliteModule {
  HEAPU8: Uint8Array;
  HEAP32: Int32Array;
  _malloc(bytes: number): number;
  _free(pointer: number): void;
  _sqlite3_malloc(bytes: number): number;
  _sqlite3_free(pointer: number): number;
  _getSqliteFree(): number;
  getTempRet0(): number;
  getValue(pointer: number, type: string): number;
  setValue(pointer: number, value: number, type: string): void;
  UTF8ToString(pointer: number, maxBytes?: number): string;
  ccall(name: string, returns: 'number' | 'string' | null, args: string[], values: unknown[]): unknown;
  vfs_register(vfs: object, makeDefault: boolean): number;
  [name: `_sqlite3_${string}`]: (...args: number[]) => number;
}

let loading: Promise<WaSqliteModule> | undefined;

/** Beside the bundle in dist/, or in node_modules when run from source. */
function findWasm(): string {
  const besideBundle = join(__dirname, wasmFileName);
  if (existsSync(besideBundle)) return besideBundle;
  return require.resolve(`@journeyapps/wa-sqlite/dist/${wasmFileName}`);
}

export function loadWaSqlite(): Promise<WaSqliteModule> {
  // locateFile keeps the module from resolving its wasm against import.meta.url, which a CommonJS
  // bundle does not have; the bytes themselves come from wasmBinary.
  loading ??= moduleFactory({ wasmBinary: readFileSync(findWasm()), locateFile: (name: string) => name }) as Promise<WaSqliteModule>;
  return loading;
}
