import { dirname, join } from 'node:path';
import * as vscode from 'vscode';
import { DatabaseWorkerProtocol } from '../core/protocol/databaseWorker';
import type { ExportFormat, GridFilter, GridSort } from '../core/protocol/gridModel';
import type { DatabaseRegistry, OpenDatabase } from './databases';
import { errorMessage } from '../core/errors';
import { log } from './log';

export interface ExportChoice {
  table: string;
  sort: GridSort | null;
  filters: readonly GridFilter[];
  format: ExportFormat | null;
  /** Skips the save dialog (tests, scripted use). */
  outputUri?: vscode.Uri;
}

export interface ExportOutcome {
  written: boolean;
  rows: number;
  /** The save dialog's title: which rows go out (tests read it; the test workbench shows no dialog). */
  title: string;
}

/**
 * Asks where to save, then streams the rows in the worker under a cancellable progress
 * notification. The file appears only when complete.
 */
export async function exportTable(
  registry: DatabaseRegistry,
  database: OpenDatabase,
  choice: ExportChoice,
): Promise<ExportOutcome> {
  const title = await exportDialogTitle(database, choice);
  const suffix = choice.filters.length > 0 ? '-filtered' : '';
  // Only a real Uri skips the dialog: a webview's message never carries one (its schema drops the field).
  const outputUri =
    (choice.outputUri instanceof vscode.Uri ? choice.outputUri : undefined) ??
    (await vscode.window.showSaveDialog({
      title,
      defaultUri: vscode.Uri.file(join(dirname(database.path), `${safeFileName(choice.table)}${suffix}.${choice.format ?? 'csv'}`)),
      filters: choice.format === 'json' ? { JSON: ['json'] } : choice.format === 'csv' ? { CSV: ['csv'] } : { CSV: ['csv'], JSON: ['json'] },
      saveLabel: 'Export',
    }));
  if (!outputUri) return { written: false, rows: 0, title };
  const format: ExportFormat = choice.format ?? (outputUri.path.toLowerCase().endsWith('.json') ? 'json' : 'csv');
  const exportId = registry.newExportId();
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Exporting ${choice.table}`, cancellable: true },
    async (progress, token) => {
      const endpoint = database.exportProgressEndpoint();
      let reported = 0;
      const stopListening = endpoint.onNotification(DatabaseWorkerProtocol.exportProgress, (update) => {
        if (update.exportId !== exportId || update.total === 0) return;
        const percent = (update.rows / update.total) * 100;
        progress.report({ message: `${update.rows.toLocaleString()} of ${update.total.toLocaleString()} rows`, increment: percent - reported });
        reported = percent;
      });
      const aborted = new AbortController();
      const cancel = token.onCancellationRequested(() => aborted.abort());
      try {
        const request = { table: choice.table, sort: choice.sort, filters: choice.filters, format, outputPath: outputUri.fsPath };
        const result = await database.exportRows(exportId, request, aborted.signal);
        if (result.cancelled) {
          log().info(`export of ${choice.table} cancelled after ${result.rows} rows`);
          return { written: false, rows: result.rows, title };
        }
        log().info(`exported ${result.rows} rows of ${choice.table} to ${outputUri.fsPath}`);
        void offerToOpen(`Exported ${result.rows.toLocaleString()} rows of ${choice.table} to ${outputUri.fsPath}.`, outputUri);
        return { written: true, rows: result.rows, title };
      } catch (error) {
        const message = errorMessage(error);
        log().error(`export of ${choice.table} failed: ${message}`);
        void vscode.window.showErrorMessage(`Export of ${choice.table} failed: ${message}`);
        return { written: false, rows: 0, title };
      } finally {
        stopListening();
        cancel.dispose();
      }
    },
  );
}

/** "Export users (filtered: 12 of 41 rows, sorted by email)": the dialog says which rows go out. */
export async function exportDialogTitle(database: OpenDatabase, choice: Pick<ExportChoice, 'table' | 'sort' | 'filters'>): Promise<string> {
  const parts: string[] = [];
  if (choice.filters.length > 0) {
    try {
      const [matching, total] = await Promise.all([database.countRows(choice.table, choice.filters), database.countRows(choice.table, [])]);
      parts.push(`filtered: ${matching.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} ${total === 1 ? 'row' : 'rows'}`);
    } catch (error) {
      log().warn(`counting the rows to export of ${choice.table} failed: ${errorMessage(error)}`);
      parts.push('filtered');
    }
  }
  if (choice.sort) parts.push(`sorted by ${choice.sort.column}${choice.sort.direction === 'desc' ? ', descending' : ''}`);
  return `Export ${choice.table}${parts.length > 0 ? ` (${parts.join(', ')})` : ''}`;
}

/** The success toast, with Open (in an editor) and Reveal (in the OS file manager). */
async function offerToOpen(message: string, file: vscode.Uri): Promise<void> {
  const choice = await vscode.window.showInformationMessage(message, 'Open', 'Reveal');
  if (choice === 'Open') await vscode.commands.executeCommand('vscode.open', file);
  else if (choice === 'Reveal') await vscode.commands.executeCommand('revealFileInOS', file);
}

function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '_') || 'table';
}
