// The `synclens.activeEditorIsDatabase` context key: true while the focused SyncLens editor shows a
// database it read. The editor title's sync actions (package.json contributes.menus) need it, so they
// stay off a file that is not SQLite (or not readable) opened with "SyncLens Database (any file)".
import * as vscode from 'vscode';
import type { DatabaseEditorProvider } from './databaseEditor';
import type { DatabaseRegistry } from './databases';

export const activeEditorIsDatabaseKey = 'synclens.activeEditorIsDatabase';

export class ActiveDatabaseContext implements vscode.Disposable {
  private readonly subscriptions: vscode.Disposable[];
  private current: boolean | undefined;

  constructor(private readonly editors: DatabaseEditorProvider, registry: DatabaseRegistry) {
    this.subscriptions = [editors.onDidChangeActive(() => this.update()), registry.onDidChange(() => this.update())];
    this.update();
  }

  /** What the key is set to now (tests: the test workbench cannot read context keys). */
  get value(): boolean {
    return this.current ?? false;
  }

  private update(): void {
    const isDatabase = this.editors.activeDatabase?.state.status === 'ready';
    if (isDatabase === this.current) return;
    this.current = isDatabase;
    void vscode.commands.executeCommand('setContext', activeEditorIsDatabaseKey, isDatabase);
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
