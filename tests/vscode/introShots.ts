// Screenshots of how SyncLens introduces itself: the language server in a .sql file (completion of a
// table alias's columns, with the Run lenses) and the "Get started with SyncLens" walkthrough.
// Taken by tests/vscode/screenshots.ts; `npm run readme-images` puts some of them in the README.
import type { Workbench } from '../../scripts/vscode/workbench';

export const introShots = [
  {
    name: 'sql-completion',
    shows: 'queries/pending.sql bound to app.db: completion of the users columns after "u.", with the Run code lenses above each statement',
    // Only the language server's items: no words picked up from the document.
    settings: { 'editor.wordBasedSuggestions': 'off' },
    async take(workbench: Workbench) {
      await workbench.openFile('pending.sql');
      await workbench.waitForWorkbenchText('Run');
      const editor = workbench.page.locator('.monaco-editor .view-lines').first();
      await editor.click();
      await workbench.page.keyboard.press('Control+End');
      // The alias is declared after the cursor: type the statement, then go back to just after "u.".
      const before = 'SELECT u.';
      await workbench.page.keyboard.type(`\n\n${before} FROM "users" AS u;`);
      await workbench.page.keyboard.press('Home');
      for (let step = 0; step < before.length; step++) await workbench.page.keyboard.press('ArrowRight');
      await workbench.page.keyboard.press('Control+Space');
      await workbench.page.locator('.suggest-widget.visible', { hasText: 'email' }).waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
  {
    name: 'walkthrough',
    shows: 'the "Get started with SyncLens" walkthrough (Welcome: Open Walkthrough...) with its four steps and the first step\'s picture',
    async take(workbench: Workbench) {
      await workbench.runCommand('Welcome: Open Walkthrough...');
      const entry = workbench.page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with SyncLens' }).first();
      await entry.waitFor({ state: 'visible', timeout: 30_000 });
      await entry.click();
      await workbench.waitForWorkbenchText('Open a sample database');
      await workbench.page.locator('.getting-started-step.expanded img, .getting-started-media img').first().waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
  {
    name: 'walkthrough-done',
    shows: 'the walkthrough driven by its own buttons: sample opened, Sync Queue shown, the seeded emulator planned, Conflicts shown; each step ticked by its completion event',
    async take(workbench: Workbench) {
      const page = workbench.page;
      // Back on its tab the Welcome page shows its start page again, so each step reopens the walkthrough.
      const openWalkthrough = async (): Promise<void> => {
        await workbench.runCommand('Welcome: Open Walkthrough...');
        await page.locator('.quick-input-list .monaco-list-row', { hasText: 'Get started with SyncLens' }).first().click();
        await workbench.waitForWorkbenchText('Open a sample database');
      };
      const steps: { title: string; button: string; opened: string | RegExp }[] = [
        { title: 'Open a sample database', button: 'Open Sample Database', opened: 'odid' },
        { title: 'See the Sync Queue', button: 'Show Sync Queue', opened: /\d+ ops · \d+ pending/ },
        { title: 'Plan against the emulator', button: 'Start the Emulator and Plan', opened: 'Planned against' },
        { title: 'Settle the conflicts', button: 'Show Conflicts', opened: 'Keep Local' },
      ];
      for (const step of steps) {
        await openWalkthrough();
        // An expanded step is a disabled button: only a collapsed one is clicked open.
        const collapsed = page.locator('.getting-started-step:not(.expanded)', { hasText: step.title });
        if ((await collapsed.count()) > 0) await collapsed.first().click();
        await page.getByRole('button', { name: step.button, exact: true }).click();
        await workbench.waitForWebviewText(step.opened, 90_000);
      }
      await openWalkthrough();
      await page.locator('.getting-started-step[aria-checked="true"]').nth(steps.length - 1).waitFor({ state: 'visible', timeout: 30_000 });
    },
  },
];
