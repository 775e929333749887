// One place that wires a database file to the engine: the file read into memory, synclens.json
// found beside or above it, roles detected with its overrides, the Firestore target connected.
// The CLI and the extension both start here.
import { openDatabaseFile, type OpenedDatabase } from '../db/open';
import { detectRoles } from '../db/roles';
import { readSchema } from '../db/schema';
import { writeDatabaseAtomically } from '../db/writeBack';
import { backoffOf, conflictPolicyFor, firestoreTargetOf, loadConfigFor, maxRetriesOf, toRoleOverrides, type ConflictPolicy, type LoadedConfig } from '../config/config';
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
}

export interface OpenedEngine {
  opened: OpenedDatabase;
  config: LoadedConfig | null;
  target: FirestoreTarget;
  connection: FirestoreConnection;
  session: SyncSession;
  /** Writes the image back (atomic, backed up) when the session changed it; returns the backup path. */
  writeBack(options: { allowLive?: boolean }): Promise<string | null>;
  close(): Promise<void>;
}

export class NoTargetError extends Error {
  override readonly name = 'NoTargetError';
}

export async function openEngine(dbPath: string, options: OpenEngineOptions = {}): Promise<OpenedEngine> {
  const config = loadConfigFor(dbPath);
  let target = options.target ?? firestoreTargetOf(config?.config ?? null);
  if (!target) {
    throw new NoTargetError('no Firestore target: pass --emulator host:port (and --project), or add "firestore" to synclens.json');
  }
  if (options.projectId && target.kind === 'emulator') target = { ...target, projectId: options.projectId };
  const opened = await openDatabaseFile(dbPath);
  let connection: FirestoreConnection | null = null;
  try {
    const roles = detectRoles(opened.db, readSchema(opened.db), config ? toRoleOverrides(config.config) : {});
    connection = await connectFirestore(target);
    const remote = createFirestoreRemote(connection, { timeoutMs: options.remoteTimeoutMs });
    const loaded = config?.config ?? null;
    const session = new SyncSession(opened.db, roles, remote, {
      maxRetries: maxRetriesOf(loaded),
      backoff: backoffOf(loaded),
      policyFor: (collection) => conflictPolicyFor(loaded, collection, options.defaultPolicy),
      now: options.now ?? (() => Date.now()),
    });
    const live = connection;
    return {
      opened,
      config,
      target,
      connection: live,
      session,
      async writeBack({ allowLive }) {
        if (!session.dirty) return null;
        const { backupPath } = await writeDatabaseAtomically(opened, { allowLive });
        session.dirty = false;
        return backupPath;
      },
      async close() {
        opened.close();
        await live.close();
      },
    };
  } catch (error) {
    opened.close();
    await connection?.close();
    throw error;
  }
}
