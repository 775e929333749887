// Zone-less local times (drift's `DateTime.now().toIso8601String()` writes `2026-11-24T13:00:00.000`
// without an offset) read in the zone synclens.json names, with the offset that zone had then.
import { parseIso } from '../db/timestamps';

const zoned = /(?:Z|[+-]\d{2}(?::?\d{2})?)$/i;

/** Throws RangeError for a zone Intl does not know. */
export function checkTimeZone(timeZone: string): void {
  new Intl.DateTimeFormat('en-US', { timeZone });
}

/** Text with its own zone is read as written; a zone-less local time in `timeZone`. */
export function parseLocalTime(text: string, timeZone: string): number | null {
  const asUtc = parseIso(text);
  if (asUtc === null || zoned.test(text.trim())) return asUtc;
  // The offset at the guess, then again at the result: they differ only across a DST change.
  const first = asUtc - offsetAt(asUtc, timeZone);
  const second = asUtc - offsetAt(first, timeZone);
  return second;
}

/** The zone's offset from UTC at `ms`, in milliseconds. */
function offsetAt(ms: number, timeZone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).formatToParts(new Date(ms));
  const part = (type: string): number => Number(parts.find((candidate) => candidate.type === type)?.value ?? 0);
  const local = Date.UTC(part('year'), part('month') - 1, part('day'), part('hour'), part('minute'), part('second'));
  return local - (ms - (((ms % 1000) + 1000) % 1000));
}
