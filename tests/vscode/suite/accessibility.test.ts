// Issue 18's accessibility and merge points in the real VS Code, driven with the real mouse and
// keyboard over CDP (workbenchPage.ts) and read back from the webviews' accessibility tree
// (Playwright's ARIA snapshot): fields and buttons are named by their labels, a group chevron
// collapses its group, Escape in the Conflicts detail returns to the list, and Merge Fields shows
// and confirms exactly the values it writes, updatedAt and version included, against the emulator.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Frame } from 'playwright-core';
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../../core/firestore/client';
import type { ConflictItem, ResolutionReport } from '../../../core/protocol/syncModel';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../../scripts/firestore-emulator';
import { api, copyOfSample, folderWithTarget, waitFor, workspaceFolder } from './helpers';
import { centre, connectWorkbenchPage, type WorkbenchPage } from './workbenchPage';

const projectId = 'demo-synclens-a11y';

/** The focused element inside the webview: tag, classes, text, and whether a listbox option is selected. */
function focused(frame: Frame): Promise<{ tag: string; className: string; text: string; selected: string | null }> {
  return frame.evaluate(() => {
    const element = document.activeElement;
    return { tag: element?.tagName.toLowerCase() ?? '', className: element?.className.toString() ?? '', text: element?.textContent?.trim() ?? '', selected: element?.getAttribute('aria-selected') ?? null };
  });
}

describe('accessibility and merge in the workbench (real mouse and keyboard)', function () {
  this.timeout(180_000);
  let workbench: WorkbenchPage;
  let emulator: RunningEmulator | undefined;
  let target: FirestoreTarget;
  let folder: string;

  before(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
    workbench = await connectWorkbenchPage();
    const unavailable = emulatorUnavailableReason();
    if (unavailable) console.warn(`!!! the Conflicts tests below are skipped: Firestore emulator unavailable: ${unavailable}`);
    else {
      emulator = await startFirestoreEmulator({ projectId, unref: true });
      target = { kind: 'emulator', host: emulator.host, port: emulator.port, projectId };
    }
    folder = emulator ? folderWithTarget(join(workspaceFolder(), 'a11y-suite'), emulator, projectId, { maxRetries: 5 }) : join(workspaceFolder(), 'a11y-suite');
  });

  afterEach(async () => {
    await vscode.commands.executeCommand('workbench.action.closeAllEditors');
  });

  after(async () => {
    await workbench?.disconnect();
    await emulator?.stop();
  });

  async function seededConflicts(name: string): Promise<{ path: string; uri: vscode.Uri; items: ConflictItem[]; frame: Frame }> {
    const path = copyOfSample(join(folder, name));
    await emulator!.wipe();
    await seedEmulator(path, target);
    const uri = vscode.Uri.file(path);
    const items = (await vscode.commands.executeCommand('synclens.showConflicts', uri)) as ConflictItem[];
    assert.ok(items.length > 0, 'the seeded sample has conflicts');
    const frame = await workbench.webview('Merge Fields');
    return { path, uri, items, frame };
  }

  it('names filter fields and buttons by their labels, not "Text field" or their tooltip', async () => {
    const path = copyOfSample(join(folder, 'names.db'));
    const synclens = await api();
    await vscode.commands.executeCommand('vscode.openWith', vscode.Uri.file(path), 'synclens.databaseEditor');
    await waitFor('the grid with rows', async () => (await synclens.inspectEditor(path)) ?? null, (shown) => (shown?.rows.length ?? 0) > 0);
    const grid = await workbench.webview('odid');
    await grid.locator('.grid-row').first().waitFor();
    const gridTree = await grid.locator('body').ariaSnapshot();
    assert.match(gridTree, /textbox "Filter odid"/, gridTree);
    assert.doesNotMatch(gridTree, /textbox "Text field"/, 'no field is announced by the generic name');

    await vscode.commands.executeCommand('synclens.showSyncQueue', vscode.Uri.file(path));
    const queue = await workbench.webview(/\d+ ops · \d+ pending/);
    await queue.getByRole('button', { name: 'Grouped by entity', exact: true }).waitFor();
    const queueTree = await queue.locator('body').ariaSnapshot();
    assert.doesNotMatch(queueTree, /button "Group by entity or list flat"/, 'the tooltip is no button name');
    assert.match(queueTree, /combobox "Filter by status"/);
  });

  it('a group chevron collapses and expands its group (aria-expanded) without selecting it; ArrowLeft/Right on its row too', async () => {
    const path = copyOfSample(join(folder, 'groups.db'));
    await vscode.commands.executeCommand('synclens.showSyncQueue', vscode.Uri.file(path));
    const queue = await workbench.webview(/\d+ ops · \d+ pending/);
    const firstGroup = queue.locator('.vrow.group-row').first();
    await firstGroup.waitFor();
    const toggle = firstGroup.getByRole('button', { name: /^Collapse / });
    assert.equal(await toggle.getAttribute('aria-expanded'), 'true');
    // The list's length (aria-rowcount: header + items): the rendered rows are only those in view.
    const grid = queue.getByRole('grid', { name: 'Queued operations in send order' });
    const rowsBefore = Number(await grid.getAttribute('aria-rowcount'));
    const ops = Number(/· (\d+) ops?/.exec(await firstGroup.innerText())?.[1]);
    const label = (await toggle.getAttribute('aria-label'))!.replace(/^Collapse /, '');
    const activeBefore = await grid.getAttribute('aria-activedescendant');
    await workbench.page.mouse.click(...Object.values(centre((await toggle.boundingBox())!)) as [number, number]);
    const expand = queue.getByRole('button', { name: `Expand ${label}`, exact: true });
    await expand.waitFor({ timeout: 10_000 });
    assert.equal(await expand.getAttribute('aria-expanded'), 'false');
    assert.equal(Number(await grid.getAttribute('aria-rowcount')), rowsBefore - ops, 'the group’s ops are hidden');
    assert.equal(await grid.getAttribute('aria-activedescendant'), activeBefore, 'the chevron did not move the selection');
    await workbench.page.mouse.click(...Object.values(centre((await expand.boundingBox())!)) as [number, number]);
    await queue.getByRole('button', { name: `Collapse ${label}`, exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(Number(await grid.getAttribute('aria-rowcount')), rowsBefore);

    // From the keyboard: on the group's row (clicked: it is the active row), ArrowLeft folds it and ArrowRight unfolds it.
    const labelBox = (await firstGroup.locator('.group-label').boundingBox())!;
    await workbench.page.mouse.click(labelBox.x + labelBox.width - 4, labelBox.y + labelBox.height / 2);
    await workbench.page.keyboard.press('ArrowLeft');
    await queue.getByRole('button', { name: `Expand ${label}`, exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(Number(await grid.getAttribute('aria-rowcount')), rowsBefore - ops);
    await workbench.page.keyboard.press('ArrowRight');
    await queue.getByRole('button', { name: `Collapse ${label}`, exact: true }).waitFor({ timeout: 10_000 });
    assert.equal(Number(await grid.getAttribute('aria-rowcount')), rowsBefore);
  });

  it('Escape on a button of the Conflicts detail returns focus to the selected conflict in the list', async function () {
    if (!emulator) this.skip();
    const { frame } = await seededConflicts('escape.db');
    const keepLocal = frame.locator('section[aria-label="Conflict detail"] vscode-button', { hasText: 'Keep Local' });
    await keepLocal.focus();
    assert.match((await focused(frame)).text, /Keep Local/);
    await workbench.page.keyboard.press('Escape');
    const after = await waitFor('focus back in the list', () => focused(frame), (shown) => shown.className.includes('conflict-item'));
    assert.equal(after.selected, 'true', 'the selected conflict has focus');
  });

  it('Merge Fields shows and confirms the values it writes, updatedAt and version set by the merge, and writes them', async function () {
    if (!emulator) this.skip();
    const synclens = await api();
    const { path, uri, items, frame } = await seededConflicts('merge.db');
    const item = items.find((candidate) => candidate.differences.some((difference) => !['updatedAt', 'version'].includes(difference.field)))!;
    assert.ok(item, 'a conflict with a domain field that differs');
    await frame.locator('.conflict-item', { hasText: item.key }).first().click();
    const shown = await waitFor('the merge preview', async () => (await synclens.inspectConflicts(path)) ?? null, (view) => !!view && view.selected === item.key && view.fields.some((row) => (row[4] ?? '').includes('set by the merge')));
    const stamped = shown!.fields.filter((row) => (row[4] ?? '').includes('set by the merge')).map((row) => row[0]);
    assert.ok(stamped.includes('updatedAt'), `updatedAt is shown as set by the merge: ${JSON.stringify(shown!.fields)}`);
    assert.match(await frame.locator('.merge-why').innerText(), /^updatedAt and version are set so this merge wins over both sides/);

    const field = item.differences.find((difference) => !['updatedAt', 'version'].includes(difference.field))!.field;
    const mergedAt = Date.now();
    const resolution = { kind: 'merge' as const, choices: { [field]: 'local' as const }, values: {}, mergedAt };
    assert.equal(await vscode.commands.executeCommand('synclens.resolveAllByPolicy', { uri, keys: [item.key], resolution }), undefined, 'the dialog was refused');
    const asked = synclens.lastWriteConfirmation()!;
    assert.match(asked.detail, new RegExp(`Written to both sides of ${item.key.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}:`));
    const iso = new Date(mergedAt).toISOString();
    assert.ok(asked.detail.includes(`  updatedAt = Timestamp(${iso}) (set by the merge)`), asked.detail);
    assert.match(asked.detail, /updatedAt and version are set so this merge wins over both sides/);
    const version = /^ {2}version = (\d+) \(set by the merge\)$/m.exec(asked.detail)?.[1];

    const report = (await vscode.commands.executeCommand('synclens.resolveAllByPolicy', { uri, keys: [item.key], resolution, confirmed: true })) as ResolutionReport;
    assert.deepEqual(report.results.map((result) => [result.applied, result.ok]), [['merge', true]], JSON.stringify(report.results));
    // The sample's entity tables keep the document id in odid.
    const rowJson = execFileSync('sqlite3', ['-json', path, `SELECT * FROM "${item.table}" WHERE odid = '${item.entityId.replaceAll("'", "''")}'`], { encoding: 'utf8' });
    const [row] = JSON.parse(rowJson || '[]') as Record<string, unknown>[];
    assert.ok(row, `${item.key} is a row of ${item.table}`);
    const updatedColumn = Object.keys(row!).find((column) => /^updated_?at$/i.test(column))!;
    const written = row![updatedColumn];
    assert.equal(typeof written === 'number' ? new Date(written > 1e14 ? written / 1000 : written > 1e11 ? written : written * 1000).toISOString() : new Date(String(written)).toISOString(), iso, 'the local row has the updatedAt the dialog showed');
    if (version !== undefined) assert.equal(String(row!.version), version, 'and the version it showed');
  });
});
