import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { OperationResult } from '../../core/engine/types';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { decodeQueueRows, type OperationDetail, type PlanRow, type QueueRow, type QueueSnapshot } from '../../core/protocol/syncModel';
import { SyncQueueProtocol, type RenderedSyncPanel, type SyncAction, type SyncPanelStatus, type SyncTab } from '../../core/protocol/syncViews';
import { Button } from '../components/Button';
import { Dropdown } from '../components/Dropdown';
import { Tabs } from '../components/Tabs';
import { dateTime, duration, pretty } from './format';
import { JsonDiff } from './JsonDiff';
import { filterQueueRows, listItems, type ListItem } from './queueModel';
import { VirtualList } from './VirtualList';

const statusLabels: Record<QueueRow['status'], string> = {
  ready: 'ready',
  'backing-off': 'backing off',
  'dead-lettered': 'dead-lettered',
  invalid: 'invalid',
  orphan: 'orphan',
  superseded: 'superseded',
};

export function StatusBadge({ value, title }: { value: string; title?: string }) {
  return (
    <span className={`status-badge status-${value}`} title={title}>
      {value.replace(/-/g, ' ')}
    </span>
  );
}

function totalsLine(queue: QueueSnapshot): string {
  const totals = queue.totals;
  if (!totals) return 'No sync queue table in this database.';
  const nextAttempt = queue.rows.filter((row) => row.status === 'backing-off' && row.nextAttemptAt !== null).map((row) => row.nextAttemptAt!);
  const next = nextAttempt.length > 0 ? ` (next ${dateTime(Math.min(...nextAttempt))})` : '';
  const oldest = totals.oldestPendingAt === null ? '' : ` · oldest ${duration(queue.analyzedAt - totals.oldestPendingAt)}`;
  return (
    `${totals.total} ops · ${totals.pending} pending · ${totals.ready} ready · ${totals.backingOff} backing off${next} · ` +
    `${totals.deadLettered} dead-lettered · ${totals.invalid} invalid · ${totals.orphans} orphan · ${totals.superseded} superseded${oldest}`
  );
}

export function QueueApp({ endpoint }: { endpoint: RpcEndpoint }) {
  const [queue, setQueue] = useState<QueueSnapshot | null>(null);
  const [queueError, setQueueError] = useState<string | null>(null);
  const [status, setStatus] = useState<SyncPanelStatus | null>(null);
  const [tab, setTab] = useState<SyncTab>('queue');
  const [grouped, setGrouped] = useState(true);
  const [statusFilter, setStatusFilter] = useState('all');
  const [entityFilter, setEntityFilter] = useState('all');
  const [onlyIds, setOnlyIds] = useState<readonly number[] | null>(null);
  const [selected, setSelected] = useState<ReadonlySet<number>>(new Set());
  const [activeIndex, setActiveIndex] = useState(-1);
  const [detail, setDetail] = useState<OperationDetail | { error: string } | null>(null);
  const [log, setLog] = useState<{ result: OperationResult; settled: number; total: number }[]>([]);
  const [planIndex, setPlanIndex] = useState(-1);
  const [logIndex, setLogIndex] = useState(-1);
  const anchor = useRef(-1);

  useEffect(() => {
    const stops = [
      endpoint.onNotification(SyncQueueProtocol.queue, (snapshot) => {
        if ('error' in snapshot) {
          setQueueError(snapshot.error);
          return;
        }
        setQueueError(null);
        setQueue({ ...snapshot, rows: decodeQueueRows(snapshot.rows) });
      }),
      endpoint.onNotification(SyncQueueProtocol.status, (next) => {
        setStatus((previous) => {
          if (next.replay?.running && !previous?.replay?.running) setLog([]);
          return next;
        });
      }),
      endpoint.onNotification(SyncQueueProtocol.replayResult, (entry) => setLog((previous) => [...previous, entry])),
      endpoint.onNotification(SyncQueueProtocol.showTab, ({ tab: next }) => setTab(next)),
    ];
    endpoint.sendNotification(SyncQueueProtocol.ready, {});
    return () => stops.forEach((stop) => stop());
  }, [endpoint]);

  const rows = queue?.rows ?? [];
  const entityTypes = useMemo(() => [...new Set(rows.map((row) => row.entityType))].sort(), [rows]);
  const filtered = useMemo(() => filterQueueRows(rows, statusFilter, entityFilter, onlyIds), [rows, statusFilter, entityFilter, onlyIds]);
  const items: ListItem[] = useMemo(() => listItems(filtered, grouped), [filtered, grouped]);

  const activeItem = items[activeIndex];
  const activeOp = activeItem?.kind === 'op' ? activeItem.row : null;

  useEffect(() => {
    if (!activeOp) {
      setDetail(null);
      return;
    }
    let current = true;
    endpoint.sendRequest(SyncQueueProtocol.operationDetail, { opId: activeOp.id }).then(
      (loaded) => current && setDetail(loaded),
      (error: unknown) => current && setDetail({ error: error instanceof Error ? error.message : String(error) }),
    );
    return () => {
      current = false;
    };
  }, [endpoint, activeOp]);

  useEffect(() => {
    endpoint.sendNotification(SyncQueueProtocol.selectionChanged, { opIds: [...selected] });
  }, [endpoint, selected]);

  const activate = useCallback(
    (index: number, event: { shiftKey: boolean; ctrlKey: boolean; metaKey: boolean }) => {
      setActiveIndex(index);
      const idsOf = (from: number, to: number): number[] =>
        items.slice(Math.min(from, to), Math.max(from, to) + 1).flatMap((item) => (item.kind === 'op' ? [item.row.id] : []));
      const item = items[index];
      const ids = item?.kind === 'op' ? [item.row.id] : item ? idsOf(index + 1, index + item.count) : [];
      if (event.shiftKey && anchor.current >= 0) {
        setSelected(new Set(idsOf(anchor.current, index)));
        return;
      }
      anchor.current = index;
      if (event.ctrlKey || event.metaKey) {
        setSelected((previous) => {
          const next = new Set(previous);
          for (const id of ids) {
            if (next.has(id)) next.delete(id);
            else next.add(id);
          }
          return next;
        });
      } else setSelected(new Set(ids));
    },
    [items],
  );

  const run = (action: SyncAction, opIds: readonly number[] = [...selected]): void => {
    void endpoint.sendRequest(SyncQueueProtocol.run, { action, opIds });
  };

  const planRows = status?.plan?.rows ?? [];
  const activePlan: PlanRow | null = planRows[planIndex] ?? null;
  const busy = status?.busy ?? null;
  const replayRunning = status?.replay?.running ?? false;
  const readOnly = status?.readOnlyReason ?? null;
  const hygiene = queue?.hygiene ?? [];
  const lastProgress = log.at(-1);

  useEffect(
    () =>
      endpoint.onRequest(SyncQueueProtocol.inspectRendered, (): RenderedSyncPanel => {
        const texts = (selector: string): string[] => Array.from(document.querySelectorAll(selector), (element) => element.textContent ?? '');
        const rendered = Array.from(document.querySelectorAll('.vscroll .vrow'))
          .sort((a, b) => Number(a.getAttribute('aria-rowindex')) - Number(b.getAttribute('aria-rowindex')))
          .map((row) => Array.from(row.querySelectorAll('.vcell'), (cell) => cell.textContent ?? ''));
        return {
          tab,
          totals: texts('.totals').join(''),
          headers: texts('.vheader-cell'),
          rows: rendered,
          detail: texts('.detail').join('\n'),
          log: log.map((entry) => `#${entry.result.opId} ${entry.result.outcome} ${entry.result.message}`),
          status: texts('.status-line').join(' '),
          error: texts('.notice.error').join(' '),
          disabledActions: texts('.actions [disabled]').map((label) => label.trim()),
        };
      }),
    [endpoint, tab, log],
  );

  const tabs: { id: SyncTab; label: string }[] = [
    { id: 'queue', label: `Queue (${rows.length})` },
    { id: 'plan', label: status?.plan ? `Plan (${planRows.length})` : 'Plan' },
    { id: 'log', label: log.length > 0 ? `Replay log (${log.length})` : 'Replay log' },
    { id: 'hygiene', label: `Hygiene (${hygiene.length})` },
    { id: 'compare', label: 'Compare' },
  ];

  return (
    <div className="app">
      <header className="sync-header">
        <div className="title-line">
          <span className="codicon codicon-sync" aria-hidden="true" />
          <strong>{queue?.fileName ?? status?.fileName ?? 'Sync queue'}</strong>
          {queue?.table ? <span className="muted">table {queue.table}</span> : null}
          <span className="spacer" />
          <span className="muted status-line" title={status?.connection}>
            {status?.target ? `${status.target.label} · ${status.connection}` : 'Firestore target: from synclens.json'}
          </span>
        </div>
        <div className="totals" role="status">
          {queue ? totalsLine(queue) : (queueError ?? 'Reading the queue...')}
        </div>
        {busy ? (
          <div className="notice" role="status">
            <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {busy}
            {lastProgress && replayRunning ? ` ${lastProgress.settled}/${lastProgress.total}` : ''}
          </div>
        ) : null}
        {status?.error ? (
          <div className="notice error" role="alert">
            <span className="codicon codicon-error" aria-hidden="true" /> {status.error}
          </div>
        ) : null}
        {readOnly ? <div className="notice">{readOnly}</div> : null}
        <div className="actions">
          <Button icon="refresh" onClick={() => run('refresh')} title="Read the queue again">
            Refresh
          </Button>
          <Button icon="checklist" onClick={() => run('plan', [])} disabled={!!busy || !!readOnly} title="Classify every op against the remote; writes nothing">
            Plan
          </Button>
          <Button appearance="primary" icon="run-all" onClick={() => run('replayAll', [])} disabled={!!busy || !!readOnly}>
            Replay All
          </Button>
          <Button icon="run" onClick={() => run('replaySelected')} disabled={!!busy || !!readOnly || selected.size === 0}>
            Replay Selected ({selected.size})
          </Button>
          <Button icon="debug-step-over" onClick={() => run('replayStep', [])} disabled={!!busy || !!readOnly}>
            Step
          </Button>
          {replayRunning ? (
            <Button icon="debug-stop" onClick={() => run('cancelReplay', [])}>
              Cancel
            </Button>
          ) : null}
          <Button icon="cloud-download" onClick={() => run('pull', [])} disabled={!!busy || !!readOnly}>
            Pull
          </Button>
          <Button icon="diff" onClick={() => run('compare', [])} disabled={!!busy || !!readOnly}>
            Compare
          </Button>
          <Button icon="git-merge" onClick={() => run('showConflicts', [])}>
            Conflicts
          </Button>
          <Button icon="plug" onClick={() => run('connect', [])}>
            Connect...
          </Button>
        </div>
        <Tabs tabs={tabs} active={tab} onChange={setTab} />
      </header>

      {tab === 'queue' ? (
        <div className="split">
          <section className="list-pane">
            <div className="filters">
              <Dropdown
                ariaLabel="Filter by status"
                value={statusFilter}
                options={[{ value: 'all', label: 'All statuses' }, ...Object.entries(statusLabels).map(([value, label]) => ({ value, label }))]}
                onChange={setStatusFilter}
              />
              <Dropdown
                ariaLabel="Filter by entity type"
                value={entityFilter}
                options={[{ value: 'all', label: 'All entity types' }, ...entityTypes.map((type) => ({ value: type, label: type }))]}
                onChange={setEntityFilter}
              />
              <Button icon={grouped ? 'list-tree' : 'list-flat'} onClick={() => setGrouped(!grouped)} title="Group by entity or list flat">
                {grouped ? 'Grouped by entity' : 'Flat'}
              </Button>
              {onlyIds ? (
                <Button icon="close" onClick={() => setOnlyIds(null)}>
                  Showing {onlyIds.length} op(s) from a finding
                </Button>
              ) : null}
              <span className="muted">{filtered.length.toLocaleString('en-US')} shown</span>
            </div>
            <VirtualList
              label="Queued operations in send order"
              count={items.length}
              headers={['#', 'operation', 'entity', 'age', 'retries', 'last attempt', 'last error', 'status']}
              columns="52px 64px minmax(0, 1.4fr) 64px 52px 136px minmax(0, 1.6fr) 112px"
              activeIndex={activeIndex}
              onActivate={activate}
              renderRow={(index) => {
                const item = items[index]!;
                if (item.kind === 'group') {
                  return {
                    key: `g:${item.key}`,
                    className: 'group-row',
                    cells: [
                      <span className="group-label">
                        <span className="codicon codicon-chevron-down" aria-hidden="true" /> {item.entityType}/{item.entityId}{' '}
                        <span className="muted">· {item.count} op(s)</span>
                      </span>,
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
                    grouped ? '' : `${row.entityType}/${row.entityId}`,
                    row.createdAt === null ? '' : duration((queue?.analyzedAt ?? Date.now()) - row.createdAt),
                    String(row.retryCount),
                    dateTime(row.lastAttempt),
                    <span title={row.lastError ?? ''}>{row.lastError ?? ''}</span>,
                    <StatusBadge value={row.status} title={row.reason} />,
                  ],
                };
              }}
            />
          </section>
          <section className="detail-pane detail" aria-label="Operation detail">
            {activeOp ? <OperationPane row={activeOp} detail={detail} /> : <p className="muted">Select an operation to see its payload and how it differs from the local row.</p>}
          </section>
        </div>
      ) : null}

      {tab === 'plan' ? (
        <div className="split">
          <section className="list-pane">
            <div className="filters">
              {status?.plan ? (
                <span>
                  Planned against {status.plan.target} at {dateTime(status.plan.plannedAt)} · {status.plan.remoteReads} bulk read(s) ·{' '}
                  {Object.entries(status.plan.totals)
                    .map(([name, count]) => `${count} ${name}`)
                    .join(' · ')}
                </span>
              ) : (
                <span className="muted">No plan yet: Plan reads the remote documents the queue touches and writes nothing.</span>
              )}
            </div>
            <VirtualList
              label="Plan"
              count={planRows.length}
              headers={['#', 'operation', 'entity', 'classification', 'reason']}
              columns="52px 64px minmax(0, 1.2fr) 120px minmax(0, 2fr)"
              activeIndex={planIndex}
              onActivate={(index) => setPlanIndex(index)}
              renderRow={(index) => {
                const row = planRows[index]!;
                return {
                  key: row.opId,
                  cells: [`#${row.opId}`, row.operation, `${row.entityType}/${row.entityId}`, <StatusBadge value={row.classification} />, <span title={row.reason}>{row.reason}</span>],
                };
              }}
            />
          </section>
          <section className="detail-pane detail" aria-label="Plan detail">
            {activePlan ? <PlanPane row={activePlan} /> : <p className="muted">Select an operation to see what it would write beside the remote document.</p>}
          </section>
        </div>
      ) : null}

      {tab === 'log' ? (
        <section className="single-pane">
          <div className="filters">
            {status?.replay?.report ? (
              <span>
                {Object.entries(status.replay.report.counts)
                  .filter(([, count]) => count > 0)
                  .map(([name, count]) => `${count} ${name}`)
                  .join(' · ')}
                {status.replay.report.cancelled ? ' · cancelled' : ''} · {status.replay.report.batchesCommitted} batch(es) ·{' '}
                {status.replay.report.backupPath ? `backup ${status.replay.report.backupPath}` : 'file unchanged'}
              </span>
            ) : replayRunning ? (
              <span>Replaying... {lastProgress ? `${lastProgress.settled}/${lastProgress.total}` : ''}</span>
            ) : (
              <span className="muted">Replay results appear here as each operation settles.</span>
            )}
          </div>
          {status?.pull ? (
            <div className="pull-report">
              <strong>Pull:</strong> {status.pull.applied} change(s) applied, {status.pull.conflicts} became conflicts
              {status.pull.collections.map((entry) => (
                <div key={entry.collection}>
                  {entry.collection}: {entry.applied} applied{entry.conflicts.length > 0 ? `; conflicts: ${entry.conflicts.join(', ')}` : ''}
                </div>
              ))}
              {status.pull.backupPath ? <div className="muted">backup {status.pull.backupPath}</div> : null}
            </div>
          ) : null}
          <VirtualList
            label="Replay log"
            count={log.length}
            headers={['#', 'operation', 'entity', 'outcome', 'message']}
            columns="52px 64px minmax(0, 1.2fr) 120px minmax(0, 3fr)"
            activeIndex={logIndex}
            onActivate={(index) => setLogIndex(index)}
            renderRow={(index) => {
              const { result } = log[index]!;
              return {
                key: `${index}:${result.opId}`,
                cells: [`#${result.opId}`, result.operation, `${result.entityType}/${result.entityId}`, <StatusBadge value={result.outcome} />, <span title={result.message}>{result.message}</span>],
              };
            }}
          />
        </section>
      ) : null}

      {tab === 'hygiene' ? (
        <section className="single-pane scroll-pane">
          {hygiene.length === 0 ? <p className="muted">No hygiene findings: the queue and the entity tables agree.</p> : null}
          <ul className="findings">
            {hygiene.map((finding, index) => (
              <li key={index}>
                <StatusBadge value={finding.kind} />
                <span className="finding-text">{finding.message}</span>
                {finding.opIds.length > 0 ? (
                  <Button
                    icon="list-filter"
                    onClick={() => {
                      setOnlyIds(finding.opIds);
                      setStatusFilter('all');
                      setEntityFilter('all');
                      setTab('queue');
                    }}
                  >
                    Show ops
                  </Button>
                ) : null}
                {finding.table ? (
                  <Button icon="table" onClick={() => void endpoint.sendRequest(SyncQueueProtocol.openTable, { table: finding.table! })}>
                    Open {finding.table}
                  </Button>
                ) : null}
              </li>
            ))}
          </ul>
        </section>
      ) : null}

      {tab === 'compare' ? (
        <section className="single-pane scroll-pane">
          {status?.compare ? (
            <>
              <table className="summary-table">
                <thead>
                  <tr>
                    <th>collection</th>
                    <th>table</th>
                    <th>local rows</th>
                    <th>remote documents</th>
                    <th>in sync</th>
                  </tr>
                </thead>
                <tbody>
                  {status.compare.collections.map((entry) => (
                    <tr key={entry.collection}>
                      <td>{entry.collection}</td>
                      <td>{entry.table}</td>
                      <td>{entry.localRows}</td>
                      <td>{entry.remoteDocuments}</td>
                      <td>{entry.inSync}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <ul className="findings">
                {status.compare.findings.map((finding, index) => (
                  <li key={index}>
                    <StatusBadge value={finding.kind} />
                    <span className="finding-text">{finding.message}</span>
                  </li>
                ))}
              </ul>
            </>
          ) : (
            <p className="muted">Compare reads every document of each synced collection and lists what differs from the local rows. Nothing is written.</p>
          )}
        </section>
      ) : null}
    </div>
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

function PlanPane({ row }: { row: PlanRow }) {
  return (
    <div>
      <h3>
        #{row.opId} {row.operation} {row.collection ?? row.entityType}/{row.entityId} <StatusBadge value={row.classification} />
      </h3>
      <p>{row.reason}</p>
      {row.verdict ? (
        <p>
          Policy {row.policy}: {row.verdict.winner} wins — {row.verdict.reason}
        </p>
      ) : null}
      <div className="side-by-side">
        <div>
          <h4>Would write</h4>
          <pre className="code">{row.document ? pretty(row.document) : row.operation === 'delete' ? 'soft delete (isDeleted: true, deletedAt: server time)' : '(nothing)'}</pre>
        </div>
        <div>
          <h4>Remote document</h4>
          <pre className="code">{row.remote ? pretty(row.remote) : '(missing or not read)'}</pre>
        </div>
      </div>
      {row.remote && row.document ? (
        <>
          <h4>Remote → this write</h4>
          <JsonDiff before={row.remote} after={{ ...row.remote, ...row.document }} beforeLabel="remote now" afterLabel="after this op" />
        </>
      ) : null}
    </div>
  );
}
