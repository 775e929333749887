// Escape inside a detail pane (Queue, Plan and Conflicts detail) hands the keyboard back to the list
// beside it, so the pane's buttons are never a dead end.
import type { KeyboardEvent } from 'react';

/** An onKeyDown for a detail pane: Escape focuses the list of the same split (its grid or listbox). */
export function escapeToList(event: KeyboardEvent<HTMLElement>): void {
  if (event.key !== 'Escape' || event.defaultPrevented) return;
  // A SplitPane (webview/layout/SplitPane.tsx: .split-list beside .split-detail) or a plain .split.
  const split = event.currentTarget.closest('.split-pane, .split');
  const lists = ['.split-list', '.list-pane'].map((pane) => split?.querySelector(pane)).find(Boolean);
  // The grid itself (one tab stop), else the listbox's selected option, else its first.
  const list = ['[role="grid"]', '[role="option"][aria-selected="true"]', '[role="option"]'].map((selector) => lists?.querySelector<HTMLElement>(selector)).find(Boolean);
  if (!list) return;
  event.preventDefault();
  event.stopPropagation();
  list.focus();
}
