// Seeds a Firestore emulator so that `synclens plan sample-workspace/app.db` shows every
// classification: apply (the offline creations), already-applied, at least three conflicts,
// remote-missing, and blocked (the dead-lettered, invalid and orphan ops already in app.db).
// It also mirrors the synced rows and edits three of them remotely, so `synclens pull` has work.
//   node --import tsx sample-workspace/seed-emulator.ts [app.db]
// Target: FIRESTORE_EMULATOR_HOST (+ SYNCLENS_EMULATOR_PROJECT), else synclens.json's emulator.
import { join } from 'node:path';
import { loadConfigFor } from '../core/config/load';
import { defaultEmulatorProjectId, firestoreTargetOf } from '../core/config/target';
import { openAppDatabase } from '../core/db/appDatabase';
import { queryObjects } from '../core/db/query';
import { entityRoleForType } from '../core/db/roles';
import type { AnalyzedOperation, EntityTableRole } from '../core/db/types';
import { connectFirestore, type FirestoreTarget } from '../core/firestore/client';
import { createEntityMapping, millisOf, type EntityMapping } from '../core/firestore/mapping';

const HOUR = 3_600_000;

function targetFor(dbPath: string): FirestoreTarget {
  const fromEnv = process.env.FIRESTORE_EMULATOR_HOST;
  const projectId = process.env.SYNCLENS_EMULATOR_PROJECT ?? defaultEmulatorProjectId;
  if (fromEnv) {
    const separator = fromEnv.lastIndexOf(':');
    return { kind: 'emulator', host: fromEnv.slice(0, separator), port: Number(fromEnv.slice(separator + 1)), projectId };
  }
  const target = firestoreTargetOf(loadConfigFor(dbPath)?.config ?? null);
  if (!target || target.kind !== 'emulator') throw new Error('set FIRESTORE_EMULATOR_HOST or an emulator in synclens.json');
  return target;
}

export interface SeedSummary {
  mirrored: number;
  alreadyApplied: string[];
  conflicts: string[];
  remoteMissing: string[];
  remoteEdits: string[];
}

export async function seedEmulator(dbPath: string, target: FirestoreTarget): Promise<SeedSummary> {
  // Judged against today's clock, as the CLI will be: the backing-off op of the sample is ready.
  const app = await openAppDatabase(dbPath);
  const { file: opened, roles } = app;
  const connection = await connectFirestore(target);
  try {
    const sendable = (app.queue?.operations ?? []).filter((op) => !['dead-lettered', 'invalid', 'orphan'].includes(op.status));
    const byEntity = new Map<string, { role: EntityTableRole; ops: AnalyzedOperation[] }>();
    for (const op of sendable) {
      const role = entityRoleForType(roles, op.entityType);
      if (!role) continue;
      const key = `${role.collection}/${op.entityId}`;
      const entry = byEntity.get(key) ?? { role, ops: [] };
      entry.ops.push(op);
      byEntity.set(key, entry);
    }
    // The same mapping the engine writes and compares with, so "already applied" means exactly that.
    const mappings = new Map<EntityTableRole, EntityMapping>();
    const mappingOf = (role: EntityTableRole): EntityMapping => {
      let mapping = mappings.get(role);
      if (!mapping) {
        const columns = queryObjects(opened.db, 'SELECT name FROM pragma_table_info(?)', [role.table]).map((row) => String(row.name));
        mapping = createEntityMapping(role, columns, connection.sdk);
        mappings.set(role, mapping);
      }
      return mapping;
    };
    const documents = new Map<string, { collection: string; id: string; data: Record<string, unknown> }>();
    const summary: SeedSummary = { mirrored: 0, alreadyApplied: [], conflicts: [], remoteMissing: [], remoteEdits: [] };

    // Every local row that is synced and untouched by the queue exists remotely as it is locally.
    const untouched: { role: EntityTableRole; id: string; data: Record<string, unknown> }[] = [];
    for (const role of roles.entities) {
      for (const row of queryObjects(opened.db, `SELECT * FROM "${role.table.replaceAll('"', '""')}"`)) {
        const id = String(row[role.columns.externalId]);
        const key = `${role.collection}/${id}`;
        const data = mappingOf(role).rowToDocument(row);
        if (byEntity.has(key)) continue;
        if (role.columns.isSynced && row[role.columns.isSynced] === 0) continue;
        documents.set(key, { collection: role.collection, id, data });
        untouched.push({ role, id, data });
        summary.mirrored++;
      }
    }

    const entities = [...byEntity.entries()];
    const updates = entities.filter(([, entry]) => entry.ops.every((op) => op.operation === 'update'));
    const withDelete = entities.filter(([, entry]) => entry.ops[0]?.operation === 'update' && entry.ops.some((op) => op.operation === 'delete'));
    // remote-missing: an update (followed by a delete) of a document nobody has on the server.
    for (const [key] of withDelete.slice(0, 1)) summary.remoteMissing.push(key);
    // already-applied: the remote already holds the queued payload (a previous run got through).
    const single = updates.filter(([, entry]) => entry.ops.length === 1);
    for (const [key, entry] of single.slice(0, 1)) {
      const op = entry.ops[0] as AnalyzedOperation;
      const row = queryObjects(opened.db, `SELECT * FROM "${entry.role.table.replaceAll('"', '""')}" WHERE "${entry.role.columns.externalId.replaceAll('"', '""')}" = ?`, [op.entityId])[0];
      documents.set(key, { collection: entry.role.collection, id: op.entityId, data: { ...(row ? mappingOf(entry.role).rowToDocument(row) : {}), ...mappingOf(entry.role).payloadToDocument(op.payload ?? {}) } });
      summary.alreadyApplied.push(key);
    }
    // conflicts: someone else edited these after the device did (newer updatedAt, higher version).
    for (const [key, entry] of updates.filter(([key]) => !summary.alreadyApplied.includes(key)).slice(0, 3)) {
      const last = entry.ops.at(-1) as AnalyzedOperation;
      const row = queryObjects(opened.db, `SELECT * FROM "${entry.role.table.replaceAll('"', '""')}" WHERE "${entry.role.columns.externalId.replaceAll('"', '""')}" = ?`, [last.entityId])[0];
      const local = { ...(row ? mappingOf(entry.role).rowToDocument(row) : {}), ...mappingOf(entry.role).payloadToDocument(last.payload ?? {}) };
      const localTime = millisOf(local.updatedAt) ?? last.createdAt ?? Date.now();
      const edited: Record<string, unknown> = { ...local, updatedAt: new Date(localTime + HOUR / 2), version: Number(local.version ?? 1) + 1 };
      for (const field of ['name', 'title']) if (typeof edited[field] === 'string') edited[field] = `${edited[field] as string} (edited on the web)`;
      documents.set(key, { collection: entry.role.collection, id: last.entityId, data: edited });
      summary.conflicts.push(key);
    }
    // Remote edits for `synclens pull`: newer than any lastSyncAt, on rows with no local changes.
    const now = Date.now();
    for (const entry of untouched.slice(0, 3)) {
      const edited: Record<string, unknown> = { ...entry.data, updatedAt: new Date(now - HOUR), version: Number(entry.data.version ?? 1) + 1 };
      for (const field of ['name', 'title']) if (typeof edited[field] === 'string') edited[field] = `${edited[field] as string} (renamed remotely)`;
      documents.set(`${entry.role.collection}/${entry.id}`, { collection: entry.role.collection, id: entry.id, data: edited });
      summary.remoteEdits.push(`${entry.role.collection}/${entry.id}`);
    }

    const { sdk, db } = connection;
    const all = [...documents.values()];
    for (let start = 0; start < all.length; start += 500) {
      const batch = sdk.writeBatch(db);
      for (const document of all.slice(start, start + 500)) batch.set(sdk.doc(db, document.collection, document.id), document.data);
      await batch.commit();
    }
    return summary;
  } finally {
    opened.close();
    await connection.close();
  }
}

if (process.argv[1]?.endsWith('seed-emulator.ts')) {
  const dbPath = process.argv[2] ?? join(__dirname, 'app.db');
  seedEmulator(dbPath, targetFor(dbPath)).then(
    (summary) => {
      console.log(
        `seeded: ${summary.mirrored} synced rows mirrored; already-applied ${summary.alreadyApplied.join(', ')}; ` +
          `conflicts ${summary.conflicts.join(', ')}; remote-missing ${summary.remoteMissing.join(', ')}; remote edits for pull ${summary.remoteEdits.join(', ')}`,
      );
    },
    (error: unknown) => {
      console.error(`seed-emulator: ${error instanceof Error ? error.message : String(error)}`);
      process.exitCode = 1;
    },
  );
}
