// The Sync Queue panel's header: file and target, the queue's totals, what runs, the last error, one
// button per action (each its own request, see core/protocol/syncViews.ts) and the tabs.
import type { RpcEndpoint } from '../../core/protocol/rpc';
import type { QueueSnapshot } from '../../core/protocol/syncModel';
import { SyncQueueProtocol, type SyncTab } from '../../core/protocol/syncViews';
import { Button } from '../components/Button';
import { Tabs } from '../components/Tabs';
import { syncAvailability } from './availability';
import { dateTime, duration } from './format';
import type { SyncQueueEvent, SyncQueueState } from './useSyncQueue';

function totalsLine(queue: QueueSnapshot): string {
  const totals = queue.totals;
  if (!totals) return 'No sync queue table in this database.';
  let next: number | null = null;
  for (const row of queue.rows) if (row.status === 'backing-off' && row.nextAttemptAt !== null && (next === null || row.nextAttemptAt < next)) next = row.nextAttemptAt;
  const nextText = next !== null ? ` (next ${dateTime(next)})` : '';
  const oldest = totals.oldestPendingAt === null ? '' : ` · oldest ${duration(queue.analyzedAt - totals.oldestPendingAt)}`;
  return (
    `${totals.total} ops · ${totals.pending} pending · ${totals.ready} ready · ${totals.backingOff} backing off${nextText} · ` +
    `${totals.deadLettered} dead-lettered · ${totals.invalid} invalid · ${totals.orphans} orphan · ${totals.superseded} superseded${oldest}`
  );
}

/** ` · last sync 3h 5m ago`, or ` · never synced`, from the app's own record (core/queue). */
function lastSyncText(lastSync: NonNullable<QueueSnapshot['lastSync']>, analyzedAt: number): string {
  if (lastSync.at === null) return ' · never synced';
  const age = analyzedAt - lastSync.at;
  return age >= 0 ? ` · last sync ${duration(age)} ago` : ` · last sync at ${dateTime(lastSync.at)} (after this machine's clock)`;
}

export function QueueToolbar({ endpoint, state, dispatch }: { endpoint: RpcEndpoint; state: SyncQueueState; dispatch: (event: SyncQueueEvent) => void }) {
  const { queue, status, replay, selected } = state;
  const busy = status?.busy ?? null;
  const readOnly = status?.readOnlyReason ?? null;
  const replayRunning = replay?.running ?? false;
  const progress = replayRunning && state.log.length > 0 ? ` ${replay!.settled}/${replay!.total}` : '';
  const available = syncAvailability(state);
  const queueBlocked = !!busy || available.queueActions !== null;
  const replayBlocked = !!busy || available.replayActions !== null;
  const replayTitle = available.replayActions ?? undefined;
  const remoteBlocked = !!busy || available.remoteActions !== null;
  const ask = (send: () => Promise<void>): void => void send();
  const tabs: { id: SyncTab; label: string }[] = [
    { id: 'queue', label: `Queue (${queue?.rows.length ?? 0})` },
    { id: 'plan', label: state.plan ? `Plan (${state.plan.rows.length})` : 'Plan' },
    { id: 'log', label: state.log.length > 0 ? `Replay log (${state.log.length})` : 'Replay log' },
    { id: 'hygiene', label: `Hygiene (${queue?.hygiene.length ?? 0})` },
    { id: 'secrets', label: 'Secrets' },
    { id: 'compare', label: 'Compare' },
  ];
  return (
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
        {queue ? totalsLine(queue) : (state.queueError ?? 'Reading the queue...')}
        {queue?.lastSync ? <span title={`As the app records it: ${queue.lastSync.source}`}>{lastSyncText(queue.lastSync, queue.analyzedAt)}</span> : null}
      </div>
      {busy ? (
        <div className="notice" role="status">
          <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {busy}
          {progress}
        </div>
      ) : null}
      {status?.error ? (
        <div className="notice error" role="alert">
          <span className="codicon codicon-error" aria-hidden="true" /> {status.error}
        </div>
      ) : null}
      {readOnly ? <div className="notice">{readOnly}</div> : null}
      {available.reasons.map((reason) => (
        <div className="notice unavailable" key={reason}>
          <span className="codicon codicon-info" aria-hidden="true" /> {reason}
        </div>
      ))}
      <div className="actions">
        <Button icon="refresh" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.refresh, {}))} title="Read the queue again">
          Refresh
        </Button>
        <Button icon="checklist" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.plan, {}))} disabled={queueBlocked} title={available.queueActions ?? 'Classify every op against the remote; writes nothing'}>
          Plan
        </Button>
        <Button appearance="primary" icon="run-all" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.replay, { mode: 'all', opIds: [] }))} disabled={replayBlocked} title={replayTitle}>
          Replay All
        </Button>
        <Button
          icon="run"
          onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.replay, { mode: 'selected', opIds: [...selected] }))}
          disabled={replayBlocked || selected.size === 0}
          title={replayTitle}
        >
          Replay Selected ({selected.size})
        </Button>
        <Button icon="debug-step-over" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.replay, { mode: 'step', opIds: [] }))} disabled={replayBlocked} title={replayTitle}>
          Step
        </Button>
        {available.readOnlyQueue ? (
          <span className="read-only-queue" role="note">
            <span className="codicon codicon-lock" aria-hidden="true" /> {available.readOnlyQueue}
          </span>
        ) : null}
        {replayRunning ? (
          <Button icon="debug-stop" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.cancelReplay, {}))}>
            Cancel
          </Button>
        ) : null}
        <Button icon="cloud-download" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.pull, {}))} disabled={remoteBlocked}>
          Pull
        </Button>
        <Button icon="diff" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.compare, {}))} disabled={remoteBlocked}>
          Compare
        </Button>
        <Button icon="git-merge" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.showConflicts, {}))} disabled={remoteBlocked}>
          Conflicts
        </Button>
        <Button icon="plug" onClick={() => ask(() => endpoint.sendRequest(SyncQueueProtocol.connect, {}))}>
          Connect...
        </Button>
      </div>
      <Tabs tabs={tabs} active={state.tab} onChange={(tab) => dispatch({ type: 'tab', tab })} />
    </header>
  );
}
