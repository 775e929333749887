// Activation and open-to-first-rows in the real VS Code (code-server + headless Chromium), SyncLens
// installed from its .vsix as a user has it. Each run is a fresh server and window:
//   activation       what SyncLens logs ("SyncLens activated in N ms", its LogOutputChannel)
//   open-to-rows     app.db picked in Quick Open until the grid's webview shows the first row's odid
//                    (includes activation, the worker, sql.js and the webview's first paint)
// Prints figures only; asserts nothing about time.
import { execFileSync, spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ensureCodeServerInstalled } from '../scripts/vscode/install';
import { repoRoot, vsceFlags } from '../scripts/vscode/paths';
import { openWorkbench } from '../scripts/vscode/workbench';
import { errorMessage } from '../core/errors';

const runs = Number(process.env.SYNCLENS_BENCH_RUNS ?? 3);

function findFiles(dir: string, name: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return findFiles(path, name);
    return entry.name === name ? [path] : [];
  });
}

async function activationMsFromLog(userDataDir: string, timeoutMs = 15_000): Promise<number> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const file of findFiles(join(userDataDir, 'logs'), 'SyncLens.log')) {
      const match = /SyncLens activated in (\d+) ms/.exec(readFileSync(file, 'utf8'));
      if (match) return Number(match[1]);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  throw new Error(`no "SyncLens activated in N ms" line in ${userDataDir}/logs within ${timeoutMs / 1000} s`);
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

async function main(): Promise<void> {
  spawnSync(process.execPath, ['scripts/build.mjs', '--production'], { cwd: repoRoot, stdio: 'ignore' });
  await ensureCodeServerInstalled();
  const scratch = mkdtempSync(join(tmpdir(), 'synclens-bench-vscode-'));
  try {
    const vsix = join(scratch, 'synclens.vsix');
    execFileSync(join(repoRoot, 'node_modules/.bin/vsce'), ['package', ...vsceFlags, '--out', vsix], { cwd: repoRoot, stdio: 'ignore' });
    const firstOdid = execFileSync('sqlite3', [join(repoRoot, 'sample-workspace/app.db'), 'SELECT "odid" FROM "posts" ORDER BY "id" LIMIT 1'], {
      encoding: 'utf8',
    }).trim();
    const activation: number[] = [];
    const openToRows: number[] = [];
    for (let run = 1; run <= runs; run++) {
      const workspace = join(scratch, `run-${run}`, 'sample-workspace');
      cpSync(join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
      const workbench = await openWorkbench({ folder: workspace, extensionVsix: vsix, screenshotsDir: scratch });
      try {
        // Timed from the Quick Open pick: the window's own first file search is not SyncLens's.
        await workbench.openFile('app.db');
        const started = performance.now();
        await workbench.waitForWebviewText(firstOdid, 60_000);
        openToRows.push(performance.now() - started);
        activation.push(await activationMsFromLog(workbench.userDataDir));
        console.log(`run ${run}: activation ${activation.at(-1)} ms, open app.db to first rows ${Math.round(openToRows.at(-1)!)} ms`);
      } finally {
        await workbench.close();
      }
    }
    console.log(`SyncLens activation (its own log), median of ${runs}: ${median(activation)} ms`);
    console.log(`open app.db to first rows painted (picked in Quick Open to the webview showing row 1), median of ${runs}: ${Math.round(median(openToRows))} ms`);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(`bench/vscode-activation: ${errorMessage(error)}`);
  process.exit(1);
});
