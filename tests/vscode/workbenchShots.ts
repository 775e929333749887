// Screenshots of issue 18's workbench points: a database's backups in the SyncLens view with Restore…,
// the SQL file's one Results panel after two Runs (beside the editor, titled by the statement), the
// SQL quick fix for a misspelt column, and the palette's export dialog title for a filtered grid.
// Taken by tests/vscode/screenshots.ts.
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Workbench } from '../../scripts/vscode/workbench';

export const workbenchShots = [
  {
    name: 'tree-backups',
    shows: 'the SyncLens view: app.db > Backups lists a backup by its time, with the Restore… action inline',
    async take(workbench: Workbench, workspace: string) {
      const backups = join(workspace, '.synclens', 'backups');
      mkdirSync(backups, { recursive: true });
      copyFileSync(join(workspace, 'app.db'), join(backups, 'app.db.synclens-backup-20261201T100000Z'));
      await workbench.runCommand('SyncLens: Focus on Databases View');
      await workbench.page.locator('.monaco-list-row', { hasText: /^app\.db/ }).first().click();
      await workbench.page.locator('.monaco-list-row', { hasText: /^Backups/ }).first().click();
      const backup = workbench.page.locator('.monaco-list-row', { hasText: /2026-12-01/ }).first();
      await backup.waitFor({ state: 'visible', timeout: 30_000 });
      await backup.hover();
    },
  },
  {
    name: 'sql-results-panel',
    shows: 'queries/pending.sql after Run on both statements: one Results panel beside the editor, titled by the second statement, the cursor still in the SQL editor',
    async take(workbench: Workbench) {
      await workbench.openFile('pending.sql');
      await workbench.waitForWorkbenchText('Run');
      const lenses = workbench.page.locator('.codelens-decoration a', { hasText: 'Run' });
      await lenses.first().click();
      await workbench.waitForWebviewText('entityType');
      await lenses.nth(1).click();
      await workbench.waitForWebviewText('queuedOperations');
    },
  },
  {
    name: 'sql-quick-fix',
    shows: 'a misspelt column in a .sql file: the light bulb offers "Change to \'email\'" from the bound database',
    async take(workbench: Workbench) {
      await workbench.openFile('pending.sql');
      await workbench.waitForWorkbenchText('Run');
      await workbench.page.locator('.monaco-editor .view-lines').first().click();
      await workbench.page.keyboard.press('Control+End');
      // One edit, so the diagnostic the light bulb asks about is the final text's.
      await workbench.page.keyboard.insertText('\n\nSELECT odid, emial FROM users;');
      await workbench.page.keyboard.press('ArrowLeft');
      for (let step = 0; step < ' FROM users;'.length; step++) await workbench.page.keyboard.press('ArrowLeft');
      await workbench.page.locator('.squiggly-error').first().waitFor({ state: 'visible', timeout: 60_000 });
      await workbench.page.keyboard.press('Control+.');
      await workbench.page.locator('.action-widget', { hasText: "Change to 'email'" }).waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
];
