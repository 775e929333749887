// Screenshots of the sync views (queue, plan, replay log, conflicts), taken by tests/vscode/screenshots.ts.
// Each shot points the workspace's synclens.json at one Firestore emulator started for the run and
// seeds it from the sample, so plan shows every classification and the conflicts view has some.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { defaultEmulatorProjectId } from '../../core/config/target';
import { seedEmulator } from '../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../scripts/firestore-emulator';
import type { Workbench } from '../../scripts/vscode/workbench';

const projectId = defaultEmulatorProjectId;
let emulator: Promise<RunningEmulator> | undefined;

async function seededWorkspace(workspace: string): Promise<void> {
  const unavailable = emulatorUnavailableReason();
  if (unavailable) throw new Error(`the sync screenshots need the Firestore emulator: ${unavailable}`);
  // Unref'd: it dies with this process when the screenshots are done.
  emulator ??= startFirestoreEmulator({ projectId, unref: true });
  const running = await emulator;
  await running.wipe();
  writeFileSync(
    join(workspace, 'synclens.json'),
    JSON.stringify({ databases: ['*.db'], firestore: { emulator: { host: running.host, port: running.port }, projectId }, maxRetries: 5 }, null, 2),
  );
  await seedEmulator(join(workspace, 'app.db'), { kind: 'emulator', host: running.host, port: running.port, projectId });
}

export async function openQueue(workbench: Workbench, workspace: string): Promise<Frame> {
  await seededWorkspace(workspace);
  await workbench.openFile('app.db');
  await workbench.waitForWebviewText('odid');
  await workbench.runCommand('SyncLens: Show Sync Queue');
  return workbench.waitForWebviewText(/\d+ ops · \d+ pending/);
}

/** Presses the primary button of the modal confirmation VS Code shows before a write. */
async function confirmDialog(workbench: Workbench, label: string | RegExp): Promise<void> {
  const button = workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: label }).first();
  await button.waitFor({ state: 'visible', timeout: 15_000 });
  await button.click();
}

export const syncShots = [
  {
    name: 'sync-queue',
    shows: 'the Sync Queue panel: totals, ops grouped by entity in send order with status badges, the payload diffed against the local row',
    async take(workbench: Workbench, workspace: string) {
      const frame = await openQueue(workbench, workspace);
      await frame.locator('.vscroll .vrow', { hasText: '#6' }).first().click();
      await workbench.waitForWebviewText('Payload vs local row');
    },
  },
  {
    name: 'sync-plan',
    shows: 'Plan: each op classified (apply, already applied, conflict, remote missing, blocked) with the remote document beside it',
    async take(workbench: Workbench, workspace: string) {
      await openQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Plan Replay');
      const frame = await workbench.waitForWebviewText('Planned against');
      await frame.locator('.vscroll .vrow', { hasText: 'conflict' }).first().click();
      await workbench.waitForWebviewText('Remote document');
    },
  },
  {
    name: 'sync-replay-log',
    shows: 'Replay All after its confirmation: the live per-op result log and the write-back summary with its backup',
    async take(workbench: Workbench, workspace: string) {
      await openQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Replay All');
      await confirmDialog(workbench, 'Replay all queued operations');
      await workbench.waitForWebviewText(/backup .*app\.db/);
    },
  },
  {
    name: 'sync-conflicts',
    shows: 'the Conflicts panel: local and remote side by side, the field-level diff with per-field merge choices, the queued payload',
    async take(workbench: Workbench, workspace: string) {
      await openQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Show Conflicts');
      await workbench.waitForWebviewText('Keep Local');
      await workbench.waitForWebviewText('merge takes');
    },
  },
  {
    name: 'sync-conflicts-preview',
    shows: 'Resolve All by Policy: the "what if" preview of remoteWins (which conflicts win, lose or are held) before anything is written',
    async take(workbench: Workbench, workspace: string) {
      await openQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Resolve All by Policy');
      const input = workbench.page.locator('.quick-input-widget input');
      await workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'remoteWins' }).first().waitFor({ state: 'visible', timeout: 30_000 });
      await input.fill('remoteWins');
      await workbench.page.keyboard.press('Enter');
      await workbench.waitForWebviewText('Resolve All by remoteWins');
    },
  },
];
