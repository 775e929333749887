// The Chromium page that shows this workbench, driven over CDP from inside the extension host: a
// test clicks, drags and types with the real mouse and keyboard, into the workbench and its
// webviews, as a user would. scripts/vscode/launcher.ts starts Chromium with a debugging port and
// names it in SYNCLENS_WORKBENCH_CDP; on a desktop VS Code (no such variable) these tests cannot run.
import assert from 'node:assert/strict';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';
import { waitForWebviewText } from '../../../scripts/vscode/webviewFrames';

export interface WorkbenchPage {
  page: Page;
  /** The webview frame that shows `text` (the page has one frame per webview). */
  webview(text: string | RegExp, timeoutMs?: number): Promise<Frame>;
  disconnect(): Promise<void>;
}

export async function connectWorkbenchPage(): Promise<WorkbenchPage> {
  const endpoint = process.env.SYNCLENS_WORKBENCH_CDP;
  assert.ok(endpoint, 'SYNCLENS_WORKBENCH_CDP names the Chromium that shows this workbench (set by scripts/vscode/launcher.ts)');
  const browser: Browser = await chromium.connectOverCDP(endpoint);
  const page = browser
    .contexts()
    .flatMap((context) => context.pages())
    .find((candidate) => candidate.url().startsWith('http'));
  assert.ok(page, `a workbench page in the browser at ${endpoint}`);
  return {
    page,
    webview: (text, timeoutMs) => waitForWebviewText(page, text, timeoutMs),
    // Disconnects only: the launcher owns the browser.
    disconnect: () => browser.close(),
  };
}

/** A box's centre in page coordinates (playwright gives frames' boxes relative to the main frame). */
export function centre(box: { x: number; y: number; width: number; height: number }): { x: number; y: number } {
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}
