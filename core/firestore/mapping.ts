// Local row / queued payload <-> Firestore document (DESIGN.md "Remote"). One collection per
// entity table; the external id (odid) is the document id, never a field; the local id and
// isSynced stay local. Timestamps in any column encoding become Firestore Timestamps exactly
// (microseconds survive both ways), JSON text columns become maps/arrays, 0/1 flags booleans.
// Sync metadata is stored under the names the app's toFirestore() uses (createdAt, updatedAt,
// version, isDeleted); other snake_case columns become camelCase fields, as Dart models name them.
// The value classes come in as a parameter, so this module never loads firebase by itself: the
// engine passes the SDK's, views that only show or compare documents pass plainValuesSdk.
import type { ColumnInfo, EntityTableRole, SqlValue, TimestampEncoding } from '../db/types';
import { instantOf, instantToColumnValue, instantToIso, isoToInstant, isTimestampLike, type PreciseInstant } from './instants';

/** A Firestore Timestamp as the mapping builds it. */
export interface TimestampValue {
  readonly seconds: number;
  readonly nanoseconds: number;
  toMillis(): number;
  toDate(): Date;
}

/** Firestore Bytes as the mapping builds them. */
export interface BytesValue {
  toUint8Array(): Uint8Array;
  toBase64(): string;
}

/**
 * The value classes documents are built with. The Timestamp and Bytes of `firebase/firestore` and
 * of `firebase/firestore/lite` satisfy it, and so does plainValuesSdk.
 */
export interface MappingSdk {
  readonly Timestamp: { new (seconds: number, nanoseconds: number): TimestampValue; fromMillis(millis: number): TimestampValue };
  readonly Bytes: { fromUint8Array(array: Uint8Array): BytesValue };
}

class PlainTimestamp implements TimestampValue {
  constructor(
    readonly seconds: number,
    readonly nanoseconds: number,
  ) {}

  static fromMillis(millis: number): PlainTimestamp {
    const seconds = Math.floor(millis / 1000);
    return new PlainTimestamp(seconds, Math.floor((millis - seconds * 1000) * 1_000_000));
  }

  toMillis(): number {
    return this.seconds * 1000 + this.nanoseconds / 1_000_000;
  }

  toDate(): Date {
    return new Date(this.toMillis());
  }
}

class PlainBytes implements BytesValue {
  private constructor(private readonly bytes: Uint8Array) {}

  static fromUint8Array(array: Uint8Array): PlainBytes {
    return new PlainBytes(Uint8Array.from(array));
  }

  toUint8Array(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }

  toBase64(): string {
    return Buffer.from(this.bytes).toString('base64');
  }
}

/**
 * Timestamp and Bytes without the Firebase SDK (arithmetic as the SDK's), for views that show or
 * compare documents but never send them: the sync worker's detail pane, Compare with Remote.
 */
export const plainValuesSdk: MappingSdk = { Timestamp: PlainTimestamp, Bytes: PlainBytes };

export type EntityRowValues = Record<string, SqlValue>;
export type DocumentData = Record<string, unknown>;

/** Fields the server manages (the soft delete's server timestamp): never part of an equality. */
export const serverManagedFields: readonly string[] = ['deletedAt'];
const serverManagedFieldSet: ReadonlySet<string> = new Set(serverManagedFields);

export interface EntityMapping {
  readonly role: EntityTableRole;
  /** The document field of a column; null for columns that stay local (local id, external id, isSynced). */
  fieldForColumn(column: string): string | null;
  /** The column a document field or payload key lands in (matched ignoring case and `_`), or null. */
  columnForField(field: string): string | null;
  rowToDocument(row: EntityRowValues): DocumentData;
  /** The queued payload (the app's JSON of the entity) as the document the engine writes. */
  payloadToDocument(payload: Record<string, unknown>): DocumentData;
  /** Column values for a remote document: external id = document id; local id and isSynced untouched. */
  documentToRow(documentId: string, data: DocumentData): EntityRowValues;
}

const canonicalFields = ['createdAt', 'updatedAt', 'version', 'isDeleted'] as const;
/** Columns named like `isActive`, `has_avatar` hold 0/1 flags that are booleans in a document. */
export const flagColumnName = /^(?:is|has)(?:[A-Z_]|$)/;

export function normalizeName(name: string): string {
  return name.toLowerCase().replace(/[^a-z0-9]/g, '');
}

/** `display_name` -> `displayName`; camelCase and other names are kept. */
export function camelCaseField(column: string): string {
  if (!column.includes('_') || column.startsWith('_')) return column;
  const [first = '', ...rest] = column.split('_').filter((part) => part !== '');
  return first + rest.map((part) => part.charAt(0).toUpperCase() + part.slice(1)).join('');
}

/** Where a payload key lands: its column and that column's field (undefined: the column stays local); null: no column. */
type PayloadKeyTarget = { readonly column: string; readonly field: string | undefined } | null;
const maxRememberedPayloadKeys = 1000;

export function createEntityMapping(role: EntityTableRole, tableColumns: readonly (ColumnInfo | string)[], sdk: MappingSdk): EntityMapping {
  const columns = tableColumns.map((column) => (typeof column === 'string' ? { name: column, type: '' } : column));
  const local = new Set([role.columns.localId, role.columns.externalId, role.columns.isSynced].filter((name): name is string => name !== null));
  const fieldOf = new Map<string, string>();
  for (const { name } of columns) {
    if (local.has(name)) continue;
    const part = canonicalFields.find((each) => role.columns[each] === name);
    fieldOf.set(name, part ?? camelCaseField(name));
  }
  // Payload keys and remote fields may be spelt either way: `updated_at`, `updatedAt`, `UpdatedAt`.
  const columnOf = new Map<string, string>();
  for (const { name } of columns) columnOf.set(normalizeName(name), name);
  for (const [name, field] of fieldOf) columnOf.set(normalizeName(field), name);

  const flags = new Set(
    columns
      .filter(({ name, type }) => name === role.columns.isDeleted || flagColumnName.test(name) || /BOOL/i.test(type))
      .map(({ name }) => name),
  );
  const json = new Set(role.jsonColumns);
  // Out of the SDK's module namespace once: its exports are getters (restWrites.ts says more).
  const { Timestamp, Bytes } = sdk;

  const toField = (column: string, value: unknown): unknown => {
    if (value === null || value === undefined) return null;
    const encoding = role.timestampEncodings[column];
    const instant = encoding ? instantOf(value, encoding) : null;
    // A value that is no instant Firestore can hold is sent as the value it is (below).
    if (instant) return new Timestamp(instant.seconds, instant.nanos);
    if (encoding && (typeof value === 'string' || typeof value === 'number')) return value;
    if (flags.has(column) && (value === 0 || value === 1 || value === 0n || value === 1n)) return Number(value) === 1;
    if (json.has(column) && typeof value === 'string') return parseJsonContainer(value) ?? value;
    if (value instanceof Uint8Array) return Bytes.fromUint8Array(value);
    if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
    return value;
  };

  // Every op of a queue spells its payload keys the same way: each spelling is resolved once
  // (normalizeName is a regex per call), up to a bound so odd payloads cannot grow it without end.
  const payloadKeyTargets = new Map<string, PayloadKeyTarget>();
  const payloadKeyTarget = (key: string): PayloadKeyTarget => {
    const known = payloadKeyTargets.get(key);
    if (known !== undefined) return known;
    const column = columnOf.get(normalizeName(key));
    const target = column === undefined ? null : { column, field: fieldOf.get(column) };
    if (payloadKeyTargets.size < maxRememberedPayloadKeys) payloadKeyTargets.set(key, target);
    return target;
  };

  return {
    role,
    fieldForColumn: (column) => fieldOf.get(column) ?? null,
    columnForField: (field) => columnOf.get(normalizeName(field)) ?? null,
    rowToDocument(row) {
      const document: DocumentData = {};
      for (const [column, value] of Object.entries(row)) {
        const field = fieldOf.get(column);
        if (field !== undefined) defineField(document, field, toField(column, value));
      }
      return document;
    },
    payloadToDocument(payload) {
      const document: DocumentData = {};
      // Keys, not entries: a plan or replay maps every queued payload, and the pairs were garbage.
      for (const key of Object.keys(payload)) {
        const value = payload[key];
        if (value === undefined) continue;
        const target = payloadKeyTarget(key);
        if (target === null) {
          // A field the table has no column for still belongs to the entity: send it as the app did.
          defineField(document, key, value);
          continue;
        }
        if (target.field !== undefined) defineField(document, target.field, toField(target.column, value));
      }
      return document;
    },
    documentToRow(documentId, data) {
      const row: EntityRowValues = { [role.columns.externalId]: documentId };
      for (const [field, value] of Object.entries(data)) {
        const column = columnOf.get(normalizeName(field));
        if (column === undefined || local.has(column)) continue;
        defineField(row, column, toColumnValue(value, role.timestampEncodings[column] ?? null));
      }
      return row;
    },
  };
}

/**
 * Sets a field as an own property. Assigned, a field named `__proto__` would set the object's
 * prototype (or be dropped, for a value that is not an object); as core/engine/taggedValues.ts does.
 */
function defineField(target: Record<string, unknown>, key: string, value: unknown): void {
  // Only `__proto__` is an accessor on Object.prototype; any other key assigned to a plain object
  // becomes an own property, and assignment is several times cheaper than defineProperty per field.
  if (key === '__proto__') Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  else target[key] = value;
}

/** A field's value only when the object has it: read from `{}`, `constructor` is Object and `__proto__` its prototype. */
function ownField(source: Record<string, unknown>, key: string): unknown {
  return Object.hasOwn(source, key) ? source[key] : undefined;
}

// ---- document -> column values -------------------------------------------------------------------

function isBytesLike(value: unknown): value is { toUint8Array(): Uint8Array } {
  return typeof value === 'object' && value !== null && typeof (value as { toUint8Array?: unknown }).toUint8Array === 'function';
}

function toColumnValue(value: unknown, encoding: TimestampEncoding | null): SqlValue {
  if (value === null || value === undefined) return null;
  if (encoding) {
    const instant = instantOf(value, encoding);
    return instant ? instantToColumnValue(instant, encoding) : typeof value === 'string' || typeof value === 'number' ? value : null;
  }
  if (typeof value === 'boolean') return value ? 1 : 0;
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint') return value;
  if (value instanceof Uint8Array) return value;
  if (isBytesLike(value)) return value.toUint8Array();
  if (isTimestampLike(value)) return instantToIso({ seconds: value.seconds, nanos: value.nanoseconds });
  if (value instanceof Date) return value.toISOString();
  // Maps and arrays: JSON text (an embedded object's column, or any other column as readable JSON).
  return JSON.stringify(toPlainJson(value));
}

/** Firestore values inside maps (Timestamps, Bytes, references) as JSON-friendly values. */
function toPlainJson(value: unknown): unknown {
  if (value === null || typeof value !== 'object') return value;
  if (isTimestampLike(value)) return instantToIso({ seconds: value.seconds, nanos: value.nanoseconds });
  if (value instanceof Date) return value.toISOString();
  if (isBytesLike(value)) return Buffer.from(value.toUint8Array()).toString('base64');
  if (Array.isArray(value)) return value.map(toPlainJson);
  const path = (value as { path?: unknown; firestore?: unknown }).firestore !== undefined ? (value as { path?: unknown }).path : undefined;
  if (typeof path === 'string') return path;
  return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([key, item]) => [key, toPlainJson(item)]));
}

function parseJsonContainer(text: string): unknown {
  const trimmed = text.trim();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(trimmed) as unknown;
  } catch {
    return undefined;
  }
}

// ---- equality ------------------------------------------------------------------------------------

export interface DocumentEqualityOptions {
  /** Fields left out of the comparison; default: the server-managed ones (deletedAt). */
  ignore?: readonly string[];
}

/**
 * Whether two documents hold the same data: Timestamps, Dates and ISO text compare by instant (to
 * the microsecond), Bytes by content, maps and arrays deeply. Used to tell "already applied".
 */
export function documentsEqual(a: DocumentData, b: DocumentData, options: DocumentEqualityOptions = {}): boolean {
  const ignore = new Set(options.ignore ?? serverManagedFields);
  const fields = new Set([...Object.keys(a), ...Object.keys(b)]);
  for (const field of fields) {
    if (ignore.has(field)) continue;
    if (!valuesEqual(ownField(a, field) ?? null, ownField(b, field) ?? null)) return false;
  }
  return true;
}

/** Whether every field of `expected` is in `actual` with an equal value: a set-merge of it would change nothing. */
export function documentContains(actual: DocumentData, expected: DocumentData, options: DocumentEqualityOptions = {}): boolean {
  // A plan asks this once or more per op: the default set is built once, the fields walked by key.
  const ignore = options.ignore ? new Set(options.ignore) : serverManagedFieldSet;
  for (const field of Object.keys(expected)) {
    if (!ignore.has(field) && !valuesEqual(ownField(actual, field) ?? null, expected[field] ?? null)) return false;
  }
  return true;
}

/** Fields whose values differ, sorted (for field-level diffs). */
export function differingFields(a: DocumentData, b: DocumentData, options: DocumentEqualityOptions = {}): string[] {
  const ignore = new Set(options.ignore ?? serverManagedFields);
  return [...new Set([...Object.keys(a), ...Object.keys(b)])]
    .filter((field) => !ignore.has(field) && !valuesEqual(ownField(a, field) ?? null, ownField(b, field) ?? null))
    .sort();
}

function instantOfAny(value: unknown): PreciseInstant | null {
  if (isTimestampLike(value)) return { seconds: value.seconds, nanos: value.nanoseconds };
  if (value instanceof Date) return instantOf(value, 'epoch-millis');
  if (typeof value === 'string') return isoToInstant(value);
  return null;
}

export function valuesEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (a === null || b === null || a === undefined || b === undefined) return false;
  const aIsTimestamp = isTimestampLike(a);
  const bIsTimestamp = isTimestampLike(b);
  // Two Timestamps (every plan compares each op's times with the remote's): no instants built.
  if (aIsTimestamp && bIsTimestamp) return a.seconds === b.seconds && Math.floor(a.nanoseconds / 1000) === Math.floor(b.nanoseconds / 1000);
  if (aIsTimestamp || bIsTimestamp || a instanceof Date || b instanceof Date) {
    const left = instantOfAny(a);
    const right = instantOfAny(b);
    // Firestore keeps microseconds: compare at that precision.
    return left !== null && right !== null && left.seconds === right.seconds && Math.floor(left.nanos / 1000) === Math.floor(right.nanos / 1000);
  }
  if (typeof a === 'number' || typeof a === 'bigint' || typeof b === 'number' || typeof b === 'bigint') {
    if ((typeof a === 'number' || typeof a === 'bigint') && (typeof b === 'number' || typeof b === 'bigint')) {
      return Number(a) === Number(b) || (Number.isNaN(Number(a)) && Number.isNaN(Number(b)));
    }
    return false;
  }
  if (isBytesLike(a) || isBytesLike(b) || a instanceof Uint8Array || b instanceof Uint8Array) {
    const left = a instanceof Uint8Array ? a : isBytesLike(a) ? a.toUint8Array() : null;
    const right = b instanceof Uint8Array ? b : isBytesLike(b) ? b.toUint8Array() : null;
    return left !== null && right !== null && left.length === right.length && left.every((byte, index) => byte === right[index]);
  }
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => valuesEqual(item, b[index]));
  }
  if (typeof a === 'object' && typeof b === 'object') {
    const left = a as Record<string, unknown>;
    const right = b as Record<string, unknown>;
    const keys = new Set([...Object.keys(left), ...Object.keys(right)]);
    for (const key of keys) if (!valuesEqual(ownField(left, key) ?? null, ownField(right, key) ?? null)) return false;
    return true;
  }
  return false;
}

/** Milliseconds of a Timestamp, Date or ISO text (for ordering; not for equality, which keeps micros). */
export function millisOf(value: unknown): number | null {
  const instant = instantOfAny(value);
  return instant ? instant.seconds * 1000 + Math.floor(instant.nanos / 1_000_000) : null;
}
