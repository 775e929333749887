import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useEffect, useMemo, useRef, useState, type KeyboardEvent, type MouseEvent } from 'react';
import type { GridCell, GridSort } from '../../core/protocol/gridModel';
import { TextField } from '../components/TextField';
import { detailText, displayCell, rawText, rowAsJson, type ColumnDisplay } from './cellFormat';

const rowHeight = 24;
/**
 * Rows rendered beyond each edge of the viewport. Every rendered row is a dozen elements to build,
 * lay out and paint, and a fast scroll replaces them all each frame; a few hide the seam on a
 * wheel step without doubling that work.
 */
const overscanRows = 4;
const nullCell: GridCell = { kind: 'null' };
const emptyRow: GridCell[] = [];

export interface ActiveCell {
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
}

function nextSort(current: GridSort | null, column: string): GridSort | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

/** Numeric columns are narrow: their header shows the name only (the type is in its tooltip). */
function isNarrow(column: ColumnDisplay): boolean {
  return !column.timestamp && /INT|REAL|NUM|BOOL/i.test(column.type);
}

/** Widths in the editor font's character cells, so they fit the text whatever the font size. */
function columnWidth(column: ColumnDisplay): number {
  if (column.json) return 40;
  if (column.timestamp) return 30;
  if (isNarrow(column)) return 14;
  return 24;
}

interface GridHeaderProps {
  columns: ColumnDisplay[];
  template: string;
  width: string;
  sort: GridSort | null;
  filterTexts: Record<string, string>;
  filterErrors: Record<string, string>;
  onSort: (sort: GridSort | null) => void;
  onFilterText: (column: string, text: string) => void;
}

/** Column headers and filter fields: memoized, so scrolling never re-renders the toolkit fields. */
const GridHeader = memo(function GridHeader({ columns, template, width, sort, filterTexts, filterErrors, onSort, onFilterText }: GridHeaderProps) {
  return (
    <div className="grid-head" style={{ width, gridTemplateColumns: template }} role="rowgroup">
      <div className="grid-header" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((column) => {
          const sorted = sort?.column === column.name ? sort.direction : null;
          return (
            <button
              key={column.name}
              type="button"
              role="columnheader"
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              className="header-cell"
              title={`${column.name} ${column.type}${column.timestamp ? ` · ${column.timestamp}` : ''} — click to sort`}
              onClick={() => onSort(nextSort(sort, column.name))}
            >
              <span className="header-name">{column.name}</span>
              {isNarrow(column) ? null : <span className="header-type">{column.type}</span>}
              {sorted ? <span className={`codicon codicon-arrow-${sorted === 'asc' ? 'up' : 'down'}`} /> : null}
            </button>
          );
        })}
      </div>
      <div className="grid-filters" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((column) => (
          <div key={column.name} className="filter-cell" role="gridcell">
            <TextField
              className="filter-field"
              value={filterTexts[column.name] ?? ''}
              placeholder="filter"
              ariaLabel={`Filter ${column.name}`}
              error={filterErrors[column.name] ?? null}
              onInput={(text) => onFilterText(column.name, text)}
            />
          </div>
        ))}
      </div>
    </div>
  );
});

interface GridRowProps {
  index: number;
  start: number;
  row: GridCell[];
  columns: ColumnDisplay[];
  template: string;
  /** The active cell's column when it is in this row, else null. */
  activeColumn: number | null;
}

/**
 * One row: memoized, so a scroll renders only the rows that came into view. Clicks and context
 * menus are handled once for the whole body (cellOfEvent), not by handlers on every cell.
 */
const GridRow = memo(function GridRow({ index, start, row, columns, template, activeColumn }: GridRowProps) {
  return (
    <div
      className={`grid-row${activeColumn !== null ? ' active-row' : ''}`}
      role="row"
      aria-rowindex={index + 1}
      style={{ transform: `translateY(${start}px)`, gridTemplateColumns: template, height: rowHeight }}
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
            className={`grid-cell kind-${shown.kind}${isActive ? ' active-cell' : ''}`}
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

export function GridView(props: GridViewProps) {
  const { columns, rows, hasMore, loading, sort, onLoadMore, onCopy, pageSize } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<ActiveCell | null>(null);
  const [expanded, setExpanded] = useState<ActiveCell | null>(null);
  const columnNames = useMemo(() => columns.map((column) => column.name), [columns]);
  const template = useMemo(() => columns.map((column) => `${columnWidth(column)}ch`).join(' '), [columns]);

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
    setActive(null);
    setExpanded(null);
  }, [props.viewKey]);

  const moveTo = (row: number, column: number): void => {
    if (rows.length === 0 || columns.length === 0) return;
    const target = { row: Math.max(0, Math.min(rows.length - 1, row)), column: Math.max(0, Math.min(columns.length - 1, column)) };
    setActive(target);
    virtualizer.scrollToIndex(target.row);
    if (expanded) setExpanded(target);
  };

  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    // Keys typed in a filter field or on a header belong to them.
    if (event.target !== event.currentTarget) return;
    const current = active ?? { row: 0, column: 0 };
    const page = Math.max(1, Math.floor((scrollRef.current?.clientHeight ?? 240) / rowHeight) - 2);
    const handled = (() => {
      switch (event.key) {
        case 'ArrowDown':
          moveTo(active ? current.row + 1 : 0, current.column);
          return true;
        case 'ArrowUp':
          moveTo(current.row - 1, current.column);
          return true;
        case 'ArrowRight':
          moveTo(current.row, active ? current.column + 1 : 0);
          return true;
        case 'ArrowLeft':
          moveTo(current.row, current.column - 1);
          return true;
        case 'PageDown':
          moveTo(current.row + page, current.column);
          return true;
        case 'PageUp':
          moveTo(current.row - page, current.column);
          return true;
        case 'Home':
          moveTo(event.ctrlKey || event.metaKey ? 0 : current.row, 0);
          return true;
        case 'End':
          moveTo(event.ctrlKey || event.metaKey ? rows.length - 1 : current.row, columns.length - 1);
          return true;
        case 'Enter':
          if (active) setExpanded(expanded && expanded.row === active.row && expanded.column === active.column ? null : active);
          return true;
        case 'Escape':
          if (!expanded) return false;
          setExpanded(null);
          return true;
        case 'c':
        case 'C':
          if (!(event.ctrlKey || event.metaKey) || !active) return false;
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
  const width = `${columns.reduce((sum, column) => sum + columnWidth(column), 0)}ch`;

  return (
    <div className="grid-area">
      <div
        className="grid-scroll"
        ref={scrollRef}
        role="grid"
        aria-rowcount={rows.length}
        aria-colcount={columns.length}
        aria-activedescendant={active ? `cell-${active.row}-${active.column}` : undefined}
        tabIndex={0}
        onKeyDown={onKeyDown}
      >
        <GridHeader
          columns={columns}
          template={template}
          width={width}
          sort={sort}
          filterTexts={props.filterTexts}
          filterErrors={props.filterErrors}
          onSort={props.onSort}
          onFilterText={props.onFilterText}
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
              activeColumn={active?.row === item.index ? active.column : null}
            />
          ))}
        </div>
        {rows.length === 0 && !loading ? <div className="grid-empty">No rows{Object.values(props.filterTexts).some(Boolean) ? ' match these filters' : ''}.</div> : null}
      </div>
      {expanded && expandedRow && expandedColumn ? (
        <section className="detail-pane" aria-label={`Value of ${expandedColumn.name}`}>
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
        </section>
      ) : null}
    </div>
  );
}
