// `npm run test:setup`, the last step of `npm test` when CI is set (.ci/run sets it): the README's
// set-up on a fresh machine, for real. From inside this npm script it runs `npm run setup` into an
// EMPTY SYNCLENS_CACHE (a temp folder), so the set-up sees the npm_* environment a user's
// `npm start` gives it; then it starts the code-server that was installed there and asks
// GET /healthz. It fails when a nested install inherits the outer npm's environment
// (code-server's postinstall then refuses: "requires node v24"), when a step works only with a warm
// cache, or when a build dependency is missing. npm's own tarball cache (~/.npm) is reused; the
// native addons are compiled every time, which is most of its few minutes.
// When this `npm test`'s own set-up found the cache empty (a fresh machine: CI's clean clone with
// an empty cache), that install was already the one this checks, made under npm as a user's is:
// it is checked instead (scripts/setup.ts records it), and nothing is installed twice.
//   SYNCLENS_TEST_FRESH_INSTALL=1 npm run test:setup   run it outside CI (always installs anew)
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { errorMessage } from '../core/errors';
import { cacheFolderOf, freshInstallRecordIn, type FreshInstallRecord } from './vscode/cacheFolder';

const repoRoot = join(fileURLToPath(import.meta.url), '..', '..');
const enabled = (value: string | undefined): boolean => Boolean(value) && value !== 'false' && value !== '0';

function runSetup(cache: string): Promise<number | null> {
  return new Promise((resolve, reject) => {
    const child = spawn('npm', ['run', '--silent', 'setup'], {
      cwd: repoRoot,
      env: { ...process.env, SYNCLENS_CACHE: cache },
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    child.once('error', reject);
    child.once('exit', (code) => resolve(code));
  });
}

async function main(): Promise<number> {
  if (!enabled(process.env.CI) && !enabled(process.env.SYNCLENS_TEST_FRESH_INSTALL)) {
    console.log('test:setup: skipped: the install into an empty cache runs when CI is set (.ci/run) or SYNCLENS_TEST_FRESH_INSTALL=1 (a few minutes)');
    return 0;
  }
  // What this test is for: the environment an outer npm leaves behind.
  const outerAgent = process.env.npm_config_user_agent;
  if (!outerAgent) {
    console.error('test:setup: run it through npm (`npm run test:setup`): it checks the set-up under the environment npm gives its scripts');
    return 1;
  }
  const earlier = thisRunsFreshInstall();
  if (earlier && !enabled(process.env.SYNCLENS_TEST_FRESH_INSTALL)) {
    console.log(`test:setup: this npm test's set-up installed into the empty cache ${earlier.cache} in ${earlier.record.seconds} s under ${earlier.record.npmAgent}: checking that install`);
    return checkInstall(earlier.cache, earlier.record.seconds, 'by this run\'s set-up', async () => undefined);
  }
  const cache = mkdtempSync(join(tmpdir(), 'synclens-fresh-cache-'));
  const removeCache = async (): Promise<void> => rmSync(cache, { recursive: true, force: true });
  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => void removeCache().finally(() => process.exit(130)));
  }
  console.log(`test:setup: npm run setup into the empty cache ${cache}, under ${outerAgent}`);
  const started = Date.now();
  const code = await runSetup(cache);
  const installSeconds = Math.round((Date.now() - started) / 1000);
  if (code !== 0) {
    console.error(`test:setup: FAILED: npm run setup exited ${code} after ${installSeconds} s (log: ${join(cache, 'install.log')}):`);
    console.error(readLogTail(join(cache, 'install.log')));
    await removeCache();
    return 1;
  }
  return checkInstall(cache, installSeconds, 'under npm', removeCache);
}

/**
 * The record of an install into an empty cache made by this very `npm test` (SYNCLENS_TEST_RUN, set
 * by package.json's test script, names the run), under npm; null when there is none.
 */
function thisRunsFreshInstall(): { cache: string; record: FreshInstallRecord } | null {
  const run = process.env.SYNCLENS_TEST_RUN;
  if (!run) return null;
  const cache = cacheFolderOf(process.env);
  let record: FreshInstallRecord;
  try {
    record = JSON.parse(readFileSync(freshInstallRecordIn(cache), 'utf8')) as FreshInstallRecord;
  } catch {
    return null;
  }
  return record.testRun === run && record.npmAgent ? { cache, record } : null;
}

/**
 * The checks on an install in `cache`: code-server's postinstall ran under Node 24, and the
 * code-server installed there starts and answers GET /healthz. `cleanUp` runs after, pass or fail.
 */
async function checkInstall(cache: string, installSeconds: number, how: string, cleanUp: () => Promise<void>): Promise<number> {
  let stopServer: (() => Promise<void>) | undefined;
  try {
    // code-server's postinstall prints the user agent it judged the Node version by.
    const agent = /User agent: (.*)/.exec(readFileSync(join(cache, 'install.log'), 'utf8'))?.[1] ?? '(not in install.log)';

    // paths.ts reads SYNCLENS_CACHE when it is first imported: point it at the cache first.
    process.env.SYNCLENS_CACHE = cache;
    const { startCodeServer } = await import('./vscode/codeServer');
    const { cacheRoot, NODE_VERSION } = await import('./vscode/paths');
    if (cacheRoot !== cache) throw new Error(`paths.ts uses ${cacheRoot}, not the installed cache ${cache}`);
    if (!agent.includes(`node/v${NODE_VERSION}`)) throw new Error(`code-server's postinstall ran under "${agent}", not Node ${NODE_VERSION}`);

    // The server's own folders are temporary: a cache that stays (this run's) keeps only the install.
    const scratch = mkdtempSync(join(tmpdir(), 'synclens-setup-check-'));
    const server = await startCodeServer({ scratchDir: scratch, userDataDir: join(scratch, 'user-data'), extensionsDir: join(scratch, 'extensions') });
    stopServer = async () => {
      await server.stop();
      rmSync(scratch, { recursive: true, force: true });
    };
    const response = await fetch(`${server.url}/healthz`, { signal: AbortSignal.timeout(10_000) });
    const body = await response.text();
    if (response.status !== 200 || !/"status"/.test(body)) throw new Error(`GET ${server.url}/healthz answered ${response.status}: ${body}`);
    console.log(`test:setup: ok: installed into an empty cache in ${installSeconds} s ${how} (postinstall saw "${agent}"); code-server answered GET /healthz 200 ${body}`);
    return 0;
  } catch (error) {
    console.error(`test:setup: FAILED: ${errorMessage(error)}`);
    return 1;
  } finally {
    await stopServer?.();
    await cleanUp();
  }
}

function readLogTail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-40).join('\n');
  } catch {
    return '(no install.log)';
  }
}

main().then((code) => process.exit(code));
