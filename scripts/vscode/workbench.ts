// Drives the real VS Code workbench (code-server in headless Chromium) the way a user would:
// palette commands, Quick Open, webview content, screenshots. Used by tests/vscode/screenshots.ts;
// the extension-host suites drive their page with webviewFrames.ts (tests/vscode/suite/workbenchPage.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import { launchChromium } from './browser';
import { installVsix, startCodeServer, type RunningCodeServer } from './codeServer';
import { frameText, matches, pollMs, waitForWebviewText } from './webviewFrames';

export interface WorkbenchOptions {
  /** The folder the workbench opens. */
  folder: string;
  /** Loaded as a development extension (through the smoke-test-driver URL payload). */
  extensionDevelopmentPath?: string;
  /** Installed with code-server --install-extension first, as a user would. */
  extensionVsix?: string;
  viewport?: { width: number; height: number };
  /** Where shoot() writes PNGs. */
  screenshotsDir: string;
  /** User settings merged over the defaults below. */
  settings?: Record<string, unknown>;
}

export interface Workbench {
  page: Page;
  server: RunningCodeServer;
  /** Holds the window's logs (logs/<session>/window1/exthost/<extension>/...). */
  userDataDir: string;
  /** Runs a command by its palette title ("SyncLens: Refresh"), retrying until it is listed. */
  runCommand(title: string, timeoutMs?: number): Promise<void>;
  /** Opens a workspace file by name through Quick Open, with its default editor. */
  openFile(name: string, timeoutMs?: number): Promise<void>;
  /** Waits until some frame (webviews are nested iframes) shows `text`; returns that frame. */
  waitForWebviewText(text: string | RegExp, timeoutMs?: number): Promise<Frame>;
  /** Waits until the workbench itself (not a webview) shows `text`. */
  waitForWorkbenchText(text: string | RegExp, timeoutMs?: number): Promise<void>;
  /** Writes `<screenshotsDir>/<name>.png` of the whole window; returns its path. */
  shoot(name: string): Promise<string>;
  close(): Promise<void>;
}

// A clean window for screenshots: no welcome page, no chat panel, no notifications about tips.
export const defaultSettings: Record<string, unknown> = {
  'workbench.startupEditor': 'none',
  'workbench.tips.enabled': false,
  'workbench.secondarySideBar.defaultVisibility': 'hidden',
  'chat.disableAIFeatures': true,
  'extensions.ignoreRecommendations': true,
  'telemetry.telemetryLevel': 'off',
  'update.mode': 'none',
  'window.restoreWindows': 'none',
};


export async function openWorkbench(options: WorkbenchOptions): Promise<Workbench> {
  const scratchDir = mkdtempSync(join(tmpdir(), 'synclens-workbench-'));
  const userDataDir = join(scratchDir, 'user-data');
  mkdirSync(join(userDataDir, 'User'), { recursive: true });
  writeFileSync(join(userDataDir, 'User', 'settings.json'), JSON.stringify({ ...defaultSettings, ...options.settings }, null, 2));
  let server: RunningCodeServer | undefined;
  let browser: Browser | undefined;
  const close = async (): Promise<void> => {
    await browser?.close().catch(() => undefined);
    await server?.stop();
    rmSync(scratchDir, { recursive: true, force: true });
  };
  const extensionsDir = join(scratchDir, 'extensions');
  try {
    if (options.extensionVsix) await installVsix(options.extensionVsix, extensionsDir, join(scratchDir, 'install'));
    server = await startCodeServer({
      scratchDir,
      userDataDir,
      extensionsDir,
      folder: options.folder,
      smokeTestDriver: Boolean(options.extensionDevelopmentPath),
    });
    browser = await launchChromium();
    const page = await browser.newPage({ viewport: options.viewport ?? { width: 1400, height: 900 } });
    const query = new URLSearchParams({ folder: options.folder });
    if (options.extensionDevelopmentPath) {
      const remote = `vscode-remote://${server.authority}${options.extensionDevelopmentPath}`;
      query.set('payload', JSON.stringify([['extensionDevelopmentPath', remote]]));
    }
    await page.goto(`${server.url}/?${query.toString()}`);
    await page.waitForSelector('.monaco-workbench .part.statusbar', { timeout: 60_000 });
    return createWorkbench(page, server, userDataDir, options.screenshotsDir, close);
  } catch (error) {
    await close();
    throw error;
  }
}

function createWorkbench(page: Page, server: RunningCodeServer, userDataDir: string, screenshotsDir: string, close: () => Promise<void>): Workbench {
  const quickPick = async (prefix: string, label: string, timeoutMs: number): Promise<void> => {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      await page.keyboard.press('Escape');
      await page.keyboard.press(prefix === '>' ? 'F1' : 'Control+P');
      const input = page.locator('.quick-input-widget input');
      await input.waitFor({ state: 'visible', timeout: 5_000 });
      await input.fill(`${prefix}${label}`);
      // The list filters asynchronously; an entry appears only once its command is registered.
      const row = page.locator('.quick-input-list .monaco-list-row', { hasText: label }).first();
      try {
        await row.waitFor({ state: 'visible', timeout: 2_000 });
        await row.click();
        return;
      } catch {
        // not listed yet: try again
      }
    }
    await page.keyboard.press('Escape');
    throw new Error(`"${label}" did not appear in ${prefix === '>' ? 'the command palette' : 'Quick Open'} within ${timeoutMs / 1000} s`);
  };

  return {
    page,
    server,
    userDataDir,
    runCommand: (title, timeoutMs = 30_000) => quickPick('>', title, timeoutMs),
    openFile: (name, timeoutMs = 30_000) => quickPick('', name, timeoutMs),
    waitForWebviewText: (text, timeoutMs) => waitForWebviewText(page, text, timeoutMs),
    async waitForWorkbenchText(text, timeoutMs = 30_000) {
      const deadline = Date.now() + timeoutMs;
      while (Date.now() < deadline) {
        if (matches(await frameText(page.mainFrame()), text)) return;
        await page.waitForTimeout(pollMs);
      }
      throw new Error(`the workbench did not show ${String(text)} within ${timeoutMs / 1000} s`);
    },
    async shoot(name) {
      mkdirSync(screenshotsDir, { recursive: true });
      const path = join(screenshotsDir, `${name}.png`);
      await page.screenshot({ path });
      return path;
    },
    close,
  };
}
