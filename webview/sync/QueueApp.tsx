// The Sync Queue panel: the toolbar, one component per tab (webview/sync/tabs/), all fed by the
// useSyncQueue reducer.
import { useEffect } from 'react';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { SyncQueueProtocol, type RenderedSyncPanel } from '../../core/protocol/syncViews';
import { useFocusReturn } from '../components/useFocusReturn';
import { QueueToolbar } from './QueueToolbar';
import { logEntries } from './replayLog';
import { CompareTab } from './tabs/CompareTab';
import { HygieneTab } from './tabs/HygieneTab';
import { LogTab } from './tabs/LogTab';
import { PlanTab } from './tabs/PlanTab';
import { QueueTab } from './tabs/QueueTab';
import { SecretsTab } from './tabs/SecretsTab';
import { useSyncQueue } from './useSyncQueue';

export function QueueApp({ endpoint }: { endpoint: RpcEndpoint }) {
  const [state, dispatch] = useSyncQueue(endpoint);
  const { tab, log } = state;
  useFocusReturn();

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
          log: logEntries(log).map((result) => `#${result.opId} ${result.outcome} ${result.message}`),
          status: texts('.status-line').join(' '),
          error: texts('.notice.error').join(' '),
          disabledActions: texts('.actions [disabled]').map((label) => label.trim()),
          secrets: texts('.secrets-counts, .secret-finding'),
          plan: texts('.plan-line').join(' '),
          unavailable: texts('.notice.unavailable').map((line) => line.trim()),
        };
      }),
    [endpoint, tab, log],
  );

  return (
    <div className="app">
      <QueueToolbar endpoint={endpoint} state={state} dispatch={dispatch} />
      {tab === 'queue' ? <QueueTab endpoint={endpoint} state={state} dispatch={dispatch} /> : null}
      {tab === 'plan' ? <PlanTab state={state} dispatch={dispatch} /> : null}
      {tab === 'log' ? <LogTab state={state} dispatch={dispatch} /> : null}
      {tab === 'hygiene' ? <HygieneTab endpoint={endpoint} state={state} dispatch={dispatch} /> : null}
      {tab === 'secrets' ? <SecretsTab endpoint={endpoint} /> : null}
      {tab === 'compare' ? <CompareTab compare={state.compare} /> : null}
    </div>
  );
}
