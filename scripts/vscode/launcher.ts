// Stands in for the VS Code executable that @vscode/test-electron's runTests() spawns, where no
// desktop VS Code can run: it starts code-server, opens its workbench in headless Chromium with the
// extension-development and extension-tests paths in the URL payload (honoured because the server
// runs with enable-smoke-test-driver), streams the workbench's automation log to stdout and exits
// with the extension host's test exit code. Called through the `code-server-launcher` wrapper.
import { appendFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { format } from 'node:util';
import type { Browser } from 'playwright-core';
import { launchChromium } from './browser';
import { freePort, startCodeServer, tail, type RunningCodeServer } from './codeServer';
import { repoRoot } from './paths';
import { errorMessage } from '../../core/errors';

interface LaunchRequest {
  extensionDevelopmentPath: string;
  extensionTestsPath: string;
  userDataDir?: string;
  extensionsDir?: string;
  folder?: string;
}

const timeoutMs = Number(process.env.SYNCLENS_VSCODE_TIMEOUT_MS ?? 10 * 60_000);
// Workspace trust stays off (as test-electron asks) unless a suite needs an untrusted workspace.
const workspaceTrust = process.env.SYNCLENS_VSCODE_WORKSPACE_TRUST === 'enabled';

function parseArgs(argv: string[]): LaunchRequest {
  const valueOf = (name: string): string | undefined => {
    const index = argv.findIndex((arg) => arg === `--${name}` || arg.startsWith(`--${name}=`));
    if (index < 0) return undefined;
    const arg = argv[index]!;
    return arg.includes('=') ? arg.slice(arg.indexOf('=') + 1) : argv[index + 1];
  };
  const extensionDevelopmentPath = valueOf('extensionDevelopmentPath');
  const extensionTestsPath = valueOf('extensionTestsPath');
  if (!extensionDevelopmentPath || !extensionTestsPath) {
    throw new Error('usage: code-server-launcher --extensionDevelopmentPath=DIR --extensionTestsPath=MODULE [FOLDER]');
  }
  // Electron-only switches from test-electron (--no-sandbox, --skip-welcome, ...) carry no value
  // and are ignored; the one bare argument is the folder to open.
  const valued = new Set(['--user-data-dir', '--extensions-dir', '--extensionDevelopmentPath', '--extensionTestsPath']);
  const folder = argv.find((arg, index) => !arg.startsWith('-') && !valued.has(argv[index - 1] ?? ''));
  return {
    extensionDevelopmentPath: resolve(extensionDevelopmentPath),
    extensionTestsPath: resolve(extensionTestsPath),
    userDataDir: valueOf('user-data-dir'),
    extensionsDir: valueOf('extensions-dir'),
    folder: folder ? resolve(folder) : undefined,
  };
}

function print(line: string): void {
  process.stdout.write(line.endsWith('\n') ? line : `${line}\n`);
}

// Set by tests/vscode/suite/index.ts on everything the extension host prints during the tests.
const testOutputMarker = '\u241esynclens-test\u241e';
const verbose = process.env.SYNCLENS_VSCODE_VERBOSE === '1';

/**
 * The workbench's automation log carries mocha's report from the extension host among the
 * workbench's own log lines: the report goes to stdout, everything to the workbench log file.
 */
function automationLogPrinter(logFile: string): (level: string, args: unknown) => void {
  mkdirSync(dirname(logFile), { recursive: true });
  writeFileSync(logFile, '');
  return (level, args) => {
    // console.log's arguments arrive unformatted: mocha's reporter logs ('%d passing (%s)', 3, '1s').
    const text = format(...(Array.isArray(args) ? args : [args]));
    appendFileSync(logFile, `[${level}] ${text.replace(testOutputMarker, '')}\n`);
    if (text.startsWith(testOutputMarker)) print(text.slice(testOutputMarker.length));
    else if (verbose) print(`[workbench ${level}] ${text}`);
  };
}

async function runInWorkbench(request: LaunchRequest, scratchDir: string, cleanups: Array<() => Promise<void>>): Promise<number> {
  // The suites drive this Chromium over CDP (tests/vscode/suite/workbenchPage.ts): real mouse clicks
  // and keys into the workbench and its webviews. The extension host inherits the server's env.
  const cdpPort = await freePort();
  const server: RunningCodeServer = await startCodeServer({
    scratchDir,
    userDataDir: request.userDataDir ?? join(scratchDir, 'user-data'),
    extensionsDir: request.extensionsDir ?? join(scratchDir, 'extensions'),
    folder: request.folder,
    workspaceTrust,
    smokeTestDriver: true,
    env: { SYNCLENS_WORKBENCH_CDP: `http://127.0.0.1:${cdpPort}` },
  });
  cleanups.push(() => server.stop());
  const browser: Browser = await launchChromium([`--remote-debugging-address=127.0.0.1`, `--remote-debugging-port=${cdpPort}`]);
  cleanups.push(() => browser.close().catch(() => undefined));
  const page = await browser.newPage();

  const remote = (path: string): string => `vscode-remote://${server.authority}${path}`;
  const payload = [
    ['extensionDevelopmentPath', remote(request.extensionDevelopmentPath)],
    ['extensionTestsPath', remote(request.extensionTestsPath)],
  ];
  const workbenchLog = process.env.SYNCLENS_WORKBENCH_LOG ?? join(repoRoot, '.vscode-test', 'workbench.log');
  let finished = false;
  const exitCode = new Promise<number>((resolveExit) => {
    void page.exposeFunction('codeAutomationLog', automationLogPrinter(workbenchLog));
    void page.exposeFunction('codeAutomationExit', (code: number) => {
      finished = true;
      if (code !== 0) print(`launcher: extension host exited with code ${code}; workbench log: ${workbenchLog}`);
      resolveExit(code);
    });
    page.on('crash', () => {
      print('launcher: the workbench page crashed');
      resolveExit(1);
    });
    browser.on('disconnected', () => resolveExit(1));
    void server.exited.then((code) => {
      if (finished) return;
      print(`launcher: code-server exited (code ${code}) before the tests finished:\n${tail(server.logFile)}`);
      resolveExit(1);
    });
  });
  page.on('pageerror', (error) => print(`[page error] ${error.message}`));

  const query = new URLSearchParams({ payload: JSON.stringify(payload) });
  if (request.folder) query.set('folder', request.folder);
  await page.goto(`${server.url}/?${query.toString()}`);
  return exitCode;
}

async function main(): Promise<number> {
  const request = parseArgs(process.argv.slice(2));
  const scratchDir = mkdtempSync(join(tmpdir(), 'synclens-launcher-'));
  const cleanups: Array<() => Promise<void>> = [];
  let cleaning: Promise<void> | undefined;
  const cleanUp = (): Promise<void> =>
    (cleaning ??= (async () => {
      for (const cleanup of cleanups.reverse()) await cleanup();
      rmSync(scratchDir, { recursive: true, force: true });
    })());

  for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
    process.once(signal, () => {
      print(`launcher: ${signal}: stopping code-server and chromium`);
      void cleanUp().finally(() => process.exit(130));
    });
  }

  let timer: NodeJS.Timeout | undefined;
  const timedOut = new Promise<number>((resolveTimeout) => {
    timer = setTimeout(() => {
      print(`launcher: the extension tests did not finish within ${timeoutMs / 1000} s (SYNCLENS_VSCODE_TIMEOUT_MS); stopping`);
      resolveTimeout(1);
    }, timeoutMs);
  });
  try {
    return await Promise.race([runInWorkbench(request, scratchDir, cleanups), timedOut]);
  } catch (error) {
    print(`launcher: ${errorMessage(error)}`);
    return 1;
  } finally {
    clearTimeout(timer);
    await cleanUp();
  }
}

void main().then((code) => process.exit(code));
