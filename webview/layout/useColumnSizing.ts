// Column widths for the data grid and the sync lists: TanStack Table's column sizing and resizing
// features own the sizes and the drag; this hook adds defaults that fill the width, keyboard
// resizing, and the widths the user chose, remembered per database and table (savedSizes.ts).
import { columnResizingFeature, columnSizingFeature, tableFeatures, useTable, type ColumnDef, type ColumnSizingState, type Header } from '@tanstack/react-table';
import { useCallback, useEffect, useMemo, useRef, useState, type MouseEvent } from 'react';
import { loadSizes, saveSizes } from './savedSizes';

const features = tableFeatures({ columnSizingFeature, columnResizingFeature });
type Features = typeof features;
/** The lists render their own virtualized rows: the table models columns only. */
const noRows: never[] = [];
const saveDelayMs = 300;
export const minColumnWidth = 36;
const maxColumnWidth = 4000;

export interface ColumnSpec {
  id: string;
  /** Width in px before the user resizes it; a growing column may be wider. */
  size: number;
  /** Share of the width left over that this column takes while it is not resized (0: none). */
  grow?: number;
  /** Narrowest default when the columns do not fit (its header's text, say). */
  min?: number;
}

export interface ColumnSizing {
  /** Each column's width in px, in the order of the specs. */
  widths: number[];
  /** CSS grid template of the header and the rows. */
  template: string;
  totalWidth: number;
  /** Starts a mouse drag on a column's resize handle. */
  startResize: (index: number, event: MouseEvent) => void;
  /** Widens (or narrows, when negative) a column from the keyboard. */
  resizeBy: (index: number, deltaPx: number) => void;
  /** Back to the default width (a double-click on the handle). */
  reset: (index: number) => void;
  isResizing: boolean;
}

/** A growing column gives up at most this share of its size when the columns do not fit. */
const maxShrink = 0.5;

/**
 * Default widths: each column's size plus its share of the width the columns leave free; when they
 * do not fit (a half-width editor), the growing columns give up width first, so fewer columns
 * scroll out of view.
 */
function defaultWidths(specs: ColumnSpec[], available: number): number[] {
  const base = specs.reduce((sum, spec) => sum + spec.size, 0);
  const grow = specs.reduce((sum, spec) => sum + (spec.grow ?? 0), 0);
  if (grow === 0 || available <= 0) return specs.map((spec) => spec.size);
  const free = available - base;
  return specs.map((spec) => {
    const share = (free * (spec.grow ?? 0)) / grow;
    return Math.floor(Math.max(spec.size * (1 - maxShrink), spec.min ?? 0, minColumnWidth, spec.size + share));
  });
}

/**
 * `storageKey` names the table (database and table or list): widths are saved under it.
 * `available` is the width the columns may fill (the list's client width), 0 until measured.
 */
export function useColumnSizing(storageKey: string, specs: ColumnSpec[], available: number): ColumnSizing {
  const [sizing, setSizing] = useState<ColumnSizingState>(() => loadSizes(storageKey));
  useEffect(() => setSizing(loadSizes(storageKey)), [storageKey]);

  // Columns the user resized keep their width; the others share what is left.
  const fixed = useMemo(() => specs.reduce((sum, spec) => sum + (sizing[spec.id] ?? 0), 0), [specs, sizing]);
  const flexible = useMemo(() => specs.filter((spec) => sizing[spec.id] === undefined), [specs, sizing]);
  const defaults = useMemo(() => {
    const widths = defaultWidths(flexible, Math.max(0, available - fixed));
    return new Map(flexible.map((spec, index) => [spec.id, widths[index]!]));
  }, [flexible, available, fixed]);

  const columns = useMemo<ColumnDef<Features, never>[]>(
    () => specs.map((spec) => ({ id: spec.id, header: spec.id, size: defaults.get(spec.id) ?? spec.size, minSize: minColumnWidth, maxSize: maxColumnWidth })),
    [specs, defaults],
  );
  const table = useTable({
    features,
    columns,
    data: noRows,
    state: { columnSizing: sizing },
    onColumnSizingChange: setSizing,
    columnResizeMode: 'onChange',
    enableColumnResizing: true,
  });

  useEffect(() => {
    const timer = setTimeout(() => saveSizes(storageKey, sizing), saveDelayMs);
    return () => clearTimeout(timer);
  }, [storageKey, sizing]);

  const headers: Header<Features, never>[] = table.getHeaderGroups()[0]?.headers ?? [];
  const widths = headers.map((header) => header.getSize());
  const template = widths.map((width) => `${width}px`).join(' ');
  const totalWidth = widths.reduce((sum, width) => sum + width, 0);

  // Stable handlers (through a ref to this render's headers): a memoized header need not re-render on scroll.
  const latest = useRef({ headers, specs });
  latest.current = { headers, specs };
  const startResize = useCallback((index: number, event: MouseEvent) => {
    event.preventDefault();
    event.stopPropagation();
    latest.current.headers[index]?.getResizeHandler()(event.nativeEvent);
  }, []);
  const resizeBy = useCallback((index: number, deltaPx: number) => {
    const header = latest.current.headers[index];
    if (!header) return;
    const next = Math.max(minColumnWidth, Math.min(maxColumnWidth, header.getSize() + deltaPx));
    setSizing((previous) => ({ ...previous, [header.column.id]: next }));
  }, []);
  const reset = useCallback((index: number) => {
    const id = latest.current.specs[index]?.id;
    if (id === undefined) return;
    setSizing(({ [id]: _removed, ...others }) => others);
  }, []);
  const isResizing = Boolean(table.state.columnResizing.isResizingColumn);
  return { widths, template, totalWidth, startResize, resizeBy, reset, isResizing };
}
