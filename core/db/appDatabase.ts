// The one way from a database path to what SyncLens knows about the app's data: the file's snapshot,
// the synclens.json that applies to it, the schema, the sync roles with the config's overrides and
// the queue analysed under the config's retry policy. The CLI, the engine, the extension's workers
// and the language server all start here, so a config is never applied in one place and ignored in
// another.
import { backoffOf, maxRetriesOf, toRoleOverrides, type LoadedConfig } from '../config/config';
import { loadConfig, loadConfigFor } from '../config/load';
import { openDatabaseFile, type OpenDatabaseOptions, type OpenedDatabase } from './open';
import { detectQueueSource, withSourceEntities } from '../queue/detect';
import type { QueueSource } from '../queue/types';
import { analyzeQueue } from './queue';
import { detectRoles } from './roles';
import { countTableRows, readSchema, withRowCounts } from './schema';
import type { SqlDatabase } from './sqlDatabase';
import type { BackoffPolicy, CountedSchemaInfo, QueueAnalysis, SchemaInfo, SyncRoles } from './types';

/**
 * Which synclens.json applies: the nearest one beside or above the database (what the extension
 * and the engine use), a named file (the CLI's --config), or none at all (--no-config: every role
 * detected, the default retry policy).
 */
export type AppConfigChoice = 'nearest' | 'none' | { readonly file: string };

export interface AppDatabaseOptions extends OpenDatabaseOptions {
  /** Default 'nearest'. */
  config?: AppConfigChoice;
  /** Analyse the sync queue (default true). Callers that only run SQL or read the schema skip it. */
  analyzeQueue?: boolean;
  /** The instant backoff and ages are computed against, ms since the epoch (default: the clock). */
  now?: number;
}

export interface RetryPolicy {
  readonly maxRetries: number;
  readonly backoff: BackoffPolicy;
}

export interface AppDatabase {
  /** The file's snapshot: the connection, what was read (stamp, -wal, -journal) for a write-back. */
  readonly file: OpenedDatabase;
  /** The synclens.json in force, or null when none applies. */
  readonly config: LoadedConfig | null;
  /** Uncounted (`rows` null): counting reads every table, so it is a step of its own (countedSchema). */
  readonly schema: SchemaInfo;
  /** Detected, with the config's overrides applied. */
  readonly roles: SyncRoles;
  /** The config's policy (or the defaults): what the queue analysis used and the engine must use. */
  readonly retryPolicy: RetryPolicy;
  /** Where the queue is read from (core/queue: detected, or synclens.json's queue.kind), or null for none. */
  readonly queueSource: QueueSource | null;
  /** The queue as of `now`, or null when there is no queue or the analysis was not asked for. */
  readonly queue: QueueAnalysis | null;
  close(): void;
}

/**
 * Opens `path` and derives everything from the one snapshot. The config is read after the file, so
 * an unusable database is reported as such whatever the config says. A bad config throws its
 * ConfigError; overrides naming what the database lacks throw SyncRolesConfigError.
 */
export async function openAppDatabase(path: string, options: AppDatabaseOptions = {}): Promise<AppDatabase> {
  const { config: choice = 'nearest', analyzeQueue: wantsQueue = true, now = Date.now(), ...fileOptions } = options;
  const file = await openDatabaseFile(path, fileOptions);
  try {
    const config = loadChosenConfig(path, choice);
    const settings = config?.config ?? null;
    const retryPolicy: RetryPolicy = { maxRetries: maxRetriesOf(settings), backoff: backoffOf(settings) };
    // One settled snapshot for all three: a checkpoint under them re-reads them together.
    const { schema, roles, queueSource, queue } = file.read((db) => {
      const schema = readSchema(db);
      const detected = detectRoles(db, schema, settings ? toRoleOverrides(settings) : {});
      const queueSource = detectQueueSource(schema, detected, settings?.queue);
      const roles = withSourceEntities(schema, detected, queueSource);
      const queue = wantsQueue ? queueOf(db, roles, queueSource, retryPolicy, now) : null;
      return { schema, roles, queueSource, queue };
    });
    return { file, config, schema, roles, retryPolicy, queueSource, queue, close: () => file.close() };
  } catch (error) {
    file.close();
    throw error;
  }
}

/** The queue of whichever source the database holds (core/queue/detect): its table, or a stack's own. */
function queueOf(db: SqlDatabase, roles: SyncRoles, source: QueueSource | null, retryPolicy: RetryPolicy, now: number): QueueAnalysis | null {
  return source ? analyzeQueue(db, roles, { now, ...retryPolicy, source }) : null;
}

/**
 * The queue as of `now` under the app database's roles and retry policy, for callers that opened
 * it with `analyzeQueue: false` so that their first rows would not wait for it (the grid).
 */
export function analyzeAppQueue(app: AppDatabase, now = Date.now()): QueueAnalysis | null {
  return app.file.read((db) => queueOf(db, app.roles, app.queueSource, app.retryPolicy, now));
}

/** The schema with every table's exact row count, for the reports that show counts (inspect, hovers). */
export function countedSchema(app: AppDatabase): CountedSchemaInfo {
  return withRowCounts(app.schema, app.file.read((db) => countTableRows(db, app.schema.tables.map((table) => table.name))));
}

function loadChosenConfig(path: string, choice: AppConfigChoice): LoadedConfig | null {
  if (choice === 'none') return null;
  if (choice === 'nearest') return loadConfigFor(path);
  return loadConfig(choice.file);
}
