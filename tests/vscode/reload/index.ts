// Extension-tests entry for the reload run (tests/vscode/runTests.ts): its suite reloads the
// window midway, and the reloaded window loads this entry again and runs the suite's second half.
import { runSuites } from '../suite/index';

export function run(): Promise<void> {
  return runSuites(__dirname);
}
