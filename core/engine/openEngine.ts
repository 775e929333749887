// One place that wires a database file to the engine: the app database (file snapshot, the
// synclens.json beside or above it, roles with its overrides, its retry policy), then the Firestore
// target connected. The CLI and the extension both start here.
import { openAppDatabase } from '../db/appDatabase';
import type { OpenedDatabase } from '../db/open';
import { writeDatabaseAtomically, type BackupLocation } from '../db/writeBack';
import { CodedError } from '../errors';
import { conflictPolicyFor, type ConflictPolicy, type LoadedConfig } from '../config/config';
import { firestoreTargetOf } from '../config/target';
import { connectFirestore, type FirestoreConnection, type FirestoreTarget } from '../firestore/client';
import { createFirestoreRemote } from './remoteStore';
import { SyncSession } from './session';

export interface OpenEngineOptions {
  /** Overrides the config's target (the CLI's --emulator / --project). */
  target?: FirestoreTarget | null;
  /** `--project` alone: the config's (or default) emulator with another project id. */
  projectId?: string;
  now?: () => number;
  remoteTimeoutMs?: number;
  /** Policy for collections synclens.json leaves unset (VS Code's synclens.conflicts.defaultPolicy). */
  defaultPolicy?: ConflictPolicy;
  /** A connection to the target that the caller keeps open (the sync worker's, one per target): not closed here. */
  connection?: FirestoreConnection;
}

export interface OpenedEngine {
  opened: OpenedDatabase;
  config: LoadedConfig | null;
  target: FirestoreTarget;
  connection: FirestoreConnection;
  session: SyncSession;
  /** Writes the image back (atomic, backed up) when the session changed it; returns the backup path. */
  writeBack(options: { allowLive?: boolean; backupLocation?: BackupLocation }): Promise<string | null>;
  close(): Promise<void>;
}

export class NoTargetError extends CodedError<'no-target'> {
  override readonly name = 'NoTargetError';
  constructor(message: string) {
    super('no-target', message);
  }
}

/** The database's queue belongs to a stack that sends it itself (core/queue): plan and replay say why not. */
export class ReadOnlyQueueError extends CodedError<'read-only-queue'> {
  override readonly name = 'ReadOnlyQueueError';
  constructor(message: string) {
    super('read-only-queue', message);
  }
}

export async function openEngine(dbPath: string, options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  // The session analyses the queue itself, against its own clock.
  const app = await openAppDatabase(dbPath, { analyzeQueue: false });
  const { file: opened, config } = app;
  let connection: FirestoreConnection | null = null;
  try {
    const source = app.queueSource;
    if (source?.readOnlyReason) {
      throw new ReadOnlyQueueError(`this is a ${source.kind} queue (${source.table}): ${source.readOnlyReason}; \`synclens inspect\` shows it`);
    }
    let target = options.target ?? firestoreTargetOf(config?.config ?? null);
    if (!target) {
      throw new NoTargetError('no Firestore target: pass --emulator host:port (and --project), or add "firestore" to synclens.json');
    }
    if (options.projectId && target.kind === 'emulator') target = { ...target, projectId: options.projectId };
    connection = options.connection ?? (await connectFirestore(target));
    const remote = createFirestoreRemote(connection, { timeoutMs: options.remoteTimeoutMs });
    const loaded = config?.config ?? null;
    const session = new SyncSession(opened.db, app.roles, remote, {
      maxRetries: app.retryPolicy.maxRetries,
      backoff: app.retryPolicy.backoff,
      policyFor: (collection) => conflictPolicyFor(loaded, collection, options.defaultPolicy),
      now: options.now ?? (() => Date.now()),
    });
    const live = connection;
    const owned = !options.connection;
    return {
      opened,
      config,
      target,
      connection: live,
      session,
      async writeBack({ allowLive, backupLocation }) {
        if (!session.dirty) return null;
        const { backupPath } = await writeDatabaseAtomically(opened, { allowLive, backupLocation });
        session.dirty = false;
        return backupPath;
      },
      async close() {
        opened.close();
        if (owned) await live.close();
      },
    };
  } catch (error) {
    opened.close();
    if (!options.connection) await connection?.close();
    throw error;
  }
}
