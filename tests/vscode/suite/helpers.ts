import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { SyncLensApi } from '../../../extension/main';

/** Polls `probe` until `accept` holds: webviews render and the language server answers asynchronously. */
export async function waitFor<T>(what: string, probe: () => Thenable<T> | T, accept: (value: T) => boolean, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  while (Date.now() < deadline) {
    last = await probe();
    if (accept(last)) return last;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  assert.fail(`timed out waiting for ${what}; last seen: ${JSON.stringify(last)?.slice(0, 800)}`);
}

/** The activated extension's test API. */
export async function api(): Promise<SyncLensApi> {
  const extension = vscode.extensions.all.find((candidate) => candidate.packageJSON?.name === 'synclens');
  assert.ok(extension, 'SyncLens is installed in the extension host');
  return (await extension.activate()) as SyncLensApi;
}

/** The folder the suites run in: a copy of the sample workspace. */
export function workspaceFolder(): string {
  const folder = vscode.workspace.workspaceFolders?.[0]?.uri.fsPath;
  assert.ok(folder, 'the tests run with a copy of the sample workspace open');
  return folder;
}

/** A copy of the sample's app.db at `path`. */
export function copyOfSample(path: string): string {
  copyFileSync(join(workspaceFolder(), 'app.db'), path);
  return path;
}

/**
 * `folder` with its own synclens.json naming a Firestore emulator address: a database copied into it
 * finds this config before the sample's.
 */
export function folderWithTarget(folder: string, emulator: { host: string; port: number }, projectId: string, extra: Record<string, unknown> = {}): string {
  mkdirSync(folder, { recursive: true });
  writeFileSync(join(folder, 'synclens.json'), JSON.stringify({ databases: ['*.db'], firestore: { emulator: { host: emulator.host, port: emulator.port }, projectId }, ...extra }));
  return folder;
}
