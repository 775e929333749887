// How values that JSON cannot hold appear in `--json` output (schemas/cli-output.schema.json,
// "documentValue"). Documents, rows and payloads carry the Firebase SDK's value classes, SQLite
// BLOBs and numbers JSON has no literal for; JSON.stringify would turn them into whatever their
// toJSON happens to return today (or `{}`, or null, or nothing). Each is instead a one-key object
// whose key starts with `$`, in the spirit of MongoDB's Extended JSON, so a script can tell a
// timestamp from a string that looks like one.
import { instantToIso } from '../firestore/mapping';

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The tags a non-JSON value is written under. A map that would read as one is wrapped in `$map`. */
export const valueTags = ['$timestamp', '$bytes', '$number', '$integer', '$geopoint', '$reference', '$vector', '$map'] as const;
const tagSet: ReadonlySet<string> = new Set(valueTags);

function hasFunction(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

function timestampIso(value: object): string | null {
  const { seconds, nanoseconds } = value as { seconds?: unknown; nanoseconds?: unknown };
  if (typeof seconds === 'number' && typeof nanoseconds === 'number' && hasFunction(value, 'toMillis')) {
    return instantToIso({ seconds, nanos: nanoseconds });
  }
  if (!(value instanceof Date) || Number.isNaN(value.getTime())) return null;
  const millis = value.getTime();
  const wholeSeconds = Math.floor(millis / 1000);
  return instantToIso({ seconds: wholeSeconds, nanos: (millis - wholeSeconds * 1000) * 1_000_000 });
}

function bytesOf(value: object): Uint8Array | null {
  if (value instanceof Uint8Array) return value;
  if (hasFunction(value, 'toUint8Array')) return (value as { toUint8Array(): Uint8Array }).toUint8Array();
  return null;
}

function numberValue(value: number): JsonValue {
  if (Number.isFinite(value)) return Object.is(value, -0) ? 0 : value;
  return { $number: Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity' };
}

/**
 * Any value as JSON under the rules above. Object keys whose value is undefined, a function or a
 * symbol are left out (as JSON.stringify does); in arrays they become null. Engine results are
 * trees: no cycle check.
 */
export function toJsonValue(value: unknown): JsonValue {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return value;
    case 'number':
      return numberValue(value);
    case 'bigint':
      return Number.isSafeInteger(Number(value)) ? Number(value) : { $integer: value.toString() };
    case 'undefined':
    case 'function':
    case 'symbol':
      return null;
    default:
      break;
  }
  if (value === null) return null;
  const object = value as object;
  const iso = timestampIso(object);
  if (iso !== null) return { $timestamp: iso };
  if (object instanceof Date) return null;
  const bytes = bytesOf(object);
  if (bytes !== null) return { $bytes: Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64') };
  if (Array.isArray(object)) return object.map((item) => toJsonValue(item));
  const { latitude, longitude } = object as { latitude?: unknown; longitude?: unknown };
  if (typeof latitude === 'number' && typeof longitude === 'number' && hasFunction(object, 'isEqual')) {
    return { $geopoint: { latitude, longitude } };
  }
  const { path, firestore, type } = object as { path?: unknown; firestore?: unknown; type?: unknown };
  if (typeof path === 'string' && firestore !== undefined && type === 'document') return { $reference: path };
  if (hasFunction(object, 'toArray') && hasFunction(object, 'isEqual')) {
    return { $vector: (object as { toArray(): number[] }).toArray().map((item) => toJsonValue(item)) };
  }
  const map = toJsonObject(object instanceof Map ? Object.fromEntries([...object.entries()].map(([key, item]) => [String(key), item as unknown])) : (object as Record<string, unknown>));
  const keys = Object.keys(map);
  // A map inside a document that happens to look like a tag stays a map.
  return keys.length === 1 && tagSet.has(keys[0] as string) ? { $map: map } : map;
}

/** A document, row or payload (an object of field values) as JSON: each field by toJsonValue. */
export function toJsonObject(value: Record<string, unknown>): JsonObject {
  const object: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    object[key] = toJsonValue(item);
  }
  return object;
}
