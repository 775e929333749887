// Screenshots of the Firestore Android SDK's own cache (issue 14), taken by tests/vscode/screenshots.ts:
// the sample workspace's cache (sample-workspace/firestoreSdkCache.ts, the tests' fixture too), with
// synclens.json naming it as the workspace's only database. The Sync Queue panel
// (Replay off, and why), its Plan against the emulator (each write's SDK verdict), and the grid on
// remote_documents (paths, documents and read times decoded).
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../scripts/firestore-emulator';
import type { Workbench } from '../../scripts/vscode/workbench';
import { firestoreSdkFileName } from '../unit/queues/fixtures';

/** The project the fixture's file is named for: its writes are planned there. */
const projectId = 'demo-synclens';
let emulator: Promise<RunningEmulator> | undefined;

async function seed(running: RunningEmulator, path: string, fields: Record<string, unknown>): Promise<void> {
  const url = `http://${running.host}:${running.port}/v1/projects/${projectId}/databases/(default)/documents/${path}`;
  const response = await fetch(url, { method: 'PATCH', headers: { Authorization: 'Bearer owner', 'Content-Type': 'application/json' }, body: JSON.stringify({ fields }) });
  if (!response.ok) throw new Error(`seeding ${path}: ${response.status} ${await response.text()}`);
}

export const queueSourceShots = [
  {
    name: 'sync-queue-firestore-sdk',
    shows:
      "the Sync Queue panel on a Firestore Android SDK cache (firestore.%5BDEFAULT%5D.demo-synclens.%28default%29): its 3 pending writes in batch order; Replay All / Selected / Step off with 'The Firestore SDK owns this file; SyncLens only reads it' beside them; #2's detail: field mask, precondition, fields",
    async take(workbench: Workbench, workspace: string) {
      writeFileSync(join(workspace, 'synclens.json'), JSON.stringify({ databases: ['firestore.*'] }, null, 2));
      await workbench.runCommand('SyncLens: Show Sync Queue');
      const frame = await workbench.waitForWebviewText(/3 ops · 3 pending/, 60_000);
      await workbench.waitForWebviewText('The Firestore SDK owns this file; SyncLens only reads it');
      await frame.locator('.vscroll .vrow', { hasText: '#2' }).first().click();
      await workbench.waitForWebviewText('pending: the Firestore SDK sends it, SyncLens only shows it');
      // The detail: the write's field mask, precondition and fields (core/queue/operationDetail.ts).
      await workbench.waitForWebviewText(/fieldMask[\s\S]*Edited/);
    },
  },
  {
    name: 'sync-plan-firestore-sdk',
    shows:
      "the Plan tab on the Firestore SDK cache against the emulator: each pending write's SDK verdict (posts/p1 will apply; posts/p2 and posts/p3 remote newer: changed on the target after the local write) and #2's detail: what the SDK will send beside the target's document and the diff",
    async take(workbench: Workbench, workspace: string) {
      const unavailable = emulatorUnavailableReason();
      if (unavailable) throw new Error(`this screenshot needs the Firestore emulator: ${unavailable}`);
      emulator ??= startFirestoreEmulator({ projectId, unref: true });
      const running = await emulator;
      await running.wipe();
      await seed(running, 'posts/p2', { title: { stringValue: 'Draft' }, body: { stringValue: 'kept' } });
      await seed(running, 'posts/p3', { title: { stringValue: 'Old news' } });
      writeFileSync(join(workspace, 'synclens.json'), JSON.stringify({ databases: ['firestore.*'], firestore: { emulator: { host: running.host, port: running.port }, projectId } }, null, 2));
      await workbench.runCommand('SyncLens: Show Sync Queue');
      const frame = await workbench.waitForWebviewText(/3 ops · 3 pending/, 60_000);
      await frame.getByRole('button', { name: 'Plan', exact: true }).click();
      await workbench.waitForWebviewText(/Planned against[\s\S]*remote newer/, 60_000);
      await frame.locator('.vscroll .vrow', { hasText: '#2' }).first().click();
      await workbench.waitForWebviewText('The SDK will send');
    },
  },
  {
    name: 'grid-firestore-sdk-remote-documents',
    shows:
      'the data grid on the Firestore SDK cache\'s remote_documents: paths as posts/p2, each MaybeDocument decoded (fields, version; one known missing, one unknown), read times as times, under "The Firestore SDK owns this file; SyncLens only reads it"; posts/p5\'s document expanded',
    async take(workbench: Workbench, workspace: string) {
      writeFileSync(join(workspace, 'synclens.json'), JSON.stringify({ databases: ['firestore.*'] }, null, 2));
      await workbench.runCommand('SyncLens: Focus on Databases View');
      await workbench.page.locator('.monaco-list-row', { hasText: firestoreSdkFileName }).first().click();
      await workbench.page.locator('.monaco-list-row', { hasText: /^remote_documents/ }).first().click();
      const frame = await workbench.waitForWebviewText(/posts\/p5[\s\S]*Offline first/, 60_000);
      await workbench.waitForWebviewText('The Firestore SDK owns this file; SyncLens only reads it');
      const contents = (await frame.locator('.header-name').allInnerTexts()).indexOf('contents');
      await frame.locator('.grid-row[aria-rowindex="4"] [role="gridcell"]').nth(contents).click();
      await frame.locator('.grid-scroll').focus();
      await workbench.page.keyboard.press('Enter');
      await frame.locator('.detail-pane').waitFor();
    },
  },
];
