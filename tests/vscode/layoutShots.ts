// Screenshots of the layout (issue 18) taken by tests/vscode/screenshots.ts: the data grid, the
// Queue tab and the Plan tab, each at full width and at half width (an editor split), in the dark
// and the light theme. At half width the detail pane sits under the list and the headers stay whole.
import type { Frame } from 'playwright-core';
import type { Workbench } from '../../scripts/vscode/workbench';
import { openQueue } from './syncShots';

type Width = 'full' | 'half';
const themes = { dark: 'Default Dark Modern', light: 'Default Light Modern' } as const;

async function gridOf(workbench: Workbench, width: Width): Promise<void> {
  await workbench.openFile('app.db');
  const frame = await workbench.waitForWebviewText('odid');
  await frame.locator('.grid-row').first().waitFor();
  if (width === 'half') {
    // A second grid of the same file beside the first: each gets half of the editor area.
    await workbench.runCommand('View: Split Editor Right');
    await workbench.page.locator('.editor-group-container').nth(1).waitFor();
    await waitForGrids(workbench, 2);
  }
}

async function waitForGrids(workbench: Workbench, count: number): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (Date.now() < deadline) {
    let shown = 0;
    for (const frame of workbench.page.frames()) shown += await frame.locator('.grid-row').count().then((rows) => (rows > 0 ? 1 : 0), () => 0);
    if (shown >= count) return;
    await workbench.page.waitForTimeout(200);
  }
  throw new Error(`${count} grids with rows did not show`);
}

/** Half width: the panel moves into a group of its own on the right; the grid keeps the left half. */
async function halve(workbench: Workbench, width: Width): Promise<void> {
  if (width === 'full') return;
  await workbench.runCommand('View: Move Editor into Right Group');
  await workbench.page.locator('.editor-group-container').nth(1).waitFor();
}

async function queueOf(workbench: Workbench, workspace: string, width: Width): Promise<void> {
  const frame: Frame = await openQueue(workbench, workspace);
  await halve(workbench, width);
  await frame.locator('.vrow', { hasText: '#6' }).first().click();
  await workbench.waitForWebviewText('Payload vs local row');
}

async function planOf(workbench: Workbench, workspace: string, width: Width): Promise<void> {
  await openQueue(workbench, workspace);
  await workbench.runCommand('SyncLens: Plan Replay');
  const frame = await workbench.waitForWebviewText('Planned against');
  await halve(workbench, width);
  await frame.locator('.vrow', { hasText: 'conflict' }).first().click();
  await workbench.waitForWebviewText('Remote document');
}

const views = {
  grid: { shows: 'the data grid (posts): whole headers, resizable columns, the id column frozen', take: (workbench: Workbench, _workspace: string, width: Width) => gridOf(workbench, width) },
  queue: { shows: 'the Queue tab: whole headers, the entity and error columns filled, the resizable detail pane', take: queueOf },
  plan: { shows: 'the Plan tab: entity and reason readable, the JSON panes wrapped', take: planOf },
};

export const layoutShots = Object.entries(views).flatMap(([view, { shows, take }]) =>
  (['full', 'half'] as const).flatMap((width) =>
    (Object.keys(themes) as Array<keyof typeof themes>).map((theme) => ({
      name: `layout-${view}-${width}-${theme}`,
      shows: `${shows} — ${width} width (${width === 'half' ? 'an editor split' : 'one editor'}), ${theme} theme`,
      settings: { 'workbench.colorTheme': themes[theme] },
      take: (workbench: Workbench, workspace: string) => take(workbench, workspace, width),
    })),
  ),
);
