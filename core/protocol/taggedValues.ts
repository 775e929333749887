// Document values as JSON, the one format the CLI's --json, the sync webviews and merge values
// sent back share: JSON values stand for themselves; values JSON has no literal for are one-key
// objects whose key starts with `$` (schemas/cli-output.schema.json "documentValue"), in the spirit
// of MongoDB's Extended JSON, so a timestamp is never mistaken for a string that looks like one.
// The encoder (SDK values -> tags) and decoder are core/engine/taggedValues.ts; this file holds the
// types and the rendering, which need nothing but plain JavaScript, so webviews import it.
// (Helper "host", webview/sync/**: render document values with taggedValueText, not JSON.stringify.)

export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** The tags a non-JSON value is written under. A map that would read as one is wrapped in `$map`. */
export const valueTags = ['$timestamp', '$bytes', '$number', '$integer', '$geopoint', '$reference', '$vector', '$map'] as const;

export type ValueTag = (typeof valueTags)[number];

export type TaggedValue =
  /** ISO-8601 UTC with 3 or 6 fraction digits (Firestore keeps microseconds). */
  | { $timestamp: string }
  /** base64 of Firestore Bytes or a SQLite BLOB. */
  | { $bytes: string }
  | { $number: 'NaN' | 'Infinity' | '-Infinity' }
  /** Decimal text of an integer beyond 2^53. */
  | { $integer: string }
  | { $geopoint: { latitude: number; longitude: number } }
  /** A document path. */
  | { $reference: string }
  | { $vector: JsonValue[] }
  | { $map: JsonObject };

const tagSet: ReadonlySet<string> = new Set(valueTags);

/** The tag of a one-key object named like one, or null for any other value. */
export function tagOf(value: JsonValue): ValueTag | null {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return null;
  const keys = Object.keys(value);
  return keys.length === 1 && tagSet.has(keys[0] as string) ? (keys[0] as ValueTag) : null;
}

/**
 * A value as text for people: JSON, except that tagged values read as what they are,
 * `Timestamp(2026-11-24T11:00:00.000Z)`, `Bytes(AP8Q)`, `GeoPoint(48.85, 2.35)`, and so on,
 * which no JSON string can be confused with. `indent` as JSON.stringify's.
 */
export function taggedValueText(value: JsonValue | undefined, indent = 0): string {
  if (value === undefined) return '';
  return render(value, indent, '');
}

/** `plain`: the object is a map even if it reads as a tag (the content of `$map`). */
function render(value: JsonValue, indent: number, margin: string, plain = false): string {
  const tagged = plain ? null : tagText(value, indent, margin);
  if (tagged !== null) return tagged;
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  const inner = margin + ' '.repeat(indent);
  const open = indent > 0 ? `\n${inner}` : '';
  const separator = indent > 0 ? `,\n${inner}` : ',';
  const close = indent > 0 ? `\n${margin}` : '';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    return `[${open}${value.map((item) => render(item, indent, inner)).join(separator)}${close}]`;
  }
  const entries = Object.entries(value);
  if (entries.length === 0) return '{}';
  const colon = indent > 0 ? ': ' : ':';
  return `{${open}${entries.map(([key, item]) => `${JSON.stringify(key)}${colon}${render(item, indent, inner)}`).join(separator)}${close}}`;
}

function tagText(value: JsonValue, indent: number, margin: string): string | null {
  const tag = tagOf(value);
  if (tag === null) return null;
  const content = (value as Record<string, JsonValue>)[tag] as JsonValue;
  switch (tag) {
    case '$timestamp':
      return `Timestamp(${String(content)})`;
    case '$bytes':
      return `Bytes(${String(content)})`;
    case '$number':
      return String(content);
    case '$integer':
      return String(content);
    case '$geopoint': {
      const point = content as { latitude?: JsonValue; longitude?: JsonValue };
      return `GeoPoint(${String(point.latitude)}, ${String(point.longitude)})`;
    }
    case '$reference':
      return `Reference(${String(content)})`;
    case '$vector':
      return `Vector(${render(content, 0, margin)})`;
    case '$map':
      return render(content, indent, margin, true);
  }
}
