import { useCallback, useEffect, useMemo, useState } from 'react';
import { DataGridProtocol, defaultGridPageSize, type GridQueryRequest, type GridQueryState, type GridTab, type GridViewState, type RenderedGrid } from '../../core/protocol/dataGrid';
import { parseFilterText } from '../../core/protocol/gridFilters';
import { jsonColumnsOf, timestampEncodingsOf, type DatabaseSummary, type GridFilter, type GridSort } from '../../core/protocol/gridModel';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { Button } from '../components/Button';
import { Dropdown } from '../components/Dropdown';
import { ProgressRing } from '../components/ProgressRing';
import { Tabs } from '../components/Tabs';
import { useFocusReturn } from '../components/useFocusReturn';
import { loadPanelState, savePanelState } from '../vscodeApi';
import type { ColumnDisplay } from './cellFormat';
import { GridView } from './GridView';
import { SchemaView } from './SchemaView';
import { useRows } from './useRows';

interface PanelState {
  table: string | null;
  tab: GridTab;
}

function isPanelState(value: unknown): value is PanelState {
  return typeof value === 'object' && value !== null && 'tab' in value && (value.tab === 'data' || value.tab === 'schema');
}

const filterDebounceMs = 250;

function timeOfDay(ms: number): string {
  const date = new Date(ms);
  return [date.getHours(), date.getMinutes(), date.getSeconds()].map((part) => String(part).padStart(2, '0')).join(':');
}

export function App({ endpoint }: { endpoint: RpcEndpoint }) {
  const saved = loadPanelState(isPanelState);
  const [view, setView] = useState<GridViewState>({ status: 'loading', fileName: '' });
  // Focus back on the control that had it after a host dialog (export's save dialog, a write's confirmation).
  useFocusReturn();
  const [table, setTable] = useState<string | null>(saved?.table ?? null);
  const [tab, setTab] = useState<GridTab>(saved?.tab ?? 'data');
  const [sort, setSort] = useState<GridSort | null>(null);
  const [filterTexts, setFilterTexts] = useState<Record<string, string>>({});
  const [appliedTexts, setAppliedTexts] = useState<Record<string, string>>({});
  /** A sort and filters the extension asked to show the table with (openTable's query). */
  const [requestedQuery, setRequestedQuery] = useState<GridQueryRequest | null>(null);

  useEffect(() => {
    const stopState = endpoint.onNotification(DataGridProtocol.state, setView);
    const stopSelect = endpoint.onNotification(DataGridProtocol.selectTable, (selection) => {
      setTable(selection.table);
      setTab(selection.tab);
      if (selection.query) setRequestedQuery({ ...selection.query });
    });
    endpoint.sendNotification(DataGridProtocol.ready, {});
    return () => {
      stopState();
      stopSelect();
    };
  }, [endpoint]);

  const database: DatabaseSummary | null = view.status === 'ready' ? view.database : null;
  const tables = database?.schema.tables ?? [];
  const current = tables.find((candidate) => candidate.name === table) ?? null;

  // Pick a table once the database is known: the saved one, else the first entity or table.
  useEffect(() => {
    if (!database || current) return;
    const preferred =
      tables.find((candidate) => database.tableRoles[candidate.name] === 'entity') ?? tables.find((candidate) => candidate.kind === 'table') ?? tables[0];
    // A table selectTable chose since this render (a tree or command open racing the first state) wins.
    if (preferred) setTable((chosen) => (chosen !== null && tables.some((candidate) => candidate.name === chosen) ? chosen : preferred.name));
  }, [database, current, tables]);

  useEffect(() => {
    savePanelState({ table, tab } satisfies PanelState);
    if (table) endpoint.sendNotification(DataGridProtocol.tableSelected, { table });
  }, [endpoint, table, tab]);

  useEffect(() => {
    setSort(null);
    setFilterTexts({});
    setAppliedTexts({});
  }, [table]);

  // After the reset above, which a table switch in the same selection also runs.
  useEffect(() => {
    if (!requestedQuery) return;
    setSort(requestedQuery.sort);
    setFilterTexts({ ...requestedQuery.filterTexts });
    setAppliedTexts({ ...requestedQuery.filterTexts });
  }, [requestedQuery]);

  useEffect(() => {
    const timer = setTimeout(() => setAppliedTexts(filterTexts), filterDebounceMs);
    return () => clearTimeout(timer);
  }, [filterTexts]);

  const columns: ColumnDisplay[] = useMemo(() => {
    if (!database || !current) return [];
    const encodings = timestampEncodingsOf(database.roles, current.name);
    const json = new Set(jsonColumnsOf(database.roles, current.name));
    return current.columns.map((column) => ({
      name: column.name,
      type: column.type,
      timestamp: encodings[column.name] ?? null,
      json: json.has(column.name),
      primaryKey: column.pk === 1,
    }));
  }, [database, current]);

  const { filters, filterErrors } = useMemo(() => {
    const parsed: GridFilter[] = [];
    const errors: Record<string, string> = {};
    for (const column of columns) {
      const result = parseFilterText(column.name, column.type, appliedTexts[column.name] ?? '');
      if ('error' in result) errors[column.name] = result.error;
      else if (result.filter) parsed.push(result.filter);
    }
    return { filters: parsed, filterErrors: errors };
  }, [columns, appliedTexts]);

  const revision = view.status === 'ready' ? view.revision : 0;
  const pageSize = view.status === 'ready' ? view.pageSize : defaultGridPageSize;
  const rowsState = useRows(endpoint, current && tab === 'data' ? current.name : null, sort, filters, revision, pageSize);
  const viewKey = JSON.stringify([current?.name ?? null, sort, filters]);
  const updatedLabel = view.status === 'ready' ? `updated ${timeOfDay(view.updatedAt)}` : '';

  const setFilterText = useCallback((column: string, text: string) => setFilterTexts((previous) => ({ ...previous, [column]: text })), []);
  const copy = useCallback((text: string, what: string) => void endpoint.sendRequest(DataGridProtocol.copyText, { text, what }), [endpoint]);

  useEffect(
    () => endpoint.onRequest(DataGridProtocol.queryState, (): GridQueryState => ({ table: current?.name ?? null, sort, filters, matchingRows: rowsState.total })),
    [endpoint, current, sort, filters, rowsState.total],
  );

  useEffect(
    () =>
      endpoint.onRequest(DataGridProtocol.inspectRendered, (): RenderedGrid => {
        const texts = (selector: string): string[] => Array.from(document.querySelectorAll(selector), (element) => element.textContent ?? '');
        const rows = Array.from(document.querySelectorAll('.grid-row'))
          .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
          .map((row) => Array.from(row.querySelectorAll('.cell-text'), (cell) => cell.textContent ?? ''));
        return {
          status: view.status,
          tab,
          table: current?.name ?? null,
          headers: texts('.header-name'),
          rows,
          message: texts('.message-view').join('\n'),
          loadedRows: rowsState.rows.length,
          totalRows: rowsState.total,
          updatedLabel: document.querySelector('.updated-label')?.textContent ?? '',
          notice: texts('.notice')
            .map((text) => text.trim())
            .join('\n'),
          markupElements: document.querySelectorAll('#root img, #root script, #root iframe, #root object, #root embed').length,
        };
      }),
    [endpoint, view.status, tab, current, rowsState.rows.length, rowsState.total],
  );

  if (view.status === 'loading') {
    return (
      <div className="message-view">
        <ProgressRing label="Loading database" />
        <p>Reading {view.fileName || 'the database'}…</p>
      </div>
    );
  }
  if (view.status === 'error') {
    return (
      <div className="message-view error-view" role="alert">
        <span className="codicon codicon-error message-icon" />
        <h1>{view.title}</h1>
        <p>{view.message}</p>
        {view.code === 'encrypted' || view.code === 'wrong-key' ? (
          // The key is typed into VS Code's own password box: it never enters this webview.
          <Button appearance="primary" icon="key" onClick={() => void endpoint.sendRequest(DataGridProtocol.enterKey, {})}>
            Enter key…
          </Button>
        ) : null}
      </div>
    );
  }

  const hasFilters = filters.length > 0;
  return (
    <div className="app">
      {view.readOnlyReason ? (
        <div className="notice" role="status">
          <span className="codicon codicon-lock" /> {view.readOnlyReason}
        </div>
      ) : null}
      {view.changedOnDisk ? (
        <div className="notice" role="status">
          <span className="codicon codicon-history" /> {view.database.fileName} changed on disk; shown as first read (auto-refresh is off).
          <Button appearance="secondary" icon="refresh" onClick={() => void endpoint.sendRequest(DataGridProtocol.reload, {})}>
            Refresh
          </Button>
        </div>
      ) : null}
      <div className="toolbar">
        <Dropdown
          value={current?.name ?? ''}
          ariaLabel="Table"
          options={tables.map((candidate) => ({
            value: candidate.name,
            label: candidate.rows === null ? candidate.name : `${candidate.name}  (${candidate.rows.toLocaleString('en-US')})`,
          }))}
          onChange={setTable}
        />
        <Tabs
          tabs={[
            { id: 'data', label: 'Data' },
            { id: 'schema', label: 'Schema' },
          ]}
          active={tab}
          onChange={setTab}
        />
        <span className="toolbar-spacer" />
        {tab === 'data' && current ? (
          <>
            <Button
              appearance="icon"
              icon="clear-all"
              title="Clear filters and sort"
              disabled={!hasFilters && !sort && !Object.values(filterTexts).some(Boolean)}
              onClick={() => {
                setFilterTexts({});
                setAppliedTexts({});
                setSort(null);
              }}
            />
            <Button
              appearance="icon"
              icon="export"
              title={hasFilters ? 'Export the filtered view (CSV or JSON)' : 'Export the table (CSV or JSON)'}
              onClick={() => void endpoint.sendRequest(DataGridProtocol.exportRows, { table: current.name, sort, filters, format: null })}
            />
          </>
        ) : null}
      </div>
      {current && tab === 'data' ? (
        <GridView
          columns={columns}
          rows={rowsState.rows}
          hasMore={rowsState.hasMore}
          loading={rowsState.loading}
          sort={sort}
          filterTexts={filterTexts}
          filterErrors={filterErrors}
          onSort={setSort}
          onFilterText={setFilterText}
          onLoadMore={rowsState.loadMore}
          onCopy={copy}
          viewKey={viewKey}
          pageSize={pageSize}
          widthsKey={`${view.database.fileName}/${current.name}`}
        />
      ) : null}
      {current && tab === 'schema' && database ? <SchemaView database={database} table={current} /> : null}
      {!current ? <div className="message-view">This database has no tables.</div> : null}
      <footer className="footer" role="status">
        {tab === 'data' && current ? (
          <span>
            {rowsState.error ? (
              <span className="footer-error">
                <span className="codicon codicon-warning" /> {rowsState.error}
              </span>
            ) : (
              <>
                {rowsState.total === null ? '…' : `${rowsState.total.toLocaleString('en-US')} ${hasFilters ? 'matching ' : ''}${rowsState.total === 1 ? 'row' : 'rows'}`}
                {rowsState.hasMore ? ` · ${rowsState.rows.length.toLocaleString('en-US')} loaded` : ''}
                {rowsState.loading ? ' · loading…' : ''}
              </>
            )}
          </span>
        ) : (
          <span>
            {tables.length} {tables.length === 1 ? 'table or view' : 'tables and views'}
          </span>
        )}
        <span className="toolbar-spacer" />
        {database && database.walFramesApplied > 0 ? <span title="Committed frames from the -wal file applied">{database.walFramesApplied} WAL frames · </span> : null}
        <span className="updated-label">{updatedLabel}</span>
      </footer>
    </div>
  );
}
