// npm run test:fuzz-long: the fuzz suite's properties (tests/unit/fuzz) for ten minutes in all,
// before a release; not part of npm test. Each fuzz file gets an equal share of the time and splits
// it among its properties (tests/unit/fuzz/harness.ts). The seed is new each run unless
// SYNCLENS_FUZZ_SEED names one, and is printed first and last: a failure prints its seed and path,
// and `SYNCLENS_FUZZ_SEED=<seed> SYNCLENS_FUZZ_PATH=<path> node --import tsx --test <file>` replays it.
// SYNCLENS_FUZZ_SECONDS changes the total (600).
import { spawnSync } from 'node:child_process';
import { randomInt } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { findTests } from './testFiles.mjs';

const seed = process.env.SYNCLENS_FUZZ_SEED ?? String(randomInt(1, 2 ** 31 - 1));
const totalSeconds = Number(process.env.SYNCLENS_FUZZ_SECONDS ?? 600);
const files = findTests('tests/unit/fuzz')
  .filter((file) => readFileSync(file, 'utf8').includes('fuzzProperties('))
  .sort();
if (files.length === 0) {
  console.error('fuzz-long: no fuzz properties under tests/unit/fuzz');
  process.exit(1);
}
const shareMs = Math.floor((totalSeconds * 1000) / files.length);
console.log(`fuzz-long: seed ${seed}, ${totalSeconds} s over ${files.length} files (${Math.round(shareMs / 1000)} s each)`);

const failed = [];
for (const file of files) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', '--test', '--test-reporter=spec', file], {
    stdio: 'inherit',
    env: { ...process.env, SYNCLENS_FUZZ_SEED: seed, SYNCLENS_FUZZ_FILE_BUDGET_MS: String(shareMs) },
  });
  if (result.status !== 0) failed.push(file);
}
console.log(`fuzz-long: seed ${seed}: ${failed.length === 0 ? 'no failure' : `failures in ${failed.join(', ')} (replay with SYNCLENS_FUZZ_SEED=${seed})`}`);
process.exit(failed.length === 0 ? 0 : 1);
