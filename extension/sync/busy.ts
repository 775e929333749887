// The one busy sequence of every sync action: the panel says what runs (and drops its last error),
// VS Code shows progress, and the panel's busy line clears however the action ends.
import * as vscode from 'vscode';
import type { BusyPanel } from './panels';

export async function withPanelBusy<T>(
  panel: BusyPanel,
  busy: string,
  progress: vscode.ProgressOptions | null,
  work: (progress: vscode.Progress<{ message?: string; increment?: number }>, token: vscode.CancellationToken) => Thenable<T>,
): Promise<T> {
  panel.setBusy(busy);
  try {
    if (!progress) return await work({ report: () => undefined }, new vscode.CancellationTokenSource().token);
    return await vscode.window.withProgress(progress, work);
  } finally {
    panel.clearBusy();
  }
}
