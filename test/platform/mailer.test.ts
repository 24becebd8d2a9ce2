import { randomUUID } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import http from 'node:http';
import { Writable } from 'node:stream';
import express from 'express';
import { pino } from 'pino';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { devMailRouter } from '../../src/platform/dev-mail.route.js';
import { extractLinks, startMailCapture, type CapturedMail, type MailCapture } from '../../src/platform/mail-capture.js';
import { createMailer, maskEmail, type Mailer } from '../../src/platform/mailer.js';

const FROM = 'Serenity <no-reply@serenity.test>';
const logLines: string[] = [];
const logger = pino(
  { level: 'info' },
  new Writable({
    write(chunk: Buffer, _encoding, done) {
      logLines.push(chunk.toString());
      done();
    },
  }),
);

let mailer: Mailer;
let capture: MailCapture;
beforeAll(async () => {
  mailer = await createMailer({ smtpUrl: undefined, from: FROM, logger });
  capture = mailer.capture!;
});
afterAll(() => mailer.close());
beforeEach(() => capture.clear());

describe('mailer without SMTP_URL: in-process capture over real SMTP', () => {
  it('delivers to the capture, parsed, with kind and links', async () => {
    expect(capture.port).toBeGreaterThan(0);
    await mailer.send({
      kind: 'verify-email',
      to: 'Jane.Doe@Acme.test',
      subject: 'Verify your email — Serenity',
      text: 'Hi Jane,\n\nConfirm here: https://app.serenity.test/verify?token=abc123&x=1.\nThanks!',
      html: '<p>Hi Jane, <a href="https://app.serenity.test/verify?token=abc123&amp;x=1">confirm</a> or <a href="https://app.serenity.test/help">get help</a> <a href="mailto:x@y.test">mail</a></p>',
    });
    // send() resolves once the SMTP server accepted, which is after the capture stored it.
    const [mail] = capture.list();
    expect(mail).toMatchObject({
      kind: 'verify-email',
      from: FROM,
      to: ['Jane.Doe@acme.test'], // nodemailer normalizes the domain
      subject: 'Verify your email — Serenity',
      links: ['https://app.serenity.test/verify?token=abc123&x=1', 'https://app.serenity.test/help'],
    });
    expect(mail!.text).toContain('Confirm here: https://app.serenity.test/verify?token=abc123&x=1.');
    expect(mail!.html).toContain('get help');
    expect(mail!.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(Date.now() - Date.parse(mail!.receivedAt)).toBeLessThan(10_000);
  });

  it('logs each send with kind and a masked recipient, never the body', async () => {
    logLines.length = 0;
    await mailer.send({ kind: 'password-reset', to: 'secret.person@acme.test', subject: 'Reset', text: 'token-body-xyz' });
    const entries = logLines.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(entries).toContainEqual(expect.objectContaining({ level: 30, msg: 'mail sent', kind: 'password-reset', to: 's***@acme.test' }));
    expect(logLines.join('\n')).not.toContain('token-body-xyz');
    expect(logLines.join('\n')).not.toContain('secret.person');
    expect(maskEmail('not-an-address')).toBe('***');
  });

  it('a mail without html has html null', async () => {
    await mailer.send({ kind: 'invitation', to: 'a@acme.test', subject: 'Plain', text: 'Join: https://x.test/join' });
    expect(capture.list()[0]).toMatchObject({ html: null, links: ['https://x.test/join'] });
  });

  it('lists newest first and filters by recipient (case-insensitive) and kind', async () => {
    await mailer.send({ kind: 'verify-email', to: 'one@acme.test', subject: 'first', text: '1' });
    await mailer.send({ kind: 'password-reset', to: 'one@acme.test', subject: 'second', text: '2' });
    await mailer.send({ kind: 'verify-email', to: 'two@acme.test', subject: 'third', text: '3' });
    expect(capture.list().map((m) => m.subject)).toEqual(['third', 'second', 'first']);
    expect(capture.list({ to: 'ONE@Acme.test' }).map((m) => m.subject)).toEqual(['second', 'first']);
    expect(capture.list({ kind: 'verify-email' }).map((m) => m.subject)).toEqual(['third', 'first']);
    expect(capture.list({ to: 'one@acme.test', kind: 'verify-email' }).map((m) => m.subject)).toEqual(['first']);
    expect(capture.list({ to: 'nobody@acme.test' })).toEqual([]);
    capture.clear();
    expect(capture.list()).toEqual([]);
  });

  it('waitFor resolves with a mail sent after the call', async () => {
    const waiting = capture.waitFor({ to: 'late@acme.test', kind: 'invitation' }, 5000);
    await mailer.send({ kind: 'verify-email', to: 'late@acme.test', subject: 'not this one', text: 'x' });
    await mailer.send({ kind: 'invitation', to: 'LATE@acme.test', subject: 'this one', text: 'https://x.test/i' });
    await expect(waiting).resolves.toMatchObject({ subject: 'this one', kind: 'invitation' });
  });

  it('waitFor resolves at once with an already captured mail', async () => {
    await mailer.send({ kind: 'invitation', to: 'early@acme.test', subject: 'already here', text: 'x' });
    await expect(capture.waitFor({ to: 'early@acme.test' })).resolves.toMatchObject({ subject: 'already here' });
  });

  it('waitFor times out with a clear message', async () => {
    await mailer.send({ kind: 'verify-email', to: 'someone@acme.test', subject: 'other', text: 'x' });
    const started = Date.now();
    await expect(capture.waitFor({ to: 'ghost@acme.test', kind: 'password-reset' }, 200)).rejects.toThrow(
      /Timed out after 200 ms waiting for a mail of kind "password-reset" to ghost@acme\.test\. Captured 1 other mail\(s\), newest: verify-email to someone@acme\.test: "other"/,
    );
    expect(Date.now() - started).toBeGreaterThanOrEqual(190);
  });

  it('keeps many concurrent sends, each once', async () => {
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => mailer.send({ kind: 'bulk', to: `u${i}@acme.test`, subject: `n${i}`, text: 't' })),
    );
    const subjects = capture.list({ kind: 'bulk' }).map((m) => m.subject);
    expect(subjects).toHaveLength(20);
    expect(new Set(subjects).size).toBe(20);
  });

  it('keeps only the newest 500', async () => {
    for (let batch = 0; batch < 11; batch++) {
      await Promise.all(
        Array.from({ length: 50 }, (_, i) => mailer.send({ kind: 'bulk', to: 'many@acme.test', subject: `#${batch * 50 + i}`, text: 't' })),
      );
    }
    const kept = capture.list();
    expect(kept).toHaveLength(500);
    expect(kept.map((m) => m.subject)).not.toContain('#0');
    expect(kept.map((m) => m.subject)).toContain('#549');
  });
});

describe('mailer with SMTP_URL', () => {
  it('delivers to the configured SMTP server', async () => {
    const remote = await startMailCapture(logger);
    const configured = await createMailer({ smtpUrl: `smtp://127.0.0.1:${remote.port}`, from: FROM, logger });
    try {
      expect(configured.capture).toBeUndefined();
      await configured.send({ kind: 'invitation', to: 'bob@acme.test', subject: 'Join us', text: 'https://x.test/accept' });
      await expect(remote.waitFor({ to: 'bob@acme.test' }, 2000)).resolves.toMatchObject({
        kind: 'invitation',
        from: FROM,
        subject: 'Join us',
        links: ['https://x.test/accept'],
      });
      expect(capture.list()).toEqual([]);
    } finally {
      await configured.close();
      await remote.stop();
    }
  });

  it('send rejects when the SMTP server cannot be reached', async () => {
    const gone = await startMailCapture(logger);
    const port = gone.port;
    await gone.stop();
    const configured = await createMailer({ smtpUrl: `smtp://127.0.0.1:${port}`, from: FROM, logger });
    try {
      await expect(configured.send({ kind: 'x', to: 'a@acme.test', subject: 's', text: 't' })).rejects.toThrow();
    } finally {
      await configured.close();
    }
  });
});

describe('extractLinks', () => {
  it('finds http(s) URLs in text and hrefs, deduplicated, in order, without trailing punctuation', () => {
    expect(
      extractLinks('See https://a.test/x. And (https://b.test/y) or http://c.test/z?q=(1), https://a.test/x', '<a href=\'https://d.test/&#x41;\'>d</a><a href=ftp://e.test>e</a>'),
    ).toEqual(['https://a.test/x', 'https://b.test/y', 'http://c.test/z?q=(1)', 'https://d.test/A']);
  });
});

describe('GET /dev/mail and /dev/mail.json', () => {
  it('/dev/mail/<id>.html serves one mail’s HTML part under a CSP sandbox', async () => {
    await mailer.send({ kind: 'invitation', to: 'html@acme.test', subject: 'HTML', text: 't', html: '<p>Hello <b>there</b></p><script>alert(1)</script>' });
    const mail = capture.list({ to: 'html@acme.test' })[0]!;
    const response = await fetch(`${base}/dev/mail/${mail.id}.html`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    expect(response.headers.get('content-security-policy')).toMatch(/^sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'/);
    expect(await response.text()).toContain('<p>Hello <b>there</b></p>');
    expect((await fetch(`${base}/dev/mail/${randomUUID()}.html`)).status).toBe(404);
  });

  let server: http.Server;
  let base: string;
  beforeAll(async () => {
    const app = express();
    app.use(devMailRouter(capture));
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))));

  const sendTwo = async () => {
    await mailer.send({ kind: 'verify-email', to: 'first@acme.test', subject: 'Welcome', text: 'Hello https://x.test/verify?a=1' });
    await mailer.send({
      kind: 'invitation',
      to: 'second@acme.test',
      subject: 'Hi <script>alert(1)</script>',
      text: 'Body <b>bold</b> https://x.test/accept?a=1&b=2',
      html: '<p>x</p>',
    });
  };

  it('/dev/mail.json lists captured mail newest first, filterable', async () => {
    await sendTwo();
    const response = await fetch(`${base}/dev/mail.json`);
    expect(response.status).toBe(200);
    const list = (await response.json()) as CapturedMail[];
    expect(list.map((m) => m.subject)).toEqual(['Hi <script>alert(1)</script>', 'Welcome']);
    expect(Object.keys(list[0]!).sort()).toEqual(['attachments', 'from', 'html', 'id', 'kind', 'links', 'receivedAt', 'subject', 'text', 'to'].sort());
    expect(list[1]).toMatchObject({ kind: 'verify-email', to: ['first@acme.test'], from: FROM, html: null, links: ['https://x.test/verify?a=1'] });

    const byTo = (await (await fetch(`${base}/dev/mail.json?to=FIRST@acme.test`)).json()) as CapturedMail[];
    expect(byTo.map((m) => m.subject)).toEqual(['Welcome']);
    const byKind = (await (await fetch(`${base}/dev/mail.json?kind=invitation`)).json()) as CapturedMail[];
    expect(byKind.map((m) => m.to)).toEqual([['second@acme.test']]);
  });

  it('/dev/mail shows an HTML page with everything escaped and links clickable', async () => {
    await sendTwo();
    const response = await fetch(`${base}/dev/mail`);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toContain('text/html');
    const page = await response.text();
    expect(page).not.toContain('<script>');
    expect(page).toContain('Hi &#60;script&#62;alert(1)&#60;/script&#62;');
    expect(page).toContain('Body &#60;b&#62;bold&#60;/b&#62;');
    expect(page).toContain('<a href="https://x.test/accept?a=1&#38;b=2" rel="noreferrer">');
    expect(page).toContain('<a href="https://x.test/verify?a=1" rel="noreferrer">');
    expect(page).toContain('second@acme.test');
    expect(page.indexOf('Hi &#60;script')).toBeLessThan(page.indexOf('Welcome'));

    // The HTML part shows in a sandboxed frame of its own route, never inline in the page.
    const withHtml = capture.list({ kind: 'invitation' })[0]!;
    expect(page).toContain(`<iframe src="/dev/mail/${withHtml.id}.html" sandbox="allow-popups allow-popups-to-escape-sandbox"`);
    expect(page).not.toContain('<p>x</p>');
    expect(response.headers.get('content-security-policy')).toContain("frame-src 'self'");

    const filtered = await (await fetch(`${base}/dev/mail?kind=verify-email`)).text();
    expect(filtered).toContain('Welcome');
    expect(filtered).not.toContain('alert(1)');
  });

  it('carries attachments and a calendar invitation, to several recipients; /dev/mail lists them and serves each as a download', async () => {
    const pdf = Buffer.from('%PDF-1.4\n% a tiny test file\n');
    const ics = ['BEGIN:VCALENDAR', 'VERSION:2.0', 'PRODID:-//Serenity//Test//EN', 'METHOD:REQUEST', 'BEGIN:VEVENT', 'UID:x@serenity.test', 'DTSTAMP:20261201T120000Z', 'DTSTART:20261203T100000Z', 'DTEND:20261203T110000Z', 'SUMMARY:Test', 'END:VEVENT', 'END:VCALENDAR', ''].join('\r\n');
    await mailer.send({
      kind: 'payment-confirmed',
      to: ['owner@acme.test', 'Billing@Acme.test'],
      subject: 'Files',
      text: 'See attached.',
      attachments: [{ filename: 'INV-2026-000001.pdf', contentType: 'application/pdf', content: pdf }],
      calendar: { method: 'REQUEST', content: ics },
    });
    const mail = capture.list({ kind: 'payment-confirmed' })[0]!;
    expect(mail.to.map((a) => a.toLowerCase()).sort()).toEqual(['billing@acme.test', 'owner@acme.test']);
    const file = mail.attachments.find((a) => a.filename === 'INV-2026-000001.pdf')!;
    expect(file).toMatchObject({ contentType: 'application/pdf', size: pdf.length, method: null });
    expect(file.content.equals(pdf)).toBe(true);
    const invite = mail.attachments.find((a) => a.contentType === 'text/calendar')!;
    expect(invite.method).toBe('REQUEST');
    expect(invite.content.toString('utf8')).toContain('UID:x@serenity.test');

    const [listed] = (await (await fetch(`${base}/dev/mail.json?kind=payment-confirmed`)).json()) as Array<{ attachments: Array<{ filename: string | null; contentType: string; size: number; method: string | null; url: string }> }>;
    const listedPdf = listed!.attachments.find((a) => a.filename === 'INV-2026-000001.pdf')!;
    expect(listedPdf).toMatchObject({ contentType: 'application/pdf', size: pdf.length });
    const download = await fetch(`${base}${listedPdf.url}`);
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe('application/pdf');
    expect(download.headers.get('content-disposition')).toMatch(/^attachment; filename="?INV-2026-000001\.pdf"?$/);
    expect(Buffer.from(await download.arrayBuffer()).equals(pdf)).toBe(true);
    expect((await fetch(`${base}/dev/mail/${mail.id}/attachments/99`)).status).toBe(404);
    expect((await fetch(`${base}/dev/mail/${mail.id}/attachments/x`)).status).toBe(404);

    const page = await (await fetch(`${base}/dev/mail?kind=payment-confirmed`)).text();
    expect(page).toContain(`<a href="/dev/mail/${mail.id}/attachments/`);
    expect(page).toContain('INV-2026-000001.pdf');
    expect(page).toContain('METHOD REQUEST');
  });

  it('a mail needs a recipient', async () => {
    await expect(mailer.send({ kind: 'x', to: [], subject: 's', text: 't' })).rejects.toThrow('at least one recipient');
  });
});
