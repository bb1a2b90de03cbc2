/** Debian's Chromium driven by playwright-core (Playwright's own browser download does not work here). */
import { existsSync } from 'node:fs';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  chromium,
} from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/** True when Chromium is installed (always in CI: `.ci/run` installs it). */
export const hasChromium = existsSync(CHROMIUM);

/**
 * Launches headless Chromium with the flags this closed network needs. With `scrollbars`, pages
 * get classic scrollbars that take room, as on Windows and Linux desktops (headless hides them).
 *
 * @example const browser = await launchBrowser(); const page = await browser.newPage();
 */
export function launchBrowser(opts: { scrollbars?: boolean } = {}): Promise<Browser> {
  if (!hasChromium && process.env.CI) throw new Error(`Chromium not found at ${CHROMIUM}`);
  return chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    ignoreDefaultArgs: opts.scrollbars ? ['--hide-scrollbars'] : undefined,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
}

/**
 * A context that looks like a person to the collector's bot policy (a desktop Chrome user agent,
 * `navigator.webdriver` false): automation is flagged and kept out of scoring and lead moves.
 *
 * @example const ctx = await humanContext(browser); const page = await ctx.newPage();
 */
export async function humanContext(
  browser: Browser,
  options: BrowserContextOptions = {},
): Promise<BrowserContext> {
  const context = await browser.newContext({
    userAgent:
      'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/130.0.0.0 Safari/537.36',
    ...options,
  });
  await context.addInitScript(() =>
    Object.defineProperty(Navigator.prototype, 'webdriver', { get: () => false }),
  );
  return context;
}
