// Runs every bench/*.ts in sequence (one process each, so peak RSS figures are per bench), with
// tsx. Benches print figures; they assert nothing about time.
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
// `npm run bench -- replay --rtt 0,50`: names before the first flag pick benches, the flags go to each.
const firstFlag = process.argv.slice(2).findIndex((arg) => arg.startsWith('-'));
const only = firstFlag < 0 ? process.argv.slice(2) : process.argv.slice(2, 2 + firstFlag);
const flags = firstFlag < 0 ? [] : process.argv.slice(2 + firstFlag);
const benches = readdirSync(join(root, 'bench'))
  .filter((name) => name.endsWith('.ts') && !name.endsWith('.d.ts'))
  .filter((name) => only.length === 0 || only.some((wanted) => name.includes(wanted)))
  .sort();

if (benches.length === 0) {
  console.error(`no benches in bench/${only.length ? ` matching ${only.join(', ')}` : ''}`);
  process.exit(1);
}

let failed = 0;
for (const name of benches) {
  console.log(`\n=== bench/${name} ===`);
  const started = Date.now();
  const result = spawnSync(process.execPath, ['--import', 'tsx', join('bench', name), ...flags], { cwd: root, stdio: 'inherit' });
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (result.status !== 0) {
    failed++;
    console.error(`bench/${name} failed (exit ${result.status ?? result.signal}) after ${seconds} s`);
  } else {
    console.log(`bench/${name} done in ${seconds} s`);
  }
}
process.exit(failed ? 1 : 0);
