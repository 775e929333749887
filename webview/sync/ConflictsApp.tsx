import { conflictTallyText, plural, policyOutcomeWords } from '../../core/protocol/planOutcome';
import { useEffect, useMemo, useState } from 'react';
import { errorMessage } from '../../core/errors';
import type { RpcEndpoint } from '../../core/protocol/rpc';
import { conflictPolicyNames, type ConflictItem, type ConflictPolicyName, type ConflictResolution, type JsonValue, type MergePreview } from '../../core/protocol/syncModel';
import { ConflictsProtocol, type ConflictsPanelState, type PolicyPreviewRow, type RenderedConflicts } from '../../core/protocol/syncViews';
import { Button } from '../components/Button';
import { Dropdown } from '../components/Dropdown';
import { StatusBadge } from '../components/StatusBadge';
import { useFocusReturn } from '../components/useFocusReturn';
import { SplitPane } from '../layout/SplitPane';
import { pretty } from './format';
import { JsonDiff } from './JsonDiff';
import { MergeTable, type FieldChoice } from './MergeTable';

/** Below this panel width the detail goes under the conflict list (SplitPane). */
const stackConflictsBelow = 760;



export function ConflictsApp({ endpoint }: { endpoint: RpcEndpoint }) {
  const [state, setState] = useState<ConflictsPanelState | null>(null);
  const [selectedKey, setSelectedKey] = useState<string | null>(null);
  const [choices, setChoices] = useState<Record<string, FieldChoice>>({});
  const [edits, setEdits] = useState<Record<string, string>>({});
  const [previewPolicy, setPreviewPolicy] = useState<ConflictPolicyName | null>(null);
  const [preview, setPreview] = useState<PolicyPreviewRow[] | null>(null);
  const [mergePreview, setMergePreview] = useState<MergePreview | null>(null);
  useFocusReturn();

  useEffect(() => {
    const stops = [
      endpoint.onNotification(ConflictsProtocol.state, setState),
      endpoint.onNotification(ConflictsProtocol.focus, ({ key, preview: policy }) => {
        if (key) setSelectedKey(key);
        if (policy) setPreviewPolicy(policy);
      }),
    ];
    endpoint.sendNotification(ConflictsProtocol.ready, {});
    return () => stops.forEach((stop) => stop());
  }, [endpoint]);

  const items = state?.items ?? [];
  const selected: ConflictItem | null = items.find((item) => item.key === selectedKey) ?? items[0] ?? null;

  useEffect(() => {
    setChoices({});
    setEdits({});
  }, [selected?.key]);

  useEffect(() => {
    if (!previewPolicy) {
      setPreview(null);
      return;
    }
    let current = true;
    endpoint.sendRequest(ConflictsProtocol.previewPolicy, { policy: previewPolicy }).then(
      (rows) => current && setPreview(rows),
      () => current && setPreview(null),
    );
    return () => {
      current = false;
    };
  }, [endpoint, previewPolicy, state?.items]);

  const editErrors = useMemo(() => {
    const errors: Record<string, string> = {};
    for (const [field, text] of Object.entries(edits)) {
      if (choices[field] !== 'edit') continue;
      try {
        JSON.parse(text);
      } catch (error) {
        errors[field] = `not JSON: ${errorMessage(error)}`;
      }
    }
    return errors;
  }, [edits, choices]);

  // The merge as written (the engine's mergeDocument, asked of the extension), for the choices made so far.
  const mergeRequest = useMemo(() => {
    if (!selected) return null;
    const picks: Record<string, 'local' | 'remote'> = {};
    const values: Record<string, JsonValue> = {};
    for (const difference of selected.differences) {
      const choice = choices[difference.field] ?? 'remote';
      if (choice !== 'edit') picks[difference.field] = choice;
      else if (editErrors[difference.field] === undefined) values[difference.field] = JSON.parse(edits[difference.field] ?? 'null') as JsonValue;
    }
    return { key: selected.key, choices: picks, values };
  }, [selected, choices, edits, editErrors]);

  useEffect(() => {
    if (!mergeRequest) {
      setMergePreview(null);
      return;
    }
    let current = true;
    endpoint.sendRequest(ConflictsProtocol.previewMerge, mergeRequest).then(
      (shown) => current && setMergePreview(shown),
      () => current && setMergePreview(null),
    );
    return () => {
      current = false;
    };
  }, [endpoint, mergeRequest]);

  const resolve = (keys: string[], resolution: ConflictResolution): void => {
    void endpoint.sendRequest(ConflictsProtocol.resolve, { keys, resolution });
  };

  const merge = (): void => {
    if (!mergeRequest) return;
    // The time of the merge the preview showed goes with the write, so the written updatedAt is the one shown.
    resolve([mergeRequest.key], { kind: 'merge', choices: mergeRequest.choices, values: mergeRequest.values, ...(mergePreview?.key === mergeRequest.key ? { mergedAt: mergePreview.mergedAt } : {}) });
  };

  useEffect(
    () =>
      endpoint.onRequest(ConflictsProtocol.inspectRendered, (): RenderedConflicts => {
        const texts = (selector: string): string[] => Array.from(document.querySelectorAll(selector), (element) => element.textContent ?? '');
        const table = (selector: string): string[][] =>
          Array.from(document.querySelectorAll(`${selector} tbody tr`), (row) => Array.from(row.querySelectorAll('td'), (cell) => cell.textContent ?? ''));
        return { items: texts('.conflict-item .item-key'), selected: selected?.key ?? null, fields: table('.fields-table'), preview: table('.preview-table'), status: texts('.status-area').join(' '), empty: texts('.conflicts-empty').join(' ') };
      }),
    [endpoint, selected],
  );

  const disabled = !!state?.busy || !!state?.readOnlyReason;
  const hasEditErrors = Object.keys(editErrors).length > 0;

  return (
    <div className="app">
      <header className="sync-header">
        <div className="title-line">
          <span className="codicon codicon-git-merge" aria-hidden="true" />
          <strong>Conflicts · {state?.fileName ?? ''}</strong>
          <span className="muted">{state?.target?.label ?? ''}</span>
          <span className="spacer" />
          <Button icon="refresh" onClick={() => void endpoint.sendRequest(ConflictsProtocol.refresh, {})} disabled={!!state?.busy}>
            Refresh
          </Button>
        </div>
        <div className="status-area">
          <div className="totals" role="status">
            {state?.items
              ? `${conflictTallyText({ entities: items.length, ops: items.reduce((sum, item) => sum + item.pendingOpIds.length, 0) })}: local changes the remote has overtaken or that differ from it`
              : ''}
          </div>
          {state?.busy ? (
            <div className="notice" role="status">
              <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> {state.busy}
            </div>
          ) : null}
          {state?.error ? (
            <div className="notice error" role="alert">
              {state.error}
            </div>
          ) : null}
          {state?.readOnlyReason ? <div className="notice">{state.readOnlyReason}</div> : null}
          {state && state.lastResults.length > 0 ? (
            <div className="notice">
              {state.lastResults.map((line, index) => (
                <div key={index}>{line}</div>
              ))}
            </div>
          ) : null}
        </div>
        <div className="actions">
          <span>What if every conflict is resolved by</span>
          <Dropdown
            ariaLabel="Policy to preview"
            value={previewPolicy ?? ''}
            options={[{ value: '', label: 'pick a policy...' }, ...conflictPolicyNames.map((policy) => ({ value: policy, label: policy }))]}
            onChange={(value) => setPreviewPolicy(value ? (value as ConflictPolicyName) : null)}
          />
          {previewPolicy && preview ? (
            <Button appearance="primary" icon="law" disabled={disabled || items.length === 0} onClick={() => resolve(items.map((item) => item.key), { kind: 'as-policy', policy: previewPolicy })}>
              Resolve All by {previewPolicy}
            </Button>
          ) : null}
        </div>
      </header>
      {previewPolicy && preview ? (
        <section className="preview scroll-pane" aria-label="Policy preview">
          <table className="summary-table preview-table">
            <thead>
              <tr>
                <th>conflict</th>
                <th>local ops</th>
                <th>outcome</th>
                <th>why</th>
              </tr>
            </thead>
            <tbody>
              {preview.map((row) => (
                <tr key={row.key}>
                  <td>{row.key}</td>
                  <td>{row.opIds.map((id) => `#${id}`).join(' ')}</td>
                  <td>
                    <StatusBadge value={row.outcome} />
                  </td>
                  <td>{row.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ) : null}
      <SplitPane
        storageKey="conflicts-detail"
        stackBelow={stackConflictsBelow}
        defaultFraction={0.65}
        detailLabel="Conflict detail"
        list={
          <section className="list-pane conflict-list" aria-label="Conflicts">
            {state?.items && items.length === 0 ? (
              <p className="muted pad conflicts-empty">
                {state.syncedTables === 0
                  ? `No conflicts can arise: ${state.fileName} has no table synced with Firestore (no entity table was detected or configured in synclens.json).`
                  : 'No conflicts: every local change is ahead of or equal to the remote.'}
              </p>
            ) : null}
            <ul role="listbox" aria-label="Conflicts" className="item-list">
              {items.map((item) => (
                <li
                  key={item.key}
                  role="option"
                  tabIndex={0}
                  aria-selected={item.key === selected?.key}
                  className={`conflict-item${item.key === selected?.key ? ' active' : ''}`}
                  onClick={() => setSelectedKey(item.key)}
                  onKeyDown={(event) => {
                    if (event.key === 'Enter' || event.key === ' ') setSelectedKey(item.key);
                  }}
                >
                  <span className="item-key">{item.key}</span>
                  <span className="muted">
                    {plural(item.differences.length, 'field')} · {item.policy}: {policyOutcomeWords[item.policyOutcome]}
                  </span>
                </li>
              ))}
            </ul>
          </section>
        }
        detail={
          <div className="detail">
            {selected ? (
              <div>
                <h3>{selected.key}</h3>
                <p>
                  Last write wins: <strong>{selected.verdict.winner}</strong> — {selected.verdict.reason}. Policy {selected.policy}: {policyOutcomeWords[selected.policyOutcome]}. Queued {selected.pendingOpIds.length === 1 ? 'op' : 'ops'}:{' '}
                  {selected.pendingOpIds.map((id) => `#${id}`).join(' ') || 'none (isSynced = 0)'}
                </p>
                <div className="actions">
                  <Button icon="arrow-up" disabled={disabled} onClick={() => resolve([selected.key], { kind: 'local' })} title="Push the local version; the queued ops are done">
                    Keep Local
                  </Button>
                  <Button icon="arrow-down" disabled={disabled} onClick={() => resolve([selected.key], { kind: 'remote' })} title="Copy the remote into the local row; drop the queued ops">
                    Take Remote
                  </Button>
                  <Button icon="git-merge" disabled={disabled || hasEditErrors} onClick={merge} title="Write the values in the table's written column to both sides">
                    Merge Fields
                  </Button>
                  <Button icon="law" disabled={disabled || selected.policyOutcome === 'held'} onClick={() => resolve([selected.key], { kind: 'policy' })}>
                    By Policy ({selected.policy})
                  </Button>
                </div>
                <MergeTable
                  conflict={selected}
                  choices={choices}
                  edits={edits}
                  editErrors={editErrors}
                  preview={mergePreview}
                  onChoose={(field, option) => {
                    setChoices({ ...choices, [field]: option });
                    const difference = selected.differences.find((candidate) => candidate.field === field);
                    if (option === 'edit' && edits[field] === undefined) setEdits({ ...edits, [field]: JSON.stringify(difference?.local ?? null) });
                  }}
                  onEdit={(field, text) => setEdits({ ...edits, [field]: text })}
                />
                <h4>Field-level diff (remote → local)</h4>
                <JsonDiff before={selected.remote} after={selected.local} beforeLabel="remote" afterLabel="local" />
                <div className="side-by-side">
                  <div>
                    <h4>Local (row + queued change)</h4>
                    <pre className="code">{pretty(selected.local)}</pre>
                  </div>
                  <div>
                    <h4>Remote</h4>
                    <pre className="code">{pretty(selected.remote)}</pre>
                  </div>
                </div>
                <h4>Queued payload</h4>
                <pre className="code">{selected.queuedPayload ? pretty(selected.queuedPayload) : '(no queued op: the row has isSynced = 0)'}</pre>
              </div>
            ) : (
              <p className="muted">{state?.items ? 'Nothing to resolve.' : 'Reading conflicts...'}</p>
            )}
          </div>
        }
      />
    </div>
  );
}
