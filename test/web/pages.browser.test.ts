/**
 * How the API serves its pages, in headless Chromium: one bundle with the SDK and its CSS,
 * hashed asset names cached for good, the page's config as data, and a Content-Security-Policy
 * that lets the page's own code run and refuses inline code.
 */
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../../src/platform/logger.js';
import type { HttpRouteDeps } from '../../src/platform/routes.js';
import { pageRoutes } from '../../src/web/index.js';
import { launchBrowser, openPage } from '../support/browser.js';

let browser: Browser;
let origin: string;
let close: () => Promise<void>;
beforeAll(async () => {
  const routes = pageRoutes([
    {
      definition: { name: 'probe', title: 'Probe <page>', entry: fileURLToPath(new URL('./fixtures/probe.ts', import.meta.url)), frameAncestors: "'none'" },
      path: '/probe',
      config: (req) => ({ greeting: `</script><script>alert(1)</script>${typeof req.query['who'] === 'string' ? req.query['who'] : ''}` }),
    },
  ]);
  const deps = { services: { config: { isProduction: false } }, logger: createLogger({ logLevel: 'silent', logPretty: false } as never) } as unknown as HttpRouteDeps;
  const app = express().use(routes(deps));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  close = () => new Promise((resolve) => server.close(() => resolve()));
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await close?.();
});

describe('pages', () => {
  it('serve a strict CSP, an escaped title and config, and hashed assets cached for good (304 on a match)', async () => {
    const response = await fetch(`${origin}/probe`);
    expect(response.headers.get('content-security-policy')).toBe(
      "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    );
    const html = await response.text();
    expect(html).toContain('<title>Probe &#60;page&#62;</title>');
    expect(html).not.toContain('</script><script>alert(1)');
    const script = /src="(\/assets\/probe\.[\w-]{16}\.js)"/.exec(html)?.[1];
    const style = /href="(\/assets\/probe\.[\w-]{16}\.css)"/.exec(html)?.[1];
    expect(script && style).toBeTruthy();
    const asset = await fetch(`${origin}${script}`);
    expect(asset.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect(asset.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    // One module: the SDK is inside, nothing left to resolve by bare name.
    expect(await asset.text()).not.toMatch(/^\s*import\s.*from\s*["'][^./]/m);
    expect((await fetch(`${origin}${script}`, { headers: { 'if-none-match': asset.headers.get('etag')! } })).status).toBe(304);
    expect((await fetch(`${origin}/assets/probe.unknownunknown00.js`)).status).toBe(404);
  });

  it('run in Chromium with their CSS and the SDK, while inline code is refused', async () => {
    const { page, context, problems } = await openPage(browser);
    try {
      await page.goto(`${origin}/probe?who=visitor`);
      await expect.poll(() => page.locator('#app').textContent()).toContain('"sdk":true');
      const shown = JSON.parse((await page.locator('#app').textContent())!);
      expect(shown).toEqual({ sdk: true, graphqlPath: '/graphql', greeting: '</script><script>alert(1)</script>visitor', evalRefused: true });
      expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe('rgb(1, 2, 3)');
      // The refused eval is the only complaint.
      expect(problems.filter((p) => !p.includes('unsafe-eval'))).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
