// Where SyncLens's cache is for a given environment, and the record of a fresh install in it. Apart
// from paths.ts (which fixes the folder once, when first imported) so that test:setup
// (scripts/check-fresh-install.ts) can look at the cache it was started with before it points
// paths.ts at another one.
import { homedir } from 'node:os';
import { join } from 'node:path';

export function cacheFolderOf(env: NodeJS.ProcessEnv): string {
  return env.SYNCLENS_CACHE ?? join(homedir(), '.cache', 'synclens');
}

/** Written by scripts/setup.ts when it installed into an empty cache. */
export function freshInstallRecordIn(cache: string): string {
  return join(cache, 'fresh-install.json');
}

export interface FreshInstallRecord {
  /** The `npm test` run the install happened in (package.json's test script sets SYNCLENS_TEST_RUN); null outside one. */
  testRun: string | null;
  /** npm_config_user_agent: the npm the set-up ran under; null when it ran outside npm. */
  npmAgent: string | null;
  seconds: number;
  at: string;
}
