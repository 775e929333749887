// Runs the BUILT CLI (dist/cli.js) as a user would, so the bundle, its shebang entry and the
// wasm copied beside it are what the tests exercise.
import { execFileSync, spawnSync } from 'node:child_process';
import { join } from 'node:path';

export const repoRoot = join(__dirname, '..', '..', '..');
export const cliPath = join(repoRoot, 'dist', 'cli.js');
export const sampleDir = join(repoRoot, 'sample-workspace');
/** The instant the sample was captured (sample-workspace/README.md). */
export const sampleNowIso = '2026-11-24T12:00:00Z';

let built = false;

/** Builds every bundle once per test process with the project's own esbuild script. */
export function buildOnce(): void {
  if (built) return;
  execFileSync(process.execPath, [join(repoRoot, 'scripts', 'build.mjs')], { cwd: repoRoot, stdio: ['ignore', 'ignore', 'pipe'] });
  built = true;
}

export interface CliRun {
  status: number | null;
  stdout: string;
  stderr: string;
}

export function runCli(args: readonly string[], cwd: string = repoRoot): CliRun {
  const result = spawnSync(process.execPath, [cliPath, ...args], { cwd, encoding: 'utf8', timeout: 60_000 });
  if (result.error) throw result.error;
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The lines of stderr, without the final newline's empty tail. */
export function stderrLines(run: CliRun): string[] {
  return run.stderr.split('\n').filter((line, index, all) => line !== '' || index < all.length - 1);
}
