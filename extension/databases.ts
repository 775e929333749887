import { watch, type FSWatcher } from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import * as vscode from 'vscode';
import { withRowCounts } from '../core/db/schema';
import type { BackupLocation } from '../core/db/writeBack';
import { hasFileChanged, identityAt, walPathOf, type FileStamp } from '../core/db/stamp';
import { DatabaseWorkerProtocol, type ExportResult } from '../core/protocol/databaseWorker';
import type { DatabaseSummary, ExportFormat, GridFilter, GridPage, GridQuery, GridSort } from '../core/protocol/gridModel';
import type { RequestType, RpcEndpoint } from '../core/protocol/rpc';
import type { WorkerClient } from './workerClient';
import { describeFileProblem, type FileProblem } from './fileErrors';
import { log } from './log';
import { autoRefresh } from './settings';
import { errorMessage } from '../core/errors';

export type DatabaseState =
  | { readonly status: 'loading' }
  | { readonly status: 'ready'; readonly summary: DatabaseSummary; readonly revision: number }
  | { readonly status: 'error'; readonly problem: FileProblem };

const reloadDebounceMs = 300;

/**
 * One database file the extension shows (in editors, the tree, the status bar), loaded in the worker
 * and reloaded when the file or its -wal changes.
 */
export class OpenDatabase implements vscode.Disposable {
  private stateValue: DatabaseState = { status: 'loading' };
  private revision = 0;
  private watcher: FSWatcher | undefined;
  private reloadTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: Promise<void> | undefined;
  private reloadAgain = false;
  private changedOnDiskValue = false;
  /**
   * The file and its -wal as the last load found them when it started: a watcher event after which
   * both are still so (SyncLens's own write-back, reloaded already) reads nothing again.
   */
  private loadedStamp: FileStamp | null = null;
  private readonly onDidChangeEmitter = new vscode.EventEmitter<OpenDatabase>();
  readonly onDidChange = this.onDidChangeEmitter.event;
  users = 0;

  constructor(
    readonly uri: vscode.Uri,
    private readonly worker: WorkerClient,
  ) {}

  get path(): string {
    return this.uri.fsPath;
  }

  get fileName(): string {
    return basename(this.path);
  }

  get state(): DatabaseState {
    return this.stateValue;
  }

  /** The file changed since it was read and, synclens.autoRefresh being off, was not reloaded. */
  get changedOnDisk(): boolean {
    return this.changedOnDiskValue;
  }

  /** Loads now (coalescing with a load in flight) and starts watching the file. */
  load(): Promise<void> {
    this.startWatching();
    if (this.loading) {
      this.reloadAgain = true;
      return this.loading;
    }
    this.loading = this.loadOnce().finally(() => {
      this.loading = undefined;
      if (this.reloadAgain) {
        this.reloadAgain = false;
        void this.load();
      }
    });
    return this.loading;
  }

  /** Resolves once the load in flight (if any) has finished. */
  settled(): Promise<void> {
    return this.loading ?? Promise.resolve();
  }

  private async loadOnce(): Promise<void> {
    const started = Date.now();
    this.loadedStamp = this.stampNow();
    try {
      const summary = await this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.open, { path: this.path });
      this.revision += 1;
      this.setState({ status: 'ready', summary, revision: this.revision });
      log().info(`loaded ${this.path} (${summary.schema.tables.length} tables, ${summary.walFramesApplied} WAL frames) in ${Date.now() - started} ms`);
      void this.countTables(this.revision);
      void this.analyzeQueue(this.revision);
    } catch (error) {
      const problem = describeFileProblem(error);
      if (problem.code === 'internal') log().error(`opening ${this.path} failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      else log().warn(`${this.path}: ${problem.message}`);
      this.setState({ status: 'error', problem });
    }
  }

  /** Counts arrive after the summary (the tree says "counting…" meanwhile); a reload since drops them. */
  private async countTables(revision: number): Promise<void> {
    const started = Date.now();
    const counts = await this.followSummary(revision, 'counting the rows', DatabaseWorkerProtocol.countTables, (summary, counts) => ({
      ...summary,
      schema: withRowCounts(summary.schema, counts),
    }));
    if (counts) log().info(`counted the rows of ${this.path} (${counts.length} tables) in ${Date.now() - started} ms`);
  }

  /** The queue's totals follow the summary too (the status bar and the tree's queue node wait for them). */
  private async analyzeQueue(revision: number): Promise<void> {
    const state = this.stateValue;
    if (state.status !== 'ready' || !state.summary.roles.queue) return;
    await this.followSummary(revision, 'analysing the sync queue', DatabaseWorkerProtocol.queueTotals, (summary, queueTotals) => ({ ...summary, queueTotals }));
  }

  /**
   * Asks the worker for a part of the summary that follows it, and folds the answer in unless the
   * database was reloaded meanwhile. Not setState: no reload, and "changed on disk" stays.
   */
  private async followSummary<T>(
    revision: number,
    doing: string,
    type: RequestType<{ path: string }, T>,
    fold: (summary: DatabaseSummary, value: T) => DatabaseSummary,
  ): Promise<T | undefined> {
    let value: T;
    try {
      value = await this.worker.endpoint.sendRequest(type, { path: this.path });
    } catch (error) {
      log().warn(`${doing} of ${this.path} failed: ${errorMessage(error)}`);
      return undefined;
    }
    const state = this.stateValue;
    if (state.status !== 'ready' || state.revision !== revision) return undefined;
    this.stateValue = { ...state, summary: fold(state.summary, value) };
    this.onDidChangeEmitter.fire(this);
    return value;
  }

  private setState(state: DatabaseState): void {
    this.stateValue = state;
    this.changedOnDiskValue = false;
    this.onDidChangeEmitter.fire(this);
  }

  private startWatching(): void {
    if (this.watcher || this.uri.scheme !== 'file') return;
    const name = this.fileName;
    const watched = new Set([name, `${name}-wal`, `${name}-journal`]);
    try {
      // The folder is watched, not the file: SQLite and copy tools replace files by rename.
      this.watcher = watch(dirname(this.path), { persistent: false }, (_event, changed) => {
        if (changed === null || watched.has(changed.toString())) this.scheduleReload();
      });
      this.watcher.on('error', (error) => log().warn(`watching ${this.path} stopped: ${error.message}`));
    } catch (error) {
      log().warn(`cannot watch ${this.path}: ${errorMessage(error)}`);
    }
  }

  private scheduleReload(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.reloadTimer = setTimeout(() => {
      this.reloadTimer = undefined;
      if (this.unchangedSinceLoad()) return;
      if (autoRefresh(this.uri)) {
        log().info(`${this.fileName} changed on disk; reloading`);
        void this.load();
      } else if (!this.changedOnDiskValue) {
        // Kept as read, and said so: the user asked to look at a fixed state (synclens.autoRefresh).
        log().info(`${this.fileName} changed on disk; not reloading (synclens.autoRefresh is off)`);
        this.changedOnDiskValue = true;
        this.onDidChangeEmitter.fire(this);
      }
    }, reloadDebounceMs);
  }

  private unchangedSinceLoad(): boolean {
    try {
      return this.loadedStamp !== null && !hasFileChanged(this.loadedStamp);
    } catch {
      return false;
    }
  }

  private stampNow(): FileStamp | null {
    if (this.uri.scheme !== 'file') return null;
    try {
      const main = identityAt(this.path);
      return main ? { path: this.path, main, wal: identityAt(walPathOf(this.path)) } : null;
    } catch {
      return null;
    }
  }

  readPage(query: GridQuery): Promise<GridPage> {
    return this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.readPage, { path: this.path, query });
  }

  countRows(table: string, filters: readonly GridFilter[]): Promise<number> {
    return this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.countRows, { path: this.path, table, filters });
  }

  exportRows(
    exportId: number,
    request: { table: string; sort: GridSort | null; filters: readonly GridFilter[]; format: ExportFormat; outputPath: string },
    signal?: AbortSignal,
  ): Promise<ExportResult> {
    return this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.exportRows, { exportId, path: this.path, ...request }, { signal });
  }

  /** Puts a backup back in place (the current file backed up first), then reads the file again. */
  async restoreBackup(backupPath: string, backupLocation: BackupLocation): Promise<{ backupPath: string }> {
    const result = await this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.restoreBackup, { path: this.path, backupPath, backupLocation });
    await this.load();
    return result;
  }

  /** The worker channel, for export progress notifications. */
  exportProgressEndpoint(): RpcEndpoint {
    return this.worker.endpoint;
  }

  dispose(): void {
    if (this.reloadTimer) clearTimeout(this.reloadTimer);
    this.watcher?.close();
    this.onDidChangeEmitter.dispose();
    void this.worker.endpoint.sendRequest(DatabaseWorkerProtocol.close, { path: this.path }).catch(() => undefined);
  }
}

/** Every database SyncLens has open, shared by editors, the tree and commands; keyed by file path. */
export class DatabaseRegistry implements vscode.Disposable {
  private readonly open = new Map<string, OpenDatabase>();
  private readonly listeners = new Map<string, vscode.Disposable>();
  private readonly onDidChangeEmitter = new vscode.EventEmitter<OpenDatabase | undefined>();
  /** A database loaded, reloaded, failed, or was opened/closed (undefined). */
  readonly onDidChange = this.onDidChangeEmitter.event;
  private nextExportId = 1;
  private readonly restartListener: vscode.Disposable;
  private readonly settingsListener: vscode.Disposable;
  private readonly configWatcher: vscode.FileSystemWatcher;

  constructor(private readonly worker: WorkerClient) {
    this.restartListener = worker.onRestarted(() => {
      for (const database of this.open.values()) void database.load();
    });
    // Turning auto-refresh back on catches up with what changed while it was off.
    this.settingsListener = vscode.workspace.onDidChangeConfiguration((event) => {
      for (const database of this.open.values()) {
        if (database.changedOnDisk && event.affectsConfiguration('synclens.autoRefresh', database.uri) && autoRefresh(database.uri)) void database.load();
      }
    });
    // Roles, timestamp encodings and the retry policy come from the synclens.json beside or above a
    // database: when one appears, changes or goes, the databases below its folder are read again.
    this.configWatcher = vscode.workspace.createFileSystemWatcher('**/synclens.json');
    const reloadBelow = (config: vscode.Uri): void => {
      const folder = `${dirname(config.fsPath)}${sep}`;
      for (const database of this.open.values()) if (database.path.startsWith(folder)) void database.load();
    };
    this.configWatcher.onDidCreate(reloadBelow);
    this.configWatcher.onDidChange(reloadBelow);
    this.configWatcher.onDidDelete(reloadBelow);
  }

  get(path: string): OpenDatabase | undefined {
    return this.open.get(path);
  }

  all(): OpenDatabase[] {
    return [...this.open.values()];
  }

  /** Opens (or shares) a database; pair with `release`. */
  acquire(uri: vscode.Uri): OpenDatabase {
    let database = this.open.get(uri.fsPath);
    if (!database) {
      database = new OpenDatabase(uri, this.worker);
      this.open.set(uri.fsPath, database);
      this.listeners.set(uri.fsPath, database.onDidChange((changed) => this.onDidChangeEmitter.fire(changed)));
      void database.load();
      this.onDidChangeEmitter.fire(undefined);
    }
    database.users += 1;
    return database;
  }

  release(database: OpenDatabase): void {
    database.users -= 1;
    if (database.users > 0) return;
    this.open.delete(database.path);
    this.listeners.get(database.path)?.dispose();
    this.listeners.delete(database.path);
    database.dispose();
    this.onDidChangeEmitter.fire(undefined);
  }

  newExportId(): number {
    return this.nextExportId++;
  }

  dispose(): void {
    this.restartListener.dispose();
    this.configWatcher.dispose();
    this.settingsListener.dispose();
    for (const listener of this.listeners.values()) listener.dispose();
    for (const database of this.open.values()) database.dispose();
    this.open.clear();
    this.onDidChangeEmitter.dispose();
  }
}
