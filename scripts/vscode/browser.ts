// Headless Debian Chromium driven by playwright-core: the "desktop" that shows code-server's workbench.
import { execFileSync } from 'node:child_process';
import { chromium, type Browser } from 'playwright-core';

const chromiumFlags = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export function chromiumExecutable(): string {
  if (process.env.SYNCLENS_CHROMIUM) return process.env.SYNCLENS_CHROMIUM;
  for (const name of ['chromium', 'chromium-browser']) {
    try {
      return execFileSync('sh', ['-c', `command -v ${name}`], { encoding: 'utf8' }).trim();
    } catch {
      // try the next name
    }
  }
  throw new Error('no chromium found: run `npm run setup` (installs Debian chromium) or set SYNCLENS_CHROMIUM');
}

/** A fresh profile every launch (playwright's temporary user-data-dir, removed on close). */
export function launchChromium(extraFlags: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumExecutable(),
    headless: true,
    args: [...chromiumFlags, ...extraFlags],
    // The callers stop code-server and the browser together on a signal.
    handleSIGINT: false,
    handleSIGTERM: false,
    handleSIGHUP: false,
  });
}
