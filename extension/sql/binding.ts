// Binding a SQL document to a database: the first-line comment `-- synclens: db=<path>`, written by
// "SyncLens: Bind SQL File to Database..." (also the status bar item and the top code lens).
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import * as vscode from 'vscode';
import { bindingComment, bindingPathOf } from '../../core/protocol/languageServer';

const databaseGlob = '**/*.{db,sqlite,sqlite3,db3}';

/** The database a document's first line names, resolved as the server does; undefined when unbound. */
export function boundDatabase(document: vscode.TextDocument): string | undefined {
  if (document.lineCount === 0) return undefined;
  const written = bindingPathOf(document.lineAt(0).text);
  if (written === null) return undefined;
  if (isAbsolute(written)) return written;
  if (document.uri.scheme === 'file') return resolve(dirname(document.uri.fsPath), written);
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? resolve(folder.uri.fsPath, written) : undefined;
}

async function pickDatabase(title: string): Promise<string | undefined> {
  const found = await vscode.workspace.findFiles(databaseGlob, '**/node_modules/**', 200);
  const browse = '$(folder-opened) Browse…';
  const items: vscode.QuickPickItem[] = [
    ...found
      .map((uri) => uri.fsPath)
      .filter((path) => !path.includes('.synclens-backup-'))
      .sort()
      .map((path) => ({ label: vscode.workspace.asRelativePath(path), description: path })),
    { label: browse },
  ];
  const picked = await vscode.window.showQuickPick(items, { title, placeHolder: 'Database to bind this SQL to' });
  if (!picked) return undefined;
  if (picked.label === browse) {
    const chosen = await vscode.window.showOpenDialog({
      title,
      canSelectMany: false,
      filters: { 'SQLite databases': ['db', 'sqlite', 'sqlite3', 'db3'], 'All files': ['*'] },
    });
    return chosen?.[0]?.fsPath;
  }
  return picked.description;
}

/** Writes (or replaces) the binding comment. Relative to a saved document, absolute otherwise. */
export async function writeBinding(document: vscode.TextDocument, databasePath: string): Promise<boolean> {
  const path =
    document.uri.scheme === 'file' ? relative(dirname(document.uri.fsPath), databasePath).split(sep).join('/') || databasePath : databasePath;
  const edit = new vscode.WorkspaceEdit();
  const comment = bindingComment(path);
  if (document.lineCount > 0 && bindingPathOf(document.lineAt(0).text) !== null) {
    edit.replace(document.uri, document.lineAt(0).range, comment);
  } else {
    edit.insert(document.uri, new vscode.Position(0, 0), `${comment}\n`);
  }
  return vscode.workspace.applyEdit(edit);
}

function documentOf(target: unknown): Thenable<vscode.TextDocument> | vscode.TextDocument | undefined {
  if (typeof target === 'string') return vscode.workspace.openTextDocument(vscode.Uri.parse(target));
  if (target instanceof vscode.Uri) return vscode.workspace.openTextDocument(target);
  return vscode.window.activeTextEditor?.document;
}

/** Command: bind the given (or active) SQL document. Returns the database path, or undefined when cancelled. */
export async function bindDatabase(target: unknown, databasePath?: string): Promise<string | undefined> {
  const document = await documentOf(target);
  if (!document) {
    void vscode.window.showInformationMessage('Open a SQL file first, then bind it to a database.');
    return undefined;
  }
  const path = databasePath ?? (await pickDatabase('Bind SQL File to Database'));
  if (!path) return undefined;
  return (await writeBinding(document, path)) ? path : undefined;
}

/** Command: an untitled SQL document bound to a database the user picks. */
export async function newQuery(databasePath?: string): Promise<vscode.TextEditor | undefined> {
  const path = databasePath ?? (await pickDatabase('New Query'));
  if (!path) return undefined;
  const document = await vscode.workspace.openTextDocument({ language: 'sql', content: `${bindingComment(path)}\nSELECT \n` });
  const editor = await vscode.window.showTextDocument(document);
  const end = new vscode.Position(1, 7);
  editor.selection = new vscode.Selection(end, end);
  return editor;
}

/** Shows the active SQL document's database; a click binds it to another. */
export class SqlBindingStatusBar implements vscode.Disposable {
  private readonly item = vscode.window.createStatusBarItem('synclens.sqlBinding', vscode.StatusBarAlignment.Right, 100);
  private readonly subscriptions: vscode.Disposable[];

  constructor() {
    this.item.name = 'SyncLens SQL Database';
    this.item.command = 'synclens.sql.bindDatabase';
    this.subscriptions = [
      vscode.window.onDidChangeActiveTextEditor(() => this.update()),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.document === vscode.window.activeTextEditor?.document) this.update();
      }),
    ];
    this.update();
  }

  private update(): void {
    const document = vscode.window.activeTextEditor?.document;
    if (!document || document.languageId !== 'sql') {
      this.item.hide();
      return;
    }
    const database = boundDatabase(document);
    this.item.text = database ? `$(database) ${vscode.workspace.asRelativePath(database)}` : '$(database) Bind database…';
    this.item.tooltip = database ? `SyncLens: this SQL runs against ${database}. Click to bind another database.` : 'SyncLens: bind this SQL file to a database';
    this.item.show();
  }

  dispose(): void {
    this.item.dispose();
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
