/**
 * The booking widget in headless Chromium, embedded the way a partner embeds it: a host page on
 * another origin with the one <script> tag of README. It signs a client in (or takes the token
 * the host passes after the ready handshake), shows open dates and slots, books with a credit or
 * the booking fee, and tells the host by postMessage. A slot taken meanwhile shows a message and
 * fresh slots.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Browser, FrameLocator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BOOK, grantSessions, openAllHoursConsultant, verifiedClient, type TestClient, type TestConsultant } from '../support/booking.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, PASSWORD, sql } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot, SCREENSHOTS, partnerSite, receivedMessages } from '../support/browser.js';

let server: TestServer;
let browser: Browser;
let api: string;
let admin: string;
let consultant: TestConsultant & { code: string };
let host: { origin: string; close(): Promise<void> };
/** What the host page of each test embeds and does: set per test before it opens the page. */
let hostPage = '';

beforeAll(async () => {
  server = await startTestServer({ BOOKING_FEE_AMOUNT: '5000', BOOKING_FEE_CURRENCY: 'USD' });
  api = new URL(server.graphqlUrl).origin;
  admin = await demoSignIn(server, 'admin@serenity.local');
  const open = await openAllHoursConsultant(server, { firstName: 'Wendy', lastName: 'Widget' });
  const { consultant: profile } = await gqlOk<{ consultant: { code: string } }>(server, 'query($id: ID!) { consultant(id: $id) { code } }', { id: open.id }, open.token);
  consultant = { ...open, code: profile.code };
  // The partner's site: another origin (another port) that only serves its page.
  host = await partnerSite(() => hostPage);
  browser = await launchBrowser();
});
afterAll(async () => {
  await browser?.close();
  await host?.close();
  await server?.stop();
});

/** README's one-tag snippet ("Booking widget"), pointed at this server and consultant. */
async function readmeSnippet(): Promise<string> {
  const readme = await readFile(path.join(path.dirname(fileURLToPath(import.meta.url)), '../../README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('\n## Booking widget\n'));
  const tag = /```html\n(<script [^\n]*><\/script>)\n```/.exec(section)?.[1];
  if (!tag) throw new Error('README\'s "Booking widget" has no one-tag snippet');
  return tag.replace('https://api.example.com', api).replace(/data-consultant="[^"]*"/, `data-consultant="${consultant.code}"`);
}

/** A partner page with README's snippet; it records what the widget posts (from the API's origin only). */
async function partnerPage(extraScript = ''): Promise<string> {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Partner</title></head><body>
<h1>Acme partner portal</h1>
${await readmeSnippet()}
<script>
window.received = [];
window.addEventListener('message', (event) => { if (event.origin === ${JSON.stringify(api)}) window.received.push(event.data); });
${extraScript}
</script>
</body></html>`;
}

async function clientWithCredits(): Promise<TestClient> {
  const client = await verifiedClient(server);
  await grantSessions(server, admin, client.organizationId, 3);
  return client;
}


type Scope = Page | FrameLocator;

async function signIn(widget: Scope, email: string) {
  await widget.getByLabel('Email').fill(email);
  await widget.getByLabel('Password').fill(PASSWORD);
  await widget.getByRole('button', { name: 'Sign in' }).click();
}

/** Picks the second open date of the calendar (tomorrow: open all day, whatever the time now) and waits for its times. */
async function openDate(widget: Scope) {
  const day = widget.locator('button[data-date]:not([disabled])').nth(1);
  await day.waitFor();
  await day.click();
  await widget.locator('button[data-start]').first().waitFor();
}

describe('the booking widget', () => {
  it('embedded by one script tag on another origin: signs in, books a slot with a credit, and the host hears booked and cancelled', async () => {
    const client = await clientWithCredits();
    hostPage = await partnerPage();
    const { page, context, problems } = await openPage(browser, 'desktop');
    try {
      await page.goto(host.origin);
      const widget = page.frameLocator('iframe[title="Book a session"]');
      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual({ source: 'serenity-booking', version: 1, type: 'ready' });
      await signIn(widget, client.email);
      await widget.getByRole('heading', { level: 1, name: 'Wendy Widget' }).waitFor();
      await openDate(widget);
      const slot = widget.locator('button[data-start]').first();
      const start = await slot.getAttribute('data-start');
      await slot.click();
      await widget.getByLabel('What is the session for?').fill('Quarterly planning review');
      await screenshot(page, 'widget-desktop-full');
      // For README: the partner page's left part, where the widget is (a smaller picture).
      const frame = (await page.locator('iframe').boundingBox())!;
      await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-desktop.png'), fullPage: true, clip: { x: 0, y: 0, width: Math.ceil(frame.x + frame.width + 16), height: Math.ceil(frame.y + frame.height + 16) } });
      await widget.getByRole('button', { name: /^Book/ }).click();
      await widget.getByRole('heading', { name: 'Booked' }).waitFor();

      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual(expect.objectContaining({ type: 'booked' }));
      const booked = (await receivedMessages(page)).find((m) => m['type'] === 'booked')!;
      expect(booked).toMatchObject({ source: 'serenity-booking', version: 1, consultation: { start, status: 'SCHEDULED', paymentMethod: 'CREDITS', consultantId: consultant.id } });
      const id = (booked['consultation'] as { id: string }).id;
      const saved = await gqlOk<{ consultation: { status: string; purpose: string } }>(server, 'query($id: ID!) { consultation(id: $id) { status purpose } }', { id }, client.token);
      expect(saved.consultation).toEqual({ status: 'SCHEDULED', purpose: 'Quarterly planning review' });
      // The meeting is made just after the booking commits: the confirmation shows its link once READY.
      const meetingLink = widget.locator('[data-meeting="READY"] a');
      await meetingLink.waitFor({ timeout: 10_000 });
      const [meeting] = await sql<{ join_url: string }>(server, 'SELECT join_url FROM meeting WHERE consultation_id = ?', [id]);
      expect(await meetingLink.getAttribute('href')).toBe(meeting!.join_url);
      // The iframe grew to its content (the loader relays the widget's height).
      expect((await page.locator('iframe').boundingBox())!.height).toBeGreaterThan(300);
      await screenshot(page, 'widget-booked-desktop');

      await widget.getByRole('button', { name: 'Cancel this booking' }).click();
      await widget.getByRole('heading', { name: 'Cancelled' }).waitFor();
      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual(expect.objectContaining({ type: 'cancelled', consultation: expect.objectContaining({ id, status: 'CANCELLED' }) }));
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('a slot taken between showing and clicking: a clear message and fresh slots without it (phone width)', async () => {
    const client = await clientWithCredits();
    const rival = await clientWithCredits();
    const { page, context, problems } = await openPage(browser, 'phone');
    try {
      await page.goto(`${api}/book/${consultant.code}`);
      const widget = page;
      await page.getByLabel('Email').waitFor();
      expect(await accessibilityViolations(page)).toEqual([]);
      await signIn(widget, client.email);
      await openDate(widget);
      const slot = widget.locator('button[data-start]').nth(2);
      const start = (await slot.getAttribute('data-start'))!;
      // Someone else books that very time meanwhile.
      await gqlOk(server, BOOK, { input: { consultantId: consultant.id, start, durationMinutes: 60, purpose: 'Got there first' } }, rival.token);
      await slot.click();
      await widget.getByLabel('What is the session for?').fill('Too late');
      await widget.getByRole('button', { name: /^Book/ }).click();
      await expect(widget.getByRole('alert').textContent()).resolves.toBe('That time was just taken by someone else. Here are the times still open: please pick another.');
      await expect.poll(() => widget.locator(`button[data-start="${start}"]`).count(), { timeout: 5000 }).toBe(0);
      expect(await widget.locator('button[data-start]').count()).toBeGreaterThan(0);
      expect(await accessibilityViolations(page)).toEqual([]);
      await screenshot(page, 'widget-phone-full');
      // What a phone shows first: the message above the calendar.
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(SCREENSHOTS, 'widget-phone.png') });
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });

  it('takes the token the host passes after the handshake (asking again when it is refused), and books with the booking fee: held, paid, then booked', async () => {
    const client = await verifiedClient(server);
    const tokens = await gqlOk<{ login: { accessToken: string; refreshToken: string } }>(
      server,
      'mutation($e: String!, $p: String!) { login(email: $e, password: $p) { accessToken refreshToken } }',
      { e: client.email, p: PASSWORD },
    );
    // A stale token first: the widget says token-expired (the loader's DOM event) and the host sends a good one.
    hostPage = await partnerPage(`
SerenityBooking.setToken({ accessToken: 'a-stale-token' });
document.querySelector('script[data-consultant]').addEventListener('serenity-booking', (event) => {
  if (event.detail.type === 'token-expired') SerenityBooking.setToken({ accessToken: ${JSON.stringify(tokens.login.accessToken)} });
});`);
    const { page, context, problems } = await openPage(browser, 'desktop');
    try {
      await page.goto(host.origin);
      const widget = page.frameLocator('iframe[title="Book a session"]');
      // No sign-in form: the host's (second) token is used.
      await openDate(widget);
      expect(await widget.getByLabel('Password').count()).toBe(0);
      expect(await receivedMessages(page)).toContainEqual({ source: 'serenity-booking', version: 1, type: 'token-expired' });
      await widget.locator('button[data-start]').first().click();
      await widget.getByLabel('What is the session for?').fill('One-off advice');
      await widget.getByLabel(/booking fee/).check();
      await widget.getByRole('button', { name: /^Book/ }).click();
      await widget.getByRole('heading', { name: 'Pay the booking fee' }).waitFor();
      await expect(widget.getByRole('status').textContent()).resolves.toMatch(/held for you until/);
      const pay = widget.getByRole('link', { name: /Pay \$50\.00/ });
      const href = (await pay.getAttribute('href'))!;
      const secret = new URL(href, api).searchParams.get('client_secret')!;
      expect(await receivedMessages(page)).not.toContainEqual(expect.objectContaining({ type: 'booked' }));

      // The card step, as Stripe.js would do it: here the local simulator's /dev/pay.
      const paid = await fetch(`${api}/dev/pay`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ client_secret: secret, card_number: '4242424242424242' }) });
      expect(paid.status).toBe(200);
      // Told by consultationUpdated: well before the widget's 15 s fallback read.
      await widget.getByRole('heading', { name: 'Booked' }).waitFor({ timeout: 10_000 });
      await expect.poll(() => receivedMessages(page), { timeout: 5000 }).toContainEqual(
        expect.objectContaining({ type: 'booked', consultation: expect.objectContaining({ paymentMethod: 'BOOKING_FEE', status: 'SCHEDULED' }) }),
      );
      // The stale token's one refused request is Chromium's network log line; nothing else.
      expect(problems).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    } finally {
      await context.close();
    }
  });

  it('by skills (/book?skills=…), in the visitor’s own zone, by keyboard: the times are Kolkata’s, the booking goes to the consultant with the skill', async () => {
    const skilled = await openAllHoursConsultant(server, { lastName: 'Skilled', skills: [{ name: 'Widgetry', proficiency: 'EXPERT' }] });
    const client = await clientWithCredits();
    // A context in another zone (+05:30), watched like openPage's.
    const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, timezoneId: 'Asia/Kolkata' });
    const page = await context.newPage();
    const problems: string[] = [];
    page.on('console', (message) => message.type() === 'error' && problems.push(message.text()));
    page.on('pageerror', (error) => problems.push(String(error)));
    try {
      await page.goto(`${api}/book?skills=widgetry`);
      await signIn(page, client.email);
      await page.getByRole('heading', { level: 1, name: 'Consultants for widgetry' }).waitFor();
      // Chromium's ICU names the zone by its older alias.
      await expect(page.getByText(/^Times in your zone: Asia\/(Kolkata|Calcutta)$/).count()).resolves.toBe(1);
      // The keyboard: one tab stop in the month, arrows to the next open day, Enter picks it.
      const days = page.locator('button[data-date]:not([disabled])');
      await days.first().waitFor();
      expect(await page.locator('button[data-date][tabindex="0"]').count()).toBe(1);
      await days.first().focus();
      await page.keyboard.press('ArrowRight');
      const second = await days.nth(1).getAttribute('data-date');
      expect(await page.evaluate(() => document.activeElement?.getAttribute('data-date'))).toBe(second);
      await page.keyboard.press('Enter');
      await page.getByRole('heading', { name: /^Times on / }).waitFor();
      expect(await page.locator(`button[data-date="${second}"]`).getAttribute('aria-pressed')).toBe('true');
      await page.locator('button[data-start]').first().waitFor();
      const slot = page.locator('button[data-start]').first();
      const start = (await slot.getAttribute('data-start'))!;
      expect(await slot.textContent()).toBe(new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: 'Asia/Kolkata' }).format(new Date(start)));
      await slot.click();
      await page.getByLabel('What is the session for?').fill('Widget strategy');
      expect(await accessibilityViolations(page)).toEqual([]);
      await page.getByRole('button', { name: /^Book/ }).click();
      await page.getByRole('heading', { name: 'Booked' }).waitFor();
      const { myConsultations } = await gqlOk<{ myConsultations: { edges: Array<{ node: { consultant: { id: string }; skills: string[]; start: string } }> } }>(
        server,
        'query { myConsultations(first: 5) { edges { node { start skills consultant { id } } } } }',
        {},
        client.token,
      );
      expect(myConsultations.edges.map((e) => e.node)).toEqual([{ start, skills: ['widgetry'], consultant: { id: skilled.id } }]);
      expect(problems).toEqual([]);
    } finally {
      await context.close();
    }
  });
});
