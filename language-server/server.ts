// The SyncLens language server: SQL documents bound to an app database, and synclens.json.
// Everything slow (reading a database, preparing statements, running them) happens in worker
// threads, so the connection's event loop only ever does small, bounded work.
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, extname, join } from 'node:path';
import {
  CodeActionKind,
  CodeLensRefreshRequest,
  DiagnosticSeverity,
  TextDocuments,
  TextDocumentSyncKind,
  type CodeLens,
  type Connection,
  type Diagnostic,
  type InitializeResult,
} from 'vscode-languageserver';
import { TextDocument } from 'vscode-languageserver-textdocument';
import {
  DatabaseKeyChangedNotification,
  languageServerCommands,
  RunStatementRequest,
  WorkspaceTrustedNotification,
  type RunStatementParams,
  type RunStatementResult,
} from '../core/protocol/languageServer';
import { errorMessage } from '../core/errors';
import { defaultDiagnosticsDelayMs, readClientOptions } from './clientOptions';
import { ConfigFeatures, isConfigDocument } from './config/configFeatures';
import { serveLanguageServerKeys } from './database/keySource';
import { SchemaService, type SnapshotOutcome } from './database/schemaService';
import type { StatementCheck } from './database/workerProtocol';
import { readBinding, type Binding, type WorkspaceScope } from './sql/binding';
import { SchemaIndex } from './sql/schemaIndex';
import { sqlQuickFixes } from './sql/quickFixes';
import { completeSql, hoverSql, statementDiagnostics, syncedWriteWarnings, writeTarget } from './sql/sqlFeatures';
import { splitStatements, type SqlStatement } from './sql/statements';

const rowLimit = 10_000;

interface ValidationState {
  timer: NodeJS.Timeout | undefined;
  /** Bumped by every edit: a run that finds a newer generation drops its results. */
  generation: number;
  checks: { version: number; checks: StatementCheck[] } | undefined;
}

export function startServer(connection: Connection, workerEntry: string): void {
  const documents = new TextDocuments(TextDocument);
  const service = new SchemaService(workerEntry, (line) => connection.console.info(line));
  // The key of an encrypted bound database: from the client (VS Code's SecretStorage) or the environment.
  const keys = serveLanguageServerKeys(connection);
  const validations = new Map<string, ValidationState>();
  const indexes = new WeakMap<object, SchemaIndex>();
  const workspace: WorkspaceScope = { folders: [], trusted: false };
  let canRefreshCodeLenses = false;
  let codiconTitles = false;
  let snippets = false;
  let diagnosticsDelayMs = defaultDiagnosticsDelayMs;
  const config = new ConfigFeatures(service);
  // Query results become small SQLite files the data grid opens; they live until the server stops.
  let results: string | undefined;
  let resultCount = 0;
  const resultsFolder = (): string => (results ??= mkdtempSync(join(tmpdir(), 'synclens-results-')));

  const indexOf = (outcome: SnapshotOutcome): SchemaIndex | null => {
    if (outcome.kind !== 'loaded') return null;
    let index = indexes.get(outcome.snapshot);
    if (!index) {
      index = new SchemaIndex(outcome.snapshot);
      indexes.set(outcome.snapshot, index);
    }
    return index;
  };

  const isSql = (document: TextDocument): boolean => document.languageId === 'sql' || document.uri.endsWith('.sql');
  const bindingOf = (document: TextDocument): Binding => readBinding(document.getText(), document.uri, workspace);
  /** `$(icon) ` for VS Code, nothing for editors that would print the syntax as it is. */
  const icon = (name: string): string => (codiconTitles ? `$(${name}) ` : '');

  connection.onInitialize((params): InitializeResult => {
    const client = readClientOptions(params);
    workspace.folders = client.folders;
    workspace.trusted = client.workspaceTrusted;
    canRefreshCodeLenses = client.codeLensRefresh;
    codiconTitles = client.codiconTitles;
    snippets = client.snippets;
    diagnosticsDelayMs = client.diagnosticsDelayMs;
    // The console is not up before initialize returns: the problems go out once the client is initialized.
    const problems = [...client.problems, ...keys.problems];
    if (problems.length > 0) connection.onInitialized(() => problems.forEach((problem) => connection.console.warn(problem)));
    return {
      capabilities: {
        textDocumentSync: TextDocumentSyncKind.Incremental,
        completionProvider: { triggerCharacters: ['.', '"', ' '], resolveProvider: false },
        hoverProvider: true,
        codeLensProvider: { resolveProvider: false },
        codeActionProvider: { codeActionKinds: [CodeActionKind.QuickFix] },
      },
      serverInfo: { name: 'SyncLens', version: '0.1.0' },
    };
  });

  const stateOf = (uri: string): ValidationState => {
    let state = validations.get(uri);
    if (!state) {
      state = { timer: undefined, generation: 0, checks: undefined };
      validations.set(uri, state);
    }
    return state;
  };

  const scheduleValidation = (document: TextDocument, delayMs = diagnosticsDelayMs): void => {
    const state = stateOf(document.uri);
    state.generation++;
    const generation = state.generation;
    clearTimeout(state.timer);
    state.timer = setTimeout(() => {
      state.timer = undefined;
      void validate(document.uri, generation).catch((error: unknown) => connection.console.error(`validation failed: ${errorMessage(error)}`));
    }, delayMs);
  };

  const validate = async (uri: string, generation: number): Promise<void> => {
    const state = stateOf(uri);
    const isCurrent = (): boolean => state.generation === generation && documents.get(uri) !== undefined;
    const document = documents.get(uri);
    if (!document) return;
    if (isConfigDocument(uri)) {
      const diagnostics = await config.diagnostics(document);
      if (isCurrent()) void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
      return;
    }
    const diagnostics = await sqlDiagnostics(document, state, isCurrent);
    if (diagnostics && isCurrent()) void connection.sendDiagnostics({ uri, version: document.version, diagnostics });
    // Lens titles say whether a statement writes, which the check just learnt.
    if (isCurrent() && canRefreshCodeLenses) void connection.sendRequest(CodeLensRefreshRequest.type).catch(() => undefined);
  };

  const sqlDiagnostics = async (document: TextDocument, state: ValidationState, isCurrent: () => boolean): Promise<Diagnostic[] | null> => {
    const binding = bindingOf(document);
    if (binding.kind === 'unbound') return [];
    const firstLine = { start: { line: 0, character: 0 }, end: { line: 0, character: binding.line.length } };
    if (binding.kind === 'invalid') {
      return [{ range: firstLine, severity: DiagnosticSeverity.Error, source: 'SyncLens', code: binding.code, message: binding.message }];
    }
    if (!existsSync(binding.path)) {
      return [{ range: firstLine, severity: DiagnosticSeverity.Error, source: 'SyncLens', message: `${binding.path} does not exist: bind this file to another database.` }];
    }
    const outcome = await service.snapshot(binding.path);
    if (!isCurrent()) return null;
    if (outcome.kind === 'failed') return [{ range: firstLine, severity: DiagnosticSeverity.Error, source: 'SyncLens', code: outcome.code, message: outcome.message }];
    const statements = splitStatements(document.getText());
    const version = document.version;
    const checks = await service.check(
      binding.path,
      statements.map((statement) => statement.text),
    );
    if (!isCurrent()) return null;
    state.checks = { version, checks };
    const index = indexOf(outcome);
    return [...statementDiagnostics(document, statements, checks), ...(index ? syncedWriteWarnings(document, statements, index) : [])];
  };

  // TextDocuments reports an open as a content change too: a document with no validation state yet
  // was just opened, and its first diagnostics must not wait for the debounce meant for typing.
  documents.onDidChangeContent((event) => scheduleValidation(event.document, validations.has(event.document.uri) ? diagnosticsDelayMs : 0));
  documents.onDidClose((event) => {
    const state = validations.get(event.document.uri);
    if (state) {
      clearTimeout(state.timer);
      state.generation++;
    }
    validations.delete(event.document.uri);
    void connection.sendDiagnostics({ uri: event.document.uri, diagnostics: [] });
  });

  connection.onDidChangeWatchedFiles(() => {
    for (const document of documents.all()) scheduleValidation(document);
  });

  connection.onNotification(DatabaseKeyChangedNotification.type, ({ path }) => {
    service.forget(path);
    for (const document of documents.all()) scheduleValidation(document, 0);
  });

  connection.onNotification(WorkspaceTrustedNotification.type, () => {
    workspace.trusted = true;
    for (const document of documents.all()) scheduleValidation(document, 0);
  });

  connection.onCompletion(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    if (isConfigDocument(document.uri)) return config.completion(document, params.position, snippets);
    if (!isSql(document)) return [];
    const binding = bindingOf(document);
    const index = binding.kind === 'bound' && existsSync(binding.path) ? indexOf(await service.snapshot(binding.path)) : null;
    const text = document.getText();
    return { isIncomplete: false, items: completeSql(text, document.offsetAt(params.position), splitStatements(text), index, snippets) };
  });

  connection.onHover(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return null;
    if (isConfigDocument(document.uri)) return config.hover(document, params.position);
    const binding = bindingOf(document);
    if (binding.kind !== 'bound' || !existsSync(binding.path)) return null;
    const index = indexOf(await service.snapshot(binding.path));
    if (!index) return null;
    const text = document.getText();
    return hoverSql(text, document.offsetAt(params.position), splitStatements(text), index);
  });

  connection.onCodeAction(async (params) => {
    const document = documents.get(params.textDocument.uri);
    if (!document) return [];
    if (isConfigDocument(document.uri)) return config.codeActions(document, params.context.diagnostics);
    if (!isSql(document)) return [];
    const binding = bindingOf(document);
    if (binding.kind !== 'bound') return [];
    const index = indexOf(await service.snapshot(binding.path));
    return index ? sqlQuickFixes(document, params.context.diagnostics, splitStatements(document.getText()), index) : [];
  });

  connection.onCodeLens((params): CodeLens[] => {
    const document = documents.get(params.textDocument.uri);
    if (!document || !isSql(document)) return [];
    const binding = bindingOf(document);
    const top = { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    if (binding.kind !== 'bound') {
      return [{ range: top, command: { title: `${icon('database')}Bind to a database…`, command: languageServerCommands.bindDatabase, arguments: [document.uri] } }];
    }
    const lenses: CodeLens[] = [
      { range: top, command: { title: `${icon('database')}${basename(binding.path)} — change…`, command: languageServerCommands.bindDatabase, arguments: [document.uri] } },
    ];
    const checks = validations.get(document.uri)?.checks;
    const current = checks && checks.version === document.version ? checks.checks : undefined;
    for (const statement of splitStatements(document.getText())) {
      const check = current?.[statement.index];
      const writes = check ? !check.readOnly : writeTarget(statement) !== null;
      const args: RunStatementParams = { uri: document.uri, statementIndex: statement.index, text: statement.text };
      lenses.push({
        range: { start: document.positionAt(statement.start), end: document.positionAt(statement.start) },
        command: { title: `${icon('play')}${writes ? 'Run (writes the database…)' : 'Run'}`, command: languageServerCommands.runStatement, arguments: [args] },
      });
    }
    return lenses;
  });

  connection.onRequest(RunStatementRequest.type, async (params, token): Promise<RunStatementResult> => {
    const document = documents.get(params.uri);
    const fail = (message: string, database: string | null = null): RunStatementResult => ({ kind: 'error', database, sql: params.text, message });
    if (!document) return fail('The document is not open.');
    const statement: SqlStatement | undefined = splitStatements(document.getText())[params.statementIndex];
    if (!statement || statement.text !== params.text) return fail('The document changed since this lens was made: run the statement again.');
    const binding = bindingOf(document);
    if (binding.kind !== 'bound') return fail(binding.kind === 'invalid' ? binding.message : 'This document is not bound to a database: add `-- synclens: db=<path>` as its first line.');
    const outcome = await service.snapshot(binding.path);
    if (outcome.kind === 'failed') return fail(outcome.message, binding.path);
    const [check] = await service.check(binding.path, [statement.text]);
    if (check.error !== null) return fail(`SQLite: ${check.error}`, binding.path);
    if (!check.readOnly && !params.confirmedWrite) {
      const target = writeTarget(statement);
      const index = indexOf(outcome);
      const table = target && index?.table(target.table);
      const live = existsSync(`${binding.path}-wal`) || existsSync(`${binding.path}-journal`);
      const summary = target
        ? `${target.verb} on ${target.table}${table?.role === 'entity' ? ' (a synced entity table: no queue operation will be added, so Firestore will not get this change)' : ''}`
        : `${statement.tokens[0]?.text.toUpperCase() ?? 'The statement'} changes the database`;
      return { kind: 'needs-confirmation', database: binding.path, sql: statement.text, summary, live };
    }
    const write = !check.readOnly;
    const resultFile = write ? null : join(resultsFolder(), `${basename(binding.path, extname(binding.path))}-result-${++resultCount}.db`);
    return service.run({ path: binding.path, sql: statement.text, rowLimit, write, allowLive: params.allowLive === true, backupLocation: params.backupLocation === 'beside' ? 'beside' : 'synclensFolder', resultFile }, token);
  });

  connection.onShutdown(async () => {
    keys.dispose();
    await service.dispose();
    if (results) rmSync(results, { recursive: true, force: true });
  });
  documents.listen(connection);
  connection.listen();
}
