import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useLayoutEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent, type RefObject } from 'react';
import type { GridCell, GridSort } from '../../core/protocol/gridModel';
import { SplitPane } from '../layout/SplitPane';
import { useColumnSizing, type ColumnSpec } from '../layout/useColumnSizing';
import { detailText, displayCell, rawText, rowAsJson, type ColumnDisplay } from './cellFormat';
import { GridHeader, isNarrow, nextSort } from './GridHeader';

const rowHeight = 24;
/**
 * Rows rendered beyond each edge of the viewport. Every rendered row is a dozen elements to build,
 * lay out and paint, and a fast scroll replaces them all each frame; a few hide the seam on a
 * wheel step without doubling that work.
 */
const overscanRows = 4;
const nullCell: GridCell = { kind: 'null' };
const emptyRow: GridCell[] = [];

/** Rows above the data: the keyboard reaches the headers (to sort) and the filter fields. */
const headerRow = -2;
const filterRow = -1;
const resizeStep = 16;

export interface ActiveCell {
  /** A data row's index, or headerRow / filterRow. */
  row: number;
  column: number;
}

export interface GridViewProps {
  columns: ColumnDisplay[];
  rows: GridCell[][];
  hasMore: boolean;
  loading: boolean;
  sort: GridSort | null;
  filterTexts: Record<string, string>;
  filterErrors: Record<string, string>;
  onSort: (sort: GridSort | null) => void;
  onFilterText: (column: string, text: string) => void;
  onLoadMore: () => void;
  onCopy: (text: string, what: string) => void;
  /** Bumped when the view (table, sort, filters) changes: scroll back to the top. */
  viewKey: string;
  /** Rows per page the grid asks for (synclens.grid.pageSize). */
  pageSize: number;
  /** Names the database and table the column widths are remembered under. */
  widthsKey: string;
}

/** Widths in the editor font's character cells, so they fit the text whatever the font size. */
function columnWidth(column: ColumnDisplay): number {
  if (column.json) return 40;
  if (column.timestamp) return 30;
  if (isNarrow(column)) return 14;
  return 24;
}

interface GridRowProps {
  index: number;
  start: number;
  row: GridCell[];
  columns: ColumnDisplay[];
  template: string;
  width: string;
  frozen: number;
  /** The active cell's column when it is in this row, else null. */
  activeColumn: number | null;
}

/**
 * One row: memoized, so a scroll renders only the rows that came into view. Clicks and context
 * menus are handled once for the whole body (cellOfEvent), not by handlers on every cell.
 */
const GridRow = memo(function GridRow({ index, start, row, columns, template, width, frozen, activeColumn }: GridRowProps) {
  return (
    <div
      className={`grid-row${activeColumn !== null ? ' active-row' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      style={{ transform: `translateY(${start}px)`, gridTemplateColumns: template, height: rowHeight, width }}
    >
      {columns.map((column, columnIndex) => {
        const shown = displayCell(row[columnIndex] ?? nullCell);
        const isActive = activeColumn === columnIndex;
        return (
          <div
            key={column.name}
            id={`cell-${index}-${columnIndex}`}
            role="gridcell"
            aria-selected={isActive}
            data-column={columnIndex}
            className={`grid-cell kind-${shown.kind}${isActive ? ' active-cell' : ''}${columnIndex === frozen ? ' frozen' : ''}`}
            title={shown.title}
          >
            {shown.kind === 'json' ? <span className="codicon codicon-json" /> : null}
            {shown.kind === 'blob' ? <span className="codicon codicon-file-binary" /> : null}
            <span className="cell-text">{shown.text}</span>
          </div>
        );
      })}
    </div>
  );
});

/** The row element and (when on a cell) the cell element and position an event happened on. */
function cellOfEvent(event: MouseEvent<HTMLElement>): { rowElement: HTMLElement; cellElement: HTMLElement | null; position: ActiveCell } | null {
  if (!(event.target instanceof Element)) return null;
  const rowElement = event.target.closest<HTMLElement>('.grid-row');
  if (!rowElement) return null;
  const cellElement = event.target.closest<HTMLElement>('.grid-cell');
  const position = { row: Number(rowElement.getAttribute('aria-rowindex')) - 1, column: Number(cellElement?.dataset.column ?? -1) };
  return { rowElement, cellElement, position };
}

/** One character cell of the editor font in px, measured once the grid is laid out. */
function useCharWidth(probe: RefObject<HTMLElement>): number {
  const [width, setWidth] = useState(8);
  useLayoutEffect(() => {
    const measured = (probe.current?.getBoundingClientRect().width ?? 0) / 10;
    if (measured > 0) setWidth(measured);
  }, [probe]);
  return width;
}

/** The id aria-activedescendant names for a cell, a header or a filter field. */
function cellId(cell: ActiveCell): string {
  if (cell.row === headerRow) return `head-${cell.column}`;
  if (cell.row === filterRow) return `filter-${cell.column}`;
  return `cell-${cell.row}-${cell.column}`;
}

export function GridView(props: GridViewProps) {
  const { columns, rows, hasMore, loading, sort, onLoadMore, onCopy, pageSize } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const probeRef = useRef<HTMLSpanElement>(null);
  const [active, setActive] = useState<ActiveCell | null>(null);
  const [expanded, setExpanded] = useState<ActiveCell | null>(null);
  const columnNames = useMemo(() => columns.map((column) => column.name), [columns]);
  const charWidth = useCharWidth(probeRef);
  const specs: ColumnSpec[] = useMemo(() => columns.map((column) => ({ id: column.name, size: Math.round(columnWidth(column) * charWidth + 16) })), [columns, charWidth]);
  const sizing = useColumnSizing(props.widthsKey, specs, 0);
  const { template } = sizing;
  const width = `${sizing.totalWidth}px`;
  // The primary key stays in view when the grid scrolls sideways; without one, the first column.
  const frozen = Math.max(0, columns.findIndex((column) => column.primaryKey));

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: overscanRows,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : -1;

  // The next page is asked for once the last rendered row is half a page from the end of the loaded
  // rows, so a fast scroll meets rows instead of waiting a round trip, while the first page still
  // opens without a second request.
  const prefetchRows = pageSize / 2;
  useEffect(() => {
    if (hasMore && !loading && lastVisible >= rows.length - prefetchRows) onLoadMore();
  }, [hasMore, loading, lastVisible, rows.length, onLoadMore, prefetchRows]);

  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
    // A sort from the keyboard keeps the cursor on its header; a place among the old rows is gone.
    setActive((previous) => (previous && previous.row < 0 ? previous : null));
    setExpanded(null);
  }, [props.viewKey]);

  /** Scrolls sideways so the column is in view beside the frozen one. */
  const revealColumn = (column: number): void => {
    const scroller = scrollRef.current;
    if (!scroller) return;
    const left = sizing.widths.slice(0, column).reduce((sum, size) => sum + size, 0);
    const right = left + (sizing.widths[column] ?? 0);
    const covered = column === frozen ? 0 : (sizing.widths[frozen] ?? 0);
    if (left - covered < scroller.scrollLeft) scroller.scrollLeft = Math.max(0, left - covered);
    else if (right > scroller.scrollLeft + scroller.clientWidth) scroller.scrollLeft = right - scroller.clientWidth;
  };

  const moveTo = (row: number, column: number): void => {
    if (columns.length === 0) return;
    const target = { row: Math.max(headerRow, Math.min(rows.length - 1, row)), column: Math.max(0, Math.min(columns.length - 1, column)) };
    setActive(target);
    if (target.row >= 0) virtualizer.scrollToIndex(target.row);
    revealColumn(target.column);
    if (expanded && target.row >= 0) setExpanded(target);
  };

  /** Into the filter field of a column (Enter on the filter row); Escape in it comes back. */
  const editFilter = (column: number): void => {
    scrollRef.current?.querySelector<HTMLElement>(`#filter-${column} .filter-field`)?.focus();
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    if (event.target !== event.currentTarget) {
      // Keys typed in a filter field belong to it, but Escape returns to the grid.
      if (event.key === 'Escape' && event.target instanceof Element && event.target.closest('.filter-cell')) {
        event.preventDefault();
        event.stopPropagation();
        scrollRef.current?.focus();
      }
      return;
    }
    const current = active ?? { row: 0, column: 0 };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 240) / rowHeight) - 4);
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
          moveTo(active ? current.row + 1 : 0, current.column);
          return true;
        case 'ArrowUp':
          moveTo(current.row - 1, current.column);
          return true;
        case 'ArrowRight':
          if (event.altKey) sizing.resizeBy(current.column, resizeStep);
          else moveTo(current.row, active ? current.column + 1 : 0);
          return true;
        case 'ArrowLeft':
          if (event.altKey) sizing.resizeBy(current.column, -resizeStep);
          else moveTo(current.row, current.column - 1);
          return true;
        case 'PageDown':
          moveTo(Math.max(0, current.row) + page, current.column);
          return true;
        case 'PageUp':
          moveTo(Math.max(0, current.row - page), current.column);
          return true;
        case 'Home':
          moveTo(event.ctrlKey || event.metaKey ? 0 : current.row, 0);
          return true;
        case 'End':
          moveTo(event.ctrlKey || event.metaKey ? rows.length - 1 : current.row, columns.length - 1);
          return true;
        case 'Enter':
        case ' ':
          if (!active) return false;
          if (active.row === headerRow) props.onSort(nextSort(sort, columns[active.column]!.name));
          else if (active.row === filterRow) editFilter(active.column);
          else if (event.key === 'Enter') setExpanded(expanded && expanded.row === active.row && expanded.column === active.column ? null : active);
          else return false;
          return true;
        case 'Escape':
          if (!expanded) return false;
          setExpanded(null);
          return true;
        case 'c':
        case 'C':
          if (!(event.ctrlKey || event.metaKey) || !active || active.row < 0) return false;
          copyActive(event.shiftKey ? 'row' : 'cell', active);
          return true;
        default:
          return false;
      }
    })();
    if (handled) event.preventDefault();
  };

  const copyActive = (what: 'cell' | 'row', cell: ActiveCell): void => {
    const row = rows[cell.row];
    if (!row) return;
    if (what === 'row') onCopy(rowAsJson(columnNames, row), 'row as JSON');
    else onCopy(rawText(row[cell.column] ?? nullCell), 'cell');
  };

  // VS Code's webview context menu (Copy Value, Copy Row as JSON) reads data-vscode-context from
  // the clicked element and its ancestors when the event reaches the window, after this handler:
  // written here for the one row clicked instead of serialized for every rendered row and cell.
  const onContextMenu = (event: MouseEvent<HTMLElement>): void => {
    const target = cellOfEvent(event);
    const row = target ? rows[target.position.row] : undefined;
    if (!target || !row) return;
    target.rowElement.dataset.vscodeContext = JSON.stringify({ webviewSection: 'gridRow', preventDefaultContextMenuItems: true, rowJson: rowAsJson(columnNames, row) });
    if (!target.cellElement) return;
    target.cellElement.dataset.vscodeContext = JSON.stringify({ webviewSection: 'gridCell', cellText: rawText(row[target.position.column] ?? nullCell) });
    setActive(target.position);
  };

  const expandedRow = expanded ? rows[expanded.row] : undefined;
  const expandedColumn = expanded ? columns[expanded.column] : undefined;
  const activeId = active && (active.row < 0 || active.row < rows.length) ? cellId(active) : undefined;

  const grid = (
    <div
      className={`grid-scroll${sizing.isResizing ? ' resizing' : ''}`}
      ref={scrollRef}
      role="grid"
      aria-rowcount={rows.length}
      aria-colcount={columns.length}
      aria-activedescendant={activeId}
      aria-description="Arrow keys move between cells, headers and filters; Enter sorts, edits a filter or opens a value; Alt+Left/Right resizes a column."
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <span className="char-probe" ref={probeRef} aria-hidden="true">
        0000000000
      </span>
      <GridHeader
        columns={columns}
        template={template}
        width={width}
        frozen={frozen}
        sort={sort}
        filterTexts={props.filterTexts}
        filterErrors={props.filterErrors}
        onSort={props.onSort}
        onFilterText={props.onFilterText}
        onResizeStart={sizing.startResize}
        onResizeReset={sizing.reset}
        activeRow={active?.row === headerRow ? 'header' : active?.row === filterRow ? 'filter' : null}
        activeColumn={active?.column ?? -1}
      />
      <div
        className="grid-body"
        role="rowgroup"
        style={{ height: virtualizer.getTotalSize(), width }}
        onClick={(event) => {
          const cell = cellOfEvent(event);
          if (cell?.cellElement) setActive(cell.position);
        }}
        onDoubleClick={(event) => {
          const cell = cellOfEvent(event);
          if (cell?.cellElement) setExpanded(cell.position);
        }}
        onContextMenu={onContextMenu}
      >
        {items.map((item) => (
          <GridRow
            key={item.key}
            index={item.index}
            start={item.start}
            row={rows[item.index] ?? emptyRow}
            columns={columns}
            template={template}
            width={width}
            frozen={frozen}
            activeColumn={active?.row === item.index ? active.column : null}
          />
        ))}
      </div>
      {rows.length === 0 && !loading ? <div className="grid-empty">No rows{Object.values(props.filterTexts).some(Boolean) ? ' match these filters' : ''}.</div> : null}
    </div>
  );

  const detail =
    expanded && expandedRow && expandedColumn ? (
      <div className="detail-pane">
        <header className="detail-header">
          <span className="detail-title">
            {expandedColumn.name} <span className="detail-subtitle">row {expanded.row + 1}</span>
          </span>
          <span className="detail-actions">
            <button type="button" className="icon-action" title="Copy value" onClick={() => copyActive('cell', expanded)}>
              <span className="codicon codicon-copy" />
            </button>
            <button type="button" className="icon-action" title="Copy row as JSON" onClick={() => copyActive('row', expanded)}>
              <span className="codicon codicon-json" />
            </button>
            <button type="button" className="icon-action" title="Close (Escape)" onClick={() => setExpanded(null)}>
              <span className="codicon codicon-close" />
            </button>
          </span>
        </header>
        <pre className="detail-value">{detailText(expandedRow[expanded.column] ?? nullCell)}</pre>
      </div>
    ) : null;

  return <SplitPane storageKey="grid-detail" className="grid-area" list={grid} detail={detail} detailLabel={expandedColumn ? `Value of ${expandedColumn.name}` : 'Value'} stackBelow={Number.POSITIVE_INFINITY} defaultFraction={0.3} />;
}
