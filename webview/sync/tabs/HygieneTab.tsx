// The Hygiene tab: queue problems in words, each with its ops (filtered in the Queue tab) and table.
import type { RpcEndpoint } from '../../../core/protocol/rpc';
import { SyncQueueProtocol } from '../../../core/protocol/syncViews';
import { Button } from '../../components/Button';
import { StatusBadge } from '../../components/StatusBadge';
import type { SyncQueueEvent, SyncQueueState } from '../useSyncQueue';

export function HygieneTab({ endpoint, state, dispatch }: { endpoint: RpcEndpoint; state: SyncQueueState; dispatch: (event: SyncQueueEvent) => void }) {
  const hygiene = state.queue?.hygiene ?? [];
  return (
    <section className="single-pane scroll-pane">
      {hygiene.length === 0 ? <p className="muted">No hygiene findings: the queue and the entity tables agree.</p> : null}
      <ul className="findings">
        {hygiene.map((finding, index) => (
          <li key={index}>
            <StatusBadge value={finding.kind} />
            <span className="finding-text">{finding.message}</span>
            {finding.opIds.length > 0 ? (
              <Button icon="list-filter" onClick={() => dispatch({ type: 'onlyIds', opIds: finding.opIds })}>
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
  );
}
