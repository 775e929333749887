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

/**
 * Asks where to save, then streams the rows in the worker under a cancellable progress
 * notification. The file appears only when complete.
 */
export async function exportTable(
  registry: DatabaseRegistry,
  database: OpenDatabase,
  choice: ExportChoice,
): Promise<{ written: boolean; rows: number }> {
  const suffix = choice.filters.length > 0 ? '-filtered' : '';
  // Only a real Uri skips the dialog: a webview's message never carries one (its schema drops the field).
  const outputUri =
    (choice.outputUri instanceof vscode.Uri ? choice.outputUri : undefined) ??
    (await vscode.window.showSaveDialog({
      title: `Export ${choice.table}${choice.filters.length > 0 ? ' (filtered view)' : ''}`,
      defaultUri: vscode.Uri.file(join(dirname(database.path), `${safeFileName(choice.table)}${suffix}.${choice.format ?? 'csv'}`)),
      filters: choice.format === 'json' ? { JSON: ['json'] } : choice.format === 'csv' ? { CSV: ['csv'] } : { CSV: ['csv'], JSON: ['json'] },
      saveLabel: 'Export',
    }));
  if (!outputUri) return { written: false, rows: 0 };
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
          return { written: false, rows: result.rows };
        }
        log().info(`exported ${result.rows} rows of ${choice.table} to ${outputUri.fsPath}`);
        void vscode.window.showInformationMessage(`Exported ${result.rows.toLocaleString()} rows of ${choice.table} to ${outputUri.fsPath}.`);
        return { written: true, rows: result.rows };
      } catch (error) {
        const message = errorMessage(error);
        log().error(`export of ${choice.table} failed: ${message}`);
        void vscode.window.showErrorMessage(`Export of ${choice.table} failed: ${message}`);
        return { written: false, rows: 0 };
      } finally {
        stopListening();
        cancel.dispose();
      }
    },
  );
}

function safeFileName(name: string): string {
  return name.replace(/[\\/:*?"<>|]+/g, '_') || 'table';
}
