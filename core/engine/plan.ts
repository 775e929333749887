// The dry run: every selected op classified against the remote documents it touches, read in bulk
// (core/engine/planner.ts holds the rules). Writes nothing anywhere; replay starts from the same plan.
import { entityRoleForType } from '../db/roles';
import type { AnalyzedOperation, EntityTableRole } from '../db/types';
import type { EngineContext } from './context';
import { classifyOperations, isOperationBlocked } from './planner';
import { RemoteUnavailableError } from './remoteStore';
import type { Plan, RemoteDocument } from './types';

export async function planOperations(context: EngineContext, operations: readonly AnalyzedOperation[], force: boolean): Promise<Plan> {
  const { roles, remote } = context;
  const refs = operations
    .filter((op) => !isOperationBlocked(op, force))
    .map((op) => ({ role: entityRoleForType(roles, op.entityType), id: op.entityId }))
    .filter((ref): ref is { role: EntityTableRole; id: string } => ref.role !== null)
    .map((ref) => ({ collection: ref.role.collection, id: ref.id }));
  let documents = new Map<string, RemoteDocument | null>();
  let reads = 0;
  if (refs.length > 0) {
    const read = await remote.readDocuments(refs);
    if (!read.ok) throw new RemoteUnavailableError(`reading ${refs.length} remote documents failed: ${read.error}`, read.code);
    documents = read.value.documents;
    reads = read.value.requests;
  }
  return classifyOperations(
    operations,
    {
      entityFor: (type) => entityRoleForType(roles, type),
      documentFor: context.documentFor,
      policyFor: (collection) => context.settings.policyFor(collection),
      remote: documents,
      force,
    },
    reads,
  );
}
