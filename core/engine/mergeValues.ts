// A merge value the user typed (the Conflicts panel's edit box, a CLI merge file) as the document
// value the merge writes. It arrives as tagged JSON; a plain ISO text for a field that holds a time
// on the other side is read as that time, since people type times as text.
import { isoToInstant } from '../firestore/instants';
import type { MappingSdk } from '../firestore/mapping';
import type { JsonValue } from '../protocol/taggedValues';
import { fromJsonValue } from './taggedValues';

/** Plain JSON all the way down (what a message or a file carries), not an SDK value or a Date. */
function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonValue);
}

function isTimeValue(value: unknown): boolean {
  return value instanceof Date || (typeof value === 'object' && value !== null && typeof (value as { toDate?: unknown }).toDate === 'function');
}

/** `sideValue`: the field's value in the conflict (remote, else local), which tells a time field. */
export function mergeValue(value: unknown, sideValue: unknown, sdk: MappingSdk, field: string): unknown {
  const decoded = isJsonValue(value) ? fromJsonValue(value, sdk, field) : value;
  if (typeof decoded !== 'string' || !isTimeValue(sideValue)) return decoded;
  const instant = isoToInstant(decoded);
  if (instant) return new sdk.Timestamp(instant.seconds, instant.nanos);
  const millis = Date.parse(decoded);
  return Number.isNaN(millis) ? decoded : sdk.Timestamp.fromMillis(millis);
}
