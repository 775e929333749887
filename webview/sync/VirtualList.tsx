import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useId, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type ReactNode } from 'react';
import { markTruncatedHeaders } from '../layout/headerTitles';
import { useElementSize } from '../layout/SplitPane';
import { useColumnSizing, type ColumnSpec } from '../layout/useColumnSizing';

export interface ListColumn extends ColumnSpec {
  /** The header's text, shown in full unless the user narrows the column below it. */
  label: string;
}

export interface VirtualListProps {
  count: number;
  /** The header cells (also the cell count of each row); `id` keys the remembered widths. */
  columns: ListColumn[];
  /** Names this list's table in the saved widths (database, table and list). */
  storageKey: string;
  renderRow: (index: number) => { cells: ReactNode[]; className?: string; key: string | number };
  /** Row the keyboard cursor is on (scrolled into view). */
  activeIndex: number;
  onActivate: (index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => void;
  label: string;
}

const rowHeight = 24;
/** A bold header character and the cell's padding and resize handle, in px: a growing column never shrinks below its label. */
const labelCharWidth = 8;
const headerPadding = 18;
/** Alt+Left/Right resizes a column by this much, as in the data grid (webview/dataGrid/GridView.tsx). */
const resizeStep = 16;

/**
 * A virtualized list with resizable columns: one tab stop (role="grid"), the arrow keys, Page
 * Up/Down and Home/End move the active row (aria-activedescendant); Left/Right move to a cell of
 * it and Alt+Left/Right resize that cell's column, as in the data grid, so a column resizes
 * without a mouse and without a tab stop per header. Only the visible rows are in the DOM. The
 * header scrolls sideways with the rows when the columns are wider than the list. A handler
 * around the list that claims Left/Right first (a group row's collapse, QueueGroupRow.tsx) calls
 * preventDefault in the capture phase, and the list leaves the key alone.
 */
export function VirtualList({ count, columns, storageKey, renderRow, activeIndex, onActivate, label }: VirtualListProps) {
  const [scrollRef, box] = useElementSize<HTMLDivElement>();
  const headRef = useRef<HTMLDivElement>(null);
  const rowIdPrefix = useId();
  const specs = useMemo(() => columns.map((column) => ({ ...column, min: column.label.length * labelCharWidth + headerPadding })), [columns]);
  const sizing = useColumnSizing(storageKey, specs, box.width);
  /** The cell of the active row the keyboard is on; null: the row as a whole. */
  const [activeColumn, setActiveColumn] = useState<number | null>(null);
  const virtualizer = useVirtualizer({ count, getScrollElement: () => scrollRef.current, estimateSize: () => rowHeight, overscan: 10, paddingStart: rowHeight, scrollPaddingStart: rowHeight });

  useEffect(() => {
    if (activeIndex >= 0 && activeIndex < count) virtualizer.scrollToIndex(activeIndex, { align: 'auto' });
  }, [activeIndex, count, virtualizer]);

  useLayoutEffect(() => markTruncatedHeaders(headRef.current), [sizing.template, columns]);

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.defaultPrevented) return;
    if (event.key === 'ArrowLeft' || event.key === 'ArrowRight') {
      event.preventDefault();
      const direction = event.key === 'ArrowRight' ? 1 : -1;
      if (event.altKey) sizing.resizeBy(activeColumn ?? 0, direction * resizeStep);
      else setActiveColumn(Math.max(0, Math.min(columns.length - 1, (activeColumn ?? -1) + direction)));
      return;
    }
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? rowHeight * 10) / rowHeight) - 2);
    const moves: Record<string, number> = { ArrowDown: 1, ArrowUp: -1, PageDown: page, PageUp: -page, Home: -count, End: count };
    const step = moves[event.key];
    if (step === undefined) return;
    event.preventDefault();
    const next = Math.max(0, Math.min(count - 1, (activeIndex < 0 ? -1 : activeIndex) + step));
    if (count > 0) onActivate(next, { shiftKey: event.shiftKey, ctrlKey: false, metaKey: false });
  };

  const width = { width: sizing.totalWidth, minWidth: '100%' };
  const activeRendered = activeIndex >= 0 && activeIndex < count;
  // Each visible row rendered once, here: the active one's cell count is needed before the rows are laid out.
  const visibleRows = virtualizer.getVirtualItems().map((item) => ({ item, row: renderRow(item.index) }));
  const activeCells = visibleRows.find(({ item }) => item.index === activeIndex)?.row.cells.length ?? 0;
  // A group row has one cell spanning the row: the row itself is what the keyboard is on.
  const activeCell = activeRendered && activeColumn !== null && activeColumn < activeCells ? activeColumn : null;
  const activeId = activeRendered ? `${rowIdPrefix}-${activeIndex}${activeCell === null ? '' : `-${activeCell}`}` : undefined;
  // The list itself scrolls (both ways, the header sticky on top): one focusable element, since
  // Chromium makes a scroller with nothing focusable inside a tab stop of its own.
  return (
    <div
      className={`vlist vscroll${sizing.isResizing ? ' resizing' : ''}`}
      ref={scrollRef}
      role="grid"
      aria-label={label}
      aria-rowcount={count + 1}
      aria-colcount={columns.length}
      aria-activedescendant={activeId}
      aria-description="Up and Down move between rows, Left and Right between cells; Alt+Left/Right resizes the cell's column."
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="vhead" role="row" aria-rowindex={1} ref={headRef} style={{ gridTemplateColumns: sizing.template, ...width }}>
        {columns.map((column, index) => (
          <div key={column.id} role="columnheader" className={`vheader-cell${index === activeColumn ? ' active-column' : ''}`}>
            <span className="header-label">{column.label}</span>
            <span className="column-resizer" aria-hidden="true" onMouseDown={(event) => sizing.startResize(index, event)} onDoubleClick={() => sizing.reset(index)} />
          </div>
        ))}
      </div>
      <div className="vbody" style={{ height: virtualizer.getTotalSize() - rowHeight, ...width }}>
        {visibleRows.map(({ item, row }) => {
          return (
            <div
              key={row.key}
              id={`${rowIdPrefix}-${item.index}`}
              role="row"
              aria-rowindex={item.index + 2}
              aria-selected={item.index === activeIndex}
              className={`vrow${item.index === activeIndex ? ' active' : ''}${row.className ? ` ${row.className}` : ''}`}
              style={{ gridTemplateColumns: sizing.template, transform: `translateY(${item.start - rowHeight}px)`, height: rowHeight, ...width }}
              onClick={(event) => onActivate(item.index, event)}
            >
              {row.cells.map((cell, index) => (
                <div
                  key={index}
                  id={`${rowIdPrefix}-${item.index}-${index}`}
                  role="gridcell"
                  className={`vcell${item.index === activeIndex && index === activeCell ? ' active-cell' : ''}`}
                >
                  {cell}
                </div>
              ))}
            </div>
          );
        })}
      </div>
    </div>
  );
}
