// The Replay log tab: each op's outcome as its batch settles, the write-back summary with its
// backup, and the last pull's report.
import { plural } from '../../../core/protocol/planOutcome';
import { badgeText } from '../../components/badgeWords';
import { StatusBadge } from '../../components/StatusBadge';
import { logEntry } from '../replayLog';
import type { SyncQueueEvent, SyncQueueState } from '../useSyncQueue';
import { VirtualList, type ListColumn } from '../VirtualList';

const logColumns: ListColumn[] = [
  { id: 'id', label: '#', size: 56 },
  { id: 'operation', label: 'operation', size: 84 },
  { id: 'entity', label: 'entity', size: 170, grow: 1 },
  { id: 'outcome', label: 'outcome', size: 120 },
  { id: 'message', label: 'message', size: 240, grow: 3 },
];

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
              .map(([name, count]) => `${count} ${badgeText(name)}`)
              .join(' · ')}
            {summary.cancelled ? ' · cancelled' : ''} · {plural(summary.batchesCommitted, 'batch', 'batches')} · {summary.backupPath ? `backup ${summary.backupPath}` : 'file unchanged'}
          </span>
        ) : replay?.running ? (
          <span>
            Replaying... {log.length > 0 ? `${replay.settled}/${replay.total}` : ''}
            {replay.status ? <span className="muted"> · {replay.status}</span> : null}
          </span>
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
        columns={logColumns}
        storageKey="replay-log"
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
