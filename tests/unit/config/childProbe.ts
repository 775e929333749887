// Runs a few lines of TypeScript in a child process and returns what they print. For inputs that
// used to make synchronous code run for minutes: in this process such a call would block the test
// runner's own timeout, while a child is killed after `timeoutMs` and the test fails.
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { scratchDir } from '../../helpers/sqliteCli';

export const repoRoot = join(__dirname, '../../..');

/** `source` may import repo modules by absolute path (`join(repoRoot, ...)`). */
export async function outputOfProbe(source: string, timeoutMs: number): Promise<string> {
  const scratch = scratchDir();
  try {
    const probe = join(scratch.dir, 'probe.ts');
    writeFileSync(probe, source);
    const run = promisify(execFile)(process.execPath, ['--import', 'tsx', probe], { cwd: repoRoot, timeout: timeoutMs, killSignal: 'SIGKILL' });
    const { stdout } = await run.catch((error: { killed?: boolean }) => {
      assert.fail(error.killed ? `the probe did not end within ${timeoutMs / 1000} s` : String(error));
    });
    return stdout;
  } finally {
    scratch.cleanup();
  }
}
