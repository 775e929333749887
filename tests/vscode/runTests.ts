// `npm run test:vscode`: builds the extension and its extension-host suites, installs code-server
// when missing, then runs the suites in a real VS Code through @vscode/test-electron's runTests with
// scripts/vscode/code-server-launcher standing in for the VS Code executable. Also packages the
// .vsix, installs it with code-server --install-extension and checks the installed copy activates.
// Ends with one line `N passed, N failed`; exits 1 when anything failed.
//   SYNCLENS_TEST_GREP=title   run only the matching tests
//   SYNCLENS_SKIP_BUILD=1      reuse dist/ and out/ as they are
//   SYNCLENS_SKIP_PACKAGE=1    skip the packaged-extension check
// A second run reloads the window midway (tests/vscode/reload: a key kept across the reload); a third
// opens a workspace with workspace trust on and never granted (Restricted Mode); with
// SYNCLENS_TEST_GREP each runs only when the pattern matches its suite's title.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runTests } from '@vscode/test-electron';
import { installVsix } from '../../scripts/vscode/codeServer';
import { ensureCodeServerInstalled } from '../../scripts/vscode/install';
import { repoRoot, vsceFlags } from '../../scripts/vscode/paths';
import type { SuiteResults } from './suite/index';
import { errorMessage } from '../../core/errors';

const launcher = join(repoRoot, 'scripts/vscode/code-server-launcher');

interface RunOutcome {
  name: string;
  results: SuiteResults;
  /** Why the run produced no results, when it did not finish. */
  broken?: string;
}

function run(command: string, args: string[], quiet = false): void {
  const result = spawnSync(command, args, { cwd: repoRoot, stdio: ['ignore', quiet ? 'ignore' : 'inherit', 'inherit'] });
  if (result.status !== 0) throw new Error(`${command} ${args.join(' ')} failed (exit ${result.status ?? result.signal})`);
}

async function runSuite(options: {
  name: string;
  scratch: string;
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  extensionsDir: string;
  /** Workspace trust on and the workspace never trusted: SyncLens runs in Restricted Mode. */
  untrusted?: boolean;
}): Promise<RunOutcome> {
  const workspace = join(options.scratch, `${options.name}-workspace`);
  // The suites may write to the workspace (refresh after an external write): never the repo's copy.
  cpSync(join(repoRoot, 'sample-workspace'), workspace, { recursive: true });
  const userDataDir = join(options.scratch, `${options.name}-user-data`);
  if (options.untrusted) {
    // No startup prompt to answer: the folder stays untrusted, as when a user picks "Don't Trust".
    mkdirSync(join(userDataDir, 'User'), { recursive: true });
    writeFileSync(
      join(userDataDir, 'User', 'settings.json'),
      JSON.stringify({ 'security.workspace.trust.enabled': true, 'security.workspace.trust.startupPrompt': 'never' }, null, 2),
    );
  }
  const resultsFile = join(options.scratch, `${options.name}-results.json`);
  console.log(`\n== ${options.name}: extension-host tests in code-server (workspace ${workspace})`);
  let broken: string | undefined;
  try {
    await runTests({
      vscodeExecutablePath: launcher,
      extensionDevelopmentPath: options.extensionDevelopmentPath,
      extensionTestsPath: options.extensionTestsPath,
      launchArgs: [workspace, `--user-data-dir=${userDataDir}`, `--extensions-dir=${options.extensionsDir}`],
      extensionTestsEnv: {
        SYNCLENS_TEST_RESULTS: resultsFile,
        SYNCLENS_WORKBENCH_LOG: join(repoRoot, '.vscode-test', `workbench-${options.name}.log`),
        // Read by the launcher (scripts/vscode/launcher.ts), which test-electron starts with this env.
        ...(options.untrusted ? { SYNCLENS_VSCODE_WORKSPACE_TRUST: 'enabled' } : {}),
      },
    });
  } catch (error) {
    broken = errorMessage(error);
  }
  if (!existsSync(resultsFile)) {
    return { name: options.name, results: { passed: 0, failed: 1, pending: 0, failures: [] }, broken: broken ?? 'no results were written' };
  }
  const results = JSON.parse(readFileSync(resultsFile, 'utf8')) as SuiteResults;
  return { name: options.name, results, broken: results.failed === 0 ? broken : undefined };
}

async function main(): Promise<number> {
  const started = Date.now();
  if (!process.env.SYNCLENS_SKIP_BUILD) run(process.execPath, ['scripts/build.mjs', '--tests']);
  await ensureCodeServerInstalled();
  const scratch = mkdtempSync(join(tmpdir(), 'synclens-vscode-tests-'));
  const outcomes: RunOutcome[] = [];
  try {
    outcomes.push(
      await runSuite({
        name: 'suite',
        scratch,
        extensionDevelopmentPath: repoRoot,
        extensionTestsPath: join(repoRoot, 'out/tests/vscode/suite/index'),
        extensionsDir: join(scratch, 'suite-extensions'),
      }),
    );
    const grep = process.env.SYNCLENS_TEST_GREP;
    // Its suite reloads the window midway (tests/vscode/reload): a run of its own, so the reload restarts nothing else.
    if (!grep || new RegExp(grep).test('an encrypted database across a window reload')) {
      outcomes.push(
        await runSuite({
          name: 'reload',
          scratch,
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: join(repoRoot, 'out/tests/vscode/reload/index'),
          extensionsDir: join(scratch, 'reload-extensions'),
        }),
      );
    }
    if (!grep || new RegExp(grep).test('Restricted Mode')) {
      outcomes.push(
        await runSuite({
          name: 'restricted',
          scratch,
          extensionDevelopmentPath: repoRoot,
          extensionTestsPath: join(repoRoot, 'out/tests/vscode/restricted/index'),
          extensionsDir: join(scratch, 'restricted-extensions'),
          untrusted: true,
        }),
      );
    }
    if (!process.env.SYNCLENS_SKIP_PACKAGE && !grep) outcomes.push(await runPackagedCheck(scratch));
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }

  console.log('');
  for (const outcome of outcomes) {
    const { passed, failed, pending, failures } = outcome.results;
    console.log(`${outcome.name}: ${passed} passed, ${failed} failed${pending ? `, ${pending} pending` : ''}${outcome.broken ? ` (run broken: ${outcome.broken})` : ''}`);
    for (const failure of failures) console.log(`  ✗ ${failure.title}: ${failure.message.split('\n')[0]}`);
  }
  const passed = outcomes.reduce((sum, outcome) => sum + outcome.results.passed, 0);
  const failed = outcomes.reduce((sum, outcome) => sum + outcome.results.failed, 0);
  console.log(`test:vscode took ${Math.round((Date.now() - started) / 1000)} s`);
  console.log(`${passed} passed, ${failed} failed`);
  return failed === 0 && outcomes.every((outcome) => !outcome.broken) ? 0 : 1;
}

/**
 * The .vsix a user installs: packaged by `npm run package`'s command, installed with code-server's
 * --install-extension into a fresh extensions folder, then loaded from there (not from the repo):
 * the development path is an empty probe extension so only the installed SyncLens is present.
 */
async function runPackagedCheck(scratch: string): Promise<RunOutcome> {
  const vsix = join(scratch, 'synclens.vsix');
  console.log('\n== packaged: vsce package, then code-server --install-extension');
  run(join(repoRoot, 'node_modules/.bin/vsce'), ['package', ...vsceFlags, '--out', vsix], true);
  const extensionsDir = join(scratch, 'packaged-extensions');
  await installVsix(vsix, extensionsDir, join(scratch, 'packaged-install'));
  // Inside out/ so the probe's compiled suite resolves mocha from the repo's node_modules.
  const probe = join(repoRoot, 'out/tests/vscode/packaged');
  writeFileSync(
    join(probe, 'package.json'),
    JSON.stringify({ name: 'synclens-packaged-probe', publisher: 'synclens', version: '0.0.0', engines: { vscode: '^1.95.0' } }),
  );
  return runSuite({
    name: 'packaged',
    scratch,
    extensionDevelopmentPath: probe,
    extensionTestsPath: join(probe, 'index'),
    extensionsDir,
  });
}

main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(`test:vscode: ${errorMessage(error)}`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  },
);
