// Layout of the grid and the sync lists in the real workbench, driven with the real mouse and
// keyboard over CDP (workbenchPage.ts): the table dropdown's items take a click at their own
// coordinates, a dragged column width survives a webview reload, the key column stays in view when
// the grid scrolls sideways, and a grid or list is one tab stop with the arrow keys inside it.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import * as vscode from 'vscode';
import { api, copyOfSample, waitFor } from './helpers';
import { centre, connectWorkbenchPage, type WorkbenchPage } from './workbenchPage';

/** The width of `selector`'s first match in the frame, in CSS px. */
function widthOf(frame: Frame, selector: string): Promise<number> {
  return frame.locator(selector).first().evaluate((element) => element.getBoundingClientRect().width);
}

/** What has focus inside the webview: its tag, classes and whether it sits inside the grid. */
function focused(frame: Frame, container: string): Promise<{ tag: string; className: string; inside: boolean; activeDescendant: string | null }> {
  return frame.evaluate((selector) => {
    const element = document.activeElement;
    const grid = document.querySelector(selector);
    return {
      tag: element?.tagName.toLowerCase() ?? '',
      className: element?.className.toString() ?? '',
      inside: Boolean(grid && element && grid !== element && grid.contains(element)),
      activeDescendant: grid?.getAttribute('aria-activedescendant') ?? null,
    };
  }, container);
}

describe('SyncLens layout (real mouse and keyboard)', function () {
  this.timeout(180_000);
  let workbench: WorkbenchPage;
  let scratch: string;
  let path: string;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    workbench = await connectWorkbenchPage();
    scratch = mkdtempSync(join(tmpdir(), 'synclens-layout-'));
    path = copyOfSample(join(scratch, 'layout.db'));
  });

  after(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    await workbench?.disconnect();
    rmSync(scratch, { recursive: true, force: true });
  });

  /** Opens the grid of the copy on `table` and returns its webview frame once the rows show. */
  async function openGrid(): Promise<Frame> {
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    await waitFor('the grid with rows', async () => (await synclens.inspectEditor(path)) ?? null, (shown) => (shown?.rows.length ?? 0) > 0);
    const frame = await workbench.webview('odid');
    await frame.locator('.grid-row').first().waitFor();
    return frame;
  }

  it("switches tables with a mouse click on the dropdown's item, drawn above the sticky column header", async () => {
    const synclens = await api();
    const frame = await openGrid();
    const before = (await synclens.inspectEditor(path))!.table;
    assert.notEqual(before, 'sync_operations');
    await frame.locator('vscode-dropdown').first().click();
    const item = frame.locator('vscode-option', { hasText: /^sync_operations/ }).first();
    await item.waitFor({ state: 'visible' });
    const box = await item.boundingBox();
    assert.ok(box, 'the sync_operations item has a box');
    // Whatever is drawn on top at the item's centre takes the click: a header there would sort instead.
    const { x, y } = centre(box);
    await workbench.page.mouse.click(x, y);
    const shown = await waitFor('the grid on sync_operations', async () => (await synclens.inspectEditor(path))!, (grid) => grid.table === 'sync_operations', 10_000);
    assert.ok(shown.headers.includes('entityType'), `sync_operations' columns are shown: ${shown.headers.join(', ')}`);
    await frame.locator('vscode-dropdown').first().click();
    const posts = frame.locator('vscode-option', { hasText: /^posts/ }).first();
    await posts.waitFor({ state: 'visible' });
    const postsAt = centre((await posts.boundingBox())!);
    await workbench.page.mouse.click(postsAt.x, postsAt.y);
    await waitFor('the grid back on posts', async () => (await synclens.inspectEditor(path))!, (grid) => grid.table === 'posts' && grid.rows.length > 0, 10_000);
  });

  it('keeps a column width dragged with the mouse after the webview reloads', async () => {
    const frame = await openGrid();
    const odid = '.header-cell:has(.header-name:text-is("odid"))';
    const widthBefore = await widthOf(frame, odid);
    await frame.locator(`${odid} .column-resizer`).scrollIntoViewIfNeeded();
    const handle = await frame.locator(`${odid} .column-resizer`).boundingBox();
    assert.ok(handle, 'the odid column has a resize handle');
    const start = centre(handle);
    const onTop = await frame
      .locator(`${odid} .column-resizer`)
      .evaluate((element) => {
        const box = element.getBoundingClientRect();
        const hit = document.elementFromPoint(box.left + box.width / 2, box.top + box.height / 2);
        return hit === element ? 'the handle' : `${hit?.tagName} ${hit?.className} at ${JSON.stringify(box)} in ${window.innerWidth}x${window.innerHeight} ${location.href.slice(0, 60)}`;
      });
    assert.equal(onTop, 'the handle', 'the resize handle is what a press at its centre reaches');
    await workbench.page.mouse.move(start.x, start.y);
    await workbench.page.mouse.down();
    await workbench.page.mouse.move(start.x + 60, start.y, { steps: 4 });
    await workbench.page.mouse.move(start.x + 120, start.y, { steps: 4 });
    await workbench.page.mouse.up();
    const widthAfter = await waitFor('the wider odid column', () => widthOf(frame, odid), (width) => width > widthBefore + 100, 5_000);
    assert.ok(Math.abs(widthAfter - widthBefore - 120) <= 4, `dragged 120 px: ${widthBefore} -> ${widthAfter}`);
    // The rows follow the header: an odid cell is as wide as its header.
    const odidIndex = await frame.locator('.header-cell').evaluateAll((cells) => cells.findIndex((cell) => cell.textContent?.startsWith('odid')));
    const cellWidth = await widthOf(frame, `.grid-row [data-column="${odidIndex}"]`);
    assert.ok(Math.abs(cellWidth - widthAfter) <= 1, `cells ${cellWidth} px under a ${widthAfter} px header`);

    // The width is saved in the webview's state (after a short pause), which VS Code hands back on reload.
    await new Promise((resolve) => setTimeout(resolve, 600));
    await vscode.commands.executeCommand('workbench.action.webview.reloadWebviewAction');
    const reloaded = await waitFor(
      'the reloaded grid',
      async () => {
        for (const candidate of workbench.page.frames()) {
          const width = await candidate
            .locator(odid)
            .first()
            .evaluate((element) => element.getBoundingClientRect().width, undefined, { timeout: 500 })
            .catch(() => 0);
          if (width > 0 && candidate !== frame) return { candidate, width };
        }
        return null;
      },
      (found) => found !== null,
    );
    assert.ok(Math.abs(reloaded!.width - widthAfter) <= 1, `after the reload the odid column is ${reloaded!.width} px, as dragged (${widthAfter} px)`);
  });

  it('keeps the primary key column in view, over the other cells, when the grid scrolls right', async () => {
    const frame = await openGrid();
    const grid = frame.locator('.grid-scroll');
    const gridBox = (await grid.boundingBox())!;
    await workbench.page.mouse.move(gridBox.x + gridBox.width / 2, gridBox.y + gridBox.height / 2);
    await workbench.page.mouse.wheel(3000, 0);
    const scrolled = await waitFor('the grid scrolled right', () => grid.evaluate((element) => element.scrollLeft), (left) => left > 100, 5_000);
    const idCell = frame.locator('.grid-row[aria-rowindex="1"] [data-column="0"]');
    const idBox = (await idCell.boundingBox())!;
    assert.ok(Math.abs(idBox.x - gridBox.x) <= 1, `scrolled ${scrolled} px right, the id cell stays at the grid's left edge (${idBox.x} vs ${gridBox.x})`);
    // Drawn on top: the point at the id cell's centre hits the id cell, not a cell scrolled under it.
    const hit = await frame.evaluate(({ x, y }) => document.elementFromPoint(x, y)?.closest('.grid-cell')?.getAttribute('data-column') ?? null, {
      x: idBox.width / 2 + (await idCell.evaluate((element) => element.getBoundingClientRect().left)),
      y: await idCell.evaluate((element) => element.getBoundingClientRect().top + element.getBoundingClientRect().height / 2),
    });
    assert.equal(hit, '0', 'the id cell is painted over the scrolled cells');
    assert.match((await idCell.textContent()) ?? '', /^\s*\d+\s*$/, 'it shows the row id');
    await grid.evaluate((element) => element.scrollTo({ left: 0 }));
  });

  it('makes the grid one tab stop: arrows, Home/End and Page keys move inside it, Enter sorts from a header', async () => {
    const frame = await openGrid();
    const page = workbench.page;
    await frame.locator('.grid-row[aria-rowindex="1"] [data-column="1"]').click();
    assert.equal((await focused(frame, '.grid-scroll')).tag, 'div', 'a click on a cell focuses the grid');
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowRight');
    assert.equal((await focused(frame, '.grid-scroll')).activeDescendant, 'cell-1-2');
    await page.keyboard.press('End');
    const columns = await frame.locator('.header-cell').count();
    assert.equal((await focused(frame, '.grid-scroll')).activeDescendant, `cell-1-${columns - 1}`);
    await page.keyboard.press('Home');
    await page.keyboard.press('PageDown');
    const afterPage = (await focused(frame, '.grid-scroll')).activeDescendant ?? '';
    assert.match(afterPage, /^cell-\d+-0$/);
    assert.ok(Number(afterPage.split('-')[1]) > 5, `Page Down moves a page of rows: ${afterPage}`);
    await page.keyboard.press('Control+Home');
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(frame, '.grid-scroll')).activeDescendant, 'filter-0', 'above the first row: the filter row');
    await page.keyboard.press('ArrowUp');
    assert.equal((await focused(frame, '.grid-scroll')).activeDescendant, 'head-0', 'then the header row');
    await page.keyboard.press('Enter');
    await frame.locator('#head-0[aria-sort="ascending"]').waitFor({ timeout: 5_000 });
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('Enter');
    const inFilter = await focused(frame, '.grid-scroll');
    assert.ok(inFilter.inside && inFilter.className.includes('filter-field'), `Enter on a filter cell edits its field: ${JSON.stringify(inFilter)}`);
    await page.keyboard.press('Escape');
    assert.equal((await focused(frame, '.grid-scroll')).tag, 'div', 'Escape in the field returns to the grid');
    assert.ok((await focused(frame, '.grid-scroll')).className.includes('grid-scroll'));

    // Tab leaves the grid at once: no header button or filter field in between.
    await page.keyboard.press('Tab');
    const next = await focused(frame, '.grid-scroll');
    assert.ok(!next.inside && !next.className.includes('grid-scroll'), `Tab from the grid goes past its headers and filters: ${JSON.stringify(next)}`);
  });

  it('makes the queue list one tab stop with a keyboard-resizable detail pane', async () => {
    const synclens = await api();
    await vscode.commands.executeCommand('synclens.showSyncQueue', vscode.Uri.file(path));
    await waitFor('the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => (shown?.rows.length ?? 0) > 0);
    const frame = await workbench.webview(/\d+ ops · \d+ pending/);
    const page = workbench.page;
    const headers = await frame.locator('.vheader-cell .header-label').evaluateAll((labels) => labels.map((label) => ({ text: label.textContent, cut: label.scrollWidth > label.clientWidth })));
    assert.deepEqual(
      headers.filter((header) => header.cut),
      [],
      'every header label shows in full',
    );
    await frame.locator('.vrow', { hasText: '#1' }).first().click();
    const list = '.vlist';
    const first = await focused(frame, list);
    assert.ok(first.className.split(' ').includes('vlist'), `a click on a row focuses the list: ${JSON.stringify(first)}`);
    await page.keyboard.press('ArrowDown');
    await page.keyboard.press('ArrowDown');
    const moved = (await focused(frame, list)).activeDescendant;
    assert.ok(moved, 'the list names its active row');
    assert.equal(await frame.locator(`[id="${moved}"]`).getAttribute('aria-selected'), 'true');
    await page.keyboard.press('End');
    const last = (await focused(frame, list)).activeDescendant;
    assert.notEqual(last, moved, 'End moves to the last row');
    // Left/Right move to a cell of the active row; Alt+Left/Right resize that cell's column.
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    const cell = (await focused(frame, list)).activeDescendant;
    assert.equal(await frame.locator(`[id="${cell}"]`).getAttribute('role'), 'gridcell', `Right moves to a cell: ${cell}`);
    const secondHeaderWidth = (): Promise<number> => frame.locator('.vheader-cell').nth(1).evaluate((element) => element.getBoundingClientRect().width);
    const widthBefore = await secondHeaderWidth();
    await page.keyboard.press('Alt+ArrowRight');
    await page.keyboard.press('Alt+ArrowRight');
    const widthAfter = await secondHeaderWidth();
    assert.ok(widthAfter >= widthBefore + 30, `two Alt+Right presses widen the second column: ${widthBefore} -> ${widthAfter}`);
    await page.keyboard.press('Alt+ArrowLeft');
    assert.ok((await secondHeaderWidth()) < widthAfter, 'Alt+Left narrows it again');
    await page.keyboard.press('Tab');
    const separator = await frame.evaluate(() => ({ role: document.activeElement?.getAttribute('role'), value: Number(document.activeElement?.getAttribute('aria-valuenow')) }));
    assert.equal(separator.role, 'separator', 'Tab from the list goes to the detail pane separator, past every row');
    // Beside the list the separator moves left and right, under it (a narrow panel) up and down.
    const stacked = (await frame.locator('.split-stacked').count()) > 0;
    const detailSize = (): Promise<number> =>
      frame.locator('.split-detail').first().evaluate((element, vertical) => (vertical ? element.getBoundingClientRect().height : element.getBoundingClientRect().width), stacked);
    const sizeBefore = await detailSize();
    await page.keyboard.press(stacked ? 'ArrowUp' : 'ArrowLeft');
    await page.keyboard.press(stacked ? 'ArrowUp' : 'ArrowLeft');
    const sizeAfter = await detailSize();
    assert.ok(sizeAfter >= sizeBefore + 30, `two arrow presses grow the detail pane (${stacked ? 'under' : 'beside'} the list): ${sizeBefore} -> ${sizeAfter}`);
    const after = Number(await frame.locator('[role="separator"]').getAttribute('aria-valuenow'));
    assert.ok(after > separator.value, `aria-valuenow follows: ${separator.value} -> ${after}`);
  });
});
