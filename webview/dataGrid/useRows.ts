import { useCallback, useEffect, useRef, useState } from 'react';
import { errorMessage } from '../../core/errors';
import { DataGridProtocol } from '../../core/protocol/dataGrid';
import type { GridCell, GridFilter, GridSort } from '../../core/protocol/gridModel';
import type { RpcEndpoint } from '../../core/protocol/rpc';

/** A reload re-reads at most this many rows in one request (keyset pages stay cheap). */
const reloadLimit = 5000;

export interface RowsState {
  columns: string[];
  rows: GridCell[][];
  hasMore: boolean;
  loading: boolean;
  error: string | null;
  total: number | null;
}

const empty: RowsState = { columns: [], rows: [], hasMore: false, loading: false, error: null, total: null };

/**
 * Rows of one table view, fetched in keyset pages as the grid scrolls. A new table, sort or
 * filter starts from the first page; a new revision (the file changed) re-reads as many rows as
 * were loaded, so the scroll position stays meaningful.
 */
export function useRows(
  endpoint: RpcEndpoint,
  table: string | null,
  sort: GridSort | null,
  filters: readonly GridFilter[],
  revision: number,
  /** Rows per page (synclens.grid.pageSize). */
  pageSize: number,
): RowsState & { loadMore: () => void } {
  const [state, setState] = useState<RowsState>(empty);
  const generation = useRef(0);
  const cursor = useRef<string | null>(null);
  const loadedCount = useRef(0);
  const busy = useRef(false);
  const viewKey = JSON.stringify([table, sort, filters]);
  const lastViewKey = useRef<string | null>(null);
  const lastTable = useRef<string | null>(null);

  useEffect(() => {
    if (table === null) return;
    const sameView = lastViewKey.current === viewKey;
    const sameTable = lastTable.current === table;
    lastViewKey.current = viewKey;
    lastTable.current = table;
    const current = ++generation.current;
    const limit = sameView ? Math.min(reloadLimit, Math.max(pageSize, loadedCount.current)) : pageSize;
    busy.current = true;
    // The rows on screen stay until their replacement arrives (no blank flash on a new sort or filter).
    setState((previous) => (sameTable ? { ...previous, loading: true, ...(sameView ? {} : { total: null }) } : { ...empty, loading: true }));
    endpoint
      .sendRequest(DataGridProtocol.readPage, { table, sort, filters, after: null, limit })
      .then((page) => {
        if (current !== generation.current) return;
        cursor.current = page.nextCursor;
        loadedCount.current = page.rows.length;
        setState((previous) => ({ ...previous, columns: page.columns, rows: page.rows, hasMore: page.hasMore, loading: false, error: null }));
      })
      .catch((error: unknown) => {
        if (current !== generation.current) return;
        setState((previous) => ({ ...previous, loading: false, error: errorMessage(error) }));
      })
      .finally(() => {
        if (current === generation.current) busy.current = false;
      });
    endpoint
      .sendRequest(DataGridProtocol.countRows, { table, filters })
      .then((total) => {
        if (current === generation.current) setState((previous) => ({ ...previous, total }));
      })
      .catch(() => undefined);
    // viewKey stands for table, sort and filters (compared by value, not identity).
  }, [endpoint, viewKey, revision]);

  const loadMore = useCallback(() => {
    if (table === null || busy.current || cursor.current === null) return;
    const current = generation.current;
    busy.current = true;
    setState((previous) => ({ ...previous, loading: true }));
    endpoint
      .sendRequest(DataGridProtocol.readPage, { table, sort, filters, after: cursor.current, limit: pageSize })
      .then((page) => {
        if (current !== generation.current) return;
        cursor.current = page.nextCursor;
        setState((previous) => {
          const rows = previous.rows.concat(page.rows);
          loadedCount.current = rows.length;
          return { ...previous, rows, hasMore: page.hasMore, loading: false };
        });
      })
      .catch((error: unknown) => {
        if (current === generation.current) setState((previous) => ({ ...previous, loading: false, error: errorMessage(error) }));
      })
      .finally(() => {
        if (current === generation.current) busy.current = false;
      });
  }, [endpoint, viewKey, pageSize]);

  return { ...state, loadMore };
}
