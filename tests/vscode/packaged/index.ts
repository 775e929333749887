// Extension-tests entry for the packaged check: runs packaged.test.js against the SyncLens that
// code-server installed from the .vsix (tests/vscode/runTests.ts).
import { runSuites } from '../suite/index';

export function run(): Promise<void> {
  return runSuites(__dirname);
}
