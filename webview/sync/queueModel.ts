// The Sync Queue view's list model, pure so the bench can time it on 100,000 ops.
import type { QueueRow } from '../../core/protocol/syncModel';

export type ListItem =
  | {
      kind: 'group';
      key: string;
      count: number;
      entityType: string;
      entityId: string;
      /** The group's ops, shown below it or not (collapsed). */
      opIds: number[];
      collapsed: boolean;
    }
  | { kind: 'op'; row: QueueRow };

export function filterQueueRows(rows: readonly QueueRow[], status: string, entityType: string, onlyIds: readonly number[] | null): QueueRow[] {
  const only = onlyIds ? new Set(onlyIds) : null;
  return rows.filter((row) => (status === 'all' || row.status === status) && (entityType === 'all' || row.entityType === entityType) && (!only || only.has(row.id)));
}

/** The key of an op's group: `entityType/entityId`. */
export function groupKey(row: QueueRow): string {
  return `${row.entityType}/${row.entityId}`;
}

/** Flat, or a header per entity followed by its ops (none for a collapsed group); groups in send order of their first op. */
export function listItems(rows: readonly QueueRow[], grouped: boolean, collapsed: ReadonlySet<string> = new Set()): ListItem[] {
  if (!grouped) return rows.map((row) => ({ kind: 'op', row }));
  const groups = new Map<string, QueueRow[]>();
  for (const row of rows) {
    const key = groupKey(row);
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const list: ListItem[] = [];
  for (const [key, ops] of groups) {
    const isCollapsed = collapsed.has(key);
    list.push({ kind: 'group', key, count: ops.length, entityType: ops[0]!.entityType, entityId: ops[0]!.entityId, opIds: ops.map((row) => row.id), collapsed: isCollapsed });
    if (!isCollapsed) for (const row of ops) list.push({ kind: 'op', row });
  }
  return list;
}

/** The collapsed groups with `key` collapsed or expanded (a new set: React state). */
export function toggledGroup(collapsed: ReadonlySet<string>, key: string, collapse = !collapsed.has(key)): ReadonlySet<string> {
  const next = new Set(collapsed);
  if (collapse) next.add(key);
  else next.delete(key);
  return next;
}
