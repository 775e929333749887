import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import initSqlJs, { type SqlJsStatic } from 'sql.js';

let sqlJs: Promise<SqlJsStatic> | undefined;

/** Where the bundled wasm lives: beside the bundle in dist/, or in node_modules when run from source. */
function findWasm(): string {
  const besideBundle = join(__dirname, 'sql-wasm.wasm');
  if (existsSync(besideBundle)) return besideBundle;
  return require.resolve('sql.js/dist/sql-wasm.wasm');
}

/** sql.js, initialised once per process from the wasm shipped with SyncLens (never fetched). */
export function loadSqlJs(): Promise<SqlJsStatic> {
  sqlJs ??= initSqlJs({ wasmBinary: toArrayBuffer(readFileSync(findWasm())) });
  return sqlJs;
}

function toArrayBuffer(bytes: Buffer): ArrayBuffer {
  return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
}
