// A pending batch of the Firestore Android SDK (a `mutations.mutations` BLOB) decoded into what a
// person needs to see of each write: its kind, precondition, document path, field mask, transforms
// and field values as plain JSON (timestamps as ISO text, bytes as base64, references as paths).
import { writeBatchType, writeType } from './protos';

export type SdkWriteKind = 'set' | 'update' | 'delete' | 'transform' | 'verify';

export interface SdkWrite {
  kind: SdkWriteKind;
  /** Full resource name: projects/{p}/databases/{d}/documents/{path}. */
  name: string;
  /** The document path inside the database (`posts/abc`, `users/u1/notes/n2`). */
  path: string;
  /** Null for a delete, a verify and a transform-only write. */
  fields: Record<string, unknown> | null;
  /** The update's field mask: only these fields change (others stay); null for a set. */
  fieldMask: string[] | null;
  /** `likes: increment 1`, `updatedAt: server time`, ... */
  transforms: string[];
  /** `exists`, `missing`, `updated at <ISO>`, or null (none). */
  precondition: string | null;
}

export interface SdkWriteBatch {
  batchId: number;
  /** The local time the app made the write, ms since the epoch. */
  localWriteTime: number | null;
  writes: SdkWrite[];
  /** Base writes are applied locally only and never sent: counted, not shown as operations. */
  baseWriteCount: number;
}

export interface DecodedTimestamp { seconds?: string; nanos?: number }
export interface DecodedValue {
  value_type?: string;
  null_value?: string;
  boolean_value?: boolean;
  integer_value?: string;
  double_value?: number;
  timestamp_value?: DecodedTimestamp;
  string_value?: string;
  bytes_value?: string;
  reference_value?: string;
  geo_point_value?: { latitude?: number; longitude?: number };
  array_value?: { values?: DecodedValue[] };
  map_value?: { fields?: Record<string, DecodedValue> };
}
interface DecodedFieldTransform {
  field_path?: string;
  transform_type?: string;
  set_to_server_value?: string;
  increment?: DecodedValue;
  maximum?: DecodedValue;
  minimum?: DecodedValue;
  append_missing_elements?: { values?: DecodedValue[] };
  remove_all_from_array?: { values?: DecodedValue[] };
}
interface DecodedWrite {
  operation?: 'update' | 'delete' | 'verify' | 'transform';
  update?: { name?: string; fields?: Record<string, DecodedValue> };
  delete?: string;
  verify?: string;
  transform?: { document?: string; field_transforms?: DecodedFieldTransform[] };
  update_mask?: { field_paths?: string[] };
  update_transforms?: DecodedFieldTransform[];
  current_document?: { condition_type?: 'exists' | 'update_time'; exists?: boolean; update_time?: DecodedTimestamp };
}
interface DecodedBatch {
  batch_id?: number;
  writes?: DecodedWrite[];
  local_write_time?: DecodedTimestamp;
  base_writes?: DecodedWrite[];
}

/** How every decoded message becomes plain data: int64 as exact text, enums by name, bytes as base64, the oneof's case named. */
export const toObjectOptions = { longs: String, enums: String, bytes: String, oneofs: true } as const;

/** Throws protobufjs's error for bytes that are not a WriteBatch. */
export function decodeWriteBatch(bytes: Uint8Array): SdkWriteBatch {
  const type = writeBatchType();
  const batch = type.toObject(type.decode(bytes), toObjectOptions) as DecodedBatch;
  return {
    batchId: batch.batch_id ?? 0,
    localWriteTime: timestampMillis(batch.local_write_time),
    writes: (batch.writes ?? []).map(toWrite),
    baseWriteCount: batch.base_writes?.length ?? 0,
  };
}

/** One google.firestore.v1.Write (a document overlay); throws protobufjs's error for other bytes. */
export function decodeWrite(bytes: Uint8Array): SdkWrite {
  const type = writeType();
  return toWrite(type.toObject(type.decode(bytes), toObjectOptions) as DecodedWrite);
}

function toWrite(write: DecodedWrite): SdkWrite {
  const transforms = [...(write.update_transforms ?? []), ...(write.transform?.field_transforms ?? [])].map(describeTransform);
  const name = write.update?.name ?? write.delete ?? write.verify ?? write.transform?.document ?? '';
  const kind: SdkWriteKind =
    write.operation === 'update' ? (write.update_mask ? 'update' : 'set') : (write.operation ?? 'verify');
  return {
    kind,
    name,
    path: documentPath(name),
    fields: write.update ? fieldsToJson(write.update.fields ?? {}) : null,
    fieldMask: write.update_mask ? [...(write.update_mask.field_paths ?? [])] : null,
    transforms,
    precondition: describePrecondition(write.current_document),
  };
}

/** `projects/p/databases/d/documents/posts/a` -> `posts/a`. */
export function documentPath(name: string): string {
  const marker = '/documents/';
  const at = name.indexOf(marker);
  return at < 0 ? name : name.slice(at + marker.length);
}

function describePrecondition(condition: DecodedWrite['current_document']): string | null {
  if (!condition?.condition_type) return null;
  if (condition.condition_type === 'exists') return condition.exists ? 'exists' : 'missing';
  const at = timestampMillis(condition.update_time);
  return `updated at ${at === null ? '?' : new Date(at).toISOString()}`;
}

function describeTransform(transform: DecodedFieldTransform): string {
  const field = transform.field_path ?? '?';
  switch (transform.transform_type) {
    case 'set_to_server_value':
      return `${field}: server time`;
    case 'increment':
      return `${field}: increment ${JSON.stringify(valueToJson(transform.increment ?? {}))}`;
    case 'maximum':
      return `${field}: maximum ${JSON.stringify(valueToJson(transform.maximum ?? {}))}`;
    case 'minimum':
      return `${field}: minimum ${JSON.stringify(valueToJson(transform.minimum ?? {}))}`;
    case 'append_missing_elements':
      return `${field}: arrayUnion ${JSON.stringify((transform.append_missing_elements?.values ?? []).map(valueToJson))}`;
    case 'remove_all_from_array':
      return `${field}: arrayRemove ${JSON.stringify((transform.remove_all_from_array?.values ?? []).map(valueToJson))}`;
    default:
      return `${field}: unknown transform`;
  }
}

export function fieldsToJson(fields: Record<string, DecodedValue>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(fields).map(([name, value]) => [name, valueToJson(value)]));
}

/** A Firestore value as JSON: int64 beyond 2^53 stays exact as text. */
export function valueToJson(value: DecodedValue): unknown {
  switch (value.value_type) {
    case 'boolean_value':
      return value.boolean_value ?? false;
    case 'integer_value': {
      const text = value.integer_value ?? '0';
      const number = Number(text);
      return Number.isSafeInteger(number) ? number : text;
    }
    case 'double_value':
      return value.double_value ?? 0;
    case 'timestamp_value': {
      const at = timestampMillis(value.timestamp_value);
      return at === null ? null : new Date(at).toISOString();
    }
    case 'string_value':
      return value.string_value ?? '';
    case 'bytes_value':
      return value.bytes_value ?? '';
    case 'reference_value':
      return documentPath(value.reference_value ?? '');
    case 'geo_point_value':
      return { latitude: value.geo_point_value?.latitude ?? 0, longitude: value.geo_point_value?.longitude ?? 0 };
    case 'array_value':
      return (value.array_value?.values ?? []).map(valueToJson);
    case 'map_value':
      return fieldsToJson(value.map_value?.fields ?? {});
    default:
      return null;
  }
}

export function timestampMillis(timestamp: DecodedTimestamp | undefined): number | null {
  if (!timestamp) return null;
  return Number(timestamp.seconds ?? 0) * 1000 + Math.floor((timestamp.nanos ?? 0) / 1_000_000);
}
