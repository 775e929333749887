// Plan for the Firestore SDK's pending writes (writes nothing): each write checked against the
// target's document as it would be when the SDK sends it, in batch order (an earlier write of the
// same document counts). SyncLens never sends these writes: the SDK does.
import type { AnalyzedOperation } from '../../db/types';
import { isDeepStrictEqual } from 'node:util';
import type { SdkPlanClassification } from './planTypes';

export type { SdkPlanClassification } from './planTypes';

export interface SdkDocumentState {
  /** Field values as JSON, in the form the pending writes are decoded to (core/queue/firestoreSdk/writes.ts). */
  fields: Record<string, unknown>;
  /** The document's last update on the target, ms since the epoch. */
  updateTime: number | null;
}

export interface SdkPlannedWrite {
  op: AnalyzedOperation;
  path: string;
  classification: SdkPlanClassification;
  reason: string;
  /** The document as this write would find it (the target's, after the earlier writes in send order); null when missing. */
  remote: SdkDocumentState | null;
}

/** Every classification once, in the order totals list them. */
export const sdkPlanClassifications: readonly SdkPlanClassification[] = ['apply', 'remote-newer', 'remote-missing', 'already-equal'];

/** The path a pending write names (its `path` fact). */
export function sdkWritePath(op: AnalyzedOperation): string {
  return String(op.facts?.['path'] ?? `${op.entityType}/${op.entityId}`);
}

/** Counts per classification, every one present. */
export function sdkPlanTotals(planned: readonly SdkPlannedWrite[]): Record<SdkPlanClassification, number> {
  const totals = Object.fromEntries(sdkPlanClassifications.map((name) => [name, 0])) as Record<SdkPlanClassification, number>;
  for (const entry of planned) totals[entry.classification] += 1;
  return totals;
}

/** `remote` holds every path the writes name: null for a document that does not exist. */
export function planSdkWrites(ops: readonly AnalyzedOperation[], remote: ReadonlyMap<string, SdkDocumentState | null>): SdkPlannedWrite[] {
  const expected = new Map(remote);
  return ops.map((op) => {
    const path = sdkWritePath(op);
    const state = expected.get(path) ?? null;
    const planned = classify(op, path, state);
    expected.set(path, after(op, state));
    return { op, path, ...planned, remote: state };
  });
}

function classify(op: AnalyzedOperation, path: string, state: SdkDocumentState | null): Pick<SdkPlannedWrite, 'classification' | 'reason'> {
  const write = String(op.facts?.['write'] ?? op.operation);
  const precondition = op.facts?.['precondition'] ?? null;
  const transforms = (op.facts?.['transforms'] as readonly string[] | undefined) ?? [];
  if (write === 'delete') {
    return state === null
      ? { classification: 'already-equal', reason: `${path} does not exist on the target: the delete changes nothing` }
      : newerOrApply(op, path, state, `deletes ${path}`);
  }
  if (state === null) {
    if (write === 'update' || write === 'transform' || precondition === 'exists') {
      return { classification: 'remote-missing', reason: `${write} of ${path}, which does not exist on the target: the SDK's write fails (NOT_FOUND) and is dropped` };
    }
    return { classification: 'apply', reason: `creates ${path}` };
  }
  if (precondition === 'missing') {
    return { classification: 'remote-newer', reason: `${path} already exists on the target: the create fails (ALREADY_EXISTS)` };
  }
  const fields = op.payload ?? {};
  const mask = (op.facts?.['fieldMask'] as readonly string[] | null | undefined) ?? null;
  const holds = write === 'set' ? isDeepStrictEqual(state.fields, fields) : (mask ?? Object.keys(fields)).every((field) => isDeepStrictEqual(state.fields[field], fields[field]));
  if (holds && transforms.length === 0) return { classification: 'already-equal', reason: `${path} already holds these fields` };
  return newerOrApply(op, path, state, `${write === 'set' ? 'replaces' : 'updates'} ${path}`);
}

function newerOrApply(op: AnalyzedOperation, path: string, state: SdkDocumentState, applies: string): Pick<SdkPlannedWrite, 'classification' | 'reason'> {
  if (state.updateTime !== null && op.createdAt !== null && state.updateTime > op.createdAt) {
    return {
      classification: 'remote-newer',
      reason: `${path} changed on the target at ${new Date(state.updateTime).toISOString()}, after the local write at ${new Date(op.createdAt).toISOString()}: the SDK's write overwrites it (last write wins)`,
    };
  }
  return { classification: 'apply', reason: applies };
}

/** The document as the write leaves it, for the next write of the same path. */
function after(op: AnalyzedOperation, state: SdkDocumentState | null): SdkDocumentState | null {
  const write = op.facts?.['write'];
  if (write === 'delete') return null;
  const fields = op.payload ?? {};
  if (write === 'set') return { fields: { ...fields }, updateTime: op.createdAt };
  if (state === null) return null;
  return { fields: { ...state.fields, ...fields }, updateTime: op.createdAt };
}
