// Starts the SyncLens language server (dist/server.js over IPC) for SQL documents and synclens.json,
// and registers the commands its code lenses and the SQL status bar item call.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { LanguageClient, TransportKind, type LanguageClientOptions, type ServerOptions } from 'vscode-languageclient/node';
import { errorMessage } from '../core/errors';
import { languageServerCommands, WorkspaceTrustedNotification, type LanguageServerOptions } from '../core/protocol/languageServer';
import type { LanguageServerKeys } from './databaseKeys';
import { log } from './log';
import { bindDatabase, newQuery, SqlBindingStatusBar } from './sql/binding';
import type { SqlResultsPanels } from './sql/resultsPanel';
import { runStatement } from './sql/run';

export async function startLanguageClient(context: vscode.ExtensionContext, results: SqlResultsPanels, keys: LanguageServerKeys): Promise<vscode.Disposable> {
  const serverModule = context.asAbsolutePath('dist/server.js');
  // The session key the server's key requests are answered with (extension/databaseKeys.ts).
  const env = { ...process.env, ...keys.environment() };
  const serverOptions: ServerOptions = {
    run: { module: serverModule, transport: TransportKind.ipc, options: { env } },
    debug: { module: serverModule, transport: TransportKind.ipc, options: { env, execArgv: ['--nolazy', '--inspect=6019'] } },
  };
  const trustedAtStart = vscode.workspace.isTrusted;
  const clientOptions: LanguageClientOptions = {
    documentSelector: [
      { language: 'sql', scheme: 'file' },
      { language: 'sql', scheme: 'untitled' },
      { scheme: 'file', pattern: '**/synclens.json' },
    ],
    // Diagnostics and snapshots follow the database files and their synclens.json: the server re-checks on these events.
    synchronize: {
      fileEvents: [vscode.workspace.createFileSystemWatcher('**/*.{db,sqlite,sqlite3,db3}{,-wal}'), vscode.workspace.createFileSystemWatcher('**/synclens.json')],
    },
    outputChannel: log(),
    // Trust decides whether a SQL file may bind a database outside the workspace; granting it later is sent below.
    initializationOptions: { codiconTitles: true, workspaceTrusted: trustedAtStart } satisfies LanguageServerOptions,
  };
  const client = new LanguageClient('synclens', 'SyncLens Language Server', serverOptions, clientOptions);
  const disposables: vscode.Disposable[] = [
    vscode.commands.registerCommand(languageServerCommands.runStatement, (params: unknown) => runStatement(client, results, params)),
    // A database path as the last argument skips the picker (scripts, tests).
    vscode.commands.registerCommand(languageServerCommands.bindDatabase, (target: unknown, path: unknown) =>
      bindDatabase(target, typeof path === 'string' ? path : undefined),
    ),
    vscode.commands.registerCommand('synclens.sql.newQuery', (path: unknown) => newQuery(typeof path === 'string' ? path : undefined)),
    new SqlBindingStatusBar(),
    keys.answer(client),
  ];
  await client.start();
  const sendTrust = (): void => void client.sendNotification(WorkspaceTrustedNotification.type).catch((error: unknown) => log().warn(`could not tell the language server about trust: ${errorMessage(error)}`));
  disposables.push(vscode.workspace.onDidGrantWorkspaceTrust(sendTrust));
  if (vscode.workspace.isTrusted && !trustedAtStart) sendTrust();
  log().info(`SyncLens language server started (${basename(serverModule)})`);
  return vscode.Disposable.from(...disposables, { dispose: () => void client.stop() });
}
