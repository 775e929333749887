// Extension-tests entry for the Restricted Mode run: a workspace opened with workspace trust on and
// never granted (tests/vscode/runTests.ts), so SyncLens runs as it does in an untrusted folder.
import { runSuites } from '../suite/index';

export function run(): Promise<void> {
  return runSuites(__dirname);
}
