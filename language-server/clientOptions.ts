// What the server adapts to its client: the initializationOptions SyncLens defines
// (LanguageServerOptions in core/protocol/languageServer.ts) and the standard capabilities it reads.
// Editors other than VS Code send neither, so every default suits a plain LSP client: no `$(icon)`
// syntax, no snippets unless declared, and an untrusted workspace.
import { fileURLToPath } from 'node:url';
import type { InitializeParams } from 'vscode-languageserver';
import type { LanguageServerOptions } from '../core/protocol/languageServer';
import { realPath } from './sql/binding';

export const defaultDiagnosticsDelayMs = 250;
const maxDiagnosticsDelayMs = 600_000;

export interface ClientOptions {
  codiconTitles: boolean;
  workspaceTrusted: boolean;
  diagnosticsDelayMs: number;
  /** The client declared `textDocument.completion.completionItem.snippetSupport`. */
  snippets: boolean;
  /** The client declared `workspace.codeLens.refreshSupport`. */
  codeLensRefresh: boolean;
  /** Real paths of the workspace folders (file: URIs only); the root URI when no folders are given. */
  folders: string[];
  /** One line per option that was ignored, for the client's log. */
  problems: string[];
}

export function readClientOptions(params: InitializeParams): ClientOptions {
  const problems: string[] = [];
  const given: unknown = params.initializationOptions ?? {};
  const options: Record<string, unknown> = typeof given === 'object' && given !== null && !Array.isArray(given) ? (given as Record<string, unknown>) : {};
  if (options !== given) problems.push(`initializationOptions must be an object, got ${JSON.stringify(given)}: using the defaults`);
  const flag = (name: keyof LanguageServerOptions): boolean => {
    const value = options[name];
    if (value === undefined || typeof value === 'boolean') return value === true;
    problems.push(`initializationOptions.${name} must be true or false, got ${JSON.stringify(value)}: using false`);
    return false;
  };
  const delay = options.diagnosticsDelayMs;
  const delayIsValid = typeof delay === 'number' && Number.isInteger(delay) && delay >= 0 && delay <= maxDiagnosticsDelayMs;
  if (delay !== undefined && !delayIsValid) {
    problems.push(`initializationOptions.diagnosticsDelayMs must be a whole number of ms from 0 to ${maxDiagnosticsDelayMs}, got ${JSON.stringify(delay)}: using ${defaultDiagnosticsDelayMs}`);
  }
  const folderUris = params.workspaceFolders?.map((folder) => folder.uri) ?? (params.rootUri ? [params.rootUri] : []);
  return {
    codiconTitles: flag('codiconTitles'),
    workspaceTrusted: flag('workspaceTrusted'),
    diagnosticsDelayMs: delayIsValid ? delay : defaultDiagnosticsDelayMs,
    snippets: params.capabilities.textDocument?.completion?.completionItem?.snippetSupport === true,
    codeLensRefresh: params.capabilities.workspace?.codeLens?.refreshSupport === true,
    folders: folderUris.filter((uri) => uri.startsWith('file:')).map((uri) => realPath(fileURLToPath(uri))),
    problems,
  };
}
