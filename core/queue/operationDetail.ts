// The detail of one op of a queue SyncLens only reads (Firestore SDK, PowerSync, Brick): there is no
// local entity row to diff against, so the detail is the op's fields and what its source says of it
// (a Firestore write's kind, field mask, precondition, transforms, batch and user).
import { analyzeAppQueue, type AppDatabase } from '../db/appDatabase';
import { CodedError } from '../errors';

export interface SourceOperationDetail {
  opId: number;
  payloadText: string | null;
  payload: Record<string, unknown> | null;
  localRow: null;
  table: null;
}

/** Null for SyncLens's own queue table, whose detail reads the entity row (core/engine/operationDetail.ts). */
export function readSourceOperationDetail(app: AppDatabase, opId: number): SourceOperationDetail | null {
  const analysis = analyzeAppQueue(app);
  if (!analysis || analysis.kind === 'table') return null;
  const op = analysis.operations.find((candidate) => candidate.id === opId);
  if (!op) throw new CodedError('missing', `operation #${opId} is no longer in the queue`);
  const described = { [analysis.kind]: op.facts ?? {}, fields: op.payload };
  return { opId, payloadText: JSON.stringify(described, null, 2), payload: op.payload, localRow: null, table: null };
}
