// The sync engine over one opened database image: plan, replay, pull, conflicts. Mirrors the
// reference's SyncQueue / SyncService / ConflictResolver with its defects fixed (DESIGN.md
// "Engine"). Every local change goes to the in-memory image; the caller writes the file back once.
// A façade: each ability lives in its own module (plan.ts, replay.ts, pull.ts, conflicts.ts, resolve.ts).
import { EngineContext, type SelectionOptions } from './context';
import { listConflicts } from './conflicts';
import { planOperations } from './plan';
import { pull, type PullOptions } from './pull';
import { replay, type ReplayOptions } from './replay';
import { resolveConflictKeys, resolveConflicts } from './resolve';
import type { ConflictView, Plan, PullSummary, ReplaySummary, ResolutionResult, ResolutionStrategy } from './types';

export class SyncSession extends EngineContext {
  /** Classifies every selected op against the remote, read in bulk. Writes nothing anywhere. */
  plan(options: SelectionOptions = {}): Promise<Plan> {
    return planOperations(this, this.selectOperations(options), options.force ?? false);
  }

  /**
   * Sends the selected ops in order, batched. Success removes the op (and purges a deleted row);
   * failure counts a retry. Results stream through `onResult` as each batch settles.
   */
  replay(options: ReplayOptions = {}): Promise<ReplaySummary> {
    return replay(this, options);
  }

  /** Remote changes since the last sync applied locally; unsynced entities become conflicts. */
  pull(options: PullOptions = {}): Promise<PullSummary> {
    return pull(this, options);
  }

  /** Entities whose remote changed after their unsynced local change, computed now. */
  listConflicts(filter?: { collection: string; entityId: string }): Promise<ConflictView[]> {
    return listConflicts(this, filter);
  }

  /** Settles conflicts by a strategy, on both sides: the remote in batches, then the local image. */
  resolve(conflicts: readonly ConflictView[], strategy: ResolutionStrategy): Promise<ResolutionResult[]> {
    return resolveConflicts(this, conflicts, strategy);
  }

  /** Settles the conflicts named `collection/entityId`; a key no longer in conflict gets a result saying so. */
  resolveKeys(keys: readonly string[], strategy: ResolutionStrategy): Promise<ResolutionResult[]> {
    return resolveConflictKeys(this, keys, strategy);
  }
}
