// The one encoder of document values as tagged JSON (core/protocol/taggedValues.ts describes the
// format), used by the CLI's --json and by the sync worker for the webviews, and its decoder for
// values that come back (merge values from the Conflicts panel or a CLI merge file). Documents,
// rows and payloads carry the Firebase SDK's value classes, SQLite BLOBs and numbers JSON has no
// literal for; JSON.stringify would turn them into whatever their toJSON returns (or `{}`, or null).
import { CodedError } from '../errors';
import { instantToIso, isoToInstant, storable } from '../firestore/instants';
import type { MappingSdk } from '../firestore/mapping';
import { tagOf, type JsonObject, type JsonValue } from '../protocol/taggedValues';

function hasFunction(value: object, name: string): boolean {
  return typeof (value as Record<string, unknown>)[name] === 'function';
}

function timestampIso(value: object): string | null {
  const { seconds, nanoseconds } = value as { seconds?: unknown; nanoseconds?: unknown };
  if (typeof seconds === 'number' && typeof nanoseconds === 'number' && hasFunction(value, 'toMillis')) {
    // One no Timestamp can be (built without the SDK's checks) stays the map it is.
    const instant = storable({ seconds, nanos: nanoseconds });
    return instant ? instantToIso(instant) : null;
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
 * Any value as tagged JSON. Object keys whose value is undefined, a function or a symbol are left
 * out (as JSON.stringify does); in arrays they become null. Engine results are trees: no cycle check.
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
  // A map inside a document that happens to look like a tag stays a map.
  return tagOf(map) !== null ? { $map: map } : map;
}

/** A document, row or payload (an object of field values) as JSON: each field by toJsonValue. */
export function toJsonObject(value: Record<string, unknown>): JsonObject {
  const object: JsonObject = {};
  for (const [key, item] of Object.entries(value)) {
    if (item === undefined || typeof item === 'function' || typeof item === 'symbol') continue;
    // Defined, not assigned: a key named __proto__ (JSON.parse makes it an own key) is a field like
    // any other, and assigning it would set the object's prototype instead.
    Object.defineProperty(object, key, { value: toJsonValue(item), enumerable: true, writable: true, configurable: true });
  }
  return object;
}

/** A tagged value that cannot become a document value; `path` says where (`email`, `tags[2]`). */
export class TaggedValueError extends CodedError<'invalid-value'> {
  override readonly name = 'TaggedValueError';
  constructor(
    readonly path: string,
    message: string,
  ) {
    super('invalid-value', `${path}: ${message}`);
  }
}

const base64 = /^[A-Za-z0-9+/]*={0,2}$/;

/**
 * Tagged JSON back to document values: `$timestamp` a Timestamp (to the microsecond), `$bytes`
 * Bytes, `$number` the number, `$map` a map of its content. GeoPoints, references, vectors and
 * integers beyond 2^53 cannot be written back through the engine's value classes: an error says so.
 */
export function fromJsonValue(value: JsonValue, sdk: MappingSdk, path: string): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((item, index) => fromJsonValue(item, sdk, `${path}[${index}]`));
  const tag = tagOf(value);
  const content = tag === null ? null : (value as Record<string, JsonValue>)[tag];
  switch (tag) {
    case null:
      return fromJsonMap(value, sdk, path);
    case '$map':
      if (content === null || typeof content !== 'object' || Array.isArray(content)) throw new TaggedValueError(path, '$map holds an object');
      return fromJsonMap(content, sdk, path);
    case '$timestamp': {
      const instant = typeof content === 'string' ? isoToInstant(content) : null;
      if (!instant) throw new TaggedValueError(path, `$timestamp holds ISO-8601 text such as "2026-11-24T11:00:00.000Z", got ${JSON.stringify(content)}`);
      return new sdk.Timestamp(instant.seconds, instant.nanos);
    }
    case '$bytes':
      if (typeof content !== 'string' || !base64.test(content)) throw new TaggedValueError(path, '$bytes holds base64 text');
      return sdk.Bytes.fromUint8Array(Uint8Array.from(Buffer.from(content, 'base64')));
    case '$number':
      if (content === 'NaN') return Number.NaN;
      if (content === 'Infinity') return Number.POSITIVE_INFINITY;
      if (content === '-Infinity') return Number.NEGATIVE_INFINITY;
      throw new TaggedValueError(path, '$number is "NaN", "Infinity" or "-Infinity"');
    default:
      throw new TaggedValueError(path, `${tag} values cannot be written back; give the value as it is stored`);
  }
}

function fromJsonMap(map: JsonObject, sdk: MappingSdk, path: string): Record<string, unknown> {
  return Object.fromEntries(Object.entries(map).map(([key, item]) => [key, fromJsonValue(item, sdk, `${path}.${key}`)]));
}
