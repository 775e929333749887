// Timestamp encodings found in app databases: ISO-8601 text, and integers counting seconds (drift's
// default), milliseconds or microseconds (Isar) since the Unix epoch. Detection is per column from
// sampled values; the bands below do not overlap, so a value's magnitude names its unit.
import type { SqlValue, TimestampEncoding } from './types';

/** Plausible dates for an app's records: 1990-01-01 .. 2100-01-01 UTC, in milliseconds. */
const earliestMs = Date.UTC(1990, 0, 1);
const latestMs = Date.UTC(2100, 0, 1);

const millisPerUnit: Record<Exclude<TimestampEncoding, 'iso8601'>, number> = {
  'epoch-seconds': 1000,
  'epoch-millis': 1,
  'epoch-micros': 0.001,
};

const isoPattern =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?\s*(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i;

/** Names that say "a point in time": createdAt, updated_at, lastAttempt, birthDate, sync_time... */
const camelTimeName = /[a-z0-9](?:At|On|Date|Time|Timestamp|Attempt)$/;
const snakeTimeName = /(?:^|_)(?:at|on|date|time|timestamp|attempt|created|updated|modified|deleted)$/i;
/** Names that say "not a time" even when the numbers would fit: ids, counters, versions. */
const notTimeName = /(?:id|count|version|size|length|number|amount|price|phone)$/i;

export function hasTimestampName(columnName: string): boolean {
  return camelTimeName.test(columnName) || snakeTimeName.test(columnName);
}

/**
 * The encoding shared by every non-null sampled value, or null. ISO-8601 text is recognised by its
 * shape; numbers by magnitude, and only when every value is a plausible date (1990..2100) in the
 * same unit. The values decide: a name like `createdAt` never makes numbers a timestamp by itself,
 * but a name like `retryCount` or `userId` rules numbers out.
 */
export function detectTimestampEncoding(values: readonly SqlValue[], columnName?: string): TimestampEncoding | null {
  const present = values.filter((value) => value !== null);
  if (present.length === 0) return null;
  if (present.every((value) => typeof value === 'string')) {
    return present.every((value) => isPlausible(parseIso(value as string))) ? 'iso8601' : null;
  }
  if (columnName !== undefined && notTimeName.test(columnName)) return null;
  let found: TimestampEncoding | null = null;
  for (const value of present) {
    if (typeof value !== 'number' && typeof value !== 'bigint') return null;
    const encoding = numericEncoding(Number(value));
    if (encoding === null || (found !== null && encoding !== found)) return null;
    found = encoding;
  }
  return found;
}

function numericEncoding(value: number): TimestampEncoding | null {
  if (!Number.isFinite(value)) return null;
  for (const encoding of ['epoch-seconds', 'epoch-millis', 'epoch-micros'] as const) {
    if (isPlausible(value * millisPerUnit[encoding])) return encoding;
  }
  return null;
}

function isPlausible(ms: number | null): boolean {
  return ms !== null && ms >= earliestMs && ms < latestMs;
}

/** Milliseconds since the epoch for a stored value, or null when the value is not in that encoding. */
export function timestampToMillis(value: SqlValue, encoding: TimestampEncoding): number | null {
  if (value === null || value instanceof Uint8Array) return null;
  if (encoding === 'iso8601') return typeof value === 'string' ? parseIso(value) : null;
  const number = typeof value === 'string' ? (value.trim() === '' ? NaN : Number(value)) : Number(value);
  if (!Number.isFinite(number)) return null;
  return Math.round(number * millisPerUnit[encoding]);
}

/**
 * The value to store for a point in time in the column's encoding (for writing back). ISO text is
 * written as `toISOString()` (UTC, `Z`, milliseconds), which sorts and parses like the app's own.
 */
export function millisToTimestamp(ms: number, encoding: TimestampEncoding): string | number {
  if (encoding === 'iso8601') return new Date(ms).toISOString();
  if (encoding === 'epoch-seconds') return Math.floor(ms / 1000);
  if (encoding === 'epoch-millis') return Math.round(ms);
  return Math.round(ms) * 1000;
}

/**
 * ISO-8601 as apps and SQLite write it. Text without a zone is UTC, as SQLite's own date functions
 * read it (Date.parse would take it as local time).
 */
export function parseIso(text: string): number | null {
  const canonical = canonicalIsoMillis(text);
  if (canonical !== undefined) return canonical;
  const match = isoPattern.exec(text.trim());
  if (!match) return null;
  const [, year, month, day, hour = '0', minute = '0', second = '0', fraction = '', zone = 'Z'] = match;
  const monthIndex = Number(month) - 1;
  if (monthIndex < 0 || monthIndex > 11 || Number(day) < 1 || Number(day) > 31) return null;
  if (Number(hour) > 23 || Number(minute) > 59 || Number(second) > 60) return null;
  const millis = Number((fraction + '000').slice(0, 3));
  // Date.UTC reads years 0-99 as 1900-1999: the year is set on its own.
  const date = new Date(Date.UTC(2000, monthIndex, Number(day), Number(hour), Number(minute), Number(second), millis));
  date.setUTCFullYear(Number(year));
  return date.getTime() - zoneOffsetMinutes(zone) * 60_000;
}

/**
 * `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, the shape Dart's toIso8601String() (UTC) and SQLite's
 * strftime write, read by character codes: the general pattern cost more than the rest of a queue
 * op's reading (bench/analyze-queue.ts), and every payload time a plan or replay maps comes here
 * too. Undefined for any other shape (text with spaces around it included), a day past the 28th or
 * a year before 100: the pattern and its month and century rules then decide, so the result is
 * always the pattern's.
 */
function canonicalIsoMillis(text: string): number | null | undefined {
  const length = text.length;
  if (length < 20 || length > 30 || text.charCodeAt(length - 1) !== 90) return undefined;
  if (text.charCodeAt(4) !== 45 || text.charCodeAt(7) !== 45 || text.charCodeAt(10) !== 84 || text.charCodeAt(13) !== 58 || text.charCodeAt(16) !== 58) return undefined;
  const year = digitsAt(text, 0, 4);
  const month = digitsAt(text, 5, 2);
  const day = digitsAt(text, 8, 2);
  const hour = digitsAt(text, 11, 2);
  const minute = digitsAt(text, 14, 2);
  const second = digitsAt(text, 17, 2);
  if (year < 100 || month < 0 || day < 0 || day > 28 || hour < 0 || minute < 0 || second < 0) return undefined;
  let millis = 0;
  if (length > 20) {
    if (text.charCodeAt(19) !== 46 || length === 21) return undefined;
    const fraction = digitsAt(text, 20, length - 21);
    if (fraction < 0) return undefined;
    const kept = Math.min(3, length - 21);
    millis = digitsAt(text, 20, kept) * 10 ** (3 - kept);
  }
  if (month < 1 || month > 12 || day < 1 || hour > 23 || minute > 59 || second > 60) return null;
  return Date.UTC(year, month - 1, day, hour, minute, second, millis);
}

/** The decimal number in text[start, start + count), or -1 when a character there is no digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let index = start; index < start + count; index++) {
    const digit = text.charCodeAt(index) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
}

function zoneOffsetMinutes(zone: string): number {
  if (zone.toUpperCase() === 'Z') return 0;
  const sign = zone.startsWith('-') ? -1 : 1;
  const digits = zone.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

/** `2024-03-01 14:05:09 UTC` — ISO-like, always UTC, so the same everywhere it is shown. */
export function formatTimestampUtc(ms: number): string {
  if (!Number.isFinite(ms) || Math.abs(ms) > 8.64e15) return 'invalid date';
  const iso = new Date(ms).toISOString();
  const fraction = ms % 1000 === 0 ? '' : iso.slice(19, 23);
  return `${iso.slice(0, 10)} ${iso.slice(11, 19)}${fraction} UTC`;
}

/** `3 minutes ago`, `in 2 hours`, `just now`. */
export function formatRelative(ms: number, now: number): string {
  const delta = ms - now;
  const seconds = Math.abs(delta) / 1000;
  if (seconds < 5) return 'just now';
  const units: Array<[string, number]> = [
    ['year', 365 * 86_400],
    ['month', 30 * 86_400],
    ['day', 86_400],
    ['hour', 3_600],
    ['minute', 60],
    ['second', 1],
  ];
  const [unit, size] = units.find(([, unitSeconds]) => seconds >= unitSeconds) ?? ['second', 1];
  const count = Math.floor(seconds / size);
  const phrase = `${count} ${unit}${count === 1 ? '' : 's'}`;
  return delta < 0 ? `${phrase} ago` : `in ${phrase}`;
}

/** `2024-03-01 14:05:09 UTC (3 minutes ago)`. */
export function formatTimestamp(ms: number, now: number = Date.now()): string {
  if (!Number.isFinite(ms)) return 'invalid date';
  return `${formatTimestampUtc(ms)} (${formatRelative(ms, now)})`;
}
