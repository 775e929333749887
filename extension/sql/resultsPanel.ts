// One Results panel per SQL file: each Run shows its rows in the same panel, beside the editor and
// without taking focus from it, titled by the statement. The rows come as a one-table SQLite file the
// language server wrote; the panel is the data grid over it in a plain webview panel, not a custom
// editor of that file, so no temp path, breadcrumb or database title-bar action comes with it.
import * as vscode from 'vscode';
import { DatabaseDocument, DatabasePanel } from '../databaseEditor';
import type { DatabaseRegistry } from '../databases';
import type { RenderedGrid } from '../../core/protocol/dataGrid';
import { webviewOptions } from '../webviewHtml';

const titleLength = 48;

/** `SELECT email FROM users WHERE…`: the statement on one line, cut to fit a tab. */
export function resultsTitle(statement: string): string {
  const line = statement.replace(/\s+/g, ' ').trim().replace(/;$/, '');
  return line.length <= titleLength ? line : `${line.slice(0, titleLength - 1).trimEnd()}…`;
}

interface ShownResults {
  readonly webview: vscode.WebviewPanel;
  grid?: DatabasePanel;
  document?: DatabaseDocument;
}

export class SqlResultsPanels implements vscode.Disposable {
  static readonly viewType = 'synclens.sqlResults';
  /** By the SQL document's URI. */
  private readonly shown = new Map<string, ShownResults>();

  constructor(
    private readonly registry: DatabaseRegistry,
    private readonly extensionUri: vscode.Uri,
  ) {}

  /** Shows `table` of `resultFile` in the Results panel of `sqlUri`, opening it beside the editor the first time. */
  async show(sqlUri: string, resultFile: string, table: string, statement: string): Promise<void> {
    const title = resultsTitle(statement);
    let shown = this.shown.get(sqlUri);
    if (shown) {
      this.release(shown);
      shown.webview.title = title;
      shown.webview.reveal(undefined, true);
    } else {
      const webview = vscode.window.createWebviewPanel(
        SqlResultsPanels.viewType,
        title,
        { viewColumn: vscode.ViewColumn.Beside, preserveFocus: true },
        { ...webviewOptions(this.extensionUri), retainContextWhenHidden: true },
      );
      const entry: ShownResults = { webview };
      shown = entry;
      this.shown.set(sqlUri, entry);
      webview.onDidDispose(() => {
        this.release(entry);
        this.shown.delete(sqlUri);
      });
    }
    const uri = vscode.Uri.file(resultFile);
    const database = this.registry.acquire(uri);
    shown.document = new DatabaseDocument(uri, database, () => this.registry.release(database));
    shown.grid = new DatabasePanel(shown.document, shown.webview, this.registry, this.extensionUri, title);
    await shown.grid.selectTable(table, 'data');
  }

  /** What the Results panel of `sqlUri` renders now (tests); undefined when it is closed. */
  async inspect(sqlUri: string): Promise<(RenderedGrid & { title: string }) | undefined> {
    const shown = this.shown.get(sqlUri);
    if (!shown?.grid) return undefined;
    return { ...(await shown.grid.inspect()), title: shown.webview.title };
  }

  /** The grid of the previous Run lets go of its result file; the webview panel stays. */
  private release(shown: ShownResults): void {
    shown.grid?.dispose();
    shown.document?.dispose();
    shown.grid = undefined;
    shown.document = undefined;
  }

  dispose(): void {
    for (const shown of this.shown.values()) shown.webview.dispose();
    this.shown.clear();
  }
}
