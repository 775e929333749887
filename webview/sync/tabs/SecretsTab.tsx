// The Secrets tab: tokens, passwords, keys and card numbers stored in the clear in this database
// (core/scan/), most severe first, each with where it is and why it matters. Values are never sent
// here: a finding carries its first 4 characters and its length only.
import { useCallback, useEffect, useState } from 'react';
import type { RpcEndpoint } from '../../../core/protocol/rpc';
import type { ScanFinding, ScanSeverity, SecretsScanView } from '../../../core/protocol/secretsScan';
import { SyncQueueProtocol } from '../../../core/protocol/syncViews';
import { Button } from '../../components/Button';
import { StatusBadge } from '../../components/StatusBadge';
import './secrets.css';
import { errorMessage } from '../../../core/errors';

function rowLabel(finding: ScanFinding): string {
  if (finding.rowid !== null) return `rowid ${finding.rowid}`;
  return Object.entries(finding.primaryKey ?? {})
    .map(([column, value]) => `${column} ${JSON.stringify(value)}`)
    .join(', ');
}

function countsLine(view: Extract<SecretsScanView, { status: 'scanned' }>): string {
  const counts: Record<ScanSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const group of view.groups) counts[group.severity] += group.count;
  return `${view.rows} rows in ${view.tables} tables scanned: ${counts.error} errors · ${counts.warning} warnings · ${counts.info} info`;
}

export function SecretsTab({ endpoint }: { endpoint: RpcEndpoint }) {
  const [view, setView] = useState<SecretsScanView | null>(null);
  const [showInfo, setShowInfo] = useState(false);
  const load = useCallback(() => {
    setView(null);
    endpoint.sendRequest(SyncQueueProtocol.scanSecrets, {}).then(setView, (error: unknown) =>
      setView({ status: 'failed', fileName: '', error: errorMessage(error) }),
    );
  }, [endpoint]);
  useEffect(load, [load]);

  if (!view) {
    return (
      <section className="single-pane scroll-pane">
        <p className="muted" role="status">
          <span className="codicon codicon-loading codicon-modifier-spin" aria-hidden="true" /> Scanning every table for secrets stored in the clear...
        </p>
      </section>
    );
  }
  if (view.status === 'failed') {
    return (
      <section className="single-pane scroll-pane">
        <div className="notice error" role="alert">
          The secrets scan failed: {view.error}
        </div>
        <Button icon="refresh" onClick={load}>
          Scan again
        </Button>
      </section>
    );
  }
  const shown = view.findings.filter((finding) => showInfo || finding.severity !== 'info');
  const hiddenInfo = view.findings.length - shown.length;
  const unlisted = view.groups.filter((group) => group.count > group.listed && (showInfo || group.severity !== 'info'));
  return (
    <section className="single-pane scroll-pane secrets">
      <div className="secrets-counts" role="status">
        {countsLine(view)}
      </div>
      <div className="actions">
        <Button icon="refresh" onClick={load}>
          Scan again
        </Button>
        <Button icon={showInfo ? 'eye-closed' : 'eye'} onClick={() => setShowInfo(!showInfo)}>
          {showInfo ? 'Hide info' : `Show info (${hiddenInfo})`}
        </Button>
      </div>
      <p className="muted">Tokens, passwords and keys belong in secure storage (Keychain / Keystore through flutter_secure_storage), never in the app database.</p>
      {shown.length === 0 ? <p className="muted">No secrets at warning or above: nothing that belongs in secure storage is stored in the clear.</p> : null}
      <ul className="findings">
        {shown.map((finding, index) => (
          <li key={index} className="secret-finding">
            <StatusBadge value={finding.severity} />
            <span>
              <strong>{finding.kind}</strong>{' '}
              <span className="secret-where">
                {finding.table}.{finding.column} · {rowLabel(finding)}
                {finding.path ? ` · ${finding.path}` : ''}
              </span>{' '}
              <span className="muted">{finding.preview}</span>
            </span>
            <Button icon="table" onClick={() => void endpoint.sendRequest(SyncQueueProtocol.openTable, { table: finding.table })}>
              Open {finding.table}
            </Button>
            <span className="secret-reason">{finding.reason}</span>
          </li>
        ))}
      </ul>
      {unlisted.map((group, index) => (
        <p key={index} className="muted">
          {group.kind} in {group.table}.{group.column}
          {group.path ? ` ${group.path}` : ''}: {group.count} found, the first {group.listed} listed.
        </p>
      ))}
    </section>
  );
}
