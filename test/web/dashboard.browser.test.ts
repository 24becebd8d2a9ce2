/**
 * The consultant dashboard (/dashboard) in headless Chromium against a real server: sign-in,
 * the day and the week in the consultant's own zone, changes made elsewhere (through the SDK)
 * arriving live, a server-side close followed by "reconnecting", live again and a catch-up, and
 * the lifecycle actions from the page.
 */
import { ConsultationDocument, createSerenityClient, RescheduleConsultationDocument, type SerenityClient } from '@serenity/sdk';
import type { Browser, Page, WebSocketRoute } from 'playwright-core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LIVE_APPLICATION_NAME } from '../../src/platform/live.js';
import { grantSessions, gridStart, openAllHoursConsultant, type TestConsultant } from '../support/booking.js';
import { demoSignIn, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { subscribersAtLeast } from '../support/live.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot, type TestPage } from '../support/browser.js';
import type { TestServer } from '../support/server.js';
import { BOOKING_FEE_SETTINGS, startStripeTestServer, type StripeDouble } from '../support/stripe-double.js';

let server: TestServer;
let stripe: StripeDouble;
let webhookUrl: string;
let browser: Browser;
/** Jane (Acme's owner, demo data) books through the SDK, as a client app would. */
let jane: SerenityClient;
const open: TestPage[] = [];

beforeAll(async () => {
  // Payments through the Stripe double, with a booking fee clients may pay instead of a credit.
  ({ server, stripe, webhookUrl } = await startStripeTestServer(BOOKING_FEE_SETTINGS));
  browser = await launchBrowser();
  const admin = await demoSignIn(server, 'admin@serenity.local');
  jane = createSerenityClient({ url: server.graphqlUrl });
  const session = await jane.login('jane.smith@acme.example', 'Serenity-Demo-2026!');
  await grantSessions(server, admin, session.user.organization!.id, 20);
});
afterAll(async () => {
  for (const { context } of open) await context.close();
  await browser?.close();
  await server?.stop();
  await stripe?.close();
});

/** The dashboard writes times in the consultant's own zone (their profile's), not the browser's (UTC here) nor their schedule's. */
const PROFILE_ZONE = 'Asia/Kolkata';
interface Consultant extends TestConsultant {
  email: string;
}
async function consultant(): Promise<Consultant> {
  const email = uniqueEmail('dash', 'serenity.test');
  return { email, ...(await openAllHoursConsultant(server, { email, firstName: 'Dana', lastName: 'Ash', timeZone: PROFILE_ZONE })) };
}

const book = (c: Consultant, minutesAhead: number, purpose: string) =>
  jane.bookConsultation({ consultantId: c.id, start: gridStart(minutesAhead).toISOString(), durationMinutes: 60, purpose });

async function dashboard(viewport: 'desktop' | 'phone' = 'desktop'): Promise<TestPage> {
  const opened = await openPage(browser, viewport);
  open.push(opened);
  return opened;
}

async function signIn(page: Page, c: Consultant): Promise<void> {
  await page.goto(new URL('/dashboard', server.graphqlUrl).toString());
  await page.getByLabel('Email').fill(c.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect.poll(() => liveStatus(page), { timeout: 10_000 }).toBe('Live');
  // Connected is not yet subscribed: wait until the server serves the page's subscription.
  await subscribersAtLeast(server.graphqlUrl, 1);
}

const liveStatus = (page: Page) => page.locator('#live-status').textContent().then((t) => t?.trim());
const card = (page: Page, id: string) => page.locator(`article[data-consultation="${id}"]`);
/** "2:30 PM – 3:30 PM" as the page's locale (en-US here) writes it in `zone`. */
const range = (start: string, end: string, zone: string) => {
  const f = new Intl.DateTimeFormat('en-US', { hour: 'numeric', minute: '2-digit', timeZone: zone });
  return `${f.format(new Date(start))} – ${f.format(new Date(end))}`;
};

/** What an operator's restart of PostgreSQL or a network blip does to the API's LISTEN connection. */
async function terminateListenConnection(): Promise<void> {
  const client = new pg.Client({ connectionString: server.config.databaseUrl });
  await client.connect();
  try {
    const killed = await client.query('SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1 AND datname = current_database()', [LIVE_APPLICATION_NAME]);
    expect(killed.rowCount).toBe(1);
  } finally {
    await client.end();
  }
}

describe('consultant dashboard', () => {
  it('signs in (a wrong password says so), shows the day in the consultant’s zone, and bookings, moves and cancellations arrive live', { timeout: 60_000 }, async () => {
    const c = await consultant();
    const early = await book(c, 120, 'Board pack review');
    // The meetings job makes its Jitsi room just after the booking commits.
    const meetingUrl = async () => (await sql<{ join_url: string | null }>(server, 'SELECT join_url FROM meeting WHERE consultation_id = ?', [early.id]))[0]?.join_url ?? null;
    await expect.poll(meetingUrl, { timeout: 10_000 }).toMatch(/^https:\/\//);
    const { page, problems } = await dashboard();

    await page.goto(new URL('/dashboard', server.graphqlUrl).toString());
    await page.getByLabel('Email').fill(c.email);
    expect(await accessibilityViolations(page)).toEqual([]);
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toMatch(/email or password/i);
    // The refused sign-in is an HTTP 401, which Chromium logs whatever the page does: that one only.
    expect(problems.splice(0)).toEqual(['Failed to load resource: the server responded with a status of 401 (Unauthorized)']);
    await signIn(page, c);

    // Already booked: shown at load, at the consultant's local time, with client, organization and purpose.
    const first = card(page, early.id);
    await expect.poll(() => first.textContent()).toContain('Board pack review');
    const text = (await first.textContent())!;
    expect(text).toContain(range(early.start, early.end, PROFILE_ZONE));
    expect(text).toContain('Jane Smith');
    expect(text).toContain('Acme');
    expect(text).toMatch(/credit/i);
    // Jitsi's host link is the room itself: the consultant starts it from there.
    expect(await first.getByRole('link', { name: 'Start the meeting' }).getAttribute('href')).toBe(await meetingUrl());
    expect(await page.locator('header').textContent()).toContain(`times in ${PROFILE_ZONE}`);
    // Availability at a glance: today has open hours (the consultant is open around the clock).
    await expect.poll(() => page.locator('#availability li').first().textContent(), { timeout: 5000 }).toMatch(/Open|No open time/);
    expect(await page.locator('#availability').textContent()).toMatch(/Open all day/);

    // A booking made elsewhere appears without a reload.
    const before = Date.now();
    const booked = await book(c, 240, 'Pricing strategy');
    await card(page, booked.id).waitFor({ timeout: 2000 });
    const appearedMs = Date.now() - before;
    expect(appearedMs).toBeLessThan(2000);
    expect(await card(page, booked.id).textContent()).toContain('Pricing strategy');
    expect(await page.locator('#announcements').textContent()).toMatch(/new booking/i);

    // Moved: shown at the new time, after the first (sorted by start).
    const moved = await jane.request(RescheduleConsultationDocument, { id: early.id, start: gridStart(300).toISOString() });
    await expect.poll(() => first.textContent(), { timeout: 2000 }).toContain(range(moved.rescheduleConsultation.start, moved.rescheduleConsultation.end, PROFILE_ZONE));
    const order = await page.locator('article[data-consultation]').evaluateAll((els) => els.map((e) => e.getAttribute('data-consultation')));
    expect(order.indexOf(booked.id)).toBeLessThan(order.indexOf(early.id));

    // Cancelled: still listed, greyed out.
    const cancelledAt = Date.now();
    await jane.cancelConsultation(booked.id, 'Plans changed');
    await expect.poll(() => card(page, booked.id).getAttribute('data-status'), { timeout: 2000, interval: 20 }).toBe('CANCELLED');
    const cancelMs = Date.now() - cancelledAt;
    expect(Number(await card(page, booked.id).evaluate((e) => getComputedStyle(e).opacity))).toBeLessThan(1);
    expect(await card(page, booked.id).textContent()).toMatch(/cancelled/i);
    await page.locator('#availability li').first().waitFor();
    // Once the highlight of the latest change has faded (its transition included).
    await expect.poll(() => page.locator('article.fresh').count(), { timeout: 6000 }).toBe(0);
    await page.waitForTimeout(700);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-desktop');
    console.info(`dashboard: booking shown after ${appearedMs} ms, cancellation greyed after ${cancelMs} ms`);

    // Tokens are kept for the tab: a reload stays signed in; signing out forgets them.
    await page.reload();
    await expect.poll(() => liveStatus(page), { timeout: 10_000 }).toBe('Live');
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByLabel('Email').waitFor();
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('after the server closes the socket it shows "reconnecting", then live again with what was booked meanwhile; a 4401 refreshes the tokens', { timeout: 60_000 }, async () => {
    const c = await consultant();
    const { page, problems } = await dashboard();
    // The page's WebSocket goes through a Playwright route to the real server, which passes
    // everything through and, while `held`, refuses reconnects (1013) so that a booking surely
    // lands in the gap.
    let held = false;
    const sockets: WebSocketRoute[] = [];
    await page.routeWebSocket(/\/graphql$/, (ws) => {
      if (held) return ws.close({ code: 1013, reason: 'Try again later.' });
      ws.connectToServer();
      sockets.push(ws);
    });
    await signIn(page, c);

    // The server's LISTEN connection is killed: once it is back, the server closes its
    // WebSockets with 1012 ("reconnect and reload"), since what was published meanwhile is lost.
    held = true;
    const closed = new Promise<number | undefined>((resolve) => sockets.at(-1)!.onClose((code) => resolve(code)));
    await terminateListenConnection();
    expect(await closed).toBe(1012);
    await expect.poll(() => liveStatus(page), { timeout: 5000, interval: 20 }).toBe('Reconnecting…');
    const meanwhile = await book(c, 180, 'Booked while away');
    await new Promise((resolve) => setTimeout(resolve, 300));
    expect(await card(page, meanwhile.id).count()).toBe(0);
    expect(await liveStatus(page)).toBe('Reconnecting…');

    held = false;
    await expect.poll(() => liveStatus(page), { timeout: 15_000, interval: 50 }).toBe('Live');
    // Caught up by the reload after the reconnect (its event was never delivered).
    await card(page, meanwhile.id).waitFor({ timeout: 5000 });
    // …and live again afterwards.
    await subscribersAtLeast(server.graphqlUrl, 1);
    const after = await book(c, 360, 'Booked after');
    await card(page, after.id).waitFor({ timeout: 2000 });

    // 4401 (the token expired while connected): the page refreshes its tokens and reconnects.
    const tokensBefore = await page.evaluate(() => sessionStorage.getItem('serenity.dashboard.tokens'));
    await sockets.at(-1)!.close({ code: 4401, reason: 'Token expired.' });
    await expect.poll(() => page.evaluate(() => sessionStorage.getItem('serenity.dashboard.tokens')), { timeout: 5000 }).not.toBe(tokensBefore);
    await expect.poll(() => liveStatus(page), { timeout: 10_000, interval: 50 }).toBe('Live');
    await subscribersAtLeast(server.graphqlUrl, 1);
    const last = await book(c, 420, 'Booked after the refresh');
    await card(page, last.id).waitFor({ timeout: 2000 });
    expect(problems).toEqual([]);
  });

  it('shows a booking-fee hold awaiting payment, then paid when the payment lands (live)', { timeout: 60_000 }, async () => {
    const c = await consultant();
    const { page, problems } = await dashboard();
    await signIn(page, c);
    const held = await jane.bookConsultation({ consultantId: c.id, start: gridStart(150).toISOString(), durationMinutes: 60, purpose: 'Paid by card', payWith: 'BOOKING_FEE' });
    const session = card(page, held.id);
    await expect.poll(() => session.textContent(), { timeout: 2000 }).toContain('Booking fee $10.00, awaiting payment');
    expect(await session.getAttribute('data-status')).toBe('PENDING_PAYMENT');

    const intent = [...stripe.paymentIntents.values()].find((pi) => pi.metadata?.consultationId === held.id)!;
    const paidAt = Date.now();
    expect((await stripe.deliver(webhookUrl, stripe.succeedPaymentIntent(intent.id))).status).toBe(200);
    await expect.poll(() => session.getAttribute('data-status'), { timeout: 2000, interval: 20 }).toBe('SCHEDULED');
    console.info(`dashboard: payment shown ${Date.now() - paidAt} ms after the webhook answered`);
    expect(await session.textContent()).toContain('Booking fee $10.00, paid');
    expect(await page.locator('#announcements').textContent()).toMatch(/^Paid: the booking fee/);
    expect(problems).toEqual([]);
  });

  it('tells a client account that the dashboard is for consultants, and signs it out', async () => {
    const { page, problems } = await dashboard();
    await page.goto(new URL('/dashboard', server.graphqlUrl).toString());
    await page.getByLabel('Email').fill('jane.smith@acme.example');
    await page.getByLabel('Password').fill('Serenity-Demo-2026!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toBe('jane.smith@acme.example is not a consultant account: this dashboard is for consultants.');
    expect(await page.evaluate(() => sessionStorage.length)).toBe(0);
    expect(problems).toEqual([]);
  });

  it('confirms, starts and completes a session from the page (with outcomes and an action item), at phone width', { timeout: 60_000 }, async () => {
    const c = await consultant();
    const soon = await book(c, 10, 'Kick-off');
    const { page, problems } = await dashboard('phone');
    await signIn(page, c);
    const session = card(page, soon.id);
    await session.getByRole('button', { name: 'Confirm' }).click();
    await expect.poll(() => session.getAttribute('data-status')).toBe('CONFIRMED');
    await session.getByRole('button', { name: 'Start' }).click();
    await expect.poll(() => session.getAttribute('data-status')).toBe('IN_PROGRESS');
    await screenshot(page, 'dashboard-phone');
    expect(await accessibilityViolations(page)).toEqual([]);

    await session.getByRole('button', { name: 'Complete…' }).click();
    const form = page.getByRole('dialog');
    await form.getByLabel('Summary').fill('Agreed the scope and the first milestones.');
    await form.getByLabel('Action item').fill('Send the data room access');
    await form.getByLabel('Assignee').fill('Jane Smith');
    expect(await accessibilityViolations(page)).toEqual([]);
    await form.getByRole('button', { name: 'Complete session' }).click();
    await expect.poll(() => session.getAttribute('data-status')).toBe('COMPLETED');
    const record = await jane.request(ConsultationDocument, { id: soon.id });
    expect(record.consultation?.outcomes?.summary).toBe('Agreed the scope and the first milestones.');
    expect(record.consultation?.actionItems).toMatchObject([{ title: 'Send the data room access', assignee: 'Jane Smith' }]);

    // Usable at 390 px: nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
    expect(problems).toEqual([]);
  });
});
