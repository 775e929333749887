// Mutations of real files. Blind byte changes mostly break a checksum and are ignored at once, so the
// WAL and journal forgers also aim at the fields readers trust (page numbers, commit sizes, counts,
// sector and page sizes) with the values that break arithmetic (0, 1, 2^31, 2^32-1, the lock-byte
// page, sizes just past the file) and then re-seal the checksums, as a hostile file would be.
import fc from 'fast-check';
import { journalPageChecksum } from '../../../core/db/journal';
import { walChecksum } from '../../../core/db/wal';

export type Mutation =
  | { readonly kind: 'byte'; readonly at: number; readonly value: number }
  | { readonly kind: 'u32'; readonly at: number; readonly value: number }
  | { readonly kind: 'fill'; readonly at: number; readonly length: number; readonly value: number }
  | { readonly kind: 'copy'; readonly from: number; readonly at: number; readonly length: number }
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'append'; readonly length: number; readonly value: number };

/** 32-bit values that break size and offset arithmetic. */
export const edgeWords = [0, 1, 2, 3, 0x7f, 0x80, 0xff, 0x100, 511, 512, 513, 1024, 4096, 32768, 65536, 0x10000 + 1, 0x3fffffff, 0x40000000, 0x40000001, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

export function wordArbitrary(): fc.Arbitrary<number> {
  return fc.oneof({ weight: 3, arbitrary: fc.constantFrom(...edgeWords) }, { weight: 1, arbitrary: fc.nat({ max: 0xffffffff }) });
}

/** A mutation anywhere in a file of `length` bytes; `hot` offsets (header fields) are picked more often. */
export function mutationArbitrary(length: number, hot: readonly number[] = []): fc.Arbitrary<Mutation> {
  const offset = hot.length > 0 ? fc.oneof(fc.constantFrom(...hot), fc.nat({ max: Math.max(0, length - 1) })) : fc.nat({ max: Math.max(0, length - 1) });
  return fc.oneof(
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('byte' as const), at: offset, value: fc.nat({ max: 255 }) }) },
    { weight: 4, arbitrary: fc.record({ kind: fc.constant('u32' as const), at: offset, value: wordArbitrary() }) },
    { weight: 2, arbitrary: fc.record({ kind: fc.constant('fill' as const), at: offset, length: fc.integer({ min: 1, max: 600 }), value: fc.constantFrom(0, 0xff, 0x41) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('copy' as const), from: offset, at: offset, length: fc.integer({ min: 1, max: 600 }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('truncate' as const), at: fc.nat({ max: length }) }) },
    { weight: 1, arbitrary: fc.record({ kind: fc.constant('append' as const), length: fc.integer({ min: 1, max: 2000 }), value: fc.constantFrom(0, 0x5a) }) },
  );
}

export function mutationsArbitrary(length: number, hot: readonly number[] = [], maxLength = 6): fc.Arbitrary<Mutation[]> {
  return fc.array(mutationArbitrary(length, hot), { minLength: 1, maxLength });
}

/** A mutated copy (the original is never changed). */
export function applyMutations(original: Uint8Array, mutations: readonly Mutation[]): Uint8Array {
  let bytes = Uint8Array.from(original);
  for (const mutation of mutations) {
    switch (mutation.kind) {
      case 'byte':
        if (mutation.at < bytes.byteLength) bytes[mutation.at] = mutation.value;
        break;
      case 'u32':
        if (mutation.at + 4 <= bytes.byteLength) new DataView(bytes.buffer).setUint32(mutation.at, mutation.value);
        break;
      case 'fill':
        bytes.fill(mutation.value, mutation.at, Math.min(bytes.byteLength, mutation.at + mutation.length));
        break;
      case 'copy':
        bytes.copyWithin(mutation.at, mutation.from, Math.min(bytes.byteLength, mutation.from + mutation.length));
        break;
      case 'truncate':
        bytes = bytes.slice(0, Math.min(bytes.byteLength, mutation.at));
        break;
      case 'append': {
        const longer = new Uint8Array(bytes.byteLength + mutation.length).fill(mutation.value);
        longer.set(bytes);
        bytes = longer;
        break;
      }
    }
  }
  return bytes;
}

const walHeaderBytes = 32;
const frameHeaderBytes = 24;

/** Offsets of every field of the WAL header and of each frame header. */
export function walFieldOffsets(wal: Uint8Array): number[] {
  const pageSize = new DataView(wal.buffer, wal.byteOffset, wal.byteLength).getUint32(8);
  const offsets = [0, 4, 8, 12, 16, 20, 24, 28];
  for (let frame = walHeaderBytes; frame + frameHeaderBytes <= wal.byteLength; frame += frameHeaderBytes + pageSize) {
    offsets.push(frame, frame + 4, frame + 8, frame + 12, frame + frameHeaderBytes, frame + frameHeaderBytes + 100);
  }
  return offsets;
}

/**
 * Recomputes the WAL header's checksum and every frame's running checksum (with the header's salts
 * copied into each frame), so the forged fields are what a reader meets, not a checksum failure.
 * Works on whatever page size the header now names; a file too short for it is left as it is.
 */
export function resealWal(wal: Uint8Array): Uint8Array {
  if (wal.byteLength < walHeaderBytes) return wal;
  const bytes = Uint8Array.from(wal);
  const view = new DataView(bytes.buffer);
  const bigEndian = (view.getUint32(0) & 1) === 1;
  const pageSize = view.getUint32(8);
  let checksum = walChecksum(bytes, 0, 24, bigEndian, [0, 0]);
  view.setUint32(24, checksum[0]);
  view.setUint32(28, checksum[1]);
  if (pageSize < 512 || pageSize > 65536 || pageSize % 8 !== 0) return bytes;
  for (let frame = walHeaderBytes; frame + frameHeaderBytes + pageSize <= bytes.byteLength; frame += frameHeaderBytes + pageSize) {
    view.setUint32(frame + 8, view.getUint32(16));
    view.setUint32(frame + 12, view.getUint32(20));
    checksum = walChecksum(bytes, frame, 8, bigEndian, checksum);
    checksum = walChecksum(bytes, frame + frameHeaderBytes, pageSize, bigEndian, checksum);
    view.setUint32(frame + 16, checksum[0]);
    view.setUint32(frame + 20, checksum[1]);
  }
  return bytes;
}

/** Offsets of the journal header's fields and of each page record's page number (first segment). */
export function journalFieldOffsets(journal: Uint8Array): number[] {
  const view = new DataView(journal.buffer, journal.byteOffset, journal.byteLength);
  const offsets = [0, 8, 12, 16, 20, 24];
  if (journal.byteLength < 28) return offsets;
  const sectorSize = view.getUint32(20);
  const pageSize = view.getUint32(24);
  if (sectorSize < 32 || sectorSize > 65536 || pageSize < 512 || pageSize > 65536) return offsets;
  for (let record = sectorSize; record + 8 + pageSize <= journal.byteLength; record += 8 + pageSize) offsets.push(record, record + 4 + pageSize);
  return offsets;
}

/**
 * Recomputes every page record's checksum with the nonce of the segment header before it (headers
 * sit at sector boundaries, as SQLite writes them), so forged page numbers and counts are replayed.
 */
export function resealJournal(journal: Uint8Array): Uint8Array {
  const bytes = Uint8Array.from(journal);
  const view = new DataView(bytes.buffer);
  if (bytes.byteLength < 28) return bytes;
  const sectorSize = view.getUint32(20);
  const pageSize = view.getUint32(24);
  if (sectorSize < 32 || sectorSize > 65536 || pageSize < 512 || pageSize > 65536) return bytes;
  const recordBytes = 8 + pageSize;
  let offset = 0;
  for (let segments = 0; segments < 64; segments += 1) {
    const header = Math.ceil(offset / sectorSize) * sectorSize;
    if (header + sectorSize > bytes.byteLength) break;
    const records = view.getUint32(header + 8);
    const nonce = view.getUint32(header + 12);
    offset = header + sectorSize;
    const count = records === 0xffffffff ? Math.floor((bytes.byteLength - offset) / recordBytes) : Math.min(records, Math.floor((bytes.byteLength - offset) / recordBytes));
    for (let record = 0; record < count; record += 1) {
      view.setUint32(offset + 4 + pageSize, journalPageChecksum(bytes.subarray(offset + 4, offset + 4 + pageSize), nonce));
      offset += recordBytes;
    }
  }
  return bytes;
}
