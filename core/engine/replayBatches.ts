// From a plan to what a replay sends: each sendable op becomes one ReplayEntry holding its remote
// write (built here, once) and what success means for it; an entity's consecutive merges are folded
// into one write (replayCoalesce.ts); the entries are packed, in queue order, into batches bounded by
// count and by bytes (writeSize.ts). Ops that cannot be sent are settled on the spot.
import type { EntityTableRole, SyncRoles } from '../db/types';
import { rolesByEntityType } from '../db/roles';
import { documentKey, stampOf } from './planner';
import type { RemoteWrite } from './remoteStore';
import { applyPolicy } from './resolver';
import { maxRequestBytes, requestSize } from './writeSize';
import type { OperationOutcome, PlannedOperation, Plan, RemoteDocument } from './types';

/** One queued op on its way through a replay batch. */
export interface ReplayEntry {
  readonly planned: PlannedOperation;
  readonly role: EntityTableRole;
  /** `collection/entityId`: ops of one entity are sent in queue order. */
  readonly entityKey: string;
  /** What the op sends, or null for an op settled without a remote write. */
  readonly write: RemoteWrite | null;
  readonly outcomeOnSuccess: OperationOutcome;
  readonly message: string;
  /** For remote-kept: the remote document to copy into the local row. */
  readonly keepRemote: RemoteDocument | null;
  /** Later ops of the entity whose merges this entry's write carries (replayCoalesce.ts). */
  readonly mergedOps?: readonly ReplayEntry[];
}

export interface BatchLimits {
  /** Writes per batch (Firestore's client docs: at most 500). */
  maxWrites: number;
  /** Estimated request bytes per batch (Firestore refuses a request over 10 MiB). */
  maxBytes?: number;
}

export interface ReplayBatch {
  readonly entries: readonly ReplayEntry[];
  /** The entities the batch touches (its entries' entityKey). */
  readonly entityKeys: ReadonlySet<string>;
}

/** An op the replay settles without sending: blocked by its status, or behind a held conflict. */
export type SettleAtOnce = (planned: PlannedOperation, outcome: 'skipped' | 'held', message: string) => void;

/** The write an op sends: set-merge of its document, or the reference's soft delete. */
export function writeOf(planned: PlannedOperation, collection: string): RemoteWrite {
  const { op } = planned;
  return op.operation === 'delete'
    ? { kind: 'soft-delete', collection, id: op.entityId, updatedAt: stampOf(op.payload ?? {}, op.createdAt).updatedAt }
    : { kind: 'set-merge', collection, id: op.entityId, data: planned.document ?? {} };
}

/**
 * What each planned op does in a replay, in plan order. Blocked ops are skipped and every op of an
 * entity after a conflict held for a manual decision is held too (`settle` is told of both);
 * a conflict the policy gives to the remote copies the remote into the row after the entity's last op.
 */
export function replayEntriesOf(plan: Plan, roles: SyncRoles, settle: SettleAtOnce): ReplayEntry[] {
  // Each op's key is built once (both passes use it) and each entity type's role found once.
  const keys = plan.operations.map((planned) => documentKey(planned.collection ?? '', planned.op.entityId));
  const lastOpOfEntity = new Map<string, number>();
  plan.operations.forEach((planned, index) => lastOpOfEntity.set(keys[index]!, planned.op.id));
  const roleFor = rolesByEntityType(roles);
  const heldEntities = new Set<string>();
  const entries: ReplayEntry[] = [];
  for (let index = 0; index < plan.operations.length; index++) {
    const planned = plan.operations[index]!;
    const role = roleFor(planned.op.entityType);
    if (planned.classification === 'blocked' || !role || planned.collection === null) {
      settle(planned, 'skipped', planned.reason);
      continue;
    }
    const entityKey = keys[index]!;
    if (heldEntities.has(entityKey)) {
      settle(planned, 'held', `an earlier op of ${entityKey} is held for a manual decision`);
      continue;
    }
    const entry = (write: RemoteWrite | null, outcomeOnSuccess: OperationOutcome, message: string, keepRemote: RemoteDocument | null = null): ReplayEntry => ({
      planned,
      role,
      entityKey,
      write,
      outcomeOnSuccess,
      message,
      keepRemote,
    });
    switch (planned.classification) {
      case 'apply':
        entries.push(entry(writeOf(planned, role.collection), 'applied', planned.reason));
        break;
      case 'remote-missing':
        // A delete of a missing document has nothing to send; an update recreates it.
        entries.push(planned.op.operation === 'delete' ? entry(null, 'remote-missing', planned.reason) : entry(writeOf(planned, role.collection), 'applied', planned.reason));
        break;
      case 'already-applied':
        entries.push(entry(null, 'already-applied', planned.reason));
        break;
      case 'conflict': {
        const decision = applyPolicy(planned.policy ?? 'lastWriteWins', planned.verdict ?? { winner: 'remote', reason: '' });
        if (decision.outcome === 'held') {
          heldEntities.add(entityKey);
          settle(planned, 'held', planned.reason);
        } else if (decision.outcome === 'local') {
          entries.push(entry(writeOf(planned, role.collection), 'applied', `conflict: ${decision.reason}`));
        } else {
          const isLast = lastOpOfEntity.get(entityKey) === planned.op.id;
          entries.push(entry(null, 'remote-kept', `conflict: ${decision.reason}`, isLast ? planned.remote : null));
        }
        break;
      }
    }
  }
  return entries;
}

/**
 * Packs entries into batches in order: a batch closes when the next entry's write would take it
 * past `maxWrites` writes or `maxBytes` request bytes (a write larger than that alone goes in a
 * batch of its own). Entries without a write ride along in the batch that is open, so their
 * outcome is reported in order with their entity's other ops.
 */
export class BatchBuilder {
  private readonly batches: { entries: ReplayEntry[]; entityKeys: Set<string>; writes: number; bytes: number }[] = [];
  private readonly maxWrites: number;
  private readonly maxBytes: number;

  constructor(limits: BatchLimits) {
    this.maxWrites = limits.maxWrites;
    this.maxBytes = limits.maxBytes ?? maxRequestBytes;
  }

  add(entry: ReplayEntry): void {
    const bytes = entry.write === null ? 0 : requestSize(entry.write);
    let open = this.batches.at(-1);
    const full = open !== undefined && entry.write !== null && open.writes > 0 && (open.writes >= this.maxWrites || open.bytes + bytes > this.maxBytes);
    if (!open || full) {
      open = { entries: [], entityKeys: new Set(), writes: 0, bytes: 0 };
      this.batches.push(open);
    }
    open.entries.push(entry);
    open.entityKeys.add(entry.entityKey);
    if (entry.write !== null) {
      open.writes++;
      open.bytes += bytes;
    }
  }

  build(): ReplayBatch[] {
    return this.batches.map(({ entries, entityKeys }) => ({ entries, entityKeys }));
  }
}

export function packBatches(entries: readonly ReplayEntry[], limits: BatchLimits): ReplayBatch[] {
  const builder = new BatchBuilder(limits);
  for (const entry of entries) builder.add(entry);
  return builder.build();
}

/** The fewest writes a piece of a tapered last batch holds. */
const minTaperWrites = 100;
const maxTaperPieces = 4;

/**
 * The batches with the last one cut, in order, into up to 4 pieces of at least 100 writes each.
 * A run ends when its last commit does, and a server works on each commit on one thread: a full
 * last batch ran alone at the end while the other cores idled (13-150 ms of a 10,000-op replay to
 * the emulator, bench/replay.ts), and a lone batch of 500 used one core of the server's. Pieces of
 * one entity still go in order (replayScheduler.ts).
 */
export function taperLastBatch(batches: readonly ReplayBatch[]): ReplayBatch[] {
  const last = batches.at(-1);
  if (!last) return [];
  const writes = last.entries.reduce((count, entry) => count + (entry.write ? 1 : 0), 0);
  const pieces = Math.min(maxTaperPieces, Math.floor(writes / minTaperWrites));
  if (pieces < 2) return [...batches];
  const cut: ReplayBatch[] = [];
  let entries: ReplayEntry[] = [];
  let written = 0;
  for (const entry of last.entries) {
    // A piece closes before the write that would take it past its share of the writes.
    if (entry.write && written > 0 && written >= Math.round(((cut.length + 1) * writes) / pieces)) {
      cut.push(batchOf(entries));
      entries = [];
    }
    entries.push(entry);
    if (entry.write) written++;
  }
  cut.push(batchOf(entries));
  return [...batches.slice(0, -1), ...cut];
}

function batchOf(entries: ReplayEntry[]): ReplayBatch {
  return { entries, entityKeys: new Set(entries.map((entry) => entry.entityKey)) };
}
