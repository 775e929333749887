// A plain LSP client for tests and the bench: spawns `node dist/server.js --stdio` exactly as any
// editor would, and speaks JSON-RPC over its stdin/stdout.
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CodeLensRequest,
  CompletionRequest,
  createProtocolConnection,
  DidChangeTextDocumentNotification,
  DidOpenTextDocumentNotification,
  ExitNotification,
  InitializedNotification,
  InitializeRequest,
  PublishDiagnosticsNotification,
  ShutdownRequest,
  StreamMessageReader,
  StreamMessageWriter,
  type ClientCapabilities,
  type CodeLens,
  type CompletionItem,
  type Diagnostic,
  type ProtocolConnection,
  type PublishDiagnosticsParams,
} from 'vscode-languageserver-protocol/node';
import type { LanguageServerOptions } from '../../core/protocol/languageServer';

const diagnosticsTimeoutMs = 60_000;

export const serverPath = join(__dirname, '..', '..', 'dist', 'server.js');

export interface LspSession {
  connection: ProtocolConnection;
  /** Opens a document and returns its uri. */
  open(path: string, text: string, languageId?: string): string;
  /** Opens a document that has no file (e.g. `untitled:Untitled-1`). */
  openUri(uri: string, text: string, languageId: string): void;
  /** Replaces a document's whole text. */
  change(uri: string, text: string): void;
  /** Resolves with the first diagnostics for `uri` (at its latest version) that satisfy `accept`. */
  diagnostics(uri: string, accept?: (diagnostics: Diagnostic[]) => boolean): Promise<Diagnostic[]>;
  /** The completion items at a position, whether the server answers with a list or an array. */
  completions(uri: string, line: number, character: number): Promise<CompletionItem[]>;
  codeLenses(uri: string): Promise<CodeLens[]>;
  /** Every diagnostics notification received for `uri`, oldest first. */
  published(uri: string): PublishDiagnosticsParams[];
  stderr(): string;
  /** The server's process id (its memory can be read from /proc). */
  readonly pid: number | undefined;
  close(): Promise<void>;
}

export interface ServerStart {
  /** What the client sends as initializationOptions (LanguageServerOptions); none by default, as most editors. */
  initializationOptions?: LanguageServerOptions;
  /** The client's capabilities; none by default, like a minimal LSP client (no snippets, no lens refresh). */
  capabilities?: ClientCapabilities;
  /** The server process's environment (default this process's). */
  env?: NodeJS.ProcessEnv;
}

export async function startServer(workspaceFolder: string, start: ServerStart = {}): Promise<LspSession> {
  if (!existsSync(serverPath)) throw new Error(`${serverPath} is missing: run \`npm run build\` first`);
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [serverPath, '--stdio'], { stdio: 'pipe', env: start.env ?? process.env });
  let stderr = '';
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const connection = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const versions = new Map<string, number>();
  const latest = new Map<string, PublishDiagnosticsParams>();
  const history: PublishDiagnosticsParams[] = [];
  const waiters: { uri: string; accept: (diagnostics: Diagnostic[]) => boolean; resolve: (diagnostics: Diagnostic[]) => void }[] = [];
  const settle = (): void => {
    for (const waiter of [...waiters]) {
      const published = latest.get(waiter.uri);
      if (!published || published.version !== versions.get(waiter.uri) || !waiter.accept(published.diagnostics)) continue;
      waiters.splice(waiters.indexOf(waiter), 1);
      waiter.resolve(published.diagnostics);
    }
  };
  connection.onNotification(PublishDiagnosticsNotification.type, (params) => {
    latest.set(params.uri, params);
    history.push(params);
    settle();
  });
  connection.listen();
  const folderUri = pathToFileURL(workspaceFolder).href;
  await connection.sendRequest(InitializeRequest.type, {
    processId: process.pid,
    rootUri: folderUri,
    workspaceFolders: [{ uri: folderUri, name: 'workspace' }],
    capabilities: start.capabilities ?? {},
    initializationOptions: start.initializationOptions,
  });
  await connection.sendNotification(InitializedNotification.type, {});

  const openUri = (uri: string, text: string, languageId: string): void => {
    versions.set(uri, 1);
    void connection.sendNotification(DidOpenTextDocumentNotification.type, { textDocument: { uri, languageId, version: 1, text } });
  };

  return {
    connection,
    open(path, text, languageId = path.endsWith('.sql') ? 'sql' : 'json') {
      const uri = pathToFileURL(path).href;
      openUri(uri, text, languageId);
      return uri;
    },
    openUri,
    change(uri, text) {
      const version = (versions.get(uri) ?? 1) + 1;
      versions.set(uri, version);
      void connection.sendNotification(DidChangeTextDocumentNotification.type, { textDocument: { uri, version }, contentChanges: [{ text }] });
    },
    diagnostics(uri, accept = () => true) {
      return new Promise((resolve, reject) => {
        // A server that never publishes must fail the test, not hang it.
        const timer = setTimeout(() => {
          waiters.splice(waiters.indexOf(waiter), 1);
          reject(new Error(`no matching diagnostics for ${uri} v${versions.get(uri)}; last: ${JSON.stringify(latest.get(uri))}\n${stderr}`));
        }, diagnosticsTimeoutMs);
        const waiter = {
          uri,
          accept,
          resolve: (diagnostics: Diagnostic[]) => {
            clearTimeout(timer);
            resolve(diagnostics);
          },
        };
        waiters.push(waiter);
        settle();
      });
    },
    async completions(uri, line, character) {
      const result = await connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } });
      if (!result) return [];
      return Array.isArray(result) ? result : result.items;
    },
    async codeLenses(uri) {
      return (await connection.sendRequest(CodeLensRequest.type, { textDocument: { uri } })) ?? [];
    },
    published: (uri) => history.filter((params) => params.uri === uri),
    stderr: () => stderr,
    pid: child.pid,
    async close() {
      const exited = new Promise((resolve) => child.once('exit', resolve));
      try {
        await connection.sendRequest(ShutdownRequest.type);
        await connection.sendNotification(ExitNotification.type);
      } finally {
        connection.dispose();
        if (child.exitCode === null) {
          const timer = setTimeout(() => child.kill(), 5000);
          await exited;
          clearTimeout(timer);
        }
      }
    },
  };
}
