// The "Run" code lens: the server runs read-only statements off its event loop; a write comes back
// asking for confirmation (modal), and only then is written through the engine's safe write-back.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import * as z from 'zod';
import { errorMessage } from '../../core/errors';
import { languageServerCommands, resultTableName, RunStatementRequest, type ResultCell, type RunStatementParams, type RunStatementResult } from '../../core/protocol/languageServer';
import { log } from '../log';
import { backupLocation, writeConfirmationLevel } from '../settings';
import { writeNeedsConfirmation } from '../writeConfirmation';
import type { SqlResultsPanels } from './resultsPanel';

/**
 * What a caller of the command may say: which statement. Anyone can run a command (another extension,
 * a command link), so `confirmedWrite` and `allowLive`, which skip trust and the confirmation, are
 * dropped here and set only below, after the user confirmed.
 */
const RunStatementCommandArgs = z.object({ uri: z.string(), statementIndex: z.number().int().nonnegative(), text: z.string() });

/** Command handler; returns what happened so callers (and tests) can see it. */
export async function runStatement(client: LanguageClient, results: SqlResultsPanels, args: unknown): Promise<RunStatementResult | undefined> {
  const checked = RunStatementCommandArgs.safeParse(args);
  if (!checked.success) {
    log().warn(`${languageServerCommands.runStatement}: ignored arguments that name no statement (${z.prettifyError(checked.error)})`);
    return undefined;
  }
  const params: RunStatementParams = checked.data;
  let result = await send(client, params);
  if (result.kind === 'needs-confirmation') {
    if (!vscode.workspace.isTrusted) {
      void vscode.window.showWarningMessage('SyncLens does not write databases in Restricted Mode: trust this workspace to run statements that change it.');
      return result;
    }
    // synclens.confirmWrites may waive the dialog: the file is backed up first, and a live file still asks.
    const confirmed = !writeNeedsConfirmation(writeConfirmationLevel(), { remote: 'none', live: result.live }) || (await confirmWrite(result));
    if (!confirmed) return result;
    result = await send(client, { ...params, confirmedWrite: true, allowLive: result.live, backupLocation: backupLocation(vscode.Uri.parse(params.uri)) });
  }
  switch (result.kind) {
    case 'rows':
      await showRows(results, params.uri, result);
      break;
    case 'written':
      log().info(`${result.sql} changed ${result.changes} row(s) of ${result.database}; backup ${result.backup ?? 'none'}`);
      void vscode.window.showInformationMessage(
        `${basename(result.database)}: ${result.changes} row${result.changes === 1 ? '' : 's'} changed.${result.backup ? ` Backup: ${basename(result.backup)}` : ''}`,
      );
      break;
    case 'error':
      void vscode.window.showErrorMessage(result.message);
      break;
    case 'cancelled':
      log().info(`cancelled: ${result.sql}`);
      break;
  }
  return result;
}

function send(client: LanguageClient, params: RunStatementParams): Thenable<RunStatementResult> {
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'SyncLens: running statement…', cancellable: !params.confirmedWrite },
    async (_progress, token): Promise<RunStatementResult> => {
      try {
        return await client.sendRequest(RunStatementRequest.type, params, token);
      } catch (error) {
        if (token.isCancellationRequested) return { kind: 'cancelled', database: '', sql: params.text };
        throw error;
      }
    },
  );
}

async function confirmWrite(result: Extract<RunStatementResult, { kind: 'needs-confirmation' }>): Promise<boolean> {
  const name = basename(result.database);
  const detail = [
    `${result.summary}.`,
    `${name} is backed up beside itself, then replaced atomically; nothing is written if it changed meanwhile.`,
    result.live ? `A -wal or -journal beside ${name} shows the app may have it open: writing under a running app can lose its changes.` : '',
  ]
    .filter(Boolean)
    .join('\n\n');
  const write = result.live ? 'Write Anyway' : 'Write';
  const answer = await vscode.window.showWarningMessage(`Write to ${name}?`, { modal: true, detail }, write);
  return answer === write;
}

function cellValue(cell: ResultCell): unknown {
  if (cell !== null && typeof cell === 'object') return 'bigint' in cell ? cell.bigint : `<BLOB ${cell.blob.bytes} bytes: ${cell.blob.hex}…>`;
  return cell;
}

/** Shows the rows in the SQL file's Results panel (the server wrote them as a one-table SQLite file); JSON beside the query otherwise. */
async function showRows(results: SqlResultsPanels, sqlUri: string, result: Extract<RunStatementResult, { kind: 'rows' }>): Promise<void> {
  if (result.resultFile) {
    try {
      await results.show(sqlUri, result.resultFile, resultTableName, result.sql);
      if (result.truncated) void vscode.window.showInformationMessage(`Showing the first ${result.rowLimit.toLocaleString()} rows of the result.`);
      return;
    } catch (error) {
      log().warn(`the Results panel did not open (${errorMessage(error)}); showing JSON instead`);
    }
  }
  await showJson(result);
}

async function showJson(result: Extract<RunStatementResult, { kind: 'rows' }>): Promise<void> {
  const names = uniqueNames(result.columns);
  const document = {
    database: result.database,
    sql: result.sql,
    rows: result.rows.length,
    ...(result.truncated ? { truncatedAt: result.rowLimit } : {}),
    elapsedMs: Math.round(result.elapsedMs),
    data: result.rows.map((row) => Object.fromEntries(row.map((cell, index) => [names[index], cellValue(cell)]))),
  };
  const opened = await vscode.workspace.openTextDocument({ language: 'json', content: `${JSON.stringify(document, null, 2)}\n` });
  await vscode.window.showTextDocument(opened, { viewColumn: vscode.ViewColumn.Beside, preview: true, preserveFocus: true });
}

/** Result columns may repeat (`SELECT a.id, b.id`): later ones get a suffix so no value is lost. */
function uniqueNames(columns: readonly string[]): string[] {
  const seen = new Map<string, number>();
  return columns.map((column) => {
    const count = (seen.get(column) ?? 0) + 1;
    seen.set(column, count);
    return count === 1 ? column : `${column} (${count})`;
  });
}
