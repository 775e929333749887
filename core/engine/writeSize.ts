// How large a write is, by Firestore's storage size rules (firebase.google.com/docs/firestore/
// storage-size): a string is its UTF-8 bytes + 1, a number or timestamp 8, a boolean or null 1,
// bytes their length, a map the sum of its keys (as strings) and values, a document its name
// (each path segment + 1, plus 16) and fields plus 32. Firestore refuses a document over 1 MiB
// and a request over 10 MiB, and the emulator any gRPC message over 4 MiB ('gRPC message exceeds
// maximum size 4194304', resource-exhausted: tests/firestore/engine/coalesceAndBounds.test.ts);
// replay batches stay under the lower of the two (replayBatches.ts).
import type { RemoteWrite } from './remoteStore';

export const maxDocumentBytes = 1024 * 1024;
export const firestoreMaxRequestBytes = 10 * 1024 * 1024;
const emulatorMaxMessageBytes = 4 * 1024 * 1024;
export const maxRequestBytes = Math.min(firestoreMaxRequestBytes, emulatorMaxMessageBytes);

const stringSize = (text: string): number => utf8Length(text) + 1;

/**
 * The UTF-8 length of `text` as TextEncoder would encode it (a lone surrogate as U+FFFD, 3 bytes),
 * counted without encoding it: every field of every write is measured, and an encoded copy per
 * string was a fifth of replay's own CPU at 0 ms RTT (bench/replay.ts).
 */
export function utf8Length(text: string): number {
  let bytes = text.length;
  for (let index = 0; index < text.length; index++) {
    const unit = text.charCodeAt(index);
    if (unit < 0x80) continue;
    if (unit < 0x800) {
      bytes += 1;
    } else if (unit >= 0xd800 && unit <= 0xdbff && index + 1 < text.length && (text.charCodeAt(index + 1) & 0xfc00) === 0xdc00) {
      bytes += 2;
      index++;
    } else {
      bytes += 2;
    }
  }
  return bytes;
}

/** Storage size of one field value; SDK classes are recognised by shape (Timestamp, Bytes, GeoPoint). */
export function valueSize(value: unknown): number {
  if (value === null || value === undefined || typeof value === 'boolean') return 1;
  if (typeof value === 'number' || typeof value === 'bigint') return 8;
  if (typeof value === 'string') return stringSize(value);
  if (Array.isArray(value)) return value.reduce((sum: number, item) => sum + valueSize(item), 0);
  if (value instanceof Uint8Array) return value.length;
  if (typeof value === 'object') {
    const shaped = value as { toUint8Array?: () => Uint8Array; toMillis?: () => number; latitude?: unknown; path?: unknown };
    if (typeof shaped.toUint8Array === 'function') return shaped.toUint8Array().length;
    if (typeof shaped.toMillis === 'function') return 8;
    if (typeof shaped.latitude === 'number') return 16;
    if (typeof shaped.path === 'string' && Object.keys(value).length === 0) return stringSize(shaped.path);
    if (Object.getPrototypeOf(value) !== Object.prototype) return 8; // a sentinel (serverTimestamp): a timestamp once applied
    return mapSize(value as Record<string, unknown>);
  }
  return 8;
}

// By key, not by entry: every field of every write is measured, and the pairs were garbage.
function mapSize(fields: Record<string, unknown>): number {
  let size = 0;
  for (const key of Object.keys(fields)) size += stringSize(key) + valueSize(fields[key]);
  return size;
}

/**
 * Sizes already measured, per write: a replay measures each write for its batch's bytes
 * (requestSize) and again for the document limit before it is sent (replay.ts). Writes are never
 * changed once built (coalescing builds a new one), so a size stays true for its write.
 */
const measuredDocumentSizes = new WeakMap<RemoteWrite, number>();

/** The stored size of the document a write leaves behind (its own fields; a merge may add to existing ones). */
export function documentSize(write: RemoteWrite): number {
  const measured = measuredDocumentSizes.get(write);
  if (measured !== undefined) return measured;
  const name = stringSize(write.collection) + stringSize(write.id) + 16;
  const fields = write.kind === 'set-merge' ? mapSize(write.data) : mapSize({ isDeleted: true, deletedAt: 0, updatedAt: write.updatedAt });
  const size = name + fields + 32;
  measuredDocumentSizes.set(write, size);
  return size;
}

/** The field paths of a merge's update mask, as bytes. */
function maskSize(fields: Record<string, unknown>, prefix = 0): number {
  let size = 0;
  for (const key of Object.keys(fields)) {
    const value = fields[key];
    const path = prefix + stringSize(key) + 2;
    size += value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype ? maskSize(value as Record<string, unknown>, path) : path;
  }
  return size;
}

/**
 * What a write adds to a commit request, a little generously: the stored size, the update mask
 * that spells every field path of a merge again, and the full document name with the project's
 * prefix and the encoding's tags.
 */
export function requestSize(write: RemoteWrite): number {
  const fields = write.kind === 'set-merge' ? write.data : { isDeleted: true, deletedAt: 0, updatedAt: write.updatedAt };
  return Math.ceil(1.1 * documentSize(write)) + maskSize(fields) + 256;
}
