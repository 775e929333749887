// Screenshot of the Sync Queue view on the Firestore Android SDK's own cache (issue 14), taken by
// tests/vscode/screenshots.ts: the fixture cache (tests/unit/queues/fixtures.ts) in the workspace,
// synclens.json naming it as the workspace's only database.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Workbench } from '../../scripts/vscode/workbench';
import { writeFirestoreSdkCache } from '../unit/queues/fixtures';

export const queueSourceShots = [
  {
    name: 'sync-queue-firestore-sdk',
    shows: "the Sync Queue panel on a Firestore Android SDK cache (firestore.%5BDEFAULT%5D.demo-synclens.%28default%29): its 3 pending writes in batch order, read-only; #2's detail: field mask, precondition, fields",
    async take(workbench: Workbench, workspace: string) {
      writeFirestoreSdkCache(workspace);
      writeFileSync(join(workspace, 'synclens.json'), JSON.stringify({ databases: ['firestore.*'] }, null, 2));
      await workbench.runCommand('SyncLens: Show Sync Queue');
      const frame = await workbench.waitForWebviewText(/3 ops · 3 pending/, 60_000);
      await frame.locator('.vscroll .vrow', { hasText: '#2' }).first().click();
      await workbench.waitForWebviewText('pending: the Firestore SDK sends it, SyncLens only shows it');
      // The detail: the write's field mask, precondition and fields (core/queue/operationDetail.ts).
      await workbench.waitForWebviewText(/fieldMask[\s\S]*Edited/);
    },
  },
];
