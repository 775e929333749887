// The data grid's column headers (sort buttons, resize handles) and filter fields.
import { memo, useLayoutEffect, useRef, type MouseEvent } from 'react';
import type { GridSort } from '../../core/protocol/gridModel';
import { TextField } from '../components/TextField';
import { markTruncatedHeaders } from '../layout/headerTitles';
import type { ColumnDisplay } from './cellFormat';

/** Numeric columns are narrow: their header shows the name only (the type is in its tooltip). */
export function isNarrow(column: ColumnDisplay): boolean {
  return !column.timestamp && /INT|REAL|NUM|BOOL/i.test(column.type);
}

export function nextSort(current: GridSort | null, column: string): GridSort | null {
  if (current?.column !== column) return { column, direction: 'asc' };
  return current.direction === 'asc' ? { column, direction: 'desc' } : null;
}

interface GridHeaderProps {
  columns: ColumnDisplay[];
  template: string;
  width: string;
  frozen: number;
  sort: GridSort | null;
  filterTexts: Record<string, string>;
  filterErrors: Record<string, string>;
  onSort: (sort: GridSort | null) => void;
  onFilterText: (column: string, text: string) => void;
  onResizeStart: (column: number, event: MouseEvent) => void;
  onResizeReset: (column: number) => void;
  /** Where the keyboard is in the header: 'header' or 'filter' row and a column, or null. */
  activeRow: 'header' | 'filter' | null;
  activeColumn: number;
}

/**
 * Column headers and filter fields: memoized, so scrolling never re-renders the toolkit fields.
 * Neither is a tab stop: the grid is, and its arrow keys reach them (GridView's onKeyDown).
 */
export const GridHeader = memo(function GridHeader(props: GridHeaderProps) {
  const { columns, template, width, frozen, sort, filterTexts, filterErrors, onSort, onFilterText } = props;
  const headRef = useRef<HTMLDivElement>(null);
  useLayoutEffect(() => markTruncatedHeaders(headRef.current), [template, columns]);
  // Out of the tab order: the grid is the one tab stop, and Enter on a filter cell focuses its field.
  useLayoutEffect(() => headRef.current?.querySelectorAll('.filter-field').forEach((field) => field.setAttribute('tabindex', '-1')), [columns]);
  return (
    <div className="grid-head" ref={headRef} style={{ width, gridTemplateColumns: template }} role="rowgroup">
      <div className="grid-header" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((column, index) => {
          const sorted = sort?.column === column.name ? sort.direction : null;
          return (
            <div
              key={column.name}
              id={`head-${index}`}
              role="columnheader"
              aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : 'none'}
              data-column={index}
              className={`header-cell${index === frozen ? ' frozen' : ''}${props.activeRow === 'header' && props.activeColumn === index ? ' active-cell' : ''}`}
            >
              <button
                type="button"
                tabIndex={-1}
                className="header-button"
                title={`${column.name} ${column.type}${column.timestamp ? ` · ${column.timestamp}` : ''} — click to sort`}
                onClick={() => onSort(nextSort(sort, column.name))}
              >
                <span className="header-name header-label">{column.name}</span>
                {isNarrow(column) ? null : <span className="header-type">{column.type}</span>}
                {sorted ? <span className={`codicon codicon-arrow-${sorted === 'asc' ? 'up' : 'down'}`} /> : null}
              </button>
              <span className="column-resizer" aria-hidden="true" onMouseDown={(event) => props.onResizeStart(index, event)} onDoubleClick={() => props.onResizeReset(index)} />
            </div>
          );
        })}
      </div>
      <div className="grid-filters" role="row" style={{ gridTemplateColumns: template }}>
        {columns.map((column, index) => (
          <div key={column.name} id={`filter-${index}`} data-column={index} className={`filter-cell${index === frozen ? ' frozen' : ''}${props.activeRow === 'filter' && props.activeColumn === index ? ' active-cell' : ''}`} role="gridcell">
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
