// The detail of one op of a queue SyncLens only reads (Firestore SDK, PowerSync, Brick): the op's
// fields and what its source says of it (a Firestore write's kind, field mask, precondition,
// transforms, batch and user), and the local row where the source has entities (PowerSync's views
// over ps_data__ tables), its columns as stored and named (as the op's fields are), for the diff.
import { analyzeAppQueue, type AppDatabase } from '../db/appDatabase';
import { entityRoleForType } from '../db/roles';
import { readEntityRow } from '../engine/localStore';
import { CodedError } from '../errors';

export interface SourceOperationDetail {
  opId: number;
  payloadText: string | null;
  payload: Record<string, unknown> | null;
  /** The entity's local row without its id, or null when the source has no entities or the row is gone. */
  localRow: Record<string, unknown> | null;
  /** The entity table (or view) the op names, or null. */
  table: string | null;
}

/** Null for SyncLens's own queue table, whose detail reads the entity row (core/engine/operationDetail.ts). */
export function readSourceOperationDetail(app: AppDatabase, opId: number): SourceOperationDetail | null {
  const analysis = analyzeAppQueue(app);
  if (!analysis || analysis.kind === 'table') return null;
  const op = analysis.operations.find((candidate) => candidate.id === opId);
  if (!op) throw new CodedError('missing', `operation #${opId} is no longer in the queue`);
  const described = { [analysis.kind]: op.facts ?? {}, fields: op.payload };
  const role = entityRoleForType(app.roles, op.entityType);
  const row = role ? app.file.read((db) => readEntityRow(db, role, op.entityId)) : null;
  // Not mapped to Firestore names (list_id stays list_id): the stack writes its columns as they are.
  const localRow = row && role ? Object.fromEntries(Object.entries(row).filter(([column]) => column !== role.columns.externalId)) : null;
  return { opId, payloadText: JSON.stringify(described, null, 2), payload: op.payload, localRow, table: role?.table ?? null };
}
