// The Queue tab: the ops in send order (grouped by entity or flat), filters, multi-select, and the
// detail pane diffing the selected op's payload against its local row.
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../../core/errors';
import type { RpcEndpoint } from '../../../core/protocol/rpc';
import { plural, verdictWords } from '../../../core/protocol/planOutcome';
import type { OperationDetail, PlanRow, QueueRow } from '../../../core/protocol/syncModel';
import { SyncQueueProtocol } from '../../../core/protocol/syncViews';
import { Button } from '../../components/Button';
import { Dropdown } from '../../components/Dropdown';
import { StatusBadge } from '../../components/StatusBadge';
import { dateTime, duration, pretty } from '../format';
import { JsonDiff } from '../JsonDiff';
import { filterQueueRows, listItems, toggledGroup, type ListItem } from '../queueModel';
import { GroupLabel, groupArrowKeys } from '../QueueGroupRow';
import { planOutdatedReason, type SyncQueueEvent, type SyncQueueState } from '../useSyncQueue';
import { SplitPane } from '../../layout/SplitPane';
import { VirtualList, type ListColumn } from '../VirtualList';

const queueColumns: ListColumn[] = [
  { id: 'id', label: '#', size: 56 },
  { id: 'operation', label: 'operation', size: 84 },
  { id: 'entity', label: 'entity', size: 150, grow: 1 },
  { id: 'age', label: 'age', size: 64 },
  { id: 'retries', label: 'retries', size: 64 },
  { id: 'lastAttempt', label: 'last attempt', size: 150 },
  { id: 'lastError', label: 'last error', size: 160, grow: 2 },
  { id: 'status', label: 'status', size: 112 },
];
const planColumn: ListColumn = { id: 'plan', label: 'plan', size: 132 };
/** Below this width the detail pane goes under the list: beside it, the list would scroll sideways. */
const stackQueueBelow = 1100;

const statusLabels: Record<QueueRow['status'], string> = {
  ready: 'ready',
  'backing-off': 'backing off',
  'dead-lettered': 'dead-lettered',
  invalid: 'invalid',
  orphan: 'orphan',
  superseded: 'superseded',
};

export function QueueTab({ endpoint, state, dispatch }: { endpoint: RpcEndpoint; state: SyncQueueState; dispatch: (event: SyncQueueEvent) => void }) {
  const { queue, grouped, statusFilter, entityFilter, onlyIds, selected, queueIndex } = state;
  const rows = useMemo(() => queue?.rows ?? [], [queue]);
  const entityTypes = useMemo(() => [...new Set(rows.map((row) => row.entityType))].sort(), [rows]);
  const filtered = useMemo(() => filterQueueRows(rows, statusFilter, entityFilter, onlyIds), [rows, statusFilter, entityFilter, onlyIds]);
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const items: ListItem[] = useMemo(() => listItems(filtered, grouped, collapsed), [filtered, grouped, collapsed]);
  const activeItem = items[queueIndex];
  const activeOp = activeItem?.kind === 'op' ? activeItem.row : null;
  const [detail, setDetail] = useState<OperationDetail | { error: string } | null>(null);
  // Once a plan of this queue exists, each op shows what a replay would do to it beside its local status.
  const planOutdated = planOutdatedReason(state);
  const expected = useMemo(() => (state.plan && !planOutdated ? new Map(state.plan.rows.map((row) => [row.opId, row] as const)) : null), [state.plan, planOutdated]);

  useEffect(() => {
    if (!activeOp) {
      setDetail(null);
      return;
    }
    let current = true;
    endpoint.sendRequest(SyncQueueProtocol.operationDetail, { opId: activeOp.id }).then(
      (loaded) => current && setDetail(loaded),
      (error: unknown) => current && setDetail({ error: errorMessage(error) }),
    );
    return () => {
      current = false;
    };
  }, [endpoint, activeOp]);

  const activate = (index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }): void => {
    const idsOf = (from: number, to: number): number[] => items.slice(Math.min(from, to), Math.max(from, to) + 1).flatMap((item) => (item.kind === 'op' ? [item.row.id] : item.collapsed ? item.opIds : []));
    const item = items[index];
    const ids = item?.kind === 'op' ? [item.row.id] : (item?.opIds ?? []);
    const range = event.shiftKey && state.anchor >= 0 ? idsOf(state.anchor, index) : null;
    dispatch({ type: 'activate', index, ids, range, toggle: event.ctrlKey || event.metaKey });
  };

  const hasPlan = expected !== null;
  const columns = useMemo(() => (hasPlan ? [...queueColumns, planColumn] : queueColumns), [hasPlan]);
  const databaseKey = `${queue?.fileName ?? ''}/${queue?.table ?? ''}`;
  const list = (
    <>
      <div className="filters">
        <Dropdown
          ariaLabel="Filter by status"
          value={statusFilter}
          options={[{ value: 'all', label: 'All statuses' }, ...Object.entries(statusLabels).map(([value, label]) => ({ value, label }))]}
          onChange={(value) => dispatch({ type: 'statusFilter', value })}
        />
        <Dropdown
          ariaLabel="Filter by entity type"
          value={entityFilter}
          options={[{ value: 'all', label: 'All entity types' }, ...entityTypes.map((type) => ({ value: type, label: type }))]}
          onChange={(value) => dispatch({ type: 'entityFilter', value })}
        />
        <Button icon={grouped ? 'list-tree' : 'list-flat'} onClick={() => dispatch({ type: 'grouped', grouped: !grouped })} title="Group by entity or list flat">
          {grouped ? 'Grouped by entity' : 'Flat'}
        </Button>
        {onlyIds ? (
          <Button icon="close" onClick={() => dispatch({ type: 'onlyIds', opIds: null })}>
            Showing {plural(onlyIds.length, 'op')} from a finding
          </Button>
        ) : null}
        <span className="muted">{filtered.length.toLocaleString('en-US')} shown</span>
      </div>
      {/* The list's own keys move the cursor; these fold the active group (webview/sync/QueueGroupRow.tsx). */}
      <div style={{ display: 'contents' }} onKeyDownCapture={(event) => groupArrowKeys(event, activeItem, (key, collapse) => setCollapsed(toggledGroup(collapsed, key, collapse)))}>
        <VirtualList
          label="Queued operations in send order"
          count={items.length}
          columns={columns}
          storageKey={`${databaseKey}:queue`}
          activeIndex={queueIndex}
          onActivate={activate}
          renderRow={(index) => {
            const item = items[index]!;
            if (item.kind === 'group') {
              return {
                key: `g:${item.key}`,
                className: 'group-row',
                cells: [
                  <GroupLabel item={item} onToggle={(key) => setCollapsed(toggledGroup(collapsed, key))} />,
                ],
              };
            }
            const row = item.row;
            return {
              key: row.id,
              className: selected.has(row.id) ? 'selected' : undefined,
              cells: [
                `#${row.id}`,
                row.operation,
                <span title={`${row.entityType}/${row.entityId}`}>{`${row.entityType}/${row.entityId}`}</span>,
                row.createdAt === null ? '' : duration((queue?.analyzedAt ?? Date.now()) - row.createdAt),
                String(row.retryCount),
                dateTime(row.lastAttempt),
                <span title={row.lastError ?? ''}>{row.lastError ?? ''}</span>,
                <StatusBadge value={row.status} title={row.reason} />,
                ...(expected ? [<PlanVerdict planned={expected.get(row.id)} />] : []),
              ],
            };
          }}
        />
      </div>
    </>
  );
  return (
    <SplitPane
      storageKey={`${databaseKey}:queue-detail`}
      list={list}
      detail={<div className="detail">{activeOp ? <OperationPane row={activeOp} detail={detail} /> : <p className="muted">Select an operation to see its payload and how it differs from the local row.</p>}</div>}
      detailLabel="Operation detail"
      stackBelow={stackQueueBelow}
    />
  );
}

function PlanVerdict({ planned }: { planned: PlanRow | undefined }) {
  if (!planned) return <span className="muted">not planned</span>;
  return (
    <span className={`status-badge status-${planned.expected}`} title={planned.reason}>
      {verdictWords[planned.expected]}
    </span>
  );
}

function OperationPane({ row, detail }: { row: QueueRow; detail: OperationDetail | { error: string } | null }) {
  return (
    <div>
      <h3>
        #{row.id} {row.operation} {row.entityType}/{row.entityId} <StatusBadge value={row.status} />
      </h3>
      <p>{row.reason}</p>
      {row.nextAttemptAt ? <p>Next attempt {dateTime(row.nextAttemptAt)}</p> : null}
      {row.supersededBy ? <p>Superseded by #{row.supersededBy}</p> : null}
      {row.lastError ? <p className="error-text">Last error: {row.lastError}</p> : null}
      {!detail ? <p className="muted">Loading...</p> : null}
      {detail && 'error' in detail ? <p className="error-text">{detail.error}</p> : null}
      {detail && !('error' in detail) ? (
        <>
          {detail.payload && detail.localRow ? (
            <>
              <h4>Payload vs local row ({detail.table})</h4>
              <JsonDiff before={detail.localRow} after={detail.payload} beforeLabel={`local row in ${detail.table}`} afterLabel="queued payload" />
            </>
          ) : (
            <p className="muted">{detail.localRow ? '' : `No local row in ${detail.table ?? 'any entity table'}.`}</p>
          )}
          <h4>Payload as stored</h4>
          <pre className="code">{detail.payload ? pretty(JSON.parse(detail.payloadText ?? 'null')) : (detail.payloadText ?? '(none)')}</pre>
        </>
      ) : null}
    </div>
  );
}
