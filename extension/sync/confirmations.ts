// Asked before anything is written: the target, the backup, a live -wal or -journal, and for a real
// Firebase project its id typed out (synclens.confirmWrites may skip the dialog for emulators).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeTarget, type FirestoreTarget } from '../../core/firestore/client';
import { log } from '../log';
import { writeConfirmationLevel } from '../settings';
import { writeNeedsConfirmation } from '../writeConfirmation';
import { UserCancelled } from './errorWording';

export interface WriteConfirmationArgs {
  /** The caller already asked (tests, scripts). */
  readonly confirmed?: boolean;
  readonly allowLive?: boolean;
}

/** Resolves to allowLive (write though the app may be running); throws UserCancelled on "no". */
export async function confirmWrite(path: string, target: FirestoreTarget, action: string, args: WriteConfirmationArgs): Promise<boolean> {
  const live = ['-wal', '-journal'].filter((suffix) => existsSync(`${path}${suffix}`));
  if (args.confirmed) return args.allowLive ?? false;
  const fileName = basename(path);
  if (!writeNeedsConfirmation(writeConfirmationLevel(), { remote: target.kind, live: live.length > 0 })) {
    log().info(`${action} for ${fileName} against ${describeTarget(target)}: not asked first (synclens.confirmWrites is realProjectsOnly)`);
    return false;
  }
  const detail =
    `Target: ${describeTarget(target)}.\n\n` +
    `Afterwards ${fileName} is rewritten (queue drained, rows updated). The current file is first copied to a timestamped backup beside it (the last 5 are kept).` +
    (live.length > 0 ? `\n\n${fileName}${live.join(' and ')} exists: the app may be running. Writing now moves it aside.` : '');
  const confirmLabel = live.length > 0 ? `${action} (app may be running)` : action;
  const answer = await vscode.window.showWarningMessage(`${action} for ${fileName}?`, { modal: true, detail }, confirmLabel);
  if (answer !== confirmLabel) throw new UserCancelled();
  if (target.kind === 'project') {
    const projectId = target.webConfig.projectId;
    const typed = await vscode.window.showInputBox({
      title: `${action} against a real Firebase project`,
      prompt: `This writes to the live project ${projectId}. Type its id to confirm.`,
      validateInput: (text) => (text === projectId ? null : `Type ${projectId}`),
    });
    if (typed !== projectId) throw new UserCancelled();
  }
  return live.length > 0;
}
