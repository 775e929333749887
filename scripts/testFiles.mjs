// The *.test.ts files below a folder, for the test runners (Node 20's --test takes no globs).
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export function findTests(dir) {
  if (!existsSync(dir)) return [];
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return findTests(path);
    return name.endsWith('.test.ts') ? [path] : [];
  });
}
