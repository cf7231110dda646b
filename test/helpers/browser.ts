import { existsSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, type TestContext } from 'vitest';

/**
 * Browser journeys run in Debian's Chromium (`apt-get install chromium`) driven by
 * playwright-core, which never downloads a browser of its own. With CI=true a missing
 * Chromium fails the run; elsewhere the e2e suites are skipped with a warning.
 */
export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] ?? '/usr/bin/chromium';

export const chromiumAvailable = existsSync(CHROMIUM_PATH);
if (!chromiumAvailable && process.env['CI'] === 'true') {
  throw new Error(
    `Chromium is required when CI=true, but ${CHROMIUM_PATH} does not exist (apt-get install chromium)`,
  );
}
if (!chromiumAvailable)
  console.warn(`Chromium not found at ${CHROMIUM_PATH}: browser tests are skipped`);

/** Where failing journeys leave their screenshots (gitignored). */
export const RESULTS_DIR = path.resolve(import.meta.dirname, '../../test-results');

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
];

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}

/** A `describe` that is skipped (with the warning above) when there is no Chromium. */
export const describeBrowser = chromiumAvailable ? describe : describe.skip;

export const PHONE = { width: 390, height: 844 } as const;

export type PageOptions = {
  baseUrl: string;
  /** The browser's language; the app picks nb for Norwegian and en for English. */
  locale?: string;
  viewport?: { width: number; height: number };
};

/** A fresh context (its own cookies) with one page, resolving relative URLs against baseUrl. */
export async function openPage(
  browser: Browser,
  opts: PageOptions,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({
    baseURL: opts.baseUrl,
    locale: opts.locale ?? 'nb-NO',
    viewport: opts.viewport ?? { width: 1280, height: 800 },
    ...(opts.viewport && opts.viewport.width < 600 ? { isMobile: true, hasTouch: true } : {}),
  });
  context.setDefaultTimeout(15_000);
  const page = await context.newPage();
  return { context, page };
}

function fileSafe(name: string): string {
  return name
    .replace(/[^a-zA-Z0-9æøåÆØÅ._-]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 120);
}

/** Saves a full-page screenshot of every open page into test-results/. */
export async function screenshotAll(browser: Browser, name: string): Promise<string[]> {
  await mkdir(RESULTS_DIR, { recursive: true });
  const saved: string[] = [];
  let n = 0;
  for (const context of browser.contexts()) {
    for (const page of context.pages()) {
      n += 1;
      const file = path.join(RESULTS_DIR, `${fileSafe(name)}-${n}.png`);
      try {
        await page.screenshot({ path: file, fullPage: true, timeout: 5_000 });
        saved.push(file);
      } catch {
        // A page that crashed or closed has nothing to show; the test error says why.
      }
    }
  }
  return saved;
}

function testName(ctx: TestContext): string {
  const names: string[] = [ctx.task.name];
  for (let s = ctx.task.suite; s; s = s.suite) if (s.name) names.unshift(s.name);
  return names.join(' ');
}

/**
 * Launches one Chromium for the enclosing suite, closes it afterwards, and after each
 * test closes every context it opened (so the next starts clean), first saving
 * screenshots of the open pages when the test failed. Call inside a `describe`.
 */
export function useBrowser(): () => Browser {
  let browser: Browser | undefined;
  beforeAll(async () => {
    browser = await launchBrowser();
  });
  afterEach(async (ctx) => {
    if (!browser) return;
    if (ctx.task.result?.state === 'fail') {
      const files = await screenshotAll(browser, testName(ctx));
      if (files.length) console.error(`screenshots of the failing pages:\n  ${files.join('\n  ')}`);
    }
    await Promise.all(browser.contexts().map((context) => context.close()));
  });
  afterAll(async () => {
    await browser?.close();
  });
  return () => {
    if (!browser) throw new Error('browser not launched yet');
    return browser;
  };
}

/** The page is no wider than its viewport: nothing scrolls sideways on a phone. */
export async function horizontalOverflow(page: Page): Promise<number> {
  // A string runs in the page, where the DOM types exist (the tests compile without them).
  const scrollWidth = Number(await page.evaluate('document.documentElement.scrollWidth'));
  const viewport = page.viewportSize();
  if (!viewport) throw new Error('page has no fixed viewport');
  return scrollWidth - viewport.width;
}
