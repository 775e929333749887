// Screenshots of issue 18's merge preview, its confirmation and the grouped Queue, taken by
// tests/vscode/screenshots.ts against the seeded emulator. The confirmation shot also checks, with
// VS Code's real modal dialog (the extension-host suites cannot show one), that cancelling it gives
// focus back to the Merge Fields button in the webview instead of the webview's body: it fails if not.
import type { Frame } from 'playwright-core';
import type { Workbench } from '../../scripts/vscode/workbench';
import { openQueue } from './syncShots';

/** The Conflicts panel on its first conflict with a domain field taken from the local side, the merge preview shown. */
async function mergePreview(workbench: Workbench, workspace: string): Promise<Frame> {
  await openQueue(workbench, workspace);
  await workbench.runCommand('SyncLens: Show Conflicts');
  const frame = await workbench.waitForWebviewText('Merge Fields');
  const row = frame.locator('.fields-table tbody tr').filter({ hasNotText: /^updatedAt|^version/ }).first();
  await row.locator('input[type="radio"]').first().check();
  await frame.locator('.fields-table td.written', { hasText: 'from local' }).first().waitFor({ timeout: 15_000 });
  await frame.locator('.merge-why').waitFor();
  return frame;
}

/** What has focus in the webview, as a short description. */
function focusedText(frame: Frame): Promise<string> {
  return frame.evaluate(() => `${document.activeElement?.tagName.toLowerCase() ?? 'none'} ${(document.activeElement?.textContent ?? '').trim().slice(0, 40)}`);
}

export const a11yShots = [
  {
    name: 'sync-conflicts-merge',
    shows: "Merge Fields' preview: each differing field's local and remote value, the side taken and the value written, updatedAt and version 'set by the merge', and the line saying why",
    async take(workbench: Workbench, workspace: string) {
      await mergePreview(workbench, workspace);
    },
  },
  {
    name: 'sync-conflicts-merge-confirm',
    shows: 'the merge confirmation listing every value written to both sides, updatedAt and version included, and why; cancelling it gives focus back to Merge Fields',
    async take(workbench: Workbench, workspace: string) {
      const frame = await mergePreview(workbench, workspace);
      const mergeButton = frame.locator('vscode-button', { hasText: 'Merge Fields' });
      await mergeButton.focus();
      await workbench.page.keyboard.press('Enter');
      const dialog = workbench.page.locator('.monaco-dialog-box', { hasText: 'Written to both sides' });
      await dialog.waitFor({ timeout: 30_000 });
      await workbench.shoot('sync-conflicts-merge-confirm.dialog');
      await workbench.page.keyboard.press('Escape');
      await dialog.waitFor({ state: 'hidden' });
      const deadline = Date.now() + 5_000;
      let shown = await focusedText(frame);
      while (!shown.startsWith('vscode-button Merge Fields') && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 100));
        shown = await focusedText(frame);
      }
      if (!shown.startsWith('vscode-button Merge Fields')) throw new Error(`after the cancelled dialog the webview's focus is on "${shown}", not Merge Fields`);
    },
  },
  {
    name: 'sync-queue-grouped',
    shows: "the grouped Queue with the first entity's group collapsed by its chevron (aria-expanded false), the others open",
    async take(workbench: Workbench, workspace: string) {
      const frame = await openQueue(workbench, workspace);
      const toggle = frame.locator('.vrow.group-row .group-toggle').first();
      await toggle.click();
      await frame.locator('.vrow.group-row .group-toggle[aria-expanded="false"]').first().waitFor({ timeout: 10_000 });
    },
  },
];
