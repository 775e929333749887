// Firestore and engine values -> JSON for the webviews: times as ISO-8601 text, bytes as base64,
// nothing that JSON cannot carry.
import type { JsonObject, JsonValue } from '../../core/protocol/syncModel';

function isTimestampLike(value: object): value is { toDate(): Date } {
  return 'toDate' in value && typeof value.toDate === 'function';
}

function isBytesLike(value: object): value is { toBase64(): string } {
  return 'toBase64' in value && typeof value.toBase64 === 'function';
}

export function toJsonValue(value: unknown): JsonValue {
  if (value === null || value === undefined) return null;
  if (typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (value instanceof Date) return Number.isNaN(value.getTime()) ? null : value.toISOString();
  if (value instanceof Uint8Array) return `bytes:${Buffer.from(value).toString('base64')}`;
  if (Array.isArray(value)) return value.map(toJsonValue);
  if (typeof value === 'object') {
    if (isTimestampLike(value)) return value.toDate().toISOString();
    if (isBytesLike(value)) return `bytes:${value.toBase64()}`;
    return toJsonObject(value as Record<string, unknown>);
  }
  return String(value);
}

export function toJsonObject(record: Record<string, unknown>): JsonObject {
  const result: JsonObject = {};
  for (const [key, value] of Object.entries(record)) result[key] = toJsonValue(value);
  return result;
}
