// A synchronous SqlDatabase over wa-sqlite's C API. wa-sqlite's own JavaScript API is async (it
// serves VFSes that await); ours reads pages with fs.readSync, so plain calls into the module
// keep every reader in core synchronous, as they were on sql.js.
import type { SqlBindParams, SqlCell, SqlDatabase, SqlExecResult, SqlParam, SqlReadOptions, SqlStatement } from '../sqlDatabase';
import type { WaSqliteModule } from './sqliteModule';

const SQLITE_OK = 0;
const SQLITE_ROW = 100;
const SQLITE_DONE = 101;
const SQLITE_INTEGER = 1;
const SQLITE_FLOAT = 2;
const SQLITE_TEXT = 3;
const SQLITE_BLOB = 4;
/** Destructor value telling SQLite to copy a bound value before the call returns. */
const SQLITE_TRANSIENT = -1;

const utf8Encoder = new TextEncoder();

/** The module memory's view that heapBuffer was made over: Emscripten makes a new view when the memory grows. */
let heapOfBuffer: Uint8Array | null = null;
/** A Buffer over the same memory (its UTF-8 decoder is the fast one). */
let heapBuffer: Buffer = Buffer.alloc(0);

/**
 * Buffer's UTF-8 decoder without toString's argument checks, which cost as much as the decoding of
 * a short cell; undocumented, so it is looked for (protobufjs, under the Firestore SDK, does the same).
 */
type Utf8Slicing = Buffer & { utf8Slice?(start: number, end: number): string };

/**
 * The text in heap[start, end), as TextDecoder's decode() reads it (invalid bytes become U+FFFD, a
 * leading byte order mark is dropped), through Buffer's UTF-8 decoder: the same decoding without
 * a view and a decoder call per cell, about half the time for the short texts most cells hold.
 */
function decodeUtf8(heap: Uint8Array, start: number, end: number): string {
  if (heap !== heapOfBuffer) {
    heapOfBuffer = heap;
    heapBuffer = Buffer.from(heap.buffer, heap.byteOffset, heap.byteLength);
  }
  const from = end - start >= 3 && heap[start] === 0xef && heap[start + 1] === 0xbb && heap[start + 2] === 0xbf ? start + 3 : start;
  const view = heapBuffer as Utf8Slicing;
  return view.utf8Slice ? view.utf8Slice(from, end) : view.toString('utf8', from, end);
}

export class SqliteError extends Error {
  override readonly name = 'SqliteError';
  constructor(
    message: string,
    /** SQLite's extended result code. */
    readonly code: number,
  ) {
    super(message);
  }
}

/** Turns a SQLite failure into the error callers should see (e.g. "the file changed under us"). */
export type ErrorTranslator = (error: SqliteError) => Error;

export class WaConnection implements SqlDatabase {
  private readonly statements = new Set<WaStatement>();
  private closed = false;

  constructor(
    readonly sqlite: WaSqliteModule,
    private readonly handle: number,
    private readonly translate: ErrorTranslator = (error) => error,
  ) {}

  /** Opens `fileName` through the VFS registered as `vfsName`. */
  static open(sqlite: WaSqliteModule, fileName: string, vfsName: string, flags: number, translate?: ErrorTranslator): WaConnection {
    const handleOut = sqlite._malloc(4);
    try {
      const rc = sqlite.ccall('sqlite3_open_v2', 'number', ['string', 'number', 'number', 'string'], [fileName, handleOut, flags, vfsName]) as number;
      const handle = sqlite.getValue(handleOut, '*');
      if (rc !== SQLITE_OK) {
        const message = handle ? sqlite.UTF8ToString(sqlite._sqlite3_errmsg(handle)) : `sqlite3_open_v2 failed (${rc})`;
        if (handle) sqlite._sqlite3_close_v2(handle);
        const error = new SqliteError(message, rc);
        throw translate ? translate(error) : error;
      }
      sqlite._sqlite3_extended_result_codes(handle, 1);
      return new WaConnection(sqlite, handle, translate);
    } finally {
      sqlite._free(handleOut);
    }
  }

  /** Throws the translated SQLite error for `rc` unless it is one of `allowed`. */
  check(rc: number, allowed: readonly number[] = [SQLITE_OK]): number {
    if (allowed.includes(rc)) return rc;
    throw this.translate(new SqliteError(this.sqlite.UTF8ToString(this.sqlite._sqlite3_errmsg(this.handle)), this.sqlite._sqlite3_extended_errcode(this.handle)));
  }

  exec(sql: string, params?: SqlBindParams): SqlExecResult[] {
    const results: SqlExecResult[] = [];
    this.forEachStatement(sql, (statement) => {
      if (params) statement.bind(params);
      let result: SqlExecResult | null = null;
      while (statement.step()) {
        if (result === null) {
          result = { columns: statement.getColumnNames(), values: [] };
          results.push(result);
        }
        result.values.push(statement.get());
      }
    });
    return results;
  }

  run(sql: string, params?: SqlBindParams): this {
    this.forEachStatement(sql, (statement) => {
      if (params) statement.bind(params);
      while (statement.step());
    });
    return this;
  }

  prepare(sql: string, params?: SqlBindParams): WaStatement {
    const statement = this.prepareNext(this.encode(sql), 0).statement;
    if (!statement) throw new SqliteError('the SQL text holds no statement', 21);
    if (params) statement.bind(params);
    return statement;
  }

  getRowsModified(): number {
    return this.sqlite._sqlite3_changes(this.handle);
  }

  readBlobPrefix(table: string, column: string, rowid: number | bigint, length: number): Uint8Array | null {
    const sqlite = this.sqlite;
    const names = [this.encode('main'), this.encode(table), this.encode(column)];
    const blobOut = sqlite._malloc(4);
    const row = BigInt(rowid);
    try {
      // The 64-bit rowid goes in as its low and high words; flags 0 opens the BLOB read-only.
      const rc = sqlite._sqlite3_blob_open(this.handle, names[0]!.pointer, names[1]!.pointer, names[2]!.pointer, Number(BigInt.asUintN(32, row)) | 0, Number(BigInt.asIntN(32, row >> 32n)), 0, blobOut);
      if (rc !== SQLITE_OK) return null;
      const blob = sqlite.getValue(blobOut, '*');
      try {
        const bytes = Math.min(length, sqlite._sqlite3_blob_bytes(blob));
        const buffer = sqlite._malloc(Math.max(1, bytes));
        try {
          this.check(sqlite._sqlite3_blob_read(blob, buffer, bytes, 0));
          return sqlite.HEAPU8.slice(buffer, buffer + bytes);
        } finally {
          sqlite._free(buffer);
        }
      } finally {
        sqlite._sqlite3_blob_close(blob);
      }
    } finally {
      sqlite._free(blobOut);
      for (const name of names) sqlite._sqlite3_free(name.pointer);
    }
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const statement of [...this.statements]) statement.free();
    this.sqlite._sqlite3_close_v2(this.handle);
  }

  /** @internal */
  forget(statement: WaStatement): void {
    this.statements.delete(statement);
  }

  private encode(sql: string): { pointer: number; bytes: number } {
    const utf8 = utf8Encoder.encode(sql);
    const pointer = this.sqlite._sqlite3_malloc(utf8.byteLength + 1);
    this.sqlite.HEAPU8.set(utf8, pointer);
    this.sqlite.HEAPU8[pointer + utf8.byteLength] = 0;
    return { pointer, bytes: utf8.byteLength };
  }

  /** Prepares the statement at `offset` of the encoded SQL; null when only whitespace/comments remain. */
  private prepareNext(text: { pointer: number; bytes: number }, offset: number, freeText = true): { statement: WaStatement | null; next: number } {
    const out = this.sqlite._malloc(8);
    try {
      const rc = this.sqlite._sqlite3_prepare_v2(this.handle, text.pointer + offset, text.bytes - offset, out, out + 4);
      this.check(rc);
      const pointer = this.sqlite.getValue(out, '*');
      const next = this.sqlite.getValue(out + 4, '*') - text.pointer;
      if (!pointer) return { statement: null, next };
      const statement = new WaStatement(this, pointer);
      this.statements.add(statement);
      return { statement, next };
    } finally {
      this.sqlite._free(out);
      if (freeText) this.sqlite._sqlite3_free(text.pointer);
    }
  }

  private forEachStatement(sql: string, use: (statement: WaStatement) => void): void {
    const text = this.encode(sql);
    try {
      let offset = 0;
      while (offset < text.bytes) {
        const { statement, next } = this.prepareNext(text, offset, false);
        if (!statement) break;
        try {
          use(statement);
        } finally {
          statement.free();
        }
        offset = next;
      }
    } finally {
      this.sqlite._sqlite3_free(text.pointer);
    }
  }
}

/** Texts up to this many bytes are compared with the column's previous one before they are decoded. */
const recentTextBytes = 16;

/** A column's last short text and its bytes. */
interface RecentText {
  readonly bytes: Uint8Array;
  length: number;
  text: string;
}

export class WaStatement implements SqlStatement {
  private freed = false;
  private readonly recentTexts: (RecentText | undefined)[] = [];
  private readonly sqlite: WaSqliteModule;

  constructor(
    private readonly connection: WaConnection,
    private readonly pointer: number,
  ) {
    this.sqlite = connection.sqlite;
  }

  bind(params?: SqlBindParams): boolean {
    this.sqlite._sqlite3_reset(this.pointer);
    this.sqlite._sqlite3_clear_bindings(this.pointer);
    if (!params) return true;
    if (Array.isArray(params)) {
      (params as readonly SqlParam[]).forEach((value, index) => this.bindValue(index + 1, value));
    } else {
      for (const [name, value] of Object.entries(params)) {
        const index = this.sqlite.ccall('sqlite3_bind_parameter_index', 'number', ['number', 'string'], [this.pointer, name]) as number;
        if (index === 0) throw new SqliteError(`no parameter named ${name}`, 25);
        this.bindValue(index, value);
      }
    }
    return true;
  }

  step(): boolean {
    const rc = this.connection.check(this.sqlite._sqlite3_step(this.pointer), [SQLITE_ROW, SQLITE_DONE]);
    return rc === SQLITE_ROW;
  }

  get(params?: SqlBindParams | null, options: SqlReadOptions = {}): SqlCell[] {
    if (params) {
      this.bind(params);
      this.step();
    }
    const count = this.sqlite._sqlite3_data_count(this.pointer);
    const integers = options.useBigInt === true ? 'bigint' : 'number';
    const row: SqlCell[] = [];
    for (let column = 0; column < count; column += 1) row.push(this.readCell(column, integers));
    return row;
  }

  cell(column: number): SqlCell {
    return this.readCell(column, 'exact');
  }

  getAsObject(params?: SqlBindParams | null, options?: SqlReadOptions): Record<string, SqlCell> {
    const values = this.get(params, options);
    const names = this.getColumnNames();
    return Object.fromEntries(names.map((name, index) => [name, values[index] ?? null]));
  }

  getColumnNames(): string[] {
    const count = this.sqlite._sqlite3_column_count(this.pointer);
    const names: string[] = [];
    for (let column = 0; column < count; column += 1) names.push(this.sqlite.UTF8ToString(this.sqlite._sqlite3_column_name(this.pointer, column)));
    return names;
  }

  run(params?: SqlBindParams): void {
    if (params) this.bind(params);
    this.step();
    this.reset();
  }

  reset(): void {
    this.sqlite._sqlite3_reset(this.pointer);
    this.sqlite._sqlite3_clear_bindings(this.pointer);
  }

  free(): boolean {
    if (this.freed) return false;
    this.freed = true;
    this.sqlite._sqlite3_finalize(this.pointer);
    this.connection.forget(this);
    return true;
  }

  /**
   * An INTEGER as `integers` says: always a bigint, always a number (rounded beyond 2^53), or
   * `exact`: a number when it is a safe integer, else a bigint, so no bigint is made for most.
   */
  private readCell(column: number, integers: 'bigint' | 'number' | 'exact'): SqlCell {
    const sqlite = this.sqlite;
    switch (sqlite._sqlite3_column_type(this.pointer, column)) {
      case SQLITE_INTEGER: {
        // The 64-bit result comes back as two halves: the low word returned, the high word aside.
        const low = sqlite._sqlite3_column_int64(this.pointer, column) >>> 0;
        const high = sqlite.getTempRet0() | 0;
        if (integers === 'bigint') return (BigInt(high) << 32n) | BigInt(low);
        // high * 2^32 is exact and the sum rounds once, so beyond 2^53 it is never a safe integer.
        const rounded = high * 0x1_0000_0000 + low;
        if (integers === 'number' || Number.isSafeInteger(rounded)) return rounded;
        return (BigInt(high) << 32n) | BigInt(low);
      }
      case SQLITE_FLOAT:
        return sqlite._sqlite3_column_double(this.pointer, column);
      case SQLITE_TEXT: {
        const address = sqlite._sqlite3_column_text(this.pointer, column);
        const length = sqlite._sqlite3_column_bytes(this.pointer, column);
        return length <= recentTextBytes ? this.shortText(column, address, length) : decodeUtf8(sqlite.HEAPU8, address, address + length);
      }
      case SQLITE_BLOB: {
        const address = sqlite._sqlite3_column_blob(this.pointer, column);
        const bytes = sqlite._sqlite3_column_bytes(this.pointer, column);
        return sqlite.HEAPU8.slice(address, address + bytes);
      }
      default:
        return null;
    }
  }

  /**
   * A short text, the column's previous one again when its bytes are the same: a column such as a
   * queue's entity type or operation repeats a few values row after row, and comparing a few bytes
   * costs less than decoding them into a new string each time.
   */
  private shortText(column: number, address: number, length: number): string {
    const heap = this.sqlite.HEAPU8;
    const recent = (this.recentTexts[column] ??= { bytes: new Uint8Array(recentTextBytes), length: -1, text: '' });
    let same = recent.length === length;
    for (let offset = 0; same && offset < length; offset++) same = heap[address + offset] === recent.bytes[offset];
    if (same) return recent.text;
    const text = decodeUtf8(heap, address, address + length);
    for (let offset = 0; offset < length; offset++) recent.bytes[offset] = heap[address + offset]!;
    recent.length = length;
    recent.text = text;
    return text;
  }

  private bindValue(index: number, value: SqlParam | undefined): void {
    const sqlite = this.sqlite;
    let rc: number;
    if (value === null || value === undefined) rc = sqlite._sqlite3_bind_null(this.pointer, index);
    else if (typeof value === 'boolean') rc = sqlite._sqlite3_bind_int(this.pointer, index, value ? 1 : 0);
    else if (typeof value === 'bigint') rc = this.bindInt64(index, value);
    else if (typeof value === 'number') {
      // An integer binds as INTEGER, without a bigint: int32 through sqlite3_bind_int, larger safe
      // integers split into their words. -0 and non-integers stay doubles (REAL), as before.
      if (Object.is(value, -0) || !Number.isSafeInteger(value)) rc = sqlite._sqlite3_bind_double(this.pointer, index, value);
      else if ((value | 0) === value) rc = sqlite._sqlite3_bind_int(this.pointer, index, value);
      else rc = this.bindSafeInteger(index, value);
    } else if (typeof value === 'string') rc = this.bindBytes(index, utf8Encoder.encode(value), 'text');
    else rc = this.bindBytes(index, value, 'blob');
    this.connection.check(rc);
  }

  /** A safe integer beyond int32 as its 64-bit words: floor division keeps the low word unsigned. */
  private bindSafeInteger(index: number, value: number): number {
    const high = Math.floor(value / 0x1_0000_0000);
    const low = value - high * 0x1_0000_0000;
    return this.sqlite._sqlite3_bind_int64(this.pointer, index, low | 0, high);
  }

  private bindInt64(index: number, value: bigint): number {
    if (value > 0x7fff_ffff_ffff_ffffn || value < -0x8000_0000_0000_0000n) throw new SqliteError(`${value} does not fit a 64-bit INTEGER`, 25);
    const low = Number(BigInt.asUintN(32, value)) | 0;
    const high = Number(BigInt.asIntN(32, value >> 32n));
    return this.sqlite._sqlite3_bind_int64(this.pointer, index, low, high);
  }

  private bindBytes(index: number, bytes: Uint8Array, as: 'text' | 'blob'): number {
    // One byte at least, so an empty BLOB stays a BLOB rather than NULL.
    const pointer = this.sqlite._sqlite3_malloc(Math.max(1, bytes.byteLength));
    try {
      this.sqlite.HEAPU8.set(bytes, pointer);
      return as === 'text'
        ? this.sqlite._sqlite3_bind_text(this.pointer, index, pointer, bytes.byteLength, SQLITE_TRANSIENT)
        : this.sqlite._sqlite3_bind_blob(this.pointer, index, pointer, bytes.byteLength, SQLITE_TRANSIENT);
    } finally {
      this.sqlite._sqlite3_free(pointer);
    }
  }
}
