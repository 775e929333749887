// The extension-tests entry VS Code loads in its extension host: runs every *.test.js compiled next
// to this file (from tests/vscode/suite/**/*.test.ts) with mocha and reports the counts.
import { readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { format } from 'node:util';
import Mocha from 'mocha';

/**
 * Marks mocha's report. The workbench forwards it through the same automation log as its own
 * chatter; the launcher prints only marked lines (everything goes to .vscode-test/workbench-*.log).
 * Keep in step with scripts/vscode/launcher.ts. The extension host's console methods cannot be
 * replaced (its forwarder defines them as accessors), but mocha reports through Base.consoleLog.
 */
export const testOutputMarker = '\u241esynclens-test\u241e';

function markMochaReport(): () => void {
  const original = Mocha.reporters.Base.consoleLog;
  Mocha.reporters.Base.consoleLog = (...args: unknown[]) => original(`${testOutputMarker}${format(...args)}`);
  return () => (Mocha.reporters.Base.consoleLog = original);
}

function findTests(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const path = join(dir, name);
      if (statSync(path).isDirectory()) return findTests(path);
      return name.endsWith('.test.js') ? [path] : [];
    });
}

export interface SuiteResults {
  passed: number;
  failed: number;
  pending: number;
  failures: Array<{ title: string; message: string }>;
}

/** Runs the compiled suites below `dir`; `grep` (SYNCLENS_TEST_GREP, a regular expression) narrows them by title. */
export function runSuites(dir: string): Promise<void> {
  const mocha = new Mocha({ ui: 'bdd', reporter: 'spec', color: false, timeout: 60_000 });
  const grep = process.env.SYNCLENS_TEST_GREP;
  if (grep) mocha.grep(new RegExp(grep));
  for (const file of findTests(dir)) mocha.addFile(file);
  const unmark = markMochaReport();
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      unmark();
      const results: SuiteResults = {
        passed: runner.stats?.passes ?? 0,
        failed: failures,
        pending: runner.stats?.pending ?? 0,
        failures: failedTests,
      };
      // The runner outside the workbench reads this file for its closing summary line.
      const resultsFile = process.env.SYNCLENS_TEST_RESULTS;
      if (resultsFile) writeFileSync(resultsFile, JSON.stringify(results, null, 2));
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    const failedTests: SuiteResults['failures'] = [];
    runner.on('fail', (test, error: Error) => failedTests.push({ title: test.fullTitle(), message: error.message }));
  });
}

export function run(): Promise<void> {
  return runSuites(__dirname);
}
