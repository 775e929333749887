// Firestore's REST `Value` as a server answers it, and its reading into the values Firestore Lite's
// `DocumentSnapshot.data()` returns, so a document the engine reads over REST (restBatchGet.ts) is the
// same as one Lite would have read: tests/firestore/engine/restReads.test.ts reads the same documents
// both ways on the emulator and compares them. Each rule is Lite's (firebase 12.19, @firebase/firestore
// lite: AbstractUserDataWriter.convertValue, typeOrder, normalizeNumber, normalizeTimestamp).
import { CodedError } from '../errors';
import type { Firestore } from 'firebase/firestore/lite';
import type { FirestoreSdk } from './client';

/** Every field optional: it is what a server sent. What SyncLens sends is restWrites.ts's RestValue. */
export interface RestAnswerValue {
  nullValue?: unknown;
  booleanValue?: boolean;
  integerValue?: string | number;
  doubleValue?: number | string;
  timestampValue?: string;
  stringValue?: string;
  bytesValue?: string;
  referenceValue?: string;
  geoPointValue?: { latitude?: number | string; longitude?: number | string };
  arrayValue?: { values?: RestAnswerValue[] };
  mapValue?: { fields?: Record<string, RestAnswerValue> };
}

/** The SDK parts a read document is built with. */
export type ReadValueSdk = Pick<FirestoreSdk, 'Timestamp' | 'Bytes' | 'GeoPoint' | 'vector' | 'doc'>;

/** Lite's ISO_TIMESTAMP_REG_EXP: the server writes UTC with 0 to 9 fraction digits. */
const isoTimestamp = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(?:\.(\d+))?Z$/;
/** Keys of a map that Lite reads as something else (its typeOrder). */
const typeKey = '__type__';
const serverTimestampSentinel = 'server_timestamp';
const vectorSentinel = '__vector__';
const vectorValuesKey = 'value';

/** A value the server should not have sent: the read fails with where it was. */
export class MalformedAnswerError extends CodedError<'data-loss'> {
  override readonly name = 'MalformedAnswerError';
  constructor(reason: string, documentPath: string, fieldPath: readonly string[]) {
    super('data-loss', `Firestore answered ${documentPath} with ${reason}${fieldPath.length > 0 ? ` in field ${fieldPath.join('.')}` : ''}`);
  }
}

/** Reads REST documents into Lite's values; one per connection (references belong to its database). */
export class RestValueReader {
  private readonly sdk: ReadValueSdk;

  constructor(
    sdk: ReadValueSdk,
    private readonly db: Firestore,
  ) {
    // Taken out of the SDK's module namespace once: each export there is a getter (restWrites.ts).
    const { Timestamp, Bytes, GeoPoint, vector, doc } = sdk;
    this.sdk = { Timestamp, Bytes, GeoPoint, vector, doc };
  }

  /** `DocumentSnapshot.data()` of a document with these fields (`documentPath` names it in an error). */
  documentData(fields: Record<string, RestAnswerValue>, documentPath: string): Record<string, unknown> {
    return this.map(fields, documentPath, []);
  }

  private map(fields: Record<string, RestAnswerValue>, documentPath: string, at: string[]): Record<string, unknown> {
    const result: Record<string, unknown> = {};
    for (const key in fields) {
      if (!Object.prototype.hasOwnProperty.call(fields, key)) continue;
      const decoded = this.value(fields[key]!, documentPath, at, key);
      // A field named __proto__ (Firestore reserves __…__ names, but this is what a server sent) is
      // data: assignment would set the result's prototype.
      if (key === '__proto__') Object.defineProperty(result, key, { value: decoded, enumerable: true, writable: true, configurable: true });
      else result[key] = decoded;
    }
    return result;
  }

  private value(value: RestAnswerValue, documentPath: string, parent: string[], key: string | null): unknown {
    // The field's path is built only for an error or a container: no closure per value.
    if (value === null || typeof value !== 'object') throw new MalformedAnswerError('a value that is not an object', documentPath, fieldPathOf(parent, key));
    // A JSON value holds one member (the oneof); Lite tests them in this order.
    if ('nullValue' in value) return null;
    if ('booleanValue' in value) return value.booleanValue;
    if ('integerValue' in value || 'doubleValue' in value) return normalizeNumber(value.integerValue || value.doubleValue);
    if ('timestampValue' in value) return this.timestamp(value.timestampValue, documentPath, parent, key);
    if ('stringValue' in value) return value.stringValue;
    if ('bytesValue' in value) return this.sdk.Bytes.fromBase64String(String(value.bytesValue));
    if ('referenceValue' in value) return this.reference(String(value.referenceValue), documentPath, parent, key);
    if ('geoPointValue' in value) {
      const point = value.geoPointValue ?? {};
      return new this.sdk.GeoPoint(normalizeNumber(point.latitude), normalizeNumber(point.longitude));
    }
    if ('arrayValue' in value) {
      const at = fieldPathOf(parent, key);
      return (value.arrayValue?.values ?? []).map((item) => this.value(item, documentPath, at, null));
    }
    if ('mapValue' in value) {
      const fields = value.mapValue?.fields ?? {};
      const type = fields[typeKey]?.stringValue;
      // A pending serverTimestamp() only exists in a local cache; Lite reads it as null ('none').
      if (type === serverTimestampSentinel) return null;
      if (type === vectorSentinel) return this.sdk.vector((fields[vectorValuesKey]?.arrayValue?.values ?? []).map((item) => normalizeNumber(item.doubleValue)));
      return this.map(fields, documentPath, fieldPathOf(parent, key));
    }
    throw new MalformedAnswerError('a value of no type Firestore has', documentPath, fieldPathOf(parent, key));
  }

  /** Lite's normalizeTimestamp: the nanoseconds from the text (Date keeps only milliseconds). */
  private timestamp(text: unknown, documentPath: string, parent: string[], key: string | null): unknown {
    const match = typeof text === 'string' ? isoTimestamp.exec(text) : null;
    const millis = match ? new Date(text as string).getTime() : Number.NaN;
    if (!match || Number.isNaN(millis)) throw new MalformedAnswerError(`a timestamp that is not RFC 3339 UTC (${String(text)})`, documentPath, fieldPathOf(parent, key));
    const nanos = match[1] ? Number(`${match[1]}000000000`.slice(0, 9)) : 0;
    return new this.sdk.Timestamp(Math.floor(millis / 1000), nanos);
  }

  /** Lite's convertReference: `projects/<p>/databases/<d>/documents/<path>` read as a reference in this database. */
  private reference(name: string, documentPath: string, parent: string[], key: string | null): unknown {
    const segments = name.split('/');
    if (segments.length < 7 || segments[0] !== 'projects' || segments[2] !== 'databases' || segments[4] !== 'documents') {
      throw new MalformedAnswerError(`a reference that is not a document name (${name})`, documentPath, fieldPathOf(parent, key));
    }
    return this.sdk.doc(this.db, segments.slice(5).join('/'));
  }
}

/** The path of the field `key` of `parent` (an array's items have no key of their own). */
function fieldPathOf(parent: string[], key: string | null): string[] {
  return key === null ? parent : [...parent, key];
}

/** Lite's normalizeNumber: a JSON number as it is, a string (int64, "NaN", "Infinity") through Number, else 0. */
function normalizeNumber(value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return Number(value);
  return 0;
}
