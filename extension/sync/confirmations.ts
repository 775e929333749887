// Asked before anything is written: the target, the backup, a live -wal or -journal, and for a real
// Firebase project its id typed out (synclens.confirmWrites may skip the dialog for emulators).
import { existsSync } from 'node:fs';
import { basename } from 'node:path';
import * as vscode from 'vscode';
import { describeTarget, type FirestoreTarget } from '../../core/firestore/client';
import { log } from '../log';
import { backupLocation, writeConfirmationLevel } from '../settings';
import { writeNeedsConfirmation } from '../writeConfirmation';
import { UserCancelled } from './errorWording';

export interface WriteConfirmationArgs {
  /** The caller already asked (tests, scripts). */
  readonly confirmed?: boolean;
  readonly allowLive?: boolean;
}

/** What the write will do, said before the target and the backup, and a second way to go on. */
export interface WriteOutcome {
  /** Plain words: "2 apply · 1 conflict: … · 1 already applied", then any list of ops. */
  readonly detail: string;
  /** A second confirming choice ("Replay, but keep those ops"), if any. */
  readonly alternative?: string;
  /** Ask even where synclens.confirmWrites would not (a local change would be dropped). */
  readonly mustAsk?: boolean;
}

/** The last write confirmation shown (the extension-host tests read it: the test workbench refuses modal dialogs). */
export let lastWriteConfirmation: { readonly message: string; readonly detail: string; readonly choices: readonly string[] } | null = null;

/** Resolves to allowLive (write though the app may be running); throws UserCancelled on "no". */
export async function confirmWrite(path: string, target: FirestoreTarget, action: string, args: WriteConfirmationArgs): Promise<boolean> {
  return (await confirmWriteWithOutcome(path, target, action, args, null)).allowLive;
}

/** confirmWrite with what the write will do; `alternative` is true when the user chose outcome.alternative. */
export async function confirmWriteWithOutcome(
  path: string,
  target: FirestoreTarget,
  action: string,
  args: WriteConfirmationArgs,
  outcome: WriteOutcome | null,
): Promise<{ allowLive: boolean; alternative: boolean }> {
  const live = ['-wal', '-journal'].filter((suffix) => existsSync(`${path}${suffix}`));
  if (args.confirmed) return { allowLive: args.allowLive ?? false, alternative: false };
  const fileName = basename(path);
  if (!outcome?.mustAsk && !writeNeedsConfirmation(writeConfirmationLevel(), { remote: target.kind, live: live.length > 0 })) {
    log().info(`${action} for ${fileName} against ${describeTarget(target)}: not asked first (synclens.confirmWrites is realProjectsOnly)${outcome ? `; ${outcome.detail.split('\n')[0]}` : ''}`);
    return { allowLive: false, alternative: false };
  }
  const detail =
    (outcome ? `${outcome.detail}\n\n` : '') +
    `Target: ${describeTarget(target)}.\n\n` +
    `Afterwards ${fileName} is rewritten (queue drained, rows updated). The current file is first copied to a timestamped backup ${backupLocation(vscode.Uri.file(path)) === 'synclensFolder' ? 'in the .synclens/backups folder beside it' : 'beside it'} (the last 5 are kept).` +
    (live.length > 0 ? `\n\n${fileName}${live.join(' and ')} exists: the app may be running. Writing now moves it aside.` : '');
  const confirmLabel = live.length > 0 ? `${action} (app may be running)` : action;
  const choices = outcome?.alternative ? [confirmLabel, outcome.alternative] : [confirmLabel];
  const message = `${action} for ${fileName}?`;
  lastWriteConfirmation = { message, detail, choices };
  const answer = await vscode.window.showWarningMessage(message, { modal: true, detail }, ...choices);
  if (answer === undefined || !choices.includes(answer)) throw new UserCancelled();
  if (target.kind === 'project') {
    const projectId = target.webConfig.projectId;
    const typed = await vscode.window.showInputBox({
      title: `${action} against a real Firebase project`,
      prompt: `This writes to the live project ${projectId}. Type its id to confirm.`,
      validateInput: (text) => (text === projectId ? null : `Type ${projectId}`),
    });
    if (typed !== projectId) throw new UserCancelled();
  }
  return { allowLive: live.length > 0, alternative: answer === outcome?.alternative };
}
