// `npm run screenshots`: PNGs of SyncLens taken in the real workbench (code-server in headless
// Chromium, 1400x900) into screenshots/ (ignored by git). Each shot is a few lines below; add yours
// to `shots`. Run one: `npm run screenshots -- grid schema`.
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';
import { ensureCodeServerInstalled } from '../../scripts/vscode/install';
import { repoRoot, vsceFlags } from '../../scripts/vscode/paths';
import { openWorkbench, type Workbench } from '../../scripts/vscode/workbench';
import { a11yShots } from './a11yShots';
import { browseShots } from './browseShots';
import { encryptedShots } from './encryptedShots';
import { introShots } from './introShots';
import { layoutShots } from './layoutShots';
import { outcomeShots } from './outcomeShots';
import { queueSourceShots } from './queueSourceShots';
import { secretsDiffShots } from './secretsDiffShots';
import { syncShots } from './syncShots';
import { workbenchShots } from './workbenchShots';
import { errorMessage } from '../../core/errors';

interface Shot {
  name: string;
  /** What the PNG shows, printed beside its path. */
  shows: string;
  take(workbench: Workbench, workspace: string): Promise<void>;
  /** User settings for this shot's workbench (a colour theme, say). */
  settings?: Record<string, unknown>;
}

const shots: Shot[] = [
  {
    name: 'grid',
    shows: 'app.db in the SyncLens custom editor: the data grid of its first table',
    async take(workbench) {
      await workbench.openFile('app.db');
      await workbench.waitForWebviewText(/rows/i);
      const frame = await workbench.waitForWebviewText('odid');
      await frame.locator('.grid-row').first().waitFor();
    },
  },
  {
    name: 'schema',
    shows: 'the Schema tab of the same editor: columns, indexes, roles, timestamp encodings',
    async take(workbench) {
      await workbench.openFile('app.db');
      // innerText follows CSS text-transform: the tab reads SCHEMA.
      const frame = await workbench.waitForWebviewText(/schema/i);
      await frame.getByRole('tab', { name: /schema/i }).click();
      await workbench.waitForWebviewText(/indexes/i);
    },
  },
  {
    name: 'tree',
    shows: 'the SyncLens view: databases in the workspace > tables with roles and row counts',
    async take(workbench) {
      await workbench.openFile('app.db');
      await workbench.waitForWebviewText('odid');
      await workbench.runCommand('SyncLens: Focus on Databases View');
      await workbench.page.locator('.monaco-list-row', { hasText: /^app\.db/ }).first().click();
      await workbench.waitForWorkbenchText('sync_operations');
    },
  },
  {
    name: 'error-not-sqlite',
    shows: 'a file that is not SQLite opened with SyncLens: one clear message, no stack trace',
    async take(workbench, workspace) {
      writeFileSync(join(workspace, 'notes.db'), 'These are my notes, not a database.\n'.repeat(20));
      await workbench.openFile('notes.db');
      await workbench.waitForWebviewText(/not a SQLite/i);
    },
  },
  ...browseShots,
  ...encryptedShots,
  ...syncShots,
  ...introShots,
  ...queueSourceShots,
  ...outcomeShots,
  ...a11yShots,
  ...secretsDiffShots,
  ...layoutShots,
  ...workbenchShots,
];

async function main(): Promise<number> {
  const wanted = process.argv.slice(2);
  const selected = wanted.length ? shots.filter((shot) => wanted.includes(shot.name)) : shots;
  if (selected.length === 0) {
    console.error(`screenshots: no shot named ${wanted.join(', ')}; known: ${shots.map((shot) => shot.name).join(', ')}`);
    return 2;
  }
  if (!process.env.SYNCLENS_SKIP_BUILD) {
    const build = spawnSync(process.execPath, ['scripts/build.mjs'], { cwd: repoRoot, stdio: 'inherit' });
    if (build.status !== 0) return 1;
  }
  await ensureCodeServerInstalled();
  // Shots show SyncLens as a user has it: installed from its .vsix (as `npm run package` makes it).
  const packageDir = mkdtempSync(join(tmpdir(), 'synclens-shots-vsix-'));
  const vsix = join(packageDir, 'synclens.vsix');
  const vsce = spawnSync(join(repoRoot, 'node_modules/.bin/vsce'), ['package', ...vsceFlags, '--out', vsix], { cwd: repoRoot, stdio: 'ignore' });
  if (vsce.status !== 0) throw new Error('vsce package failed: run `npm run package` to see why');
  const screenshotsDir = join(repoRoot, 'screenshots');
  let failures = 0;
  for (const shot of selected) {
    // A fresh workbench and workspace copy per shot: no shot depends on another's leftovers.
    const scratch = mkdtempSync(join(tmpdir(), 'synclens-shot-'));
    const workspace = join(scratch, 'sample-workspace');
    cpSync(join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
    const workbench = await openWorkbench({ folder: workspace, extensionVsix: vsix, screenshotsDir, settings: shot.settings });
    try {
      await shot.take(workbench, workspace);
      console.log(`screenshots: ${await workbench.shoot(shot.name)} — ${shot.shows}`);
      // The editor area alone as well: the walkthrough shows it beside its steps (npm run readme-images).
      await workbench.page.locator('.part.editor').screenshot({ path: join(screenshotsDir, `${shot.name}.editor.png`) });
    } catch (error) {
      failures++;
      const path = await workbench.shoot(`${shot.name}.failed`).catch(() => '(none)');
      console.error(`screenshots: ${shot.name} failed: ${errorMessage(error)} (what it showed: ${path})`);
    } finally {
      await workbench.close();
      rmSync(scratch, { recursive: true, force: true });
    }
  }
  rmSync(packageDir, { recursive: true, force: true });
  return failures ? 1 : 0;
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`screenshots: ${errorMessage(error)}`);
    process.exit(1);
  },
);
