// How a stored value appears in the grid: one CellValue per cell, timestamps in their encoding,
// JSON recognised, BLOBs as their size and first bytes.
import { normalizeValue } from './query';
import type { TableShape } from './schema';
import { detectTimestampEncoding, formatTimestampUtc, hasTimestampName, timestampToMillis } from './timestamps';
import type { CellValue, SqlValue, TimestampEncoding } from './types';

/** How many of a BLOB's first bytes a cell shows. */
export const blobPrefixBytes = 32;
/** The range a JavaScript Date can hold. */
const maxDateMillis = 8.64e15;

/** Per page, for callers that did not pass encodings: only columns whose name or type says "time". */
export function detectPageEncodings(shape: TableShape, columns: readonly string[], values: readonly SqlValue[][], offset: number): Record<string, TimestampEncoding> {
  const encodings: Record<string, TimestampEncoding> = {};
  columns.forEach((name, index) => {
    const declared = shape.columns.find((column) => column.name === name)?.type ?? '';
    if (!hasTimestampName(name) && !/DATE|TIME/i.test(declared)) return;
    const encoding = detectTimestampEncoding(values.map((row) => row[index + offset] ?? null), name);
    if (encoding) encodings[name] = encoding;
  });
  return encodings;
}

export function blobCell(bytes: Uint8Array, size: number): CellValue {
  const prefix = bytes.subarray(0, blobPrefixBytes);
  return { kind: 'blob', size, hexPrefix: Array.from(prefix, (byte) => byte.toString(16).padStart(2, '0')).join('') };
}

/** A stored value (as the engine returns it with useBigInt) as the grid shows it. */
export function toCell(raw: unknown, encoding?: TimestampEncoding): CellValue {
  if (raw === null || raw === undefined) return { kind: 'null' };
  if (encoding && (typeof raw === 'bigint' || typeof raw === 'number' || typeof raw === 'string')) {
    const value = normalizeValue(raw) as string | number | bigint;
    const millis = timestampToMillis(value, encoding);
    if (millis !== null && Math.abs(millis) <= maxDateMillis) {
      return { kind: 'timestamp', raw: typeof value === 'bigint' ? value.toString() : value, encoding, millis, utc: formatTimestampUtc(millis) };
    }
  }
  if (typeof raw === 'bigint') return { kind: 'integer', value: Number(raw), text: raw.toString() };
  if (typeof raw === 'number') return { kind: 'real', value: raw, text: formatReal(raw) };
  if (raw instanceof Uint8Array) return blobCell(raw, raw.byteLength);
  const text = String(raw);
  return isJsonContainer(text) ? { kind: 'json', value: text } : { kind: 'text', value: text };
}

/** A REAL as SQLite prints it: 2.0 stays "2.0", so it does not read as an INTEGER. */
function formatReal(value: number): string {
  if (!Number.isFinite(value)) return value > 0 ? 'Inf' : value < 0 ? '-Inf' : 'NaN';
  return Number.isInteger(value) && Math.abs(value) < 1e15 ? value.toFixed(1) : String(value);
}

function isJsonContainer(text: string): boolean {
  const trimmed = text.trim();
  const first = trimmed.charAt(0);
  const last = trimmed.charAt(trimmed.length - 1);
  if (!((first === '{' && last === '}') || (first === '[' && last === ']'))) return false;
  try {
    JSON.parse(trimmed);
    return true;
  } catch {
    return false;
  }
}
