// Screenshots of the browse views beyond the basic grid/schema/tree/error ones: the light theme, a
// filtered and sorted view, a JSON cell expanded, and an encrypted-looking file. Taken by
// tests/vscode/screenshots.ts; each drives the workbench as a user would (palette, clicks, keys).
import { randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import type { Workbench } from '../../scripts/vscode/workbench';

/** Opens the grid on the `users` table through the SyncLens tree (a table node opens its grid). */
async function openUsersGrid(workbench: Workbench): Promise<Frame> {
  await workbench.openFile('app.db');
  await workbench.waitForWebviewText('odid');
  await workbench.runCommand('SyncLens: Focus on Databases View');
  await workbench.page.locator('.monaco-list-row', { hasText: /^app\.db/ }).first().click();
  await workbench.page.locator('.monaco-list-row', { hasText: /^users/ }).first().click();
  return workbench.waitForWebviewText('settings');
}

export const browseShots = [
  {
    name: 'grid-light',
    shows: 'the data grid in the Light Modern theme: every colour comes from the theme',
    settings: { 'workbench.colorTheme': 'Default Light Modern' },
    async take(workbench: Workbench) {
      await openUsersGrid(workbench);
      await workbench.waitForWebviewText(/41 rows/);
    },
  },
  {
    name: 'grid-filtered',
    shows: 'posts filtered by title ("conflict") and sorted by updatedAt, newest first; the footer counts matching rows',
    async take(workbench: Workbench) {
      await workbench.openFile('app.db');
      const frame = await workbench.waitForWebviewText('odid');
      const titleColumn = (await frame.locator('.header-name').allInnerTexts()).indexOf('title');
      await frame.locator('.filter-field').nth(titleColumn).click();
      await workbench.page.keyboard.type('conflict');
      await workbench.waitForWebviewText(/\d+ matching rows/);
      const header = frame.getByRole('columnheader', { name: /updatedAt/ });
      await header.click();
      await header.click();
      await frame.locator('[aria-sort="descending"]').waitFor();
      await frame.waitForFunction(() => document.querySelectorAll('.grid-row').length > 0 && !document.querySelector('.footer')?.textContent?.includes('loading'));
      // Show the filtered column first (clicking the header scrolled it out of view).
      await frame.locator('.grid-scroll').evaluate((grid, column) => {
        const header = grid.querySelectorAll<HTMLElement>('.header-cell')[column];
        grid.scrollLeft = header?.offsetLeft ?? 0;
      }, titleColumn);
    },
  },
  {
    name: 'grid-cell-detail',
    shows: 'a JSON cell (users.settings) expanded with Enter: pretty-printed in the detail pane, with copy actions',
    async take(workbench: Workbench) {
      const frame = await openUsersGrid(workbench);
      await frame.locator('.grid-row[aria-rowindex="2"] [role="gridcell"]').last().click();
      await frame.locator('.grid-scroll').focus();
      await workbench.page.keyboard.press('Enter');
      await frame.locator('.detail-pane').waitFor();
    },
  },
  {
    name: 'error-encrypted',
    shows: 'an encrypted-looking (SQLCipher) file: its one message in the editor area',
    async take(workbench: Workbench, workspace: string) {
      writeFileSync(join(workspace, 'secret.db'), randomBytes(4096 * 4));
      await workbench.openFile('secret.db');
      await workbench.waitForWebviewText(/encrypted/i);
    },
  },
];
