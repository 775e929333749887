import { basename, dirname } from 'node:path';
import * as vscode from 'vscode';
import { backupsOf, type BackupEntry } from '../core/db/restoreBackup';
import type { ColumnInfo, QueueTotals, TableInfo } from '../core/db/types';
import { conflictTallyText, type ConflictTally } from '../core/protocol/planOutcome';
import type { DatabaseRegistry, OpenDatabase } from './databases';
import { DisposableBase } from './dispose';
import { findWorkspaceDatabases } from './workspaceDatabases';

export type TreeNode =
  | { kind: 'database'; uri: vscode.Uri }
  | { kind: 'message'; text: string; tooltip: string; icon: string; command?: vscode.Command }
  | { kind: 'table'; uri: vscode.Uri; table: TableInfo; role: string }
  | { kind: 'column'; uri: vscode.Uri; table: string; column: ColumnInfo }
  | { kind: 'queue'; uri: vscode.Uri; table: string; totals: QueueTotals | null }
  | { kind: 'conflicts'; uri: vscode.Uri }
  | { kind: 'backups'; uri: vscode.Uri; backups: readonly BackupEntry[] }
  | { kind: 'backup'; uri: vscode.Uri; backup: BackupEntry };

const roleIcons: Record<string, string> = { entity: 'symbol-class', queue: 'list-ordered', state: 'settings-gear', other: 'table' };
const roleNames: Record<string, string> = { entity: 'synced entity table', queue: 'sync queue', state: 'sync state', other: 'table' };

/** "1,234 rows", or "counting…" while the count is on its way (it follows the schema). */
export function rowCountText(rows: number | null): string {
  return rows === null ? 'counting…' : `${rows.toLocaleString('en-US')} ${rows === 1 ? 'row' : 'rows'}`;
}

/** "2026-12-01 10:00:00" in local time: when a backup was made. */
export function backupTimeText(time: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${time.getFullYear()}-${pad(time.getMonth() + 1)}-${pad(time.getDate())} ${pad(time.getHours())}:${pad(time.getMinutes())}:${pad(time.getSeconds())}`;
}

/** The SyncLens view: workspace and opened databases > tables > columns, plus queue and conflicts. */
export class DatabaseTreeProvider extends DisposableBase implements vscode.TreeDataProvider<TreeNode> {
  static readonly viewId = 'synclens.databases';
  private readonly onDidChangeEmitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.onDidChangeEmitter.event;
  /** Databases the tree has expanded, kept loaded so counts stay current. */
  private readonly held = new Map<string, OpenDatabase>();
  private workspaceDatabases: Promise<vscode.Uri[]> | undefined;
  /** Conflicts known for a database (set by the sync controller); undefined: not read yet. */
  conflictCountFor: (path: string) => ConflictTally | undefined = () => undefined;

  constructor(private readonly registry: DatabaseRegistry) {
    super();
    this.register(this.onDidChangeEmitter);
    this.register(registry.onDidChange(() => this.onDidChangeEmitter.fire(undefined)));
    const watcher = this.register(vscode.workspace.createFileSystemWatcher('**/{*.db,*.sqlite,*.sqlite3,*.db3,synclens.json}', false, true, false));
    this.register(watcher.onDidCreate(() => this.refresh()));
    this.register(watcher.onDidDelete(() => this.refresh()));
    // Backups (beside the database or in .synclens/backups) come and go with writes and restores.
    const backups = this.register(vscode.workspace.createFileSystemWatcher('**/*.synclens-backup-*', false, true, false));
    this.register(backups.onDidCreate(() => this.redraw()));
    this.register(backups.onDidDelete(() => this.redraw()));
  }

  /** Redraws the nodes from what is loaded (counts changed elsewhere); reads nothing again. */
  redraw(): void {
    this.onDidChangeEmitter.fire(undefined);
  }

  /** Looks for databases again and reloads every expanded one. */
  refresh(): void {
    this.workspaceDatabases = undefined;
    for (const database of this.held.values()) void database.load();
    this.onDidChangeEmitter.fire(undefined);
  }

  async getChildren(node?: TreeNode): Promise<TreeNode[]> {
    if (!node) return this.databaseNodes();
    if (node.kind === 'database') return this.tableNodes(node.uri);
    if (node.kind === 'table') return node.table.columns.map((column) => ({ kind: 'column', uri: node.uri, table: node.table.name, column }));
    if (node.kind === 'backups') return node.backups.map((backup) => ({ kind: 'backup', uri: node.uri, backup }));
    return [];
  }

  private async databaseNodes(): Promise<TreeNode[]> {
    this.workspaceDatabases ??= findWorkspaceDatabases();
    const uris = new Map<string, vscode.Uri>();
    for (const uri of await this.workspaceDatabases) uris.set(uri.fsPath, uri);
    for (const database of this.registry.all()) uris.set(database.path, database.uri);
    return [...uris.values()].map((uri) => ({ kind: 'database', uri }));
  }

  private async tableNodes(uri: vscode.Uri): Promise<TreeNode[]> {
    const [nodes, backups] = await Promise.all([this.contentNodes(uri), backupsOf(uri.fsPath).catch(() => [])]);
    // Listed even when the file does not open: a damaged database is when a backup helps most.
    return backups.length > 0 ? [...nodes, { kind: 'backups', uri, backups }] : nodes;
  }

  private async contentNodes(uri: vscode.Uri): Promise<TreeNode[]> {
    let database = this.held.get(uri.fsPath);
    if (!database) {
      database = this.registry.acquire(uri);
      this.held.set(uri.fsPath, database);
    }
    await database.settled();
    const state = database.state;
    if (state.status === 'error') {
      const needsKey = state.problem.code === 'encrypted' || state.problem.code === 'wrong-key';
      const command = needsKey ? { command: 'synclens.enterDatabaseKey', title: 'Enter Key…', arguments: [uri] } : undefined;
      return [{ kind: 'message', text: needsKey ? `${state.problem.title}: Enter key…` : state.problem.title, tooltip: state.problem.message, icon: needsKey ? 'key' : 'error', command }];
    }
    if (state.status !== 'ready') return [];
    const { schema, roles, queueTotals } = state.summary;
    const nodes: TreeNode[] = schema.tables.map((table) => ({ kind: 'table', uri, table, role: state.summary.tableRoles[table.name] ?? 'other' }));
    if (roles.queue) nodes.push({ kind: 'queue', uri, table: roles.queue.table, totals: queueTotals });
    if (roles.entities.length > 0) nodes.push({ kind: 'conflicts', uri });
    return nodes;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    switch (node.kind) {
      case 'database': {
        const item = new vscode.TreeItem(basename(node.uri.fsPath), vscode.TreeItemCollapsibleState.Collapsed);
        item.resourceUri = node.uri;
        item.id = `db:${node.uri.toString()}`;
        const folder = dirname(vscode.workspace.asRelativePath(node.uri, false));
        item.description = folder === '.' ? undefined : folder;
        item.tooltip = node.uri.fsPath;
        item.iconPath = new vscode.ThemeIcon('database');
        item.contextValue = 'synclens.database';
        return item;
      }
      case 'message': {
        const item = new vscode.TreeItem(node.text, vscode.TreeItemCollapsibleState.None);
        item.tooltip = node.tooltip;
        item.iconPath = new vscode.ThemeIcon(node.icon, new vscode.ThemeColor('problemsErrorIcon.foreground'));
        item.command = node.command;
        return item;
      }
      case 'table': {
        const item = new vscode.TreeItem(node.table.name, vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `table:${node.uri.toString()}:${node.table.name}`;
        item.description = node.table.error ? 'unreadable' : rowCountText(node.table.rows);
        item.tooltip = node.table.error ?? `${node.table.kind === 'view' ? 'view' : (roleNames[node.role] ?? 'table')} · ${rowCountText(node.table.rows)}`;
        item.iconPath = new vscode.ThemeIcon(node.table.kind === 'view' ? 'eye' : (roleIcons[node.role] ?? 'table'));
        item.contextValue = 'synclens.table';
        item.command = { command: 'synclens.openTable', title: 'Open Table', arguments: [node] };
        return item;
      }
      case 'column': {
        const item = new vscode.TreeItem(node.column.name, vscode.TreeItemCollapsibleState.None);
        item.description = [node.column.type || 'any', node.column.pk ? 'PK' : '', node.column.notNull ? 'NOT NULL' : ''].filter(Boolean).join(' · ');
        item.iconPath = new vscode.ThemeIcon(node.column.pk ? 'key' : 'symbol-field');
        item.contextValue = 'synclens.column';
        return item;
      }
      case 'queue': {
        const item = new vscode.TreeItem('Queue', vscode.TreeItemCollapsibleState.None);
        // The analysis follows the summary, as counts do.
        item.description = node.totals ? `${node.totals.pending} pending of ${node.totals.total}` : 'analysing…';
        item.tooltip = `Sync queue table ${node.table}`;
        item.iconPath = new vscode.ThemeIcon('sync');
        item.contextValue = 'synclens.queue';
        item.command = { command: 'synclens.showSyncQueue', title: 'Show Sync Queue', arguments: [node.uri] };
        return item;
      }
      case 'conflicts': {
        const item = new vscode.TreeItem('Conflicts', vscode.TreeItemCollapsibleState.None);
        const count = this.conflictCountFor(node.uri.fsPath);
        item.description = count === undefined ? 'plan against Firestore to find' : conflictTallyText(count);
        item.tooltip = 'Local changes the remote has overtaken; click to read them from Firestore.';
        item.command = { command: 'synclens.showConflicts', title: 'Show Conflicts', arguments: [node.uri] };
        item.iconPath = new vscode.ThemeIcon('git-merge');
        item.contextValue = 'synclens.conflicts';
        return item;
      }
      case 'backups': {
        const item = new vscode.TreeItem('Backups', vscode.TreeItemCollapsibleState.Collapsed);
        item.id = `backups:${node.uri.toString()}`;
        item.description = `${node.backups.length}`;
        item.tooltip = 'Copies SyncLens made before each write (the newest 5 are kept). Right-click one to restore it.';
        item.iconPath = new vscode.ThemeIcon('history');
        item.contextValue = 'synclens.backups';
        return item;
      }
      case 'backup': {
        const item = new vscode.TreeItem(backupTimeText(node.backup.time), vscode.TreeItemCollapsibleState.None);
        item.id = `backup:${node.backup.path}`;
        item.description = dirname(node.backup.path) === dirname(node.uri.fsPath) ? 'beside the database' : undefined;
        item.tooltip = node.backup.path;
        item.iconPath = new vscode.ThemeIcon('archive');
        item.contextValue = 'synclens.backup';
        return item;
      }
    }
  }

  override dispose(): void {
    for (const database of this.held.values()) this.registry.release(database);
    this.held.clear();
    super.dispose();
  }
}
