/**
 * The local IDE in a real browser (headless Chromium): `npm start`'s GraphiQL at GET /graphql
 * loads with nothing from the internet and runs its first tab's query against the API.
 */
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, openPage, screenshot } from '../support/browser.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
beforeAll(async () => {
  [server, browser] = await Promise.all([startTestServer({ GRAPHQL_IDE: 'true' }), launchBrowser()]);
});
afterAll(async () => {
  await browser?.close();
  await server?.stop();
});

describe('the GraphQL IDE in Chromium', () => {
  it('loads offline and runs the default query: the catalog appears', async () => {
    const { page, context, problems } = await openPage(browser);
    const origins = new Set<string>();
    page.on('request', (request) => origins.add(new URL(request.url()).origin));
    try {
      await page.goto(server.graphqlUrl);
      await page.locator('.graphiql-execute-button').waitFor({ timeout: 15_000 });
      await page.locator('.graphiql-execute-button').click();
      const response = page.locator('.graphiql-response');
      await expect.poll(() => response.innerText(), { timeout: 10_000 }).toContain('PKG-DISCOVERY-ASSESSMENT');
      await screenshot(page, 'ide-desktop');
      // Everything came from the API itself: nothing from a CDN.
      expect([...origins]).toEqual([new URL(server.graphqlUrl).origin]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
