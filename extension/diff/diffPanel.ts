// "SyncLens: Compare with…": the database shown (a tree node or the active editor) against another
// file the user picks, diffed in the scan and diff worker, in a webview of its own: a tree of tables
// with their counts, the schema changes at the top, a table's added, removed and changed rows with
// the changed cells marked.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { DiffViewProtocol, DiffWorkerProtocol, type DiffView, type RenderedDiff } from '../../core/protocol/databaseDiff';
import type { DatabaseEditorProvider } from '../databaseEditor';
import { log } from '../log';
import { WebviewAppPanel } from '../webviewPanel';
import type { WorkerClient } from '../workerClient';

export class DiffPanel extends WebviewAppPanel {
  static readonly viewType = 'synclens.databaseDiff';
  private view: DiffView | null = null;

  constructor(extensionUri: vscode.Uri, title: string) {
    const panel = vscode.window.createWebviewPanel(DiffPanel.viewType, title, vscode.ViewColumn.Active, { retainContextWhenHidden: true });
    super(panel, extensionUri, 'databaseDiff', title);
    this.endpoint.onNotification(DiffViewProtocol.ready, () => {
      this.markReady();
      if (this.view) this.endpoint.sendNotification(DiffViewProtocol.diff, this.view);
    });
  }

  show(view: DiffView): void {
    this.view = view;
    if (this.isReady) this.endpoint.sendNotification(DiffViewProtocol.diff, view);
  }

  async inspect(): Promise<RenderedDiff> {
    await this.whenReady();
    return this.endpoint.sendRequest(DiffViewProtocol.inspectRendered, {});
  }
}

/** The tree's database node, `{ uri, other }` (tests, other extensions), or nothing (the active editor). */
function argumentUris(arg: unknown): { uri?: vscode.Uri; other?: vscode.Uri } {
  if (arg instanceof vscode.Uri) return { uri: arg };
  if (typeof arg !== 'object' || arg === null) return {};
  const { uri, other } = arg as { uri?: unknown; other?: unknown };
  return { uri: uri instanceof vscode.Uri ? uri : undefined, other: other instanceof vscode.Uri ? other : undefined };
}

export class CompareCommand implements vscode.Disposable {
  static readonly id = 'synclens.compareWith';
  private last: DiffPanel | undefined;
  private readonly registration: vscode.Disposable;

  constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly worker: WorkerClient,
    private readonly editors: DatabaseEditorProvider,
  ) {
    this.registration = vscode.commands.registerCommand(CompareCommand.id, (arg: unknown) => this.run(arg));
  }

  /** What the most recent diff view renders (tests, screenshots). */
  inspectLast(): Promise<RenderedDiff | undefined> {
    return this.last ? this.last.inspect() : Promise.resolve(undefined);
  }

  private async run(arg: unknown): Promise<{ compared: boolean }> {
    const given = argumentUris(arg);
    const uri = given.uri ?? this.editors.activeDatabase?.uri;
    if (!uri) {
      void vscode.window.showInformationMessage('Open a database in SyncLens first (or pick one in the SyncLens view), then compare it with another file.');
      return { compared: false };
    }
    const other =
      given.other ??
      (
        await vscode.window.showOpenDialog({
          title: `Compare ${basename(uri.fsPath)} with…`,
          openLabel: 'Compare',
          canSelectMany: false,
          defaultUri: vscode.Uri.joinPath(uri, '..'),
          filters: { 'SQLite databases': ['db', 'sqlite', 'sqlite3', 'db3'], 'All files': ['*'] },
        })
      )?.[0];
    if (!other) return { compared: false };
    const title = `${basename(uri.fsPath)} ↔ ${basename(other.fsPath)}`;
    const panel = new DiffPanel(this.extensionUri, title);
    this.last = panel;
    panel.onDidDispose(() => {
      if (this.last === panel) this.last = undefined;
    });
    const view = await vscode.window.withProgress({ location: vscode.ProgressLocation.Notification, title: `Comparing ${title}…` }, () =>
      this.worker.endpoint.sendRequest(DiffWorkerProtocol.diff, { before: uri.fsPath, after: other.fsPath }),
    );
    if (view.status === 'failed') log().error(`compare ${title} failed: ${view.error}`);
    else log().info(`compared ${title} in ${view.elapsedMs} ms: ${view.schema.changes.length} schema changes`);
    panel.show(view);
    return { compared: view.status === 'compared' };
  }

  dispose(): void {
    this.registration.dispose();
    this.last?.dispose();
  }
}
