// Reading Firestore field values without importing the SDK: the engine compares documents it
// read (SDK Timestamps) with documents it built from payloads, and plain tests build both.

/** Milliseconds for a Timestamp, Date, epoch number or ISO text; null for anything else. */
export function timeValueToMillis(value: unknown): number | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number') return Number.isFinite(value) ? value : null;
  if (typeof value === 'string') {
    const parsed = Date.parse(value);
    return Number.isNaN(parsed) ? null : parsed;
  }
  if (value instanceof Date) return value.getTime();
  if (typeof value === 'object' && typeof (value as { toMillis?: unknown }).toMillis === 'function') {
    return (value as { toMillis: () => number }).toMillis();
  }
  return null;
}

export function numberValue(value: unknown): number | null {
  if (typeof value === 'number' && Number.isFinite(value)) return value;
  if (typeof value === 'bigint') return Number(value);
  if (typeof value === 'string' && value.trim() !== '' && Number.isFinite(Number(value))) return Number(value);
  return null;
}

function isTimeLike(value: unknown): boolean {
  return value instanceof Date || (typeof value === 'object' && value !== null && typeof (value as { toMillis?: unknown }).toMillis === 'function');
}

/** Deep equality of two field values; points in time compare by instant, whatever their type. */
export function fieldValuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  if (isTimeLike(a) || isTimeLike(b)) {
    const left = timeValueToMillis(a);
    const right = timeValueToMillis(b);
    return left !== null && left === right;
  }
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a instanceof Uint8Array && b instanceof Uint8Array) {
    return a.length === b.length && a.every((byte, index) => byte === b[index]);
  }
  if (typeof (a as { toUint8Array?: unknown }).toUint8Array === 'function' || typeof (b as { toUint8Array?: unknown }).toUint8Array === 'function') {
    return fieldValuesEqual(toBytes(a), toBytes(b));
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    if (!Array.isArray(a) || !Array.isArray(b) || a.length !== b.length) return false;
    return a.every((item, index) => fieldValuesEqual(item, b[index]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!fieldValuesEqual(left[key], right[key])) return false;
    return true;
  }
  return false;
}

function toBytes(value: unknown): unknown {
  const converter = (value as { toUint8Array?: () => Uint8Array }).toUint8Array;
  return typeof converter === 'function' ? converter.call(value) : value;
}

/** True when every field of `expected` is present in `actual` with an equal value (a set-merge landed). */
export function documentContains(actual: Record<string, unknown>, expected: Record<string, unknown>): boolean {
  return Object.entries(expected).every(([field, value]) => fieldValuesEqual(actual[field], value));
}

/** Fields whose values differ between two documents, in a stable order. */
export function differingFields(local: Record<string, unknown>, remote: Record<string, unknown>, ignore: readonly string[] = []): string[] {
  const fields = [...new Set([...Object.keys(local), ...Object.keys(remote)])].filter((field) => !ignore.includes(field));
  return fields.filter((field) => !fieldValuesEqual(local[field], remote[field])).sort();
}
