// Compare with Remote: every local row of each synced collection against every remote document.
// Reads both sides; writes nothing.
import type { SqlDatabase } from '../db/sqlDatabase';
import { queryObjects, quoteIdentifier as q } from '../db/query';
import { tableColumnNames } from '../db/schema';
import type { EntityTableRole, SyncRoles } from '../db/types';
import { createEntityMapping, plainValuesSdk } from '../firestore/mapping';
import { stampOf, remoteFields } from './planner';
import type { CompareFinding, CompareReport } from './types';
import { RemoteUnavailableError, type RemoteStore } from './remoteStore';

/** A side's view of one entity: its version stamp and whether it is a tombstone. */
export interface EntitySide {
  updatedAt: number | null;
  version: number | null;
  isDeleted: boolean;
}

/**
 * Pure comparison of one collection. A remote tombstone with no local row is the normal end of a
 * delete (the app purges after the remote confirms), so it is not reported.
 */
export function compareSides(collection: string, local: ReadonlyMap<string, EntitySide>, remote: ReadonlyMap<string, EntitySide>): { findings: CompareFinding[]; inSync: number } {
  const findings: CompareFinding[] = [];
  let inSync = 0;
  const add = (kind: CompareFinding['kind'], entityId: string, message: string): void => {
    findings.push({ kind, collection, entityId, message });
  };
  for (const [id, row] of local) {
    const document = remote.get(id);
    if (!document) {
      add('missing-remotely', id, `${collection}/${id} exists locally${row.isDeleted ? ' (soft-deleted)' : ''} but not in Firestore`);
      continue;
    }
    if (row.isDeleted !== document.isDeleted) {
      add(
        row.isDeleted ? 'tombstone-local-only' : 'tombstone-remote-only',
        id,
        row.isDeleted ? `${collection}/${id} is deleted locally but live remotely` : `${collection}/${id} is deleted remotely but live locally`,
      );
      continue;
    }
    const order = compareStamps(row, document);
    if (order > 0) add('local-newer', id, `${collection}/${id}: local ${describe(row)} is newer than remote ${describe(document)}`);
    else if (order < 0) add('remote-newer', id, `${collection}/${id}: remote ${describe(document)} is newer than local ${describe(row)}`);
    else inSync++;
  }
  for (const [id, document] of remote) {
    if (local.has(id) || document.isDeleted) continue;
    add('missing-locally', id, `${collection}/${id} exists in Firestore but not locally`);
  }
  return { findings, inSync };
}

function compareStamps(a: EntitySide, b: EntitySide): number {
  if (a.updatedAt !== null && b.updatedAt !== null && a.updatedAt !== b.updatedAt) return a.updatedAt - b.updatedAt;
  return (a.version ?? 0) - (b.version ?? 0);
}

function describe(side: EntitySide): string {
  const time = side.updatedAt === null ? 'no updatedAt' : new Date(side.updatedAt).toISOString();
  return side.version === null ? time : `${time} v${side.version}`;
}

function localSides(db: SqlDatabase, role: EntityTableRole): Map<string, EntitySide> {
  const sides = new Map<string, EntitySide>();
  const mapping = createEntityMapping(role, tableColumnNames(db, role.table), plainValuesSdk);
  for (const row of queryObjects(db, `SELECT * FROM main.${q(role.table)}`)) {
    const id = row[role.columns.externalId];
    if (id === null || id === undefined) continue;
    const document = mapping.rowToDocument(row);
    const stamp = stampOf(document);
    sides.set(String(id), { ...stamp, isDeleted: document[remoteFields.isDeleted] === true });
  }
  return sides;
}

/** Reads every remote document of each synced collection (paged) and compares it with the rows. */
export async function compareWithRemote(db: SqlDatabase, roles: SyncRoles, remote: RemoteStore, options: { pageSize?: number; signal?: AbortSignal } = {}): Promise<CompareReport> {
  const collections: CompareReport['collections'][number][] = [];
  const findings: CompareFinding[] = [];
  for (const role of roles.entities) {
    const local = localSides(db, role);
    const remoteSides = new Map<string, EntitySide>();
    let cursor: unknown = null;
    do {
      if (options.signal?.aborted) break;
      const page = await remote.readChangedSince(role.collection, null, options.pageSize ?? 500, cursor);
      if (!page.ok) throw new RemoteUnavailableError(`reading ${role.collection} failed: ${page.error}`, page.code);
      for (const document of page.value.documents) {
        remoteSides.set(document.id, { ...stampOf(document.data), isDeleted: document.data[remoteFields.isDeleted] === true });
      }
      cursor = page.value.next;
    } while (cursor);
    const compared = compareSides(role.collection, local, remoteSides);
    findings.push(...compared.findings);
    collections.push({ collection: role.collection, table: role.table, localRows: local.size, remoteDocuments: remoteSides.size, inSync: compared.inSync });
  }
  return { collections, findings };
}
