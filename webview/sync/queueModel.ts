// The Sync Queue view's list model, pure so the bench can time it on 100,000 ops.
import type { QueueRow } from '../../core/protocol/syncModel';

export type ListItem = { kind: 'group'; key: string; count: number; entityType: string; entityId: string } | { kind: 'op'; row: QueueRow };

export function filterQueueRows(rows: readonly QueueRow[], status: string, entityType: string, onlyIds: readonly number[] | null): QueueRow[] {
  const only = onlyIds ? new Set(onlyIds) : null;
  return rows.filter((row) => (status === 'all' || row.status === status) && (entityType === 'all' || row.entityType === entityType) && (!only || only.has(row.id)));
}

/** Flat, or a header per entity followed by its ops; groups in send order of their first op. */
export function listItems(rows: readonly QueueRow[], grouped: boolean): ListItem[] {
  if (!grouped) return rows.map((row) => ({ kind: 'op', row }));
  const groups = new Map<string, QueueRow[]>();
  for (const row of rows) {
    const key = `${row.entityType}/${row.entityId}`;
    const group = groups.get(key);
    if (group) group.push(row);
    else groups.set(key, [row]);
  }
  const list: ListItem[] = [];
  for (const [key, ops] of groups) {
    list.push({ kind: 'group', key, count: ops.length, entityType: ops[0]!.entityType, entityId: ops[0]!.entityId });
    for (const row of ops) list.push({ kind: 'op', row });
  }
  return list;
}
