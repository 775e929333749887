// Finding a webview's frame in the workbench page by what it shows: webviews are nested iframes.
// Shared by the screenshot driver (workbench.ts) and the extension-host suites, which load this
// file inside VS Code (so nothing here may reach for the repo's paths).
import type { Frame, Page } from 'playwright-core';

export const pollMs = 200;

export function matches(haystack: string, needle: string | RegExp): boolean {
  return typeof needle === 'string' ? haystack.includes(needle) : needle.test(haystack);
}

export async function frameText(frame: Frame): Promise<string> {
  try {
    return await frame.evaluate(() => document.body?.innerText ?? '');
  } catch {
    // frames come and go while webviews load
    return '';
  }
}

/** Waits until some frame of `page` (webviews are nested iframes) shows `text`; returns that frame. */
export async function waitForWebviewText(page: Page, text: string | RegExp, timeoutMs = 30_000): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    for (const frame of page.frames()) {
      if (frame === page.mainFrame()) continue;
      if (matches(await frameText(frame), text)) return frame;
    }
    await page.waitForTimeout(pollMs);
  }
  throw new Error(`no webview showed ${String(text)} within ${timeoutMs / 1000} s`);
}
