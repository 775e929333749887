import * as vscode from 'vscode';
import { DataGridProtocol, GridQueryState, type GridQueryRequest, type GridTab, type GridViewState, type RenderedGrid, type WebviewLogLevel } from '../core/protocol/dataGrid';
import { firestoreSdkGridNotice, isFirestoreSdkCache } from '../core/queue/firestoreSdk/source';
import type { DatabaseRegistry, OpenDatabase } from './databases';
import { DisposableBase } from './dispose';
import { exportTable } from './exportFlow';
import { log } from './log';
import { gridPageSize } from './settings';
import { WebviewAppPanel, type WebviewMessageOutcome } from './webviewPanel';

/** The log levels a webview writes at, each to its own method: a message never names a method of the channel. */
const webviewLog: Record<WebviewLogLevel, (message: string) => void> = {
  info: (message) => log().info(message),
  warn: (message) => log().warn(message),
  error: (message) => log().error(message),
};

/** A database file opened in the editor area: one per file, shared by every panel showing it. */
export class DatabaseDocument extends DisposableBase implements vscode.CustomDocument {
  constructor(
    readonly uri: vscode.Uri,
    readonly database: OpenDatabase,
    private readonly onDispose: () => void,
  ) {
    super();
  }

  override dispose(): void {
    this.onDispose();
    super.dispose();
  }
}

/**
 * One webview panel showing a DatabaseDocument: the data grid app and its protocol endpoint. A
 * custom editor's panel, or a SQL file's Results panel (extension/sql/resultsPanel.ts), which names
 * itself by `label` (the statement) instead of the file's name.
 */
export class DatabasePanel extends WebviewAppPanel {
  selectedTable: string | null = null;

  constructor(
    readonly document: DatabaseDocument,
    panel: vscode.WebviewPanel,
    private readonly registry: DatabaseRegistry,
    extensionUri: vscode.Uri,
    private readonly label = document.database.fileName,
  ) {
    super(panel, extensionUri, 'dataGrid', label);
    this.handleRequests();
    this.register(document.database.onDidChange(() => this.pushState()));
  }

  private handleRequests(): void {
    const { endpoint } = this;
    const database = this.document.database;
    endpoint.onNotification(DataGridProtocol.ready, () => {
      this.markReady();
      this.pushState();
    });
    endpoint.onNotification(DataGridProtocol.tableSelected, ({ table }) => {
      this.selectedTable = table;
    });
    endpoint.onNotification(DataGridProtocol.log, ({ level, message }) => webviewLog[level](`data grid: ${message}`));
    endpoint.onRequest(DataGridProtocol.readPage, (query) => database.readPage(query));
    endpoint.onRequest(DataGridProtocol.countRows, ({ table, filters }) => database.countRows(table, filters));
    endpoint.onRequest(DataGridProtocol.copyText, async ({ text, what }) => {
      await vscode.env.clipboard.writeText(text);
      vscode.window.setStatusBarMessage(`Copied ${what}`, 2000);
    });
    // The checked request has no outputUri: the user always picks the file in the save dialog.
    endpoint.onRequest(DataGridProtocol.exportRows, async (request) => {
      const { written, rows } = await exportTable(this.registry, database, request);
      return { written, rows };
    });
    endpoint.onRequest(DataGridProtocol.reload, () => database.load());
    endpoint.onRequest(DataGridProtocol.enterKey, async () => {
      await vscode.commands.executeCommand('synclens.enterDatabaseKey', database.uri);
    });
  }

  private viewState(): GridViewState {
    const state = this.document.database.state;
    const fileName = this.label;
    switch (state.status) {
      case 'loading':
        return { status: 'loading', fileName };
      case 'error':
        return { status: 'error', fileName, code: state.problem.code, title: state.problem.title, message: state.problem.message };
      case 'ready':
        return {
          status: 'ready',
          database: { ...state.summary, fileName },
          revision: state.revision,
          readOnlyReason: !vscode.workspace.isTrusted
            ? 'Restricted Mode: SyncLens only reads this database until you trust the workspace.'
            : isFirestoreSdkCache(state.summary.schema)
              ? firestoreSdkGridNotice
              : null,
          updatedAt: state.summary.loadedAt,
          pageSize: gridPageSize(),
          changedOnDisk: this.document.database.changedOnDisk,
        };
    }
  }

  pushState(): void {
    if (this.isReady) this.endpoint.sendNotification(DataGridProtocol.state, this.viewState());
  }

  async selectTable(table: string, tab: GridTab, query?: GridQueryRequest): Promise<void> {
    await this.whenReady();
    this.selectedTable = table;
    this.endpoint.sendNotification(DataGridProtocol.selectTable, { table, tab, query });
  }

  /** The table, sort and filters the grid shows now; null before it is ready or when its answer fails the schema (it is untrusted). */
  async queryState(): Promise<GridQueryState | null> {
    if (!this.isReady) return null;
    const checked = GridQueryState.safeParse(await this.endpoint.sendRequest(DataGridProtocol.queryState, {}));
    if (!checked.success) log().warn(`data grid: ignored a query state that fails its schema: ${checked.error.message}`);
    return checked.success ? checked.data : null;
  }

  async inspect(): Promise<RenderedGrid> {
    await this.whenReady();
    return this.endpoint.sendRequest(DataGridProtocol.inspectRendered, {});
  }
}

/** The read-only custom editor for SQLite files: a custom document per file, a panel per editor. */
export class DatabaseEditorProvider implements vscode.CustomReadonlyEditorProvider<DatabaseDocument> {
  static readonly viewType = 'synclens.databaseEditor';
  /**
   * The same editor offered under "Open With..." for any file (priority "option"): SQLite files
   * named otherwise. A contribution's priority covers all its selectors, hence a second view type.
   */
  static readonly anyFileViewType = 'synclens.databaseEditor.anyFile';
  private readonly panels = new Set<DatabasePanel>();
  private activePanel: DatabasePanel | undefined;
  private readonly onDidChangeActiveEmitter = new vscode.EventEmitter<OpenDatabase | undefined>();
  /** The database of the focused SyncLens editor changed. */
  readonly onDidChangeActive = this.onDidChangeActiveEmitter.event;

  static register(context: vscode.ExtensionContext, registry: DatabaseRegistry): DatabaseEditorProvider {
    const provider = new DatabaseEditorProvider(context.extensionUri, registry);
    for (const viewType of [DatabaseEditorProvider.viewType, DatabaseEditorProvider.anyFileViewType]) {
      context.subscriptions.push(
        vscode.window.registerCustomEditorProvider(viewType, provider, {
          supportsMultipleEditorsPerDocument: true,
          webviewOptions: { retainContextWhenHidden: true },
        }),
      );
    }
    context.subscriptions.push(
      provider.onDidChangeActiveEmitter,
      // Open grids take a new page size for their next page read.
      vscode.workspace.onDidChangeConfiguration((event) => {
        if (event.affectsConfiguration('synclens.grid.pageSize')) for (const panel of provider.panels) panel.pushState();
      }),
    );
    return provider;
  }

  private constructor(
    private readonly extensionUri: vscode.Uri,
    private readonly registry: DatabaseRegistry,
  ) {}

  openCustomDocument(uri: vscode.Uri): DatabaseDocument {
    const database = this.registry.acquire(uri);
    return new DatabaseDocument(uri, database, () => this.registry.release(database));
  }

  resolveCustomEditor(document: DatabaseDocument, panel: vscode.WebviewPanel): void {
    const databasePanel = new DatabasePanel(document, panel, this.registry, this.extensionUri);
    this.panels.add(databasePanel);
    this.setActive(databasePanel);
    panel.onDidChangeViewState(() => {
      if (panel.active) this.setActive(databasePanel);
    });
    databasePanel.onDidDispose(() => {
      this.panels.delete(databasePanel);
      if (this.activePanel === databasePanel) this.setActive(undefined);
    });
  }

  private setActive(panel: DatabasePanel | undefined): void {
    this.activePanel = panel;
    this.onDidChangeActiveEmitter.fire(panel?.document.database);
  }

  get activeDatabase(): OpenDatabase | undefined {
    return this.activePanel?.document.database;
  }

  get activeTable(): string | null {
    return this.activePanel?.selectedTable ?? null;
  }

  private panelFor(path: string): DatabasePanel | undefined {
    if (this.activePanel?.document.database.path === path) return this.activePanel;
    return [...this.panels].find((panel) => panel.document.database.path === path);
  }

  /** Opens the file in this editor and, when given, shows one table (sorted and filtered by `query`). */
  async open(uri: vscode.Uri, table?: string, tab: GridTab = 'data', query?: GridQueryRequest): Promise<void> {
    await vscode.commands.executeCommand('vscode.openWith', uri, DatabaseEditorProvider.viewType);
    if (table) await this.panelFor(uri.fsPath)?.selectTable(table, tab, query);
  }

  /** The sort and filters of the grid showing `table` of `path` (the focused one first), or null when none shows it. */
  async gridQueryOf(path: string, table: string): Promise<GridQueryState | null> {
    const panel = this.panelFor(path);
    if (!panel || panel.selectedTable !== table) return null;
    const state = await panel.queryState();
    return state?.table === table ? state : null;
  }

  /** Hands a message to the grid panel of `path` as if its webview had posted it (tests). */
  async deliverAsWebview(path: string, message: unknown): Promise<WebviewMessageOutcome | undefined> {
    return this.panelFor(path)?.deliverAsWebview(message);
  }

  /** What the grid of the editor for `path` renders now (tests, screenshots). */
  async inspect(path: string): Promise<RenderedGrid | undefined> {
    return this.panelFor(path)?.inspect();
  }
}
