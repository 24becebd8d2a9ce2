/**
 * The credit and subscription messages end to end on a real PostgreSQL: credit movements
 * through CreditsService with the app's own handlers decide the outbox rows in their
 * transaction, and real dispatchers send them from the templates into a real SMTP capture.
 */
import { randomUUID } from 'node:crypto';
import { pino } from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { Package } from '../../src/catalog/package.entity.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { Membership, Organization } from '../../src/identity/organization.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { EVENT_HANDLERS } from '../../src/modules.js';
import { deliveryChannels } from '../../src/notifications/channels.js';
import { composeMessage } from '../../src/notifications/compose.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { createDispatcher } from '../../src/notifications/dispatcher.js';
import { notificationWanted } from '../../src/notifications/preferences.js';
import { messageRelevant } from '../../src/notifications/relevance.js';
import { BillingSubscription } from '../../src/payments/payment.entity.js';
import { remindRenewals } from '../../src/payments/subscription.service.js';
import type { EntityManager } from '../../src/platform/db.js';
import { DomainEvents } from '../../src/platform/events.js';
import { startMailCapture, type MailCapture } from '../../src/platform/mail-capture.js';
import { createMailer, type Mailer } from '../../src/platform/mailer.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

const logger = pino({ level: 'silent' });
const DAY = 86_400_000;
const events = new DomainEvents(EVENT_HANDLERS);
let harness: ServiceHarness;
let capture: MailCapture;
let mailer: Mailer;

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
  capture = await startMailCapture(logger);
  mailer = await createMailer({ smtpUrl: `smtp://127.0.0.1:${capture.port}`, from: 'Serenity <no-reply@serenity.local>', logger });
});
afterAll(async () => {
  await mailer?.close();
  await capture?.stop();
  await harness?.stop();
});

const em = (): EntityManager => harness.acrossTenants();
const dispatcher = () =>
  createDispatcher({
    fork: em,
    compose: composeMessage,
    relevant: messageRelevant,
    wanted: notificationWanted,
    channels: deliveryChannels(mailer, events),
    publicUrl: 'https://app.serenity.test',
    logger,
    leaseMs: 60_000,
  });
/** Two dispatchers at once, at `now`, as two workers would run. */
const dispatchTwice = (now: Date) => Promise.all([dispatcher().dispatchDue(now), dispatcher().dispatchDue(now)]);

interface Org {
  id: string;
  owner: User;
  member: User;
}

/** An organization with an owner (New York) and a member (Tokyo). */
async function organization(): Promise<Org> {
  const fork = em();
  const tag = randomUUID().slice(0, 8);
  const org = fork.create(Organization, { name: `Acme ${tag}`, type: 'COMPANY' });
  const owner = fork.create(User, { email: `owner-${tag}@acme.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Olive', lastName: 'Owner', timeZone: 'America/New_York' });
  const member = fork.create(User, { email: `member-${tag}@acme.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Mika', lastName: 'Member', timeZone: 'Asia/Tokyo' });
  fork.create(Membership, { organization: org, user: owner, role: 'OWNER' });
  fork.create(Membership, { organization: org, user: member, role: 'MEMBER' });
  await fork.flush();
  return { id: org.id, owner, member };
}

const credits = <T>(run: (service: CreditsService) => Promise<T>) => em().transactional((tx) => run(new CreditsService(tx, events)));
const grant = (org: Org, units: number, options: { days?: number; kind?: 'SESSION' | 'TIME'; actorId?: string } = {}) =>
  credits((c) => c.grant({ organizationId: org.id, source: 'PURCHASE', kind: options.kind ?? 'SESSION', units, sessionMinutes: 60, allowedBlockMinutes: [60], expiresAt: new Date(Date.now() + (options.days ?? 90) * DAY), actorId: options.actorId ?? org.owner.id }));
const reserve = (org: Org, consultationId = randomUUID(), minutes = 60) =>
  credits((c) => c.reserve({ organizationId: org.id, consultationId, durationMinutes: minutes, sessionStart: new Date(Date.now() + DAY), sessionEnd: new Date(Date.now() + DAY + minutes * 60_000), memberId: org.member.id, actorId: org.member.id })).then(() => consultationId);

/** The organization's deliveries of `kind`, as [who, channel, occurrence, status]. */
async function deliveries(org: Org, kind: string, subjectId?: string): Promise<string[][]> {
  const rows = await em().find(NotificationDelivery, { organizationId: org.id, kind: kind as never, ...(subjectId ? { subjectId } : {}) }, { orderBy: { createdAt: 'asc' } });
  const who = (d: NotificationDelivery) => (d.recipientUserId === org.owner.id ? 'owner' : d.recipientUserId === org.member.id ? 'member' : String(d.recipientKey));
  return rows.map((d) => [who(d), d.channel, d.occurrence, d.status]).sort((a, b) => a.join().localeCompare(b.join()));
}
const occurrences = async (org: Org, kind: string) => [...new Set((await deliveries(org, kind)).map(([, , occurrence]) => occurrence))];
const mails = (to: string, kind: string) => capture.list({ to, kind });

describe('low credit', () => {
  it('fires once per crossing below 3 sessions, to the owners and the member whose booking crossed; a release does not re-arm it, a purchase does', async () => {
    const org = await organization();
    await grant(org, 4);
    await reserve(org); // 3 left: at the line, not under it
    expect(await deliveries(org, 'LOW_CREDIT')).toEqual([]);
    const crossing = await reserve(org); // 2 left: crossed
    expect(await deliveries(org, 'LOW_CREDIT')).toEqual([
      ['member', 'EMAIL', 'SESSION-1', 'PENDING'],
      ['member', 'IN_APP', 'SESSION-1', 'PENDING'],
      ['owner', 'EMAIL', 'SESSION-1', 'PENDING'],
      ['owner', 'IN_APP', 'SESSION-1', 'PENDING'],
    ]);
    await reserve(org); // 1 left: still under, no new crossing
    // Cancelling gives a credit back (2, then 3): around the line again, but no grant, so no new alert.
    await credits((c) => c.release(crossing));
    const another = await reserve(org);
    await credits((c) => c.release(another));
    await reserve(org);
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual(['SESSION-1']);

    // A purchase lifts the balance over the line: re-armed; the next crossing alerts again.
    await grant(org, 4, { actorId: org.owner.id });
    for (let i = 0; i < 2; i++) await reserve(org); // 5 → 3
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual(['SESSION-1']);
    await reserve(org); // 3 → 2
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual(['SESSION-1', 'SESSION-2']);

    await dispatchTwice(new Date());
    const mail = mails(org.owner.email, 'low-credit');
    expect(mail).toHaveLength(2);
    expect(mail[0]!.text).toMatch(/has fewer than 3 sessions left to book with/);
    expect(mail[0]!.text).toMatch(/^Left to book with: 2 sessions$/m);
    expect(mail[0]!.links).toContain('https://app.serenity.test/packages');
    expect(mails(org.member.email, 'low-credit')).toHaveLength(2);
  });

  it('TIME credits have their own line, under 120 minutes', async () => {
    const org = await organization();
    await grant(org, 5, { kind: 'SESSION' });
    await grant(org, 180, { kind: 'TIME' });
    await reserve(org, randomUUID(), 60);
    // The 60-minute session drew on the SESSION lot: the TIME balance did not move.
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual([]);
    const [timeLot] = await em().getConnection().execute<{ id: string }[]>(`SELECT id FROM credit_lot WHERE organization_id = ? AND kind = 'TIME'`, [org.id]);
    await credits((c) => c.adjust(timeLot!.id, -90, org.owner.id, 'Correction'));
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual(['TIME-1']);
  });

  it('concurrent movements that each see the crossing send it once (the alert row is locked)', async () => {
    const org = await organization();
    // Two lots of 2: revoking both at once, each transaction sees only its own revoke (4 → 2) and a crossing.
    const [a, b] = [await grant(org, 2), await grant(org, 2)];
    await Promise.all([a, b].map((lot) => credits((c) => c.revokeUnused(lot.id, { actorId: null, reason: 'Refund' }))));
    expect(await occurrences(org, 'LOW_CREDIT')).toEqual(['SESSION-1']);
    expect((await deliveries(org, 'LOW_CREDIT')).filter(([who, channel]) => who === 'owner' && channel === 'EMAIL')).toHaveLength(1);

    // Ten bookings racing down from 6: one crossing, one alert.
    const busy = await organization();
    await grant(busy, 6);
    await Promise.allSettled(Array.from({ length: 10 }, () => reserve(busy)));
    expect(await occurrences(busy, 'LOW_CREDIT')).toEqual(['SESSION-1']);
  });
});

describe('expiry warnings', () => {
  it('7 days and 1 day before a lot expires, each once per lot even with two dispatchers, in the reader’s zone', async () => {
    const org = await organization();
    // The member bought it: they hear of it with the owners.
    const lot = await grant(org, 3, { days: 10, actorId: org.member.id });
    const due = (await em().find(NotificationDelivery, { subjectId: lot.id, channel: 'EMAIL', recipientUserId: org.owner.id })).map((d) => [d.kind, d.dueAt.getTime()]).sort();
    expect(due).toEqual([
      ['CREDITS_EXPIRING_1D', lot.expiresAt.getTime() - DAY],
      ['CREDITS_EXPIRING_7D', lot.expiresAt.getTime() - 7 * DAY],
    ]);
    await dispatchTwice(new Date(lot.expiresAt.getTime() - 8 * DAY));
    expect(mails(org.owner.email, 'credits-expiring-7d')).toHaveLength(0);
    await dispatchTwice(new Date(lot.expiresAt.getTime() - 7 * DAY + 60_000));
    await dispatchTwice(new Date(lot.expiresAt.getTime() - 7 * DAY + 120_000));
    const week = mails(org.owner.email, 'credits-expiring-7d');
    expect(week).toHaveLength(1);
    expect(week[0]!.subject).toMatch(/^Acme [0-9a-f]{8}: 3 credits expire in 7 days$/);
    expect(week[0]!.text).toContain('3 sessions of up to 60 minutes expire in 7 days, on ');
    expect(week[0]!.text).toMatch(/\(America\/New_York\)/);
    expect(mails(org.member.email, 'credits-expiring-7d')[0]!.text).toMatch(/\(Asia\/Tokyo\)/);
    await dispatchTwice(new Date(lot.expiresAt.getTime() - DAY + 60_000));
    await dispatchTwice(new Date(lot.expiresAt.getTime() - DAY + 120_000));
    expect(mails(org.owner.email, 'credits-expiring-1d')).toHaveLength(1);
    expect(mails(org.member.email, 'credits-expiring-1d')).toHaveLength(1);
  });

  it('a lot used up before its warning gets none (SKIPPED); a lot valid for 5 days gets only the 1-day one', async () => {
    const org = await organization();
    const lot = await grant(org, 1, { days: 10 });
    const booked = await reserve(org);
    await credits((c) => c.consume(booked));
    await dispatchTwice(new Date(lot.expiresAt.getTime() - 7 * DAY + 60_000));
    await dispatchTwice(new Date(lot.expiresAt.getTime() - DAY + 60_000));
    expect(mails(org.owner.email, 'credits-expiring-7d')).toEqual([]);
    expect(mails(org.owner.email, 'credits-expiring-1d')).toEqual([]);
    const statuses = (await deliveries(org, 'CREDITS_EXPIRING_7D', lot.id)).concat(await deliveries(org, 'CREDITS_EXPIRING_1D', lot.id)).map(([, , , status]) => status);
    expect(new Set(statuses)).toEqual(new Set(['SKIPPED']));

    const short = await grant(org, 2, { days: 5 });
    expect((await em().find(NotificationDelivery, { subjectId: short.id })).map((d) => d.kind).sort()).toEqual(Array(2).fill('CREDITS_EXPIRING_1D'));
  });
});

describe('credits expired', () => {
  it('says what was lost (the unused credits, not those held by a booking) and what is left', async () => {
    const org = await organization();
    const lot = await grant(org, 3, { days: 2 });
    await grant(org, 5, { days: 90 });
    await reserve(org); // draws on the soonest expiry: the 2-day lot keeps 2 free
    await em().transactional((tx) => new CreditsService(tx, events).expireLots(new Date(Date.now() + 3 * DAY)));
    expect(await deliveries(org, 'CREDITS_EXPIRED', lot.id)).toEqual([
      ['owner', 'EMAIL', '', 'PENDING'],
      ['owner', 'IN_APP', '', 'PENDING'],
    ]);
    // The sweep ran "at" that moment: so does the dispatch.
    await dispatchTwice(new Date(Date.now() + 3 * DAY));
    const [mail] = mails(org.owner.email, 'credits-expired');
    expect(mail!.subject).toMatch(/^Acme [0-9a-f]{8}: 2 credits expired unused$/);
    expect(mail!.text).toMatch(/^Lost: 2 sessions of up to 60 minutes$/m);
    expect(mail!.text).toMatch(/^Left to book with: 5 sessions$/m);
    expect(mail!.text).toContain('Credits held by booked sessions were kept.');
  });
});

describe('free trial', () => {
  it('welcomes the verified user and the owners with the trial’s length and validity', async () => {
    const org = await organization();
    const lot = (await credits((c) => c.grantFreeTrial(org.id, org.member.id)))!;
    expect((await deliveries(org, 'FREE_TRIAL_GRANTED', lot.id)).map(([who, channel]) => `${who} ${channel}`)).toEqual(['member EMAIL', 'member IN_APP', 'owner EMAIL', 'owner IN_APP']);
    await dispatchTwice(new Date());
    const [mail] = mails(org.member.email, 'free-trial-granted');
    expect(mail!.text).toContain('free 15-minute session');
    expect(mail!.text).toMatch(/^Valid until: .*\(Asia\/Tokyo\)$/m);
  });
});

describe('subscription messages', () => {
  async function subscription(org: Org, changes: Partial<BillingSubscription> = {}): Promise<BillingSubscription> {
    const fork = em();
    const pkg = await fork.findOneOrFail(Package, { code: 'PKG-QUARTERLY-ADVISORY' });
    const row = fork.create(BillingSubscription, {
      organization: org.id,
      package: pkg,
      buyer: org.member.id,
      status: 'ACTIVE',
      amount: { amount: pkg.price.amount, currency: pkg.price.currency },
      currentPeriodEnd: new Date(Date.now() + 5 * DAY),
      createdAt: new Date(),
      ...changes,
    });
    await fork.flush();
    return row;
  }

  it('the renewal reminder goes to the owners and the buyer, once per renewal, with the date, the amount and how to stop it', async () => {
    const org = await organization();
    const row = await subscription(org);
    await remindRenewals(em(), events, new Date());
    await remindRenewals(em(), events, new Date());
    expect((await deliveries(org, 'SUBSCRIPTION_RENEWAL_UPCOMING', row.id)).map(([who, channel, occurrence]) => `${who} ${channel} ${occurrence}`)).toEqual(
      ['member EMAIL', 'member IN_APP', 'owner EMAIL', 'owner IN_APP'].map((w) => `${w} ${row.currentPeriodEnd!.toISOString()}`),
    );
    await dispatchTwice(new Date());
    const [mail] = mails(org.owner.email, 'subscription-renewal-upcoming');
    expect(mail!.subject).toMatch(/^Acme [0-9a-f]{8}: Quarterly Advisory Retainer renews on .*\(America\/New_York\)$/);
    expect(mail!.text).toMatch(/^Amount: USD \d+\.\d\d$/m);
    expect(mail!.text).toContain('cancels it before then');
    expect(mails(org.member.email, 'subscription-renewal-upcoming')).toHaveLength(1);
  });

  it('a failed renewal payment says PAST_DUE and what to do, once per Stripe invoice; not once the subscription is paid again', async () => {
    const org = await organization();
    const row = await subscription(org, { status: 'PAST_DUE' });
    const failed = { subscriptionId: row.id, organizationId: org.id, status: 'PAST_DUE', stripeInvoiceId: 'in_test_1', at: new Date() };
    await em().transactional((tx) => events.emit('subscription.payment-failed', failed, tx));
    await em().transactional((tx) => events.emit('subscription.payment-failed', failed, tx));
    expect(await occurrences(org, 'SUBSCRIPTION_PAYMENT_FAILED')).toEqual(['in_test_1']);
    await dispatchTwice(new Date());
    const [mail] = mails(org.member.email, 'subscription-payment-failed');
    expect(mail!.text).toMatch(/^Status: PAST_DUE$/m);
    expect(mail!.text).toContain('update the card on file, or pay the open invoice');
    expect(mails(org.owner.email, 'subscription-payment-failed')).toHaveLength(1);

    // A second failure, but paid before it went out: skipped.
    await em().transactional((tx) => events.emit('subscription.payment-failed', { ...failed, stripeInvoiceId: 'in_test_2' }, tx));
    await em().nativeUpdate(BillingSubscription, { id: row.id }, { status: 'ACTIVE' });
    await dispatchTwice(new Date());
    expect(mails(org.owner.email, 'subscription-payment-failed')).toHaveLength(1);
  });
});
