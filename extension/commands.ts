// Every SyncLens command, registered in one place; each is a small factory (ctx) => handler.
import * as vscode from 'vscode';
import * as z from 'zod';
import { GridSort, type ExportFormat, type GridFilter } from '../core/protocol/gridModel';
import type { DatabaseEditorProvider } from './databaseEditor';
import { enterDatabaseKey, forgetDatabaseKey, type DatabaseKeys } from './databaseKeys';
import type { DatabaseRegistry } from './databases';
import { rowCountText, type DatabaseTreeProvider } from './databaseTree';
import { exportTable } from './exportFlow';
import { log } from './log';
import { restoreBackupFromTree } from './restoreBackupCommand';
import { syncCommandFactories } from './sync/commands';
import type { SyncController } from './sync/syncController';
import { walkthroughCommandFactories } from './walkthrough';

export interface CommandContext {
  registry: DatabaseRegistry;
  editors: DatabaseEditorProvider;
  tree: DatabaseTreeProvider;
  sync: SyncController;
  /** Keys of encrypted databases (SecretStorage). */
  keys: DatabaseKeys;
  /** Where the extension is installed and may keep files (the walkthrough's sample copy). */
  extension: Pick<vscode.ExtensionContext, 'extensionUri' | 'globalStorageUri'>;
}

type Handler = (...args: unknown[]) => unknown;
type CommandFactory = (ctx: CommandContext) => Handler;

/** A tree node, a file Uri (explorer menus), or nothing (palette: the focused SyncLens editor). */
function targetUri(ctx: CommandContext, arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (isNodeLike(arg)) return arg.uri;
  return ctx.editors.activeDatabase?.uri;
}

function isNodeLike(value: unknown): value is { kind: string; uri: vscode.Uri; table?: { name: string } } {
  return typeof value === 'object' && value !== null && 'kind' in value && 'uri' in value && value.uri instanceof vscode.Uri;
}

const databaseFileFilters = { 'SQLite databases': ['db', 'sqlite', 'sqlite3', 'db3'], 'All files': ['*'] };

const openDatabase: CommandFactory = (ctx) => async (arg) => {
  const uri =
    targetUri(ctx, arg) ??
    (await vscode.window.showOpenDialog({ title: 'Open Database', canSelectMany: false, filters: databaseFileFilters, openLabel: 'Open' }))?.[0];
  if (uri) await ctx.editors.open(uri);
};

/** What an openTable caller may add to a table node: a sort and filter texts to show it with. */
const TableQueryArg = z.object({ query: z.object({ sort: GridSort.nullable(), filterTexts: z.record(z.string(), z.string()) }) });

const openTable: CommandFactory = (ctx) => async (arg) => {
  if (!isNodeLike(arg) || !arg.table) return;
  const query = TableQueryArg.safeParse(arg);
  await ctx.editors.open(arg.uri, arg.table.name, 'data', query.success ? query.data.query : undefined);
};

const refresh: CommandFactory = (ctx) => async (arg) => {
  const uri = isNodeLike(arg) || arg instanceof vscode.Uri ? targetUri(ctx, arg) : ctx.editors.activeDatabase?.uri;
  const database = uri ? ctx.registry.get(uri.fsPath) : undefined;
  if (database) await database.load();
  else ctx.tree.refresh();
};

interface ExportArgs {
  uri?: vscode.Uri;
  table?: string;
  format?: ExportFormat;
  sort?: GridSort | null;
  filters?: GridFilter[];
  outputUri?: vscode.Uri;
}

function isExportArgs(value: unknown): value is ExportArgs {
  return typeof value === 'object' && value !== null && ('table' in value || 'outputUri' in value) && !('kind' in value);
}

const exportTableCommand: CommandFactory = (ctx) => async (arg) => {
  const explicit = isExportArgs(arg) ? arg : undefined;
  const uri = explicit?.uri ?? targetUri(ctx, arg);
  if (!uri) {
    void vscode.window.showInformationMessage('Open a database in SyncLens first, then export one of its tables.');
    return { written: false, rows: 0 };
  }
  const database = ctx.registry.acquire(uri);
  try {
    await database.settled();
    const state = database.state;
    if (state.status !== 'ready') {
      void vscode.window.showErrorMessage(state.status === 'error' ? state.problem.message : `${database.fileName} is not loaded.`);
      return { written: false, rows: 0 };
    }
    const fromNode = isNodeLike(arg) ? arg.table?.name : undefined;
    const table =
      explicit?.table ??
      fromNode ??
      (ctx.editors.activeDatabase === database ? ctx.editors.activeTable : null) ??
      (await vscode.window.showQuickPick(
        state.summary.schema.tables.map((candidate) => ({ label: candidate.name, description: rowCountText(candidate.rows) })),
        { title: 'Export Table', placeHolder: 'Table to export' },
      ))?.label;
    if (!table) return { written: false, rows: 0 };
    // Started from the palette or a tree node while a grid shows the table: export what it shows.
    const shown = explicit?.sort !== undefined || explicit?.filters !== undefined ? null : await ctx.editors.gridQueryOf(database.path, table);
    return await exportTable(ctx.registry, database, {
      table,
      sort: explicit?.sort ?? shown?.sort ?? null,
      filters: explicit?.filters ?? shown?.filters ?? [],
      format: explicit?.format ?? null,
      outputUri: explicit?.outputUri,
    });
  } finally {
    ctx.registry.release(database);
  }
};

const copyPath: CommandFactory = (ctx) => async (arg) => {
  const uri = targetUri(ctx, arg);
  if (!uri) return;
  await vscode.env.clipboard.writeText(uri.fsPath);
  vscode.window.setStatusBarMessage(`Copied ${uri.fsPath}`, 2000);
};

const revealInExplorer: CommandFactory = (ctx) => async (arg) => {
  const uri = targetUri(ctx, arg);
  if (uri) await vscode.commands.executeCommand('revealInExplorer', uri);
};

const showLog: CommandFactory = () => () => log().show();

const restoreBackup: CommandFactory = (ctx) => (arg) => restoreBackupFromTree(ctx.registry, arg);

function keyCommandContext(ctx: CommandContext) {
  return { keys: ctx.keys, registry: ctx.registry, open: (uri: vscode.Uri) => ctx.editors.open(uri), activeUri: () => ctx.editors.activeDatabase?.uri };
}

const enterKey: CommandFactory = (ctx) => (arg) => enterDatabaseKey(keyCommandContext(ctx), arg);
const forgetKey: CommandFactory = (ctx) => (arg) => forgetDatabaseKey(keyCommandContext(ctx), arg);

/** The `data-vscode-context` of a grid cell a webview context menu was opened on. */
function gridCellContext(arg: unknown): { cellText?: string; rowJson?: string } {
  return typeof arg === 'object' && arg !== null ? (arg as { cellText?: string; rowJson?: string }) : {};
}

const copyGridValue: CommandFactory = () => async (arg) => {
  const { cellText } = gridCellContext(arg);
  if (typeof cellText === 'string') await vscode.env.clipboard.writeText(cellText);
};

const copyGridRow: CommandFactory = () => async (arg) => {
  const { rowJson } = gridCellContext(arg);
  if (typeof rowJson === 'string') await vscode.env.clipboard.writeText(rowJson);
};

export const commandFactories: Record<string, CommandFactory> = {
  'synclens.openDatabase': openDatabase,
  'synclens.openInSyncLens': openDatabase,
  'synclens.openTable': openTable,
  'synclens.refresh': refresh,
  'synclens.exportTable': exportTableCommand,
  'synclens.copyPath': copyPath,
  'synclens.revealInExplorer': revealInExplorer,
  'synclens.showLog': showLog,
  'synclens.restoreBackup': restoreBackup,
  'synclens.enterDatabaseKey': enterKey,
  'synclens.forgetDatabaseKey': forgetKey,
  'synclens.grid.copyValue': copyGridValue,
  'synclens.grid.copyRowAsJson': copyGridRow,
  ...syncCommandFactories,
  ...walkthroughCommandFactories,
};

export function registerCommands(ctx: CommandContext): vscode.Disposable[] {
  return Object.entries(commandFactories).map(([id, factory]) => vscode.commands.registerCommand(id, factory(ctx)));
}
