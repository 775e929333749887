// Screenshots of the secrets scan (the Sync Queue's Secrets tab, the Problems panel) and of
// "SyncLens: Compare with…" (the diff view), driven as a user would: palette, tabs, the open dialog.
// Taken by tests/vscode/screenshots.ts on databases the real sqlite3 writes at shot time.
import type { Workbench } from '../../scripts/vscode/workbench';
import { writePlantedDatabase } from '../unit/scan/plantedSecrets';
import { writeMigrationPair } from '../unit/diff/migrationPair';

async function openPlanted(workbench: Workbench, workspace: string): Promise<void> {
  writePlantedDatabase(workspace);
  await workbench.openFile('planted.db');
  await workbench.waitForWebviewText(/rows/i);
}

export const secretsDiffShots = [
  {
    name: 'secrets-tab',
    shows: 'planted.db in the Sync Queue view, Secrets tab: secrets stored in the clear, most severe first, with where and why (values never shown)',
    async take(workbench: Workbench, workspace: string) {
      await openPlanted(workbench, workspace);
      await workbench.runCommand('SyncLens: Show Sync Queue');
      // It may ask which database (several are in the workspace): planted.db, the open one, is first.
      await workbench.waitForWorkbenchText(/Which database/, 5_000).then(
        () => workbench.page.keyboard.press('Enter'),
        () => undefined,
      );
      // innerText follows CSS text-transform: the tab reads SECRETS.
      const frame = await workbench.waitForWebviewText(/secrets/i);
      await frame.getByRole('tab', { name: /secrets/i }).click();
      await workbench.waitForWebviewText(/rows in 6 tables scanned/);
    },
  },
  {
    name: 'secrets-problems',
    shows: 'the Problems panel for the open planted.db: one entry per finding, with severity, kind, place and preview',
    async take(workbench: Workbench, workspace: string) {
      await openPlanted(workbench, workspace);
      await workbench.runCommand('View: Focus Problems');
      await workbench.waitForWorkbenchText(/SyncLens secrets/);
    },
  },
  {
    name: 'diff-view',
    shows: '"SyncLens: Compare with…" on a migration pair: tables with counts, schema changes at the top, the changed rows of users with changed cells marked',
    async take(workbench: Workbench, workspace: string) {
      const pair = writeMigrationPair(workspace);
      await workbench.openFile('before.db');
      await workbench.waitForWebviewText(/rows/i);
      // Focus back in the workbench (the grid's iframe keeps F1 otherwise).
      await workbench.page.locator('.tab', { hasText: 'before.db' }).first().click();
      await workbench.runCommand('SyncLens: Compare with...');
      // code-server's open dialog is a quick input taking a path.
      const input = workbench.page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible' });
      await input.fill(pair.after);
      await workbench.page.keyboard.press('Enter');
      const frame = await workbench.waitForWebviewText(/schema changes/);
      await frame.getByRole('treeitem', { name: /users/ }).click();
      await workbench.waitForWebviewText(/grace\.hopper/);
    },
  },
];
