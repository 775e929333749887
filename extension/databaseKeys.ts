// Keys of encrypted databases, kept in VS Code's SecretStorage per database file and nowhere else:
// not in settings, synclens.json, the log, a webview or its state. The database worker and the
// other worker threads ask for a key only when they open a file that looks encrypted
// (core/db/keyChannel.ts); this thread answers from SecretStorage.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import type { LanguageClient } from 'vscode-languageclient/node';
import { isCipherChoice, type DatabaseKey } from '../core/db/cipher';
import { serveDatabaseKeys } from '../core/db/keyChannel';
import { keySealVariable, newSealKey, sealDatabaseKey } from '../core/db/sealedKeys';
import { databaseOfBackup } from '../core/db/writeRecovery';
import { DatabaseKeyChangedNotification, DatabaseKeyRequest } from '../core/protocol/languageServer';
import type { DatabaseRegistry } from './databases';
import { log } from './log';

const secretPrefix = 'synclens.databaseKey:';

export class DatabaseKeys implements vscode.Disposable {
  private readonly serving: { dispose(): void };
  private readonly changed = new vscode.EventEmitter<string>();
  /** The path whose key was stored or forgotten. */
  readonly onDidChange = this.changed.event;

  constructor(private readonly secrets: vscode.SecretStorage) {
    this.serving = serveDatabaseKeys((path) => this.get(path));
  }

  /** The key stored for `path`, or for the database `path` is a backup of (Restore… opens the backup first). */
  async get(path: string): Promise<DatabaseKey | undefined> {
    const database = databaseOfBackup(path);
    const stored = (await this.secrets.get(secretPrefix + path)) ?? (database ? await this.secrets.get(secretPrefix + database) : undefined);
    if (!stored) return undefined;
    try {
      const parsed = JSON.parse(stored) as { secret?: unknown; cipher?: unknown };
      if (typeof parsed.secret !== 'string' || parsed.secret === '') return undefined;
      const cipher = typeof parsed.cipher === 'string' && isCipherChoice(parsed.cipher) ? parsed.cipher : 'auto';
      return { secret: parsed.secret, cipher };
    } catch {
      return undefined;
    }
  }

  async has(path: string): Promise<boolean> {
    return (await this.get(path)) !== undefined;
  }

  async store(path: string, key: DatabaseKey): Promise<void> {
    await this.secrets.store(secretPrefix + path, JSON.stringify({ secret: key.secret, cipher: key.cipher ?? 'auto' }));
    this.changed.fire(path);
  }

  async forget(path: string): Promise<void> {
    await this.secrets.delete(secretPrefix + path);
    this.changed.fire(path);
  }

  dispose(): void {
    this.serving.dispose();
    this.changed.dispose();
  }
}

/**
 * The language server's key source in VS Code (language-server/database/keySource.ts): the server
 * is started with `environment()` and asks for a bound database's key; the answer comes only from
 * the keys the user entered (SecretStorage), sealed with this session's key so that a traced LSP
 * connection (`synclens.trace.server`) never shows it. The user is never asked from here.
 */
export class LanguageServerKeys {
  private readonly sealKey = newSealKey();

  constructor(private readonly keys: DatabaseKeys) {}

  /** What the server process's environment adds: the session key, which the server takes out of its environment at once. */
  environment(): Record<string, string> {
    return { [keySealVariable]: this.sealKey };
  }

  /** Answers the server's key requests, and tells it when a key was entered or forgotten. */
  answer(client: LanguageClient): vscode.Disposable {
    return vscode.Disposable.from(
      client.onRequest(DatabaseKeyRequest.type, async ({ path }) => {
        if (typeof path !== 'string') return null;
        const key = await this.keys.get(path);
        return key ? { sealed: sealDatabaseKey(key, this.sealKey, path) } : null;
      }),
      this.keys.onDidChange((path) => {
        if (client.isRunning()) void client.sendNotification(DatabaseKeyChangedNotification.type, { path }).catch(() => undefined);
      }),
    );
  }
}

/** Where "Enter Key…" and "Forget Key" act: a tree node or Uri, or else the focused SyncLens editor's file. */
export interface KeyCommandTarget {
  uri?: vscode.Uri;
  /** The key itself, for a caller that has it (another extension, a test); the palette, tree and editor ask with a password box. */
  key?: string;
}

function isKeyCommandTarget(value: unknown): value is KeyCommandTarget {
  return typeof value === 'object' && value !== null && ('uri' in value || 'key' in value);
}

export interface KeyCommandContext {
  keys: DatabaseKeys;
  registry: DatabaseRegistry;
  /** Opens the file in the SyncLens editor. */
  open(uri: vscode.Uri): Thenable<unknown>;
  /** The file of the focused SyncLens editor, if any. */
  activeUri(): vscode.Uri | undefined;
}

function targetOf(ctx: KeyCommandContext, arg: unknown): { uri: vscode.Uri | undefined; key: string | undefined } {
  if (arg instanceof vscode.Uri) return { uri: arg, key: undefined };
  if (isKeyCommandTarget(arg)) return { uri: arg.uri instanceof vscode.Uri ? arg.uri : ctx.activeUri(), key: typeof arg.key === 'string' ? arg.key : undefined };
  return { uri: ctx.activeUri(), key: undefined };
}

/** Asks for the key with a password box; the text never leaves this thread except to SecretStorage and SQLite. */
function askForKey(fileName: string): Thenable<string | undefined> {
  return vscode.window.showInputBox({
    title: `Key for ${fileName}`,
    prompt: "The database's passphrase, or a raw key written x'…' (64 hex digits). SyncLens keeps it in VS Code's secret storage for this file.",
    placeHolder: 'passphrase',
    password: true,
    ignoreFocusOut: true,
    validateInput: (value) => (value.length === 0 ? 'Enter the key the app encrypts this database with' : undefined),
  });
}

/** "Enter Key…": stores the key for the file and opens it with it; a key that does not open it is not kept. */
export async function enterDatabaseKey(ctx: KeyCommandContext, arg: unknown): Promise<{ opened: boolean }> {
  const { uri, key: given } = targetOf(ctx, arg);
  if (!uri) {
    void vscode.window.showInformationMessage('Open the encrypted database in SyncLens first, then enter its key.');
    return { opened: false };
  }
  const fileName = basename(uri.fsPath);
  const secret = given ?? (await askForKey(fileName));
  if (!secret) return { opened: false };
  await ctx.keys.store(uri.fsPath, { secret, cipher: 'auto' });
  const database = ctx.registry.acquire(uri);
  try {
    await database.load();
    await database.settled();
    const state = database.state;
    if (state.status === 'error' && state.problem.code === 'wrong-key') {
      await ctx.keys.forget(uri.fsPath);
      void vscode.window.showErrorMessage(`${state.problem.message} The key was not kept.`);
      return { opened: false };
    }
    log().info(`${fileName}: a key was entered and kept in secret storage`);
  } finally {
    ctx.registry.release(database);
  }
  await ctx.open(uri);
  return { opened: true };
}

/** "Forget Key": removes the file's key from SecretStorage; an open view of it shows it as encrypted again. */
export async function forgetDatabaseKey(ctx: KeyCommandContext, arg: unknown): Promise<{ forgotten: boolean }> {
  const { uri } = targetOf(ctx, arg);
  const path = uri?.fsPath;
  if (!path) {
    void vscode.window.showInformationMessage('Select an encrypted database in the SyncLens view, or focus its editor, to forget its key.');
    return { forgotten: false };
  }
  const had = await ctx.keys.has(path);
  await ctx.keys.forget(path);
  if (!had) {
    void vscode.window.showInformationMessage(`SyncLens keeps no key for ${basename(path)}.`);
    return { forgotten: false };
  }
  log().info(`${basename(path)}: its key was removed from secret storage`);
  await ctx.registry.get(path)?.load();
  return { forgotten: true };
}
