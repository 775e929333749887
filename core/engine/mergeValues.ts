// What a field-by-field merge writes, computed once (mergeDocument) for the Conflicts panel's
// preview, the merge confirmation and the write itself (core/engine/resolve.ts), so that what is
// shown is what is written. A merge starts from the remote document, takes the fields chosen from
// the local side or typed in, then sets updatedAt to the latest of both sides and the time of the
// merge, and version to the higher of both + 1, so that the merge wins over both sides in every
// later last-write-wins comparison (core/engine/resolver.ts).
// A typed value arrives as tagged JSON; a plain ISO text for a field that holds a time on the other
// side is read as that time, since people type times as text.
import { instantToIso, isoToInstant } from '../firestore/instants';
import type { MappingSdk } from '../firestore/mapping';
import { tagOf, type JsonObject, type JsonValue } from '../protocol/taggedValues';
import { remoteFields, stampOf } from './planner';
import type { VersionStamp } from './resolver';
import { fromJsonValue, toJsonObject, toJsonValue } from './taggedValues';
import type { MergePreview, MergePreviewField } from './types';

/** Plain JSON all the way down (what a message or a file carries), not an SDK value or a Date. */
function isJsonValue(value: unknown): value is JsonValue {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return true;
  if (typeof value === 'number') return Number.isFinite(value);
  if (Array.isArray(value)) return value.every(isJsonValue);
  if (typeof value !== 'object') return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return (prototype === Object.prototype || prototype === null) && Object.values(value).every(isJsonValue);
}

/** A typed merge value as tagged JSON: ISO text for a field that is a time on the other side becomes that time. */
export function editedJsonValue(value: JsonValue, sideValue: JsonValue | undefined): JsonValue {
  if (typeof value !== 'string' || sideValue === undefined || tagOf(sideValue) !== '$timestamp') return value;
  const instant = isoToInstant(value);
  if (instant) return { $timestamp: instantToIso(instant) };
  const millis = Date.parse(value);
  return Number.isNaN(millis) ? value : toJsonValue(new Date(millis));
}

/** `sideValue`: the field's value in the conflict (remote, else local), which tells a time field. */
export function mergeValue(value: unknown, sideValue: unknown, sdk: MappingSdk, field: string): unknown {
  if (!isJsonValue(value)) return value;
  return fromJsonValue(editedJsonValue(value, sideValue === undefined ? undefined : toJsonValue(sideValue)), sdk, field);
}

/** The choices of a merge: a side per field (fields not named take the remote), and typed values, which win. */
export interface MergeChoices<V> {
  readonly choices: Readonly<Record<string, 'local' | 'remote'>>;
  readonly values?: Readonly<Record<string, V>>;
}

/** How one value domain (SDK values for the write, tagged JSON for the preview) reads and makes values. */
export interface MergeValueKind<V> {
  stamp(document: Readonly<Record<string, V>>): VersionStamp;
  time(millis: number): V;
  number(value: number): V;
  /** A typed value as the document value written; `sideValue` tells a time field. */
  edited(field: string, value: V, sideValue: V | undefined): V;
  readonly missing: V;
}

export interface MergedDocument<V> {
  readonly document: Record<string, V>;
  /** Where each written field comes from; fields absent here are the remote's, equal on both sides or not chosen. */
  readonly from: Readonly<Record<string, MergePreviewField['from']>>;
  readonly updatedAt: number;
  readonly version: number | null;
}

/** The document a merge writes to both sides; `mergedAt` is the time of the merge (ms). */
export function mergeDocument<V>(
  sides: { readonly local: Readonly<Record<string, V>>; readonly remote: Readonly<Record<string, V>> },
  picks: MergeChoices<V>,
  mergedAt: number,
  kind: MergeValueKind<V>,
): MergedDocument<V> {
  const document: Record<string, V> = { ...sides.remote };
  delete document[remoteFields.deletedAt];
  const from: Record<string, MergePreviewField['from']> = {};
  for (const [field, side] of Object.entries(picks.choices)) {
    from[field] = side;
    if (side === 'local') document[field] = sides.local[field] ?? kind.missing;
  }
  for (const [field, value] of Object.entries(picks.values ?? {})) {
    document[field] = kind.edited(field, value, sides.remote[field] ?? sides.local[field]);
    from[field] = 'edit';
  }
  const local = kind.stamp(sides.local);
  const remote = kind.stamp(sides.remote);
  const updatedAt = Math.max(local.updatedAt ?? 0, remote.updatedAt ?? 0, mergedAt);
  document[remoteFields.updatedAt] = kind.time(updatedAt);
  from[remoteFields.updatedAt] = 'stamp';
  let version: number | null = null;
  if (local.version !== null || remote.version !== null) {
    version = Math.max(local.version ?? 0, remote.version ?? 0) + 1;
    document[remoteFields.version] = kind.number(version);
    from[remoteFields.version] = 'stamp';
  }
  return { document, from, updatedAt, version };
}

/** The write's values: the SDK's (updatedAt a Date, which the SDK stores as a Timestamp). */
export function sdkValues(sdk: MappingSdk): MergeValueKind<unknown> {
  return {
    stamp: (document) => stampOf(document),
    time: (millis) => new Date(millis),
    number: (value) => value,
    edited: (field, value, sideValue) => mergeValue(value, sideValue, sdk, field),
    missing: null,
  };
}

/** The preview's values: tagged JSON, as the sync worker maps a conflict for the webviews. */
export const jsonValues: MergeValueKind<JsonValue> = {
  stamp: (document) => stampOf(Object.fromEntries(Object.entries(document).map(([field, value]) => [field, timestampText(value) ?? value]))),
  time: (millis) => toJsonValue(new Date(millis)),
  number: (value) => value,
  edited: (_field, value, sideValue) => editedJsonValue(value, sideValue),
  missing: null,
};

function timestampText(value: JsonValue): string | null {
  return tagOf(value) === '$timestamp' ? String((value as { $timestamp: JsonValue }).$timestamp) : null;
}

/** "the latest of local 09:00, remote 09:30 and the time of the merge": why the stamp is what it is. */
export function stampReason(merged: MergedDocument<unknown>, mergedAt: number): string {
  const version = merged.version === null ? '' : `, and version to ${merged.version} (the higher of both sides + 1)`;
  const time = merged.updatedAt === mergedAt ? `the time of the merge, ${new Date(mergedAt).toISOString()}` : `${new Date(merged.updatedAt).toISOString()}, the later side (newer than the time of the merge)`;
  return `updatedAt and version are set so this merge wins over both sides: updatedAt to ${time}${version}.`;
}

/** A conflict as the webviews get it (tagged JSON), with the fields that differ. */
export interface MergeableConflict {
  readonly key: string;
  readonly local: JsonObject;
  readonly remote: JsonObject;
  readonly differences: readonly { readonly field: string }[];
}

/** The merge preview of one conflict: the fields that differ, then updatedAt and version, as written. */
export function previewMerge(conflict: MergeableConflict, picks: MergeChoices<JsonValue>, mergedAt: number): MergePreview {
  const merged = mergeDocument(conflict, picks, mergedAt, jsonValues);
  const shown = [...conflict.differences.map((difference) => difference.field).filter((field) => merged.from[field] !== 'stamp'), ...Object.keys(merged.from).filter((field) => merged.from[field] === 'stamp')];
  const fields: MergePreviewField[] = [...new Set(shown)].map((field) => ({ field, value: merged.document[field] ?? null, from: merged.from[field] ?? 'remote' }));
  return { key: conflict.key, mergedAt, fields, document: merged.document, stampReason: stampReason(merged, mergedAt) };
}

/** Whether two tagged JSON values are the same (object key order aside). */
export function sameJson(left: JsonValue | undefined, right: JsonValue | undefined): boolean {
  if (left === right) return true;
  if (left === null || right === null || typeof left !== 'object' || typeof right !== 'object') return false;
  if (Array.isArray(left) || Array.isArray(right)) return Array.isArray(left) && Array.isArray(right) && left.length === right.length && left.every((item, index) => sameJson(item, right[index]));
  const keys = Object.keys(left);
  return keys.length === Object.keys(right).length && keys.every((key) => Object.hasOwn(right, key) && sameJson(left[key], right[key]));
}

/** The document as the preview shows it, from the engine's values (for checking a preview still holds). */
export function asPreviewed(sides: { readonly local: Readonly<Record<string, unknown>>; readonly remote: Readonly<Record<string, unknown>> }): { local: JsonObject; remote: JsonObject } {
  return { local: toJsonObject(sides.local), remote: toJsonObject(sides.remote) };
}
