/**
 * How the booking widget is served: who may frame it (any site outside production, the
 * WIDGET_EMBED_ORIGINS in production, none when unset) and the loader at its stable URL, cached
 * for a day and revalidated (not immutable: partners' HTML names it for good).
 */
import type { AddressInfo } from 'node:net';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger } from '../../src/platform/logger.js';
import type { HttpRouteDeps } from '../../src/platform/routes.js';
import { widgetFrameAncestors } from '../../src/web/book.page.js';
import { embedRoutes } from '../../src/web/embed.route.js';
import { PAGES, pageRoutes } from '../../src/web/index.js';

const servers: Array<() => Promise<void>> = [];
async function serve(config: Partial<Config>): Promise<string> {
  const deps = { services: { config: { isProduction: false, paymentsMode: 'off', stripe: { bookingFee: null }, ...config } }, logger: createLogger({ logLevel: 'silent', logPretty: false } as never) } as unknown as HttpRouteDeps;
  const app = express().use(embedRoutes(deps)).use(pageRoutes(PAGES)(deps));
  const server = app.listen(0, '127.0.0.1');
  await new Promise((resolve) => server.once('listening', resolve));
  servers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}
afterAll(() => Promise.all(servers.map((close) => close())));

let open: string;
let partners: string;
let stripe: string;
beforeAll(async () => {
  open = await serve({ widgetEmbedOrigins: '*' });
  stripe = await serve({ widgetEmbedOrigins: '*', paymentsMode: 'stripe', stripe: { bookingFee: null, publishableKey: 'pk_test_widget123' } as Config['stripe'] });
  partners = await serve({ widgetEmbedOrigins: ['https://partner.example', 'https://shop.example:8443'] });
});

describe('the booking widget’s pages', () => {
  it('may be framed by any site outside production, by the listed partner sites in production, by none when none is listed', async () => {
    const csp = async (origin: string, path: string) => (await fetch(`${origin}${path}`)).headers.get('content-security-policy');
    expect(await csp(open, '/book/CON-ANY-20260101-001')).toMatch(/frame-ancestors \*$/);
    expect(await csp(partners, '/book?skills=Strategy')).toMatch(/frame-ancestors https:\/\/partner\.example https:\/\/shop\.example:8443$/);
    const production = { DATA_DIR: '/tmp', NODE_ENV: 'production', JWT_SECRET: 'x'.repeat(40), SMTP_URL: 'smtp://mail.example.com:587', DATABASE_URL: 'postgres://app:pw@db.internal:5432/serenity' };
    expect(widgetFrameAncestors(loadConfig(production))).toBe("'none'");
    expect(widgetFrameAncestors(loadConfig({ ...production, WIDGET_EMBED_ORIGINS: 'https://partner.example' }))).toBe('https://partner.example');
  });

  it('with Stripe, let the /book pages load Stripe.js and reach Stripe (exactly its origins), the dashboard not; the publishable key is in the config', async () => {
    const directives = async (origin: string, path: string) =>
      Object.fromEntries(
        (await fetch(`${origin}${path}`)).headers
          .get('content-security-policy')!
          .split('; ')
          .map((d) => [d.split(' ')[0]!, d.split(' ').slice(1).join(' ')]),
      );
    for (const path of ['/book/CON-ANY-20260101-001', '/book?skills=Strategy']) {
      expect(await directives(stripe, path)).toMatchObject({
        'script-src': "'self' https://js.stripe.com",
        'frame-src': 'https://js.stripe.com https://hooks.stripe.com',
        'connect-src': "'self' https://api.stripe.com",
        'style-src': "'self'",
        'default-src': "'none'",
      });
    }
    const dashboard = await directives(stripe, '/dashboard');
    expect(dashboard).toMatchObject({ 'script-src': "'self'", 'connect-src': "'self'", 'frame-ancestors': "'none'" });
    expect(dashboard['frame-src']).toBeUndefined();
    // Without Stripe the widget loads nothing from it.
    const local = await directives(open, '/book/CON-ANY-20260101-001');
    expect(local).toMatchObject({ 'script-src': "'self'", 'connect-src': "'self'" });
    expect(local['frame-src']).toBeUndefined();
    expect(await (await fetch(`${stripe}/book/CON-ANY-20260101-001`)).text()).toContain('"stripePublishableKey":"pk_test_widget123"');
  });

  it('read the consultant code and skills from the address into their config, escaped', async () => {
    const html = await (await fetch(`${open}/book/CON-WHITE-20261123-001`)).text();
    expect(html).toContain('"consultantCode":"CON-WHITE-20261123-001","skills":[]');
    const bySkills = await (await fetch(`${open}/book?skills=${encodeURIComponent(' Strategy , </script>x,')}`)).text();
    expect(bySkills).toContain('"consultantCode":null,"skills":["Strategy","\\u003c/script>x"]');
  });

  it('serve the loader at /book/embed.js: a script for any site, cached a day, revalidated by its ETag', async () => {
    const response = await fetch(`${open}/book/embed.js`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(response.headers.get('cache-control')).toBe('public, max-age=86400');
    expect(response.headers.get('cross-origin-resource-policy')).toBe('cross-origin');
    const body = await response.text();
    // A classic script (it runs from a plain <script> tag): no import/export left.
    expect(body).not.toMatch(/^\s*(import|export)\s/m);
    expect(body).toContain('serenity-booking');
    expect((await fetch(`${open}/book/embed.js`, { headers: { 'if-none-match': response.headers.get('etag')! } })).status).toBe(304);
  });
});
