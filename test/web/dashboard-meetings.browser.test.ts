/**
 * Each session's meeting on the consultant dashboard, in headless Chromium against a real server
 * whose job makes the meetings: a Jitsi meeting READY as "Start the meeting" (the host's link), a
 * phone meeting as its number, one being made as "Link on its way", one given up on as "No link:
 * share one with the client". Only web links become Start/Join links.
 */
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { BOOK, gridStart, grantSessions, openAllHoursConsultant, verifiedClient, type ConsultationJson, type TestClient } from '../support/booking.js';
import { accessibilityViolations, launchBrowser, openPage, screenshot, type TestPage } from '../support/browser.js';
import { gqlOk } from '../support/graphql.js';
import { demoSignIn, PASSWORD, sql, uniqueEmail } from '../support/identity.js';
import { startTestServer, type TestServer } from '../support/server.js';

let server: TestServer;
let browser: Browser;
let client: TestClient;
const open: TestPage[] = [];
const PHONE = '+44 20 7946 0000';

beforeAll(async () => {
  server = await startTestServer({ JITSI_BASE_URL: 'https://jitsi.e2e.test', MEETING_PHONE_NUMBER: PHONE });
  browser = await launchBrowser();
  const admin = await demoSignIn(server, 'admin@serenity.local');
  client = await verifiedClient(server, { organizationName: 'Initech' });
  await grantSessions(server, admin, client.organizationId, 6);
});
afterAll(async () => {
  for (const { context } of open) await context.close();
  await browser?.close();
  await server?.stop();
});

const statusOf = async (id: string) => (await sql<{ status: string }>(server, 'SELECT status FROM meeting WHERE consultation_id = ?', [id]))[0]?.status;
const card = (page: Page, id: string) => page.locator(`article[data-consultation="${id}"]`);

describe('the dashboard’s meetings', () => {
  it('Start for a READY web link (the host’s), Call for a phone meeting, “Link on its way” while made, “No link” once failed', async () => {
    const email = uniqueEmail('meet', 'serenity.test');
    const consultant = await openAllHoursConsultant(server, { email, firstName: 'Mia', lastName: 'Host', meetingProviders: ['JITSI', 'PHONE'] });
    const book = async (minutesAhead: number, purpose: string, meetingProvider: 'JITSI' | 'PHONE') =>
      (await gqlOk<{ bookConsultation: ConsultationJson }>(server, BOOK, { input: { consultantId: consultant.id, start: gridStart(minutesAhead).toISOString(), durationMinutes: 60, purpose, meetingProvider } }, client.token)).bookConsultation;
    const video = await book(90, 'Video call', 'JITSI');
    const phone = await book(210, 'Phone call', 'PHONE');
    const making = await book(330, 'Being made', 'JITSI');
    const failed = await book(450, 'Gave up', 'JITSI');
    for (const c of [video, phone, making, failed]) await vi.waitFor(async () => expect(await statusOf(c.id)).toBe('READY'), { timeout: 10_000, interval: 100 });
    // The other two states, as the job leaves them: still being made (a provider retrying), and given up on.
    await sql(server, `UPDATE meeting SET status = 'PENDING', action = NULL, join_url = NULL, host_url = NULL WHERE consultation_id = ?`, [making.id]);
    await sql(server, `UPDATE meeting SET status = 'FAILED', action = NULL, join_url = NULL, host_url = NULL, last_error = 'provider down' WHERE consultation_id = ?`, [failed.id]);
    const [{ join_url: joinUrl }] = (await sql<{ join_url: string }>(server, 'SELECT join_url FROM meeting WHERE consultation_id = ?', [video.id])) as [{ join_url: string }];

    const opened = await openPage(browser, 'desktop');
    open.push(opened);
    const { page } = opened;
    await page.goto(new URL('/dashboard', server.graphqlUrl).toString());
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => card(page, failed.id).count(), { timeout: 10_000 }).toBe(1);

    const start = card(page, video.id).getByRole('link', { name: 'Start the meeting' });
    expect(await start.getAttribute('href')).toBe(joinUrl);
    expect(await card(page, phone.id).locator('.meeting').textContent()).toBe(`Call ${PHONE}`);
    expect(await card(page, phone.id).getByRole('link', { name: `Call ${PHONE}` }).getAttribute('href')).toBe('tel:+442079460000');
    expect(await card(page, phone.id).getByRole('link', { name: /meeting/ }).count()).toBe(0);
    expect(await card(page, making.id).locator('.meeting').textContent()).toBe('Link on its way');
    expect(await card(page, failed.id).locator('.meeting').textContent()).toBe('No link: share one with the client');
    expect(await card(page, failed.id).getByRole('link').count()).toBe(0);
    expect(await accessibilityViolations(page)).toEqual([]);
    await screenshot(page, 'dashboard-meetings');
  });
});
