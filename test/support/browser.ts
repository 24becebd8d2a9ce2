/**
 * Headless Chromium for the pages' tests: Debian's `chromium` (`.ci/run` installs it with apt
 * when it is missing) driven by playwright-core — never a downloaded browser, which this machine
 * cannot fetch. One browser per test file; each test takes a fresh context (its own storage).
 *
 * Screenshots go to test-artifacts/screenshots/ (git-ignored), for a person to look at.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium, type Browser, type BrowserContext, type ConsoleMessage, type Frame, type Page } from 'playwright-core';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const SCREENSHOTS = path.join(ROOT, 'test-artifacts/screenshots');

/** The browser binary: CHROMIUM_PATH, else Debian's `chromium` on the PATH. */
export function chromiumPath(): string {
  const configured = process.env['CHROMIUM_PATH'];
  if (configured) {
    if (!existsSync(configured)) throw new Error(`CHROMIUM_PATH=${configured} does not exist.`);
    return configured;
  }
  try {
    return execFileSync('sh', ['-c', 'command -v chromium || command -v chromium-browser'], { encoding: 'utf8' }).trim().split('\n')[0]!;
  } catch {
    throw new Error('No chromium on the PATH: `apt-get install -y chromium` (.ci/run does it), or set CHROMIUM_PATH.');
  }
}

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-dev-shm-usage'],
  });
}

/** Widths the pages must work at: a desktop window and a phone. */
export const VIEWPORTS = {
  desktop: { width: 1280, height: 800 },
  phone: { width: 390, height: 844 },
} as const;

export interface TestPage {
  context: BrowserContext;
  page: Page;
  /** Console errors and uncaught exceptions of the page (a Content-Security-Policy violation is one). */
  problems: string[];
}

/** A fresh context (no storage shared with other tests) and its page, watched for errors. */
export async function openPage(browser: Browser, viewport: keyof typeof VIEWPORTS = 'desktop'): Promise<TestPage> {
  const context = await browser.newContext({ viewport: VIEWPORTS[viewport], deviceScaleFactor: 1 });
  const page = await context.newPage();
  const problems: string[] = [];
  page.on('console', (message: ConsoleMessage) => {
    if (message.type() === 'error') problems.push(message.text());
  });
  page.on('pageerror', (error) => problems.push(String(error)));
  return { context, page, problems };
}

/** Saves a full-page screenshot as test-artifacts/screenshots/<name>.png. */
export async function screenshot(page: Page, name: string): Promise<string> {
  await mkdir(SCREENSHOTS, { recursive: true });
  const file = path.join(SCREENSHOTS, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** axe-core's WCAG 2 A/AA findings on the page or frame as it is now (labels, names, contrast, landmarks …). */
export async function accessibilityViolations(scope: Page | Frame): Promise<string[]> {
  // Evaluated through the DevTools protocol, which the page's CSP does not govern.
  await scope.evaluate(AXE);
  return scope.evaluate(async () => {
    const axe = (window as unknown as { axe: { run(context: Document, options: object): Promise<{ violations: Array<{ id: string; nodes: Array<{ target: string[] }> }> }> } }).axe;
    const result = await axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21aa'] });
    return result.violations.map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`);
  });
}

/** A partner's site on another origin (its own port) serving one page, `html()` as it is at each request: where the widget is embedded. */
export async function partnerSite(html: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const http = createServer((_req, res) => res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(html()));
  http.listen(0, '127.0.0.1');
  await new Promise((resolve) => http.once('listening', resolve));
  return { origin: `http://127.0.0.1:${(http.address() as AddressInfo).port}`, close: () => new Promise((resolve) => http.close(() => resolve())) };
}

/** What the partner page recorded of the widget's messages (its `window.received`). */
export const receivedMessages = (page: Page): Promise<Array<Record<string, unknown>>> =>
  page.evaluate(() => (window as unknown as { received: Array<Record<string, unknown>> }).received);
