// The dry run: every selected op classified against the remote documents it touches, read in bulk
// (core/engine/planner.ts holds the rules). Writes nothing anywhere; replay starts from the same plan.
//
// The local half overlaps the remote half: the bulk reads leave first, and while they are on the
// wire the documents the ops write (payloads mapped to Firestore values, the larger part of the
// classification's own work) are built in slices, the event loop turned between slices so the
// answers are taken in as they arrive. Only the comparisons with the remote wait for the reads.
import type { AnalyzedOperation, EntityTableRole } from '../db/types';
import type { EngineContext } from './context';
import { rolesByEntityType } from '../db/roles';
import { classifyOperations, isOperationBlocked } from './planner';
import { RemoteUnavailableError } from './remoteStore';
import type { Plan, RemoteDocument } from './types';

/** Documents built between two turns of the event loop while reads are in flight (a few ms of work). */
const documentsPerSlice = 250;

export async function planOperations(context: EngineContext, operations: readonly AnalyzedOperation[], force: boolean): Promise<Plan> {
  const { remote } = context;
  const entityFor = rolesByEntityType(context.roles);
  // One pass, parallel arrays: a plan holds every queued op, and a pair object per op was garbage.
  const sendableOps: AnalyzedOperation[] = [];
  const sendableRoles: EntityTableRole[] = [];
  const refs: { collection: string; id: string }[] = [];
  for (const op of operations) {
    if (isOperationBlocked(op, force)) continue;
    const role = entityFor(op.entityType);
    if (role === null) continue;
    sendableOps.push(op);
    sendableRoles.push(role);
    refs.push({ collection: role.collection, id: op.entityId });
  }
  const reading = refs.length > 0 ? remote.readDocuments(refs) : null;
  // A rejected read is awaited below; until then it must not count as unhandled.
  reading?.catch(() => undefined);

  const built = new Map<AnalyzedOperation, Record<string, unknown>>();
  for (let start = 0; start < sendableOps.length; start += documentsPerSlice) {
    const end = Math.min(start + documentsPerSlice, sendableOps.length);
    for (let index = start; index < end; index++) {
      const op = sendableOps[index]!;
      if (op.operation !== 'delete') built.set(op, context.documentFor(op, sendableRoles[index]!));
    }
    if (reading) await turnEventLoop();
  }

  let documents = new Map<string, RemoteDocument | null>();
  let reads = 0;
  if (reading) {
    const read = await reading;
    if (!read.ok) throw new RemoteUnavailableError(`reading ${refs.length} remote documents failed: ${read.error}`, read.code);
    documents = read.value.documents;
    reads = read.value.requests;
  }
  return classifyOperations(
    operations,
    {
      entityFor,
      documentFor: (op, role) => built.get(op) ?? context.documentFor(op, role),
      policyFor: (collection) => context.settings.policyFor(collection),
      remote: documents,
      force,
    },
    reads,
  );
}

/** Lets I/O callbacks (the reads' answers) run before the next slice. */
const turnEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
