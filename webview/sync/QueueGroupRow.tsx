// A group header of the grouped Queue list: its chevron collapses or expands the group (aria-expanded)
// instead of selecting it; the row itself still selects the group's ops. The chevron is no tab stop of
// its own (the list is one tab stop): on the group's row, ArrowLeft collapses and ArrowRight expands.
import type { KeyboardEvent } from 'react';
import { plural } from '../../core/protocol/planOutcome';
import type { ListItem } from './queueModel';

export type GroupItem = Extract<ListItem, { kind: 'group' }>;

export function GroupLabel({ item, onToggle }: { item: GroupItem; onToggle: (key: string) => void }) {
  const action = item.collapsed ? 'Expand' : 'Collapse';
  return (
    <span className="group-label">
      <button
        type="button"
        className="icon-action group-toggle"
        tabIndex={-1}
        aria-expanded={!item.collapsed}
        aria-label={`${action} ${item.key}`}
        title={`${action} ${item.key} (ArrowLeft / ArrowRight on its row)`}
        onClick={(event) => {
          // The row's click selects the group; the chevron only folds it.
          event.stopPropagation();
          onToggle(item.key);
        }}
      >
        <span className={`codicon codicon-chevron-${item.collapsed ? 'right' : 'down'}`} aria-hidden="true" />
      </button>{' '}
      {item.entityType}/{item.entityId} <span className="muted">· {plural(item.count, 'op')}</span>
    </span>
  );
}

/** ArrowLeft / ArrowRight on an active group row: collapse / expand it. */
export function groupArrowKeys(event: KeyboardEvent, active: ListItem | undefined, setCollapsed: (key: string, collapse: boolean) => void): void {
  if (active?.kind !== 'group' || (event.key !== 'ArrowLeft' && event.key !== 'ArrowRight')) return;
  event.preventDefault();
  setCollapsed(active.key, event.key === 'ArrowLeft');
}
