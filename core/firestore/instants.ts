// Instants as Firestore keeps them (to the microsecond, within 0001-9999): read from any column
// encoding, ISO text, Timestamps and Dates, and written back exactly. core/firestore/mapping.ts and
// the tagged value encoder (core/engine/taggedValues.ts) build on these.
import { parseIso } from '../db/timestamps';
import type { TimestampEncoding } from '../db/types';

/** An instant with the precision Firestore keeps (it stores microseconds). */
export interface PreciseInstant {
  seconds: number;
  /** 0..999,999,999. */
  nanos: number;
}

const isoFraction = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}[.,](\d{1,9})/;

/** A Firestore Timestamp by its shape (the SDK's, firestore/lite's or plainValuesSdk's). */
export function isTimestampLike(value: unknown): value is { seconds: number; nanoseconds: number } {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { seconds?: unknown }).seconds === 'number' &&
    typeof (value as { nanoseconds?: unknown }).nanoseconds === 'number'
  );
}

function fromMicros(micros: bigint): PreciseInstant {
  const million = 1_000_000n;
  let seconds = micros / million;
  let rest = micros % million;
  if (rest < 0n) {
    rest += million;
    seconds -= 1n;
  }
  return { seconds: Number(seconds), nanos: Number(rest) * 1000 };
}

/** An epoch number in a unit, exact for integers (and for fractions down to the microsecond). */
function fromEpoch(value: number | bigint, unitsPerSecond: 1 | 1000 | 1_000_000): PreciseInstant | null {
  if (typeof value === 'bigint') return fromMicros(value * BigInt(1_000_000 / unitsPerSecond));
  if (!Number.isFinite(value)) return null;
  if (Number.isInteger(value)) return fromMicros(BigInt(value) * BigInt(1_000_000 / unitsPerSecond));
  return fromMicros(BigInt(Math.round(value * (1_000_000 / unitsPerSecond))));
}

/** Firestore's Timestamp holds 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z; the SDK refuses others. */
const minTimestampSeconds = -62135596800;
const maxTimestampSeconds = 253402300799;

/** The instant when Firestore can store it, else null. */
export function storable(instant: PreciseInstant | null): PreciseInstant | null {
  return instant !== null && instant.seconds >= minTimestampSeconds && instant.seconds <= maxTimestampSeconds ? instant : null;
}

/** ISO-8601 text with up to nine fraction digits, kept to the nanosecond (Firestore then keeps micros); null past Firestore's range. */
export function isoToInstant(text: string): PreciseInstant | null {
  const millis = parseIso(text);
  if (millis === null) return null;
  const trimmed = text.trim();
  const fraction = fractionDigitsOf(trimmed) ?? isoFraction.exec(trimmed)?.[1] ?? '';
  const seconds = Math.floor(millis / 1000);
  return storable({ seconds, nanos: Number(fraction.padEnd(9, '0')) });
}

/** Character codes of `YYYY-MM-DDTHH:MM:SS` that must be digits (the rest are the separators). */
const isoDigitPositions = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18];

/**
 * What isoFraction captures, read by character codes for the usual shape: every payload time of a
 * plan or replay comes here, and the pattern cost about as much as the rest of the parse.
 * Undefined when the text is not that shape, and the pattern decides.
 */
function fractionDigitsOf(text: string): string | undefined {
  if (text.length < 21 || text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const separator = text.charCodeAt(10);
  const point = text.charCodeAt(19);
  if ((separator !== 84 && separator !== 32) || (point !== 46 && point !== 44)) return undefined;
  for (const position of isoDigitPositions) if (!isDigitCode(text.charCodeAt(position))) return undefined;
  let end = 20;
  while (end < text.length && end < 29 && isDigitCode(text.charCodeAt(end))) end++;
  return end === 20 ? undefined : text.slice(20, end);
}

const isDigitCode = (code: number): boolean => code >= 48 && code <= 57;

/**
 * The instant a stored or sent value means in a column of this encoding: numbers (and digit
 * strings) in the column's unit, other text as ISO-8601 (payloads carry Dart's toIso8601String
 * even for integer columns), Timestamps and Dates as they are.
 */
export function instantOf(value: unknown, encoding: TimestampEncoding): PreciseInstant | null {
  return storable(anyInstantOf(value, encoding));
}

function anyInstantOf(value: unknown, encoding: TimestampEncoding): PreciseInstant | null {
  if (value === null || value === undefined) return null;
  if (isTimestampLike(value)) return { seconds: value.seconds, nanos: value.nanoseconds };
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : fromEpoch(value.getTime(), 1000);
  const unitsPerSecond = encoding === 'epoch-seconds' ? 1 : encoding === 'epoch-millis' ? 1000 : encoding === 'epoch-micros' ? 1_000_000 : null;
  if (typeof value === 'number' || typeof value === 'bigint') {
    // A number in an ISO column: read it as the app's most common numeric form, milliseconds.
    return fromEpoch(value, unitsPerSecond ?? 1000);
  }
  if (typeof value !== 'string') return null;
  const text = value.trim();
  // The encoding first: an ISO column's text (the common case) skips both patterns.
  if (unitsPerSecond !== null && /^-?\d+$/.test(text)) return fromEpoch(BigInt(text), unitsPerSecond);
  if (unitsPerSecond !== null && /^-?\d+\.\d+$/.test(text)) return fromEpoch(Number(text), unitsPerSecond);
  return isoToInstant(text);
}

/** The column value for an instant in an encoding: integers exact to the unit, ISO text as Dart writes it. */
export function instantToColumnValue(instant: PreciseInstant, encoding: TimestampEncoding): string | number {
  const micros = BigInt(instant.seconds) * 1_000_000n + BigInt(Math.floor(instant.nanos / 1000));
  switch (encoding) {
    case 'epoch-seconds':
      return instant.seconds;
    case 'epoch-millis':
      return Number(floorDiv(micros, 1000n));
    case 'epoch-micros':
      return Number(micros);
    case 'iso8601':
      return instantToIso(instant);
  }
}

function floorDiv(a: bigint, b: bigint): bigint {
  const quotient = a / b;
  return a % b < 0n ? quotient - 1n : quotient;
}

/** `2024-03-01T14:05:09.123Z`, or with six fraction digits when the instant has microseconds (as Dart). */
export function instantToIso(instant: PreciseInstant): string {
  const base = new Date(instant.seconds * 1000).toISOString().slice(0, 19);
  const micros = Math.floor(instant.nanos / 1000);
  const fraction = micros % 1000 === 0 ? String(micros / 1000).padStart(3, '0') : String(micros).padStart(6, '0');
  return `${base}.${fraction}Z`;
}
