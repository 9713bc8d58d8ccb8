/**
 * Real Chromium for the browser tests (playwright-core driving Debian's `chromium`). Tests that need it use
 * `describe.skipIf(!HAS_CHROMIUM)` and call `noteSkippedWithoutChromium()` so a machine without the browser (a fresh
 * clone running `npm test`) skips them with a clear message instead of failing. `.ci/run` installs it.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';

/** The browser binary: CHROMIUM_PATH, else Debian's. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || '/usr/bin/chromium';

export const HAS_CHROMIUM = existsSync(CHROMIUM_PATH);

/** Prints why the browser tests of `what` are skipped (once per file). */
export function noteSkippedWithoutChromium(what: string): void {
  if (!HAS_CHROMIUM)
    console.warn(
      `[skipped] ${what}: no Chromium at ${CHROMIUM_PATH} (install Debian's chromium, or set CHROMIUM_PATH)`,
    );
}

/** Launches headless Chromium with the flags of the project's browser tests. Close it in afterAll. */
export async function launchChromium(): Promise<Browser> {
  const { chromium } = await import('playwright-core');
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** Saves a screenshot as `<SCREENSHOT_DIR>/<name>.png` when SCREENSHOT_DIR is set (for a person to look at). */
export async function screenshot(page: Page, name: string): Promise<void> {
  const dir = process.env.SCREENSHOT_DIR;
  if (!dir) return;
  mkdirSync(dir, { recursive: true });
  await page.screenshot({ path: join(dir, `${name}.png`) });
}
