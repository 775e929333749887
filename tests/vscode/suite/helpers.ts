import assert from 'node:assert/strict';
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
