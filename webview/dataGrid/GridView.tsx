import { useVirtualizer } from '@tanstack/react-virtual';
import { useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { GridCell, GridSort } from '../../core/protocol/gridModel';
import { TextField } from '../components/TextField';
import { detailText, displayCell, rawText, rowAsJson, type ColumnDisplay } from './cellFormat';

const rowHeight = 24;
const nullCell: GridCell = { kind: 'null' };

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

export function GridView(props: GridViewProps) {
  const { columns, rows, hasMore, loading, sort, onLoadMore, onCopy } = props;
  const scrollRef = useRef<HTMLDivElement>(null);
  const [active, setActive] = useState<ActiveCell | null>(null);
  const [expanded, setExpanded] = useState<ActiveCell | null>(null);
  const columnNames = useMemo(() => columns.map((column) => column.name), [columns]);
  const template = useMemo(() => columns.map((column) => `${columnWidth(column)}ch`).join(' '), [columns]);

  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => rowHeight,
    overscan: 12,
  });
  const items = virtualizer.getVirtualItems();
  const lastVisible = items.length > 0 ? items[items.length - 1]!.index : -1;

  useEffect(() => {
    if (hasMore && !loading && lastVisible >= rows.length - 40) onLoadMore();
  }, [hasMore, loading, lastVisible, rows.length, onLoadMore]);

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
                  onClick={() => props.onSort(nextSort(sort, column.name))}
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
                  value={props.filterTexts[column.name] ?? ''}
                  placeholder="filter"
                  ariaLabel={`Filter ${column.name}`}
                  error={props.filterErrors[column.name] ?? null}
                  onInput={(text) => props.onFilterText(column.name, text)}
                />
              </div>
            ))}
          </div>
        </div>
        <div className="grid-body" role="rowgroup" style={{ height: virtualizer.getTotalSize(), width }}>
          {items.map((item) => {
            const row = rows[item.index] ?? [];
            // VS Code's webview context menu (Copy Value, Copy Row as JSON) receives these values.
            const rowContext = JSON.stringify({ webviewSection: 'gridRow', preventDefaultContextMenuItems: true, rowJson: rowAsJson(columnNames, row) });
            return (
              <div
                key={item.key}
                data-vscode-context={rowContext}
                className={`grid-row${active?.row === item.index ? ' active-row' : ''}`}
                role="row"
                aria-rowindex={item.index + 1}
                style={{ transform: `translateY(${item.start}px)`, gridTemplateColumns: template, height: rowHeight }}
              >
                {columns.map((column, columnIndex) => {
                  const shown = displayCell(row[columnIndex] ?? nullCell);
                  const isActive = active?.row === item.index && active.column === columnIndex;
                  return (
                    <div
                      key={column.name}
                      id={`cell-${item.index}-${columnIndex}`}
                      role="gridcell"
                      aria-selected={isActive}
                      className={`grid-cell kind-${shown.kind}${isActive ? ' active-cell' : ''}`}
                      title={shown.title}
                      data-vscode-context={JSON.stringify({ webviewSection: 'gridCell', cellText: rawText(row[columnIndex] ?? nullCell) })}
                      onClick={() => setActive({ row: item.index, column: columnIndex })}
                      onContextMenu={() => setActive({ row: item.index, column: columnIndex })}
                      onDoubleClick={() => setExpanded({ row: item.index, column: columnIndex })}
                    >
                      {shown.kind === 'json' ? <span className="codicon codicon-json" /> : null}
                      {shown.kind === 'blob' ? <span className="codicon codicon-file-binary" /> : null}
                      <span className="cell-text">{shown.text}</span>
                    </div>
                  );
                })}
              </div>
            );
          })}
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
