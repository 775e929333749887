import * as vscode from 'vscode';
import type { RenderedGrid } from '../core/protocol/dataGrid';
import { ActiveDatabaseContext } from './activeDatabaseContext';
import { registerCommands } from './commands';
import { SqlResultsPanels } from './sql/resultsPanel';
import { DatabaseEditorProvider } from './databaseEditor';
import { DatabaseRegistry } from './databases';
import { DatabaseKeys, LanguageServerKeys } from './databaseKeys';
import { DatabaseTreeProvider, type TreeNode } from './databaseTree';
import { extensionWorker } from './extensionWorker';
import { disposeLog, log } from './log';
import { PendingStatusBar } from './statusBar';
import { startLanguageClient } from './languageClient';
import { lastWriteConfirmation } from './sync/confirmations';
import { SyncController } from './sync/syncController';
import { analysisWorker, SecretsScanner } from './scan/secretsScanner';
import { CompareCommand } from './diff/diffPanel';
import type { RenderedDiff } from '../core/protocol/databaseDiff';
import type { RenderedConflicts, RenderedSyncPanel } from '../core/protocol/syncViews';
import type { WebviewMessageOutcome } from './webviewPanel';
import { errorMessage } from '../core/errors';

/** Read-only hooks the extension-host tests and the screenshot script use. */
export interface SyncLensApi {
  /** What the grid of the editor showing `path` renders now; undefined when no editor shows it. */
  inspectEditor(path: string): Promise<RenderedGrid | undefined>;
  /** Children of a tree node (roots when undefined), as the tree shows them. */
  treeChildren(node?: TreeNode): Promise<{ node: TreeNode; item: vscode.TreeItem }[]>;
  /** State of an open database: 'loading', 'ready' with its revision (and whether it changed on disk unread), or 'error' with its code. */
  databaseState(path: string): { status: string; revision?: number; changedOnDisk?: boolean; code?: string } | undefined;
  /** What the Sync Queue / Conflicts panel of `path` renders now; undefined when none is open. */
  inspectSyncQueue(path: string): Promise<RenderedSyncPanel | undefined>;
  inspectConflicts(path: string): Promise<RenderedConflicts | undefined>;
  /** The last write confirmation asked (message, detail, choices): the test workbench refuses modal dialogs. */
  lastWriteConfirmation(): { message: string; detail: string; choices: readonly string[] } | null;
  /** The "N pending" status bar item's text and tooltip, or undefined while it is hidden. */
  pendingStatus(): { text: string; tooltip: string } | undefined;
  /** Whether SecretStorage holds a key for the database at `path` (never the key itself). */
  hasDatabaseKey(path: string): Promise<boolean>;
  /** Hands a message to the grid of `path` as if its webview had posted it: what a hostile webview could do. */
  deliverToGrid(path: string, message: unknown): Promise<WebviewMessageOutcome | undefined>;
  /** What the Results panel of the SQL document `sqlUri` renders now, with its title; undefined when none is open. */
  inspectSqlResults(sqlUri: string): Promise<(RenderedGrid & { title: string }) | undefined>;
  /** The synclens.activeEditorIsDatabase context key the editor title's sync actions need. */
  activeEditorIsDatabase(): boolean;
  /** What the most recent "Compare with…" view renders now; undefined when none is open. */
  inspectDiff(): Promise<RenderedDiff | undefined>;
}

export async function activate(context: vscode.ExtensionContext): Promise<SyncLensApi> {
  const started = Date.now();
  const worker = extensionWorker('the database worker', vscode.Uri.joinPath(context.extensionUri, 'dist', 'databaseWorker.js').fsPath);
  const registry = new DatabaseRegistry(worker);
  const keys = new DatabaseKeys(context.secrets);
  const editors = DatabaseEditorProvider.register(context, registry);
  const tree = new DatabaseTreeProvider(registry);
  const analysis = analysisWorker(context.extensionUri);
  const secrets = new SecretsScanner(analysis, registry);
  const sync = new SyncController(context.extensionUri, context.secrets, registry, editors, (path) => secrets.scan(path));
  tree.conflictCountFor = (path) => sync.conflictCountFor(path);
  const compare = new CompareCommand(context.extensionUri, analysis, editors);
  const pendingStatusBar = new PendingStatusBar(editors, registry, sync);
  const sqlResults = new SqlResultsPanels(registry, context.extensionUri);
  const activeDatabase = new ActiveDatabaseContext(editors, registry);
  context.subscriptions.push(
    worker,
    registry,
    tree,
    vscode.window.createTreeView(DatabaseTreeProvider.viewId, { treeDataProvider: tree, showCollapseAll: true }),
    sync,
    sync.onDidChangeCounts(() => tree.redraw()),
    pendingStatusBar,
    analysis,
    secrets,
    compare,
    keys,
    sqlResults,
    activeDatabase,
    ...registerCommands({ registry, editors, tree, sync, keys, extension: context }),
    { dispose: disposeLog },
  );
  // Not awaited: the browse features work without the language server, and activation stays quick.
  startLanguageClient(context, sqlResults, new LanguageServerKeys(keys)).then(
    (client) => context.subscriptions.push(client),
    (error: unknown) => log().error(`the SyncLens language server did not start: ${errorMessage(error)}`),
  );
  log().info(`SyncLens activated in ${Date.now() - started} ms${vscode.workspace.isTrusted ? '' : ' (Restricted Mode: reads only, never contacts Firestore or starts the emulator)'}`);
  return {
    inspectEditor: (path) => editors.inspect(path),
    deliverToGrid: (path, message) => editors.deliverAsWebview(path, message),
    inspectDiff: () => compare.inspectLast(),
    inspectSqlResults: (sqlUri) => sqlResults.inspect(sqlUri),
    activeEditorIsDatabase: () => activeDatabase.value,
    inspectSyncQueue: async (path) => sync.inspectQueue(path),
    inspectConflicts: async (path) => sync.inspectConflicts(path),
    pendingStatus: () => pendingStatusBar.shown,
    lastWriteConfirmation: () => lastWriteConfirmation,
    hasDatabaseKey: (path) => keys.has(path),
    treeChildren: async (node) => (await tree.getChildren(node)).map((child) => ({ node: child, item: tree.getTreeItem(child) })),
    databaseState: (path) => {
      const database = registry.get(path);
      const state = database?.state;
      if (!database || !state) return undefined;
      if (state.status === 'ready') return { status: 'ready', revision: state.revision, changedOnDisk: database.changedOnDisk };
      if (state.status === 'error') return { status: 'error', code: state.problem.code };
      return { status: 'loading' };
    },
  };
}

export function deactivate(): void {
  // Everything is in context.subscriptions.
}
