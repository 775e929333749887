// One queued op as the detail pane shows it: the payload exactly as stored and parsed, and the
// entity's local row, both as the document the engine would write (field names, Timestamps), so a
// diff of the two shows real changes. Reads the image only.
import type { SqlDatabase } from '../db/sqlDatabase';
import { parseJsonObject, queryObjects, quoteIdentifier as q } from '../db/query';
import { entityRoleForType } from '../db/roles';
import { tableColumnNames } from '../db/schema';
import type { SyncRoles } from '../db/types';
import { CodedError } from '../errors';
import { createEntityMapping, plainValuesSdk, type DocumentData } from '../firestore/mapping';
import { readEntityRow } from './localStore';

export interface OperationDetail {
  opId: number;
  /** The payload exactly as stored. */
  payloadText: string | null;
  /** The payload as the document it writes (null when it is not a JSON object). */
  payload: DocumentData | null;
  /** The entity's local row as a document, or null when it is missing. */
  localRow: DocumentData | null;
  /** The entity table, or null when no table maps the op's entity type. */
  table: string | null;
}

export function readOperationDetail(db: SqlDatabase, roles: SyncRoles, opId: number): OperationDetail {
  const queue = roles.queue;
  if (!queue) throw new CodedError('not-open', 'the database has no queue table');
  const { columns } = queue;
  const [found] = queryObjects(db, `SELECT ${q(columns.entityType)} AS entityType, ${q(columns.entityId)} AS entityId, ${q(columns.payload)} AS payload FROM main.${q(queue.table)} WHERE ${q(columns.id)} = ?`, [opId]);
  if (!found) throw new CodedError('missing', `operation #${opId} is no longer in the queue`);
  const payloadText = found.payload === null || found.payload === undefined ? null : String(found.payload);
  const parsed = parseJsonObject(payloadText);
  const role = entityRoleForType(roles, String(found.entityType));
  if (!role) return { opId, payloadText, payload: parsed, localRow: null, table: null };
  const mapping = createEntityMapping(role, tableColumnNames(db, role.table), plainValuesSdk);
  const row = readEntityRow(db, role, String(found.entityId));
  return { opId, payloadText, payload: parsed ? mapping.payloadToDocument(parsed) : null, localRow: row ? mapping.rowToDocument(row) : null, table: role.table };
}

