// Screenshots of what issue 18 changed, taken by tests/vscode/screenshots.ts: the replay
// confirmation that says what will happen, the Queue tab's plan verdicts, a plan marked outdated
// after a write, a database with no queue (actions off, and why), and the grid's table dropdown
// switched by a real mouse click at the item's coordinates (the shot fails when the sticky column
// header covers the list: the click then lands on a header button and the table stays).
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import { defaultEmulatorProjectId } from '../../core/config/target';
import { seedEmulator } from '../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../scripts/firestore-emulator';
import type { Workbench } from '../../scripts/vscode/workbench';

const projectId = defaultEmulatorProjectId;
let emulator: Promise<RunningEmulator> | undefined;

async function seededQueue(workbench: Workbench, workspace: string): Promise<Frame> {
  const unavailable = emulatorUnavailableReason();
  if (unavailable) throw new Error(`these screenshots need the Firestore emulator: ${unavailable}`);
  emulator ??= startFirestoreEmulator({ projectId, unref: true });
  const running = await emulator;
  await running.wipe();
  writeFileSync(
    join(workspace, 'synclens.json'),
    JSON.stringify({ databases: ['*.db'], firestore: { emulator: { host: running.host, port: running.port }, projectId }, maxRetries: 5 }, null, 2),
  );
  await seedEmulator(join(workspace, 'app.db'), { kind: 'emulator', host: running.host, port: running.port, projectId });
  await workbench.openFile('app.db');
  await workbench.waitForWebviewText('odid');
  await workbench.runCommand('SyncLens: Show Sync Queue');
  return workbench.waitForWebviewText(/\d+ ops · \d+ pending/);
}

export const outcomeShots = [
  {
    name: 'sync-replay-confirm',
    shows: 'Replay All asks with what will happen: applies, conflicts by policy, the local changes dropped (listed by op), and "Replay, but keep those ops"',
    async take(workbench: Workbench, workspace: string) {
      await seededQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Replay All');
      await workbench.page.locator('.monaco-dialog-box', { hasText: 'What will happen' }).waitFor({ timeout: 30_000 });
    },
  },
  {
    name: 'sync-queue-verdicts',
    shows: "the Queue tab after a plan: each op's plan verdict (will apply, local dropped, held, not sent) beside its local status",
    async take(workbench: Workbench, workspace: string) {
      await seededQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Plan Replay');
      const frame = await workbench.waitForWebviewText('Planned against');
      await frame.getByRole('tab', { name: /^Queue/ }).click();
      await workbench.waitForWebviewText('local dropped');
    },
  },
  {
    name: 'sync-plan-outdated',
    shows: 'the Plan tab after a replay: the plan made before the write is marked outdated, never shown as current',
    async take(workbench: Workbench, workspace: string) {
      await seededQueue(workbench, workspace);
      await workbench.runCommand('SyncLens: Plan Replay');
      const frame = await workbench.waitForWebviewText('Planned against');
      await workbench.runCommand('SyncLens: Replay All');
      await workbench.page.locator('.monaco-dialog-box .monaco-button', { hasText: 'Replay, but keep those ops' }).first().click();
      await workbench.waitForWebviewText(/backup .*app\.db/);
      await frame.getByRole('tab', { name: /^Plan/ }).click();
      await workbench.waitForWebviewText('Outdated plan');
    },
  },
  {
    name: 'sync-no-queue',
    shows: 'a database with no queue and no synced table: Plan, Replay, Step, Pull, Compare and Conflicts are off, with a line saying why',
    async take(workbench: Workbench, workspace: string) {
      execFileSync('sqlite3', [join(workspace, 'notes.db'), "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('a');"]);
      await workbench.openFile('notes.db');
      await workbench.waitForWebviewText('body');
      await workbench.runCommand('SyncLens: Show Sync Queue');
      await workbench.waitForWebviewText('has no sync queue table');
    },
  },
  {
    name: 'grid-table-dropdown',
    shows: "the grid's table dropdown switched to sync_operations by a mouse click on its item (the list is drawn above the sticky header)",
    async take(workbench: Workbench) {
      await workbench.openFile('app.db');
      const frame = await workbench.waitForWebviewText('odid');
      await frame.locator('vscode-dropdown').first().click();
      const item = frame.locator('vscode-option', { hasText: /^sync_operations/ }).first();
      await item.waitFor({ state: 'visible' });
      const box = await item.boundingBox();
      if (!box) throw new Error('the sync_operations item has no box');
      // A real mouse click where the item is drawn: whatever is on top there gets it.
      await workbench.page.mouse.click(box.x + box.width / 2, box.y + box.height / 2);
      await frame.locator('.header-name', { hasText: 'entityType' }).first().waitFor({ timeout: 10_000 });
    },
  },
];
