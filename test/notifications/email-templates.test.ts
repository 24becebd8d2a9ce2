/**
 * Every email template compiles under MJML's strict validation and renders its sample with the
 * facts it must state — names, the local time with its zone, the meeting link, whether the
 * credit came back — in the HTML and in the plain text; values are escaped in the HTML.
 */
import { mkdtempSync, writeFileSync, cpSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Handlebars from 'handlebars';
import { beforeAll, describe, expect, it } from 'vitest';
import { compileEmailTemplates, EMAILS_DIR, type EmailTemplates } from '../../src/platform/email-templates.js';
import { CONSULTATION_TEMPLATE_NAMES, EMAIL_SAMPLES } from '../../scripts/email-samples.js';
import { consultationContent } from '../../src/notifications/consultation-content.js';
import { MessageKind, RecipientSide } from '../../src/notifications/notification.enums.js';

let templates: EmailTemplates;
beforeAll(async () => {
  templates = await compileEmailTemplates();
});

describe('the email templates', () => {
  it('has one sample per template, and a template for every (kind, side) the rules send', () => {
    expect(new Set(EMAIL_SAMPLES.map((s) => s.template))).toEqual(new Set(templates.names));
    expect([...CONSULTATION_TEMPLATE_NAMES].sort()).toEqual(templates.names.filter((n) => n.includes('.')));
  });

  it.each(EMAIL_SAMPLES.map((s) => [s.name, s] as const))('%s states its facts in HTML and text', (_name, sample) => {
    const { html, text } = templates.render(sample.template, sample.data);
    expect(html).toMatch(/^<!doctype html>/i);
    expect(html).toContain(`<title>${Handlebars.Utils.escapeExpression(sample.subject)}</title>`);
    for (const fact of sample.facts) {
      expect(text, `text of ${sample.name}`).toContain(fact);
      expect(html, `HTML of ${sample.name}`).toContain(Handlebars.Utils.escapeExpression(fact));
    }
    expect(text).not.toMatch(/\{\{|\}\}|&amp;|&#x27;/);
    expect(text).not.toMatch(/\n\n\n/);
  });

  it('leaves the meeting line to the provider when there is no link, and shows no link then', () => {
    const sample = EMAIL_SAMPLES.find((s) => s.name === 'booking-confirmed.client-no-meeting-link')!;
    const { html, text } = templates.render(sample.template, sample.data);
    expect(text).toMatch(/Meeting: +Zoom/);
    expect(html).not.toContain('zoom.us');
    expect(text).not.toContain('Also:');
  });

  it('says whether the credit came back', () => {
    const back = EMAIL_SAMPLES.find((s) => s.name === 'consultation-cancelled.client')!;
    const used = EMAIL_SAMPLES.find((s) => s.name === 'consultation-cancelled.client-late')!;
    expect(back.data.creditBack).toBe(true);
    expect(used.data.creditBack).toBe(false);
    expect(templates.render(used.template, used.data).text).not.toContain('is back');
  });

  it('the credit and subscription emails label their facts: what was lost, what is left, what to do', () => {
    const text = (name: string) => {
      const sample = EMAIL_SAMPLES.find((s) => s.name === name)!;
      return templates.render(sample.template, sample.data).text;
    };
    expect(text('credits-expired')).toMatch(/^Lost: 2 sessions of up to 60 minutes$/m);
    expect(text('credits-expired')).toMatch(/^Expired: Tue 8 Dec 2026, 09:30 \(Europe\/London\)$/m);
    expect(text('credits-expired')).toMatch(/^Left to book with: 2 sessions and 90 minutes$/m);
    expect(text('low-credit-time')).toMatch(/^Left to book with: 60 minutes$/m);
    expect(text('credits-expiring-7d')).toMatch(/^Expiring: 3 sessions of up to 60 minutes$/m);
    expect(text('subscription-payment-failed')).toMatch(/^Status: PAST_DUE$/m);
    expect(text('subscription-payment-failed')).toMatch(/^Update payment: https:\/\/app\.serenity\.example\/billing$/m);
    expect(text('subscription-renewal-upcoming')).toMatch(/^Renews: Fri 15 Jan 2027, 12:00 \(Europe\/London\)$/m);
  });

  it('escapes what people typed in the HTML, and never shows a non-http meeting link', () => {
    const content = consultationContent({
      kind: MessageKind.BOOKING_CONFIRMED,
      side: RecipientSide.CLIENT,
      publicUrl: 'https://app.test',
      recipient: { name: '<b>Eve</b>', zone: 'Europe/London' },
      consultation: { id: 'x', code: 'C', purpose: '<script>alert(1)</script>', start: new Date('2026-12-08T14:00:00Z'), end: new Date('2026-12-08T15:00:00Z'), clientName: 'Eve', consultantName: 'Sam', organizationName: 'O', attendeeNames: [], meetingProvider: 'ZOOM', meeting: { status: 'READY', joinUrl: 'javascript:alert(1)', passcode: null, dialIn: null }, paymentMethod: 'CREDITS', creditState: 'HELD', usedFreeTrial: false, fee: null, feeRefunded: false, cancelledByName: null, cancellationReason: null, actualDurationMinutes: null, outcomes: null, deliverables: [], actionItems: [], nextSteps: null, suggestedStarts: [], rescheduleReason: null, creditsLeft: null },
      previous: null,
    });
    const { html, text } = templates.render(content.template, content.data);
    expect(html).not.toContain('<script>alert(1)');
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<b>Eve</b>');
    expect(html).not.toContain('javascript:');
    expect(text).toContain('Hello <b>Eve</b>');
  });

  it('refuses a template that MJML’s strict validation rejects, naming it', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'serenity-emails-'));
    cpSync(EMAILS_DIR, dir, { recursive: true });
    writeFileSync(path.join(dir, 'broken.mjml'), '<mj-section><mj-column><mj-text colour="red">x</mj-text></mj-column></mj-section>');
    writeFileSync(path.join(dir, 'broken.txt'), 'x');
    await expect(compileEmailTemplates(dir)).rejects.toThrow(/Email template broken: .*Attribute colour is illegal/s);
  });

  it('refuses data missing a field the template names (no email with a hole in it)', () => {
    expect(() => templates.render('verify-email', { publicUrl: 'https://x.test', subject: 's', preview: 'p', firstName: 'Jo' })).toThrow(/url/);
  });
});
