// Scans open databases for secrets stored in the clear (core/scan/) in a thread of its own, and
// reports the findings in the Problems panel on the database file: one diagnostic per finding, its
// message saying where (table, column, row, JSON path) and why, never the value. A database is
// scanned again when it is reloaded (a new revision), and its problems go when it is closed.
import * as vscode from 'vscode';
import type { SecretsScanView, ScanFinding, ScanSeverity } from '../../core/protocol/secretsScan';
import { errorMessage } from '../../core/errors';
import { SecretsWorkerProtocol } from '../../core/protocol/secretsScan';
import { extensionWorker } from '../extensionWorker';
import type { DatabaseRegistry, OpenDatabase } from '../databases';
import { DisposableBase } from '../dispose';
import { log } from '../log';
import type { WorkerClient } from '../workerClient';

const severities: Record<ScanSeverity, vscode.DiagnosticSeverity> = {
  error: vscode.DiagnosticSeverity.Error,
  warning: vscode.DiagnosticSeverity.Warning,
  info: vscode.DiagnosticSeverity.Information,
};

/** Where a finding is, as a person reads it: `sessions.refresh_token, rowid 3, $.auth.token`. */
export function findingPlace(finding: ScanFinding): string {
  const row =
    finding.rowid !== null
      ? `rowid ${finding.rowid}`
      : Object.entries(finding.primaryKey ?? {})
          .map(([column, value]) => `${column} ${JSON.stringify(value)}`)
          .join(', ');
  return `${finding.table}.${finding.column}, ${row}${finding.path ? `, ${finding.path}` : ''}`;
}

function diagnosticOf(finding: ScanFinding): vscode.Diagnostic {
  const diagnostic = new vscode.Diagnostic(new vscode.Range(0, 0, 0, 0), `${finding.kind} in ${findingPlace(finding)} (${finding.preview}): ${finding.reason}`, severities[finding.severity]);
  diagnostic.source = 'SyncLens secrets';
  diagnostic.code = finding.kind;
  return diagnostic;
}

/** The thread that runs the secrets scan and the diff (dist/scanWorker.js), started on first use. */
export function analysisWorker(extensionUri: vscode.Uri): WorkerClient {
  return extensionWorker('the scan and diff worker', vscode.Uri.joinPath(extensionUri, 'dist', 'scanWorker.js').fsPath);
}

export class SecretsScanner extends DisposableBase {
  private readonly diagnostics = vscode.languages.createDiagnosticCollection('synclens.secrets');
  /** The last scan of each open database, by the revision it was taken at. */
  private readonly scans = new Map<string, { revision: number; view: Promise<SecretsScanView> }>();

  constructor(
    /** The scan and diff thread (analysisWorker); its owner disposes it. */
    private readonly worker: WorkerClient,
    private readonly registry: DatabaseRegistry,
  ) {
    super();
    this.register(this.diagnostics);
    this.register(registry.onDidChange((database) => this.follow(database)));
    for (const database of registry.all()) this.follow(database);
  }

  /** The scan of `path` at its current revision, started now when there is none (the Secrets tab). */
  scan(path: string): Promise<SecretsScanView> {
    const database = this.registry.get(path);
    const revision = database?.state.status === 'ready' ? database.state.revision : -1;
    const known = this.scans.get(path);
    if (known && known.revision === revision && revision >= 0) return known.view;
    const view = this.worker.endpoint.sendRequest(SecretsWorkerProtocol.scan, { path });
    if (revision >= 0) this.scans.set(path, { revision, view });
    return view;
  }

  private follow(database: OpenDatabase | undefined): void {
    if (!database) {
      // A database was closed: its problems go with it.
      const open = new Set(this.registry.all().map((candidate) => candidate.path));
      for (const path of [...this.scans.keys()]) {
        if (open.has(path)) continue;
        this.scans.delete(path);
        this.diagnostics.delete(vscode.Uri.file(path));
      }
      return;
    }
    const state = database.state;
    if (state.status !== 'ready' || this.scans.get(database.path)?.revision === state.revision) return;
    const uri = database.uri;
    this.scan(database.path).then(
      (view) => {
        if (this.registry.get(uri.fsPath) !== database) return;
        if (view.status === 'failed') {
          log().error(`secrets scan of ${view.fileName} failed: ${view.error}`);
          this.diagnostics.delete(uri);
          return;
        }
        this.diagnostics.set(uri, view.findings.map(diagnosticOf));
        log().info(`secrets scan of ${view.fileName}: ${view.findings.length} findings in ${view.rows} rows (${view.elapsedMs} ms)`);
      },
      (error: unknown) => log().error(`secrets scan failed: ${errorMessage(error)}`),
    );
  }
}
