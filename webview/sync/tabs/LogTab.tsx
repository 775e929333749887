// The Replay log tab: each op's outcome as its batch settles, the write-back summary with its
// backup, and the last pull's report.
import { plural } from '../../../core/protocol/planOutcome';
import { StatusBadge } from '../../components/StatusBadge';
import { logEntry } from '../replayLog';
import type { SyncQueueEvent, SyncQueueState } from '../useSyncQueue';
import { VirtualList } from '../VirtualList';

export function LogTab({ state, dispatch }: { state: SyncQueueState; dispatch: (event: SyncQueueEvent) => void }) {
  const { replay, pull, log } = state;
  const summary = replay?.summary ?? null;
  return (
    <section className="single-pane">
      <div className="filters">
        {summary ? (
          <span>
            {Object.entries(summary.counts)
              .filter(([, count]) => count > 0)
              .map(([name, count]) => `${count} ${name}`)
              .join(' · ')}
            {summary.cancelled ? ' · cancelled' : ''} · {summary.batchesCommitted} batch(es) · {summary.backupPath ? `backup ${summary.backupPath}` : 'file unchanged'}
          </span>
        ) : replay?.running ? (
          <span>Replaying... {log.length > 0 ? `${replay.settled}/${replay.total}` : ''}</span>
        ) : (
          <span className="muted">Replay results appear here as each operation settles.</span>
        )}
      </div>
      {pull ? (
        <div className="pull-report">
          <strong>Pull:</strong> {plural(pull.applied, 'change')} applied, {plural(pull.conflicts, 'entity', 'entities')} now in conflict
          {pull.collections.map((entry) => (
            <div key={entry.collection}>
              {entry.collection}: {entry.applied} applied{entry.conflicts.length > 0 ? `; conflicts: ${entry.conflicts.join(', ')}` : ''}
            </div>
          ))}
          {pull.backupPath ? <div className="muted">backup {pull.backupPath}</div> : null}
        </div>
      ) : null}
      <VirtualList
        label="Replay log"
        count={log.length}
        headers={['#', 'operation', 'entity', 'outcome', 'message']}
        columns="52px 64px minmax(0, 1.2fr) 120px minmax(0, 3fr)"
        activeIndex={state.logIndex}
        onActivate={(index) => dispatch({ type: 'logIndex', index })}
        renderRow={(index) => {
          const result = logEntry(log, index)!;
          return {
            key: `${index}:${result.opId}`,
            cells: [`#${result.opId}`, result.operation, `${result.entityType}/${result.entityId}`, <StatusBadge value={result.outcome} />, <span title={result.message}>{result.message}</span>],
          };
        }}
      />
    </section>
  );
}
