// Local row / queued payload -> a document without the Firestore SDK, for views that diff a
// payload against its row (times as Dates, JSON text as maps, 0/1 flags as booleans). What the
// engine writes and compares is core/firestore/mapping's, which needs the SDK's value classes.
import { timestampToMillis } from '../db/timestamps';
import type { EntityTableRole, SqlValue } from '../db/types';
import { flagColumnName, normalizeName } from '../firestore/mapping';
import { timeValueToMillis } from './documentValues';
import type { EntityRow } from './localStore';
import { remoteFields } from './planner';

function isExcluded(column: string, role: EntityTableRole): boolean {
  return column === role.columns.localId || column === role.columns.externalId || column === role.columns.isSynced;
}

function isFlagColumn(column: string, role: EntityTableRole): boolean {
  return column === role.columns.isDeleted || flagColumnName.test(column);
}

export function rowToDocument(row: EntityRow, role: EntityTableRole): Record<string, unknown> {
  const document: Record<string, unknown> = {};
  for (const [column, value] of Object.entries(row)) {
    if (isExcluded(column, role)) continue;
    document[fieldNameForColumn(column, role)] = columnValueToField(value, column, role);
  }
  return document;
}

function columnValueToField(value: SqlValue, column: string, role: EntityTableRole): unknown {
  const encoding = role.timestampEncodings[column];
  if (encoding && value !== null) {
    const millis = timestampToMillis(value, encoding);
    return millis === null ? value : new Date(millis);
  }
  return typeof value === 'bigint' ? Number(value) : flagOrJsonToField(value, column, role);
}

/**
 * The queued payload as a document. Payload keys are matched to columns ignoring case and `_`
 * (apps serialise camelCase over snake_case tables); keys with no column are sent as they are.
 */
export function payloadToDocument(payload: Record<string, unknown>, role: EntityTableRole, columnNames: readonly string[]): Record<string, unknown> {
  const byNormalized = new Map(columnNames.map((column) => [normalizeName(column), column]));
  const document: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(payload)) {
    const column = byNormalized.get(normalizeName(key));
    if (!column) {
      document[key] = value;
      continue;
    }
    if (isExcluded(column, role)) continue;
    document[fieldNameForColumn(column, role)] = payloadValueToField(value, column, role);
  }
  return document;
}

function payloadValueToField(value: unknown, column: string, role: EntityTableRole): unknown {
  if (value === null || value === undefined) return null;
  const encoding = role.timestampEncodings[column];
  if (encoding) {
    // A payload may carry the column's encoding (epoch numbers) or the app's JSON form (ISO text).
    const millis =
      typeof value === 'number' || (typeof value === 'string' && /^\d+$/.test(value))
        ? timestampToMillis(typeof value === 'string' ? Number(value) : value, encoding)
        : timeValueToMillis(value);
    return millis === null ? value : new Date(millis);
  }
  return flagOrJsonToField(value, column, role);
}

/** 0/1 in a flag column as a boolean, a JSON column's text as its value; anything else as it is. */
function flagOrJsonToField(value: unknown, column: string, role: EntityTableRole): unknown {
  if (isFlagColumn(column, role) && (value === 0 || value === 1)) return value === 1;
  if (role.jsonColumns.includes(column) && typeof value === 'string') {
    try {
      return JSON.parse(value) as unknown;
    } catch {
      return value;
    }
  }
  return value;
}

/** The document field a column maps to: sync metadata under Firestore's canonical names. */
export function fieldNameForColumn(column: string, role: EntityTableRole): string {
  const c = role.columns;
  if (column === c.updatedAt) return remoteFields.updatedAt;
  if (column === c.createdAt) return remoteFields.createdAt;
  if (column === c.version) return remoteFields.version;
  if (column === c.isDeleted) return remoteFields.isDeleted;
  return column;
}
