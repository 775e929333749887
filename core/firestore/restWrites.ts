// The body of a Firestore REST `documents:commit`, built straight from the engine's documents.
// Firestore Lite's WriteBatch.set(…, {merge: true}) parses every value into its own model, builds a
// mutation and serialises that (about a third of a second of CPU per 10,000 writes, with its
// garbage); this writes the same JSON in one pass. "The same" is exact: tests/unit/firestore/restCommit.test.ts
// captures the body Lite sends and compares. Each rule below is Lite's (firebase 12.19,
// @firebase/firestore lite: parseSetData, parseData, parseScalarValue, toNumber, toTimestamp,
// FieldMask, FieldPath.canonicalString), so a change of the SDK shows in that test.
import { CodedError } from '../errors';
import type { FirestoreSdk } from './client';
import { documentPathOf } from './restRequests';

/**
 * One write of a commit: its document's resource name (for messages) and the write's JSON text, as
 * JSON.stringify would give the object Lite serialises. Written as text directly: building the
 * value objects and stringifying them cost twice as much CPU as the emulator could spare.
 */
export interface EncodedWrite {
  readonly name: string;
  readonly json: string;
}

/** The SDK classes a document may hold (the engine's documents are built with them, reads return them). */
export type WriteValueClasses = Pick<FirestoreSdk, 'Timestamp' | 'Bytes' | 'GeoPoint' | 'DocumentReference' | 'VectorValue' | 'FieldValue'>;

/** What Lite throws for data it cannot write: Firestore's 'invalid-argument', before anything is sent. */
export class InvalidWriteDataError extends CodedError<'invalid-argument'> {
  override readonly name = 'InvalidWriteDataError';
  constructor(reason: string, path: readonly string[], documentPath: string) {
    const where = path.length > 0 ? ` in field ${canonicalFieldPath(path)}` : '';
    super('invalid-argument', `Function WriteBatch.set() called with invalid data. ${reason} (found${where} in document ${documentPath})`);
  }
}

const simpleSegment = /^[_a-zA-Z][_a-zA-Z0-9]*$/;
const reservedSegment = /^__.*__$/;

/** `a.b`, or back-quoted segments where one is not a simple identifier: `` `x-y`.`a\`b` `` (as Lite). */
export function canonicalFieldPath(segments: readonly string[]): string {
  let text = '';
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    // A simple identifier holds no \ or `, so it needs no escaping (Lite escapes, then tests).
    text += (i > 0 ? '.' : '') + (simpleSegment.test(segment) ? segment : `\`${segment.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\``);
  }
  return text;
}

/** Firestore's order of field names: UTF-8 byte order, compared on UTF-16 code units as Lite does. */
function compareSegments(left: string, right: string): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const a = left.charCodeAt(i);
    const b = right.charCodeAt(i);
    if (a !== b) {
      const surrogateA = a >= 0xd800 && a <= 0xdfff;
      const surrogateB = b >= 0xd800 && b <= 0xdfff;
      return surrogateA === surrogateB ? a - b : surrogateA ? 1 : -1;
    }
  }
  return left.length - right.length;
}

/** Lite's FieldPath comparator; `__id…__` segments, which it orders first, cannot be written (reserved). */
function compareFieldPaths(left: readonly string[], right: readonly string[]): number {
  const length = Math.min(left.length, right.length);
  for (let i = 0; i < length; i++) {
    const difference = compareSegments(left[i]!, right[i]!);
    if (difference !== 0) return difference;
  }
  return left.length - right.length;
}

/** Lite's toTimestamp with its microsecond truncation: `2026-01-02T03:04:05.123456000Z`. */
export function restTimestamp(seconds: number, nanoseconds: number): string {
  const micros = Math.floor(nanoseconds / 1000) * 1000;
  return `${isoUntilSeconds(seconds)}.${('000000000' + micros).slice(-9)}Z`;
}

const minFourDigitSeconds = -62_135_596_800; // 0001-01-01T00:00:00Z
const maxFourDigitSeconds = 253_402_300_799; // 9999-12-31T23:59:59Z
const twoDigits = (value: number): string => (value < 10 ? `0${value}` : `${value}`);

/** The last day isoUntilSeconds wrote: a replay's times mostly fall on few days (its queue's). */
let rememberedDay = NaN;
let rememberedDayText = '';

/**
 * `new Date(seconds * 1000).toISOString()` without its `.sssZ`, as Lite builds it. Years 1-9999 (all
 * a Timestamp can hold) are computed directly, which is several times cheaper than a Date per value
 * (days to civil date, as in H. Hinnant's chrono algorithms); other years go through Date.
 */
function isoUntilSeconds(seconds: number): string {
  if (!Number.isInteger(seconds) || seconds < minFourDigitSeconds || seconds > maxFourDigitSeconds) {
    return new Date(seconds * 1000).toISOString().slice(0, -5); // toISOString always ends in `.sssZ`
  }
  const days = Math.floor(seconds / 86_400);
  const secondOfDay = seconds - days * 86_400;
  if (days !== rememberedDay) {
    rememberedDayText = civilDate(days);
    rememberedDay = days;
  }
  const hours = Math.floor(secondOfDay / 3600);
  const minutes = Math.floor((secondOfDay - hours * 3600) / 60);
  return `${rememberedDayText}T${twoDigits(hours)}:${twoDigits(minutes)}:${twoDigits(secondOfDay % 60)}`;
}

/** `YYYY-MM-DD` of a day count since 1970-01-01, years 1-9999. */
function civilDate(days: number): string {
  const shifted = days + 719_468;
  const era = Math.floor(shifted / 146_097);
  const dayOfEra = shifted - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const monthIndex = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * monthIndex + 2) / 5) + 1;
  const month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${twoDigits(month)}-${twoDigits(day)}`;
}

/** Timestamp.fromMillis's arithmetic, then restTimestamp. */
export function restTimestampOfMillis(millis: number): string {
  const seconds = Math.floor(millis / 1000);
  return restTimestamp(seconds, Math.floor((millis - seconds * 1000) * 1_000_000));
}

/**
 * Lite's toNumber: integerValue for a safe integer other than -0, else a double; NaN and ±Infinity
 * as text. A finite double's JSON is String(value), as JSON.stringify writes it.
 */
function numberJson(value: number): string {
  if (Number.isSafeInteger(value) && !Object.is(value, -0)) return `{"integerValue":"${value}"}`;
  return `{"doubleValue":${doubleJson(value)}}`;
}

/** Lite's toDouble: NaN, ±Infinity and -0 as text, other doubles as numbers. */
function doubleJson(value: number): string {
  if (Number.isNaN(value)) return '"NaN"';
  if (value === Infinity) return '"Infinity"';
  if (value === -Infinity) return '"-Infinity"';
  return Object.is(value, -0) ? '"-0"' : String(value);
}

/** The compat SDK's wrappers hand over their modular value (Lite's getModularInstance). */
function unwrapped(value: object): unknown {
  const delegate = (value as { _delegate?: unknown })._delegate;
  return delegate ? delegate : value;
}

function isPlainObject(value: object): boolean {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** A top-level field name's two texts: `"name":` before its value, and its mask entry (`"name"`, `"\`a-b\`"`). */
interface FieldNameTexts {
  readonly key: string;
  readonly mask: string;
}

/** Documents of one queue repeat their field names: each one's texts are kept, up to this many. */
const maxRememberedFieldNames = 1000;

/** Merge writes: a map's fields and field mask (every leaf path; an empty nested map is a leaf, as Lite's merge). */
export class RestWriteEncoder {
  private readonly databaseId: { projectId: string; database: string };
  private readonly classes: WriteValueClasses;
  /** Top-level field names seen, all of them valid (checked before they are remembered; the engine names the transforms'). */
  private readonly fieldNameTexts = new Map<string, FieldNameTexts>();
  /** The last mask of top-level fields only: its keys in the order the document gave them, and its JSON. */
  private previousFlatMask: { keys: readonly string[]; json: string } | null = null;

  constructor(
    classes: WriteValueClasses,
    /** `projects/<p>/databases/<d>/documents` */
    readonly documentsRoot: string,
  ) {
    // Copied out of the SDK's module namespace: each of its exports is a getter there (CommonJS and
    // esbuild's bundle alike), which cost ~30 ms per 10,000 documents in the instanceof checks.
    const { Timestamp, Bytes, GeoPoint, DocumentReference, VectorValue, FieldValue } = classes;
    this.classes = { Timestamp, Bytes, GeoPoint, DocumentReference, VectorValue, FieldValue };
    const [, projectId = '', , database = ''] = documentsRoot.split('/');
    this.databaseId = { projectId, database };
  }

  /** The resource name of `collection`/`id`, validated as Lite's doc(): no `//`, empty segments dropped, an even count. */
  documentName(collection: string, id: string): { name: string; path: string } {
    const path = documentPathOf(collection, id);
    if (path !== null) return { name: `${this.documentsRoot}/${path}`, path };
    // Lite's doc() messages for a path that names no document.
    for (const part of [collection, id]) {
      if (part.includes('//')) throw new CodedError('invalid-argument', `Invalid segment (${part}). Paths must not contain // in them.`);
    }
    if (collection === '') throw new CodedError('invalid-argument', 'Function doc() cannot be called with an empty path.');
    const segments = `${collection}/${id}`.split('/').filter((segment) => segment !== '');
    throw new CodedError('invalid-argument', `Invalid document reference. Document references must have an even number of segments, but ${segments.join('/')} has ${segments.length}.`);
  }

  /**
   * set(data, {merge: true}) of `collection`/`id`. `serverTimestamps` are top-level fields set to
   * the server's time, as serverTimestamp() in the data would (the soft delete's deletedAt).
   */
  mergeSet(collection: string, id: string, data: Record<string, unknown>, serverTimestamps: readonly string[] = []): EncodedWrite {
    const { name, path } = this.documentName(collection, id);
    const top = unwrapped(data as object);
    // Arrays and SDK values are never plain objects (their prototypes are their classes').
    if (typeof top !== 'object' || top === null || !isPlainObject(top)) {
      throw new InvalidWriteDataError('Data must be an object, but it was: a custom object', [], path);
    }
    // The text is pushed in pieces and joined once: concatenating builds a rope of thousands of
    // pieces per batch, which cost more to flatten and collect than the objects it replaced.
    const out: string[] = ['{"update":{"name":', JSON.stringify(name), ',"fields":'];
    const mask: string[][] = [];
    this.mapFields(out, top as Record<string, unknown>, [], mask, path);
    out.push('},"updateMask":{"fieldPaths":[', this.maskJson(mask), ']}');
    if (serverTimestamps.length > 0) {
      out.push(',"updateTransforms":[');
      for (let i = 0; i < serverTimestamps.length; i++) {
        out.push(i > 0 ? ',{"fieldPath":' : '{"fieldPath":', this.fieldName(serverTimestamps[i]!).mask, ',"setToServerValue":"REQUEST_TIME"}');
      }
      out.push(']');
    }
    out.push('}');
    return { name, json: out.join('') };
  }

  /**
   * The sorted mask's JSON. A queue's documents mostly have the same top-level fields in the same
   * order: then the mask is the previous one's, unsorted and unwritten again.
   */
  private maskJson(mask: string[][]): string {
    const previous = this.previousFlatMask;
    if (previous !== null && previous.keys.length === mask.length) {
      let same = true;
      for (let i = 0; i < mask.length && same; i++) same = mask[i]!.length === 1 && mask[i]![0] === previous.keys[i];
      if (same) return previous.json;
    }
    let keys: string[] | null = [];
    for (const fieldPath of mask) {
      if (fieldPath.length !== 1) {
        keys = null;
        break;
      }
      keys.push(fieldPath[0]!);
    }
    mask.sort(compareFieldPaths);
    let json = '';
    for (let i = 0; i < mask.length; i++) {
      const fieldPath = mask[i]!;
      json += (i > 0 ? ',' : '') + (fieldPath.length === 1 ? this.fieldName(fieldPath[0]!).mask : JSON.stringify(canonicalFieldPath(fieldPath)));
    }
    if (keys !== null) this.previousFlatMask = { keys, json };
    return json;
  }

  private fieldName(key: string): FieldNameTexts {
    const known = this.fieldNameTexts.get(key);
    if (known !== undefined) return known;
    const texts = { key: `${JSON.stringify(key)}:`, mask: JSON.stringify(canonicalFieldPath([key])) };
    if (this.fieldNameTexts.size < maxRememberedFieldNames) this.fieldNameTexts.set(key, texts);
    return texts;
  }

  /** A map's `{…}` JSON. `fieldPath` is null inside arrays, where Lite keeps no mask paths. */
  private mapFields(out: string[], map: Record<string, unknown>, fieldPath: string[] | null, mask: string[][], documentPath: string): void {
    out.push('{');
    let empty = true;
    let written = false;
    for (const key in map) {
      if (!Object.prototype.hasOwnProperty.call(map, key)) continue;
      empty = false;
      const childPath = fieldPath === null ? null : fieldPath.length === 0 ? [key] : [...fieldPath, key];
      // A remembered top-level name passed these checks before.
      const known = fieldPath !== null && fieldPath.length === 0 ? this.fieldNameTexts.get(key) : undefined;
      if (known === undefined) {
        if (key.length === 0) throw new InvalidWriteDataError('Document fields must not be empty', childPath ?? [], documentPath);
        if (reservedSegment.test(key)) throw new InvalidWriteDataError('Document fields cannot begin and end with "__"', childPath ?? [], documentPath);
      }
      const raw = map[key];
      if (raw === undefined) continue; // left out: ignoreUndefinedProperties is on
      // The same text as JSON.stringify of an object built in this order: for-in and the object's
      // own key order agree (integer-like keys first, ascending, then in insertion order).
      if (written) out.push(',');
      out.push(known !== undefined ? known.key : fieldPath !== null && fieldPath.length === 0 ? this.fieldName(key).key : `${JSON.stringify(key)}:`);
      this.value(out, raw, childPath, mask, documentPath, false);
      written = true;
    }
    if (empty && fieldPath !== null && fieldPath.length > 0) mask.push(fieldPath);
    out.push('}');
  }

  /** Lite's parseData of a value other than undefined (an array's undefined is null), as JSON. */
  private value(out: string[], raw: unknown, fieldPath: string[] | null, mask: string[][], documentPath: string, inArray: boolean): void {
    switch (typeof raw) {
      case 'string':
        if (fieldPath) mask.push(fieldPath);
        out.push('{"stringValue":', JSON.stringify(raw), '}');
        return;
      case 'number':
        if (fieldPath) mask.push(fieldPath);
        out.push(numberJson(raw));
        return;
      case 'boolean':
        if (fieldPath) mask.push(fieldPath);
        out.push(raw ? '{"booleanValue":true}' : '{"booleanValue":false}');
        return;
      case 'object':
        break;
      default:
        throw new InvalidWriteDataError(`Unsupported field value: ${typeof raw === 'function' ? 'a function' : typeof raw}`, fieldPath ?? [], documentPath);
    }
    if (raw === null) {
      if (fieldPath) mask.push(fieldPath);
      out.push('{"nullValue":"NULL_VALUE"}');
      return;
    }
    // The engine's time fields are Timestamps: the commonest object goes first.
    if (raw instanceof this.classes.Timestamp) {
      if (fieldPath) mask.push(fieldPath);
      out.push('{"timestampValue":"', restTimestamp(raw.seconds, raw.nanoseconds), '"}');
      return;
    }
    const value = unwrapped(raw);
    if (value !== raw) return this.value(out, value, fieldPath, mask, documentPath, inArray);
    // A plain object is never an SDK class's instance: the common case skips the instanceof checks.
    if (isPlainObject(value) || (!Array.isArray(value) && !(value instanceof Date) && !this.isSdkValue(value))) {
      if (!isPlainObject(value)) throw new InvalidWriteDataError('Unsupported field value: a custom object', fieldPath ?? [], documentPath);
      out.push('{"mapValue":{"fields":');
      this.mapFields(out, value as Record<string, unknown>, fieldPath, mask, documentPath);
      out.push('}}');
      return;
    }
    if (value instanceof this.classes.FieldValue) {
      throw new InvalidWriteDataError('Unsupported field value: a FieldValue sentinel (SyncLens sends only serverTimestamp, as the soft delete)', fieldPath ?? [], documentPath);
    }
    if (fieldPath) mask.push(fieldPath);
    if (Array.isArray(value)) {
      if (inArray) throw new InvalidWriteDataError('Nested arrays are not supported', [], documentPath);
      out.push('{"arrayValue":{"values":[');
      let first = true;
      for (const entry of value as unknown[]) {
        if (!first) out.push(',');
        if (entry === undefined) out.push('{"nullValue":"NULL_VALUE"}');
        else this.value(out, entry, null, mask, documentPath, true);
        first = false;
      }
      out.push(']}}');
      return;
    }
    out.push(this.scalar(value, fieldPath, documentPath));
  }

  private isSdkValue(value: object): boolean {
    const { Timestamp, Bytes, GeoPoint, DocumentReference, VectorValue, FieldValue } = this.classes;
    return (
      value instanceof Timestamp ||
      value instanceof Bytes ||
      value instanceof GeoPoint ||
      value instanceof DocumentReference ||
      value instanceof VectorValue ||
      value instanceof FieldValue
    );
  }

  private scalar(value: object, fieldPath: string[] | null, documentPath: string): string {
    const { Timestamp, Bytes, GeoPoint, DocumentReference, VectorValue } = this.classes;
    if (value instanceof Timestamp) return `{"timestampValue":"${restTimestamp(value.seconds, value.nanoseconds)}"}`;
    if (value instanceof Bytes) return `{"bytesValue":${JSON.stringify(value.toBase64())}}`;
    if (value instanceof GeoPoint) return `{"geoPointValue":{"latitude":${JSON.stringify(value.latitude)},"longitude":${JSON.stringify(value.longitude)}}}`;
    if (value instanceof Date) {
      const millis = value.getTime();
      if (Number.isNaN(millis)) throw new InvalidWriteDataError('Unsupported field value: an Invalid Date', fieldPath ?? [], documentPath);
      const seconds = Math.floor(millis / 1000);
      // Timestamp.fromDate; restTimestamp's truncation to microseconds changes no whole millisecond.
      return `{"timestampValue":"${restTimestamp(seconds, Math.floor((millis - seconds * 1000) * 1_000_000))}"}`;
    }
    if (value instanceof DocumentReference) {
      const other = (value.firestore.toJSON() as { databaseId?: { projectId?: string; database?: string } }).databaseId;
      if (other?.projectId !== this.databaseId.projectId || other.database !== this.databaseId.database) {
        throw new InvalidWriteDataError(
          `Document reference is for database ${other?.projectId}/${other?.database} but should be for database ${this.databaseId.projectId}/${this.databaseId.database}`,
          fieldPath ?? [],
          documentPath,
        );
      }
      return `{"referenceValue":${JSON.stringify(`${this.documentsRoot}/${value.path}`)}}`;
    }
    if (value instanceof VectorValue) {
      const values = value.toArray().map((entry) => `{"doubleValue":${doubleJson(entry)}}`).join(',');
      return `{"mapValue":{"fields":{"__type__":{"stringValue":"__vector__"},"value":{"arrayValue":{"values":[${values}]}}}}}`;
    }
    throw new InvalidWriteDataError('Unsupported field value: a custom object', fieldPath ?? [], documentPath);
  }
}
