// How a failed sync action is worded for people: the panel's error line and one notification, with
// advice for the codes a user can act on. A Restricted Mode refusal offers to manage trust instead.
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { errorCode, errorMessage } from '../../core/errors';
import { log } from '../log';
import { RestrictedModeError } from './connection';

/** The user closed a dialog or picker: the action stops and nothing is reported. */
export class UserCancelled extends Error {}

export function userMessage(error: unknown, fileName: string): string {
  const message = errorMessage(error);
  switch (errorCode(error)) {
    case 'changed':
      return `${fileName} changed on disk while SyncLens worked on it, so it was not written. Remote writes already made are idempotent: run the command again on the new file. (${message})`;
    case 'live':
      return `${fileName} has a -wal or -journal (the app may be running): ${message}`;
    default:
      return message;
  }
}

/** One notification per failed action. */
export function showSyncError(error: unknown, path = ''): void {
  if (error instanceof UserCancelled) return;
  const message = userMessage(error, path ? basename(path) : '');
  if (error instanceof RestrictedModeError) {
    log().info(message);
    void vscode.window.showWarningMessage(message, 'Manage Workspace Trust').then((choice) => choice && vscode.commands.executeCommand('workbench.trust.manage'));
    return;
  }
  log().error(message);
  void vscode.window.showErrorMessage(message);
}
