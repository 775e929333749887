// What the parts of the engine (plan, replay, pull, conflicts) share over one opened database
// image: the image and its roles, the remote, the settings, the row <-> document mappings, and the
// flag saying the image changed and must be written back. SyncSession (session.ts) is its façade.
import type { SqlDatabase } from '../db/sqlDatabase';
import { analyzeQueue } from '../db/queue';
import { tableColumnNames } from '../db/schema';
import type { AnalyzedOperation, BackoffPolicy, EntityTableRole, QueueAnalysis, SyncRoles } from '../db/types';
import { defaultBackoffPolicy, defaultMaxRetries } from '../db/types';
import { createEntityMapping, type EntityMapping } from '../firestore/mapping';
import { upsertEntity } from './localStore';
import type { RemoteStore } from './remoteStore';
import type { ConflictPolicyName, RemoteDocument } from './types';

export interface EngineSettings {
  maxRetries: number;
  backoff: BackoffPolicy;
  /** Conflict policy of a collection (synclens.json), `lastWriteWins` by default. */
  policyFor(collection: string): ConflictPolicyName;
  now(): number;
}

export const defaultEngineSettings: EngineSettings = {
  maxRetries: defaultMaxRetries,
  backoff: defaultBackoffPolicy,
  policyFor: () => 'lastWriteWins',
  now: () => Date.now(),
};

export interface SelectionOptions {
  /** Queue ids to consider; all when absent. */
  only?: readonly number[];
  /** Ignore backoff (`--force`). */
  force?: boolean;
  /**
   * The queue as the caller has just analysed it (`analyze()` on this context), for a caller that
   * needs the analysis itself too: the selection then comes from it instead of a second analysis.
   */
  analysis?: QueueAnalysis | null;
}

export class EngineContext {
  /** True once the image holds changes that must be written back. */
  dirty = false;
  readonly settings: EngineSettings;
  private readonly columnCache = new Map<string, string[]>();
  private readonly mappings = new Map<EntityTableRole, EntityMapping>();

  constructor(
    readonly db: SqlDatabase,
    readonly roles: SyncRoles,
    readonly remote: RemoteStore,
    settings: Partial<EngineSettings> = {},
  ) {
    this.settings = { ...defaultEngineSettings, ...settings };
  }

  /** The queue analysed now, against the session's clock and retry policy; null without a queue table. */
  analyze(): QueueAnalysis | null {
    if (!this.roles.queue) return null;
    return analyzeQueue(this.db, this.roles, {
      now: this.settings.now(),
      maxRetries: this.settings.maxRetries,
      backoff: this.settings.backoff,
    });
  }

  /** Row / payload <-> document for an entity table (core/firestore/mapping). */
  mappingFor(role: EntityTableRole): EntityMapping {
    let mapping = this.mappings.get(role);
    if (!mapping) {
      mapping = createEntityMapping(role, this.columnsOf(role.table), this.remote.sdk);
      this.mappings.set(role, mapping);
    }
    return mapping;
  }

  /** The document a create/update op writes: its payload mapped to Firestore values. */
  readonly documentFor = (op: AnalyzedOperation, role: EntityTableRole): Record<string, unknown> =>
    this.mappingFor(role).payloadToDocument(op.payload ?? {});

  /** The analysed ops, in send order, limited to `only` when given. */
  selectOperations(options: SelectionOptions): AnalyzedOperation[] {
    const analysis = options.analysis !== undefined ? options.analysis : this.analyze();
    if (!analysis) return [];
    const only = options.only ? new Set(options.only) : null;
    return analysis.operations.filter((op) => !only || only.has(op.id));
  }

  /** The remote document copied into the local row, which then counts as synced. */
  copyRemoteIntoRow(role: EntityTableRole, remote: RemoteDocument): void {
    const values = this.mappingFor(role).documentToRow(remote.id, remote.data);
    if (role.columns.isSynced) values[role.columns.isSynced] = 1;
    upsertEntity(this.db, role, remote.id, values);
    this.dirty = true;
  }

  private columnsOf(table: string): string[] {
    const cached = this.columnCache.get(table);
    if (cached) return cached;
    const names = tableColumnNames(this.db, table);
    this.columnCache.set(table, names);
    return names;
  }
}
