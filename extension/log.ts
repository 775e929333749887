import * as vscode from 'vscode';

let channel: vscode.LogOutputChannel | undefined;

/** The "SyncLens" output channel, created on first use. */
export function log(): vscode.LogOutputChannel {
  channel ??= vscode.window.createOutputChannel('SyncLens', { log: true });
  return channel;
}

export function disposeLog(): void {
  channel?.dispose();
  channel = undefined;
}
