import type { EntityManager } from '@mikro-orm/postgresql';
import { readBalance } from '../credits/balance.js';
import type { CreditBalance, CreditsChange, DomainEventHandler, DomainEventHandlers } from '../platform/events.js';
import { query } from '../platform/sql.js';
import { disarmedLowCredit, disarmLowCredit, lotGrantors, rearmLowCredit, subscriptionBuyer } from './credit-messages.sql.js';
import { aboveLine, amountOf, balanceDelta, crossedDown, expiryWarnings, grantedKinds, loweredKinds, type BalanceKind } from './credit-rules.js';
import { MessageKind, SubjectType } from './notification.enums.js';
import { enqueueOrganizationMessage } from './organization-messages.js';

/**
 * credits.changed → the credit messages, in the movement's own transaction (credit-rules.ts
 * decides): the free trial's welcome and a lot's two expiry warnings (due 7 days and 1 day
 * before it expires) at its grant, what an expiry took, and low credit. Cheap where it runs
 * inside every booking: a reservation carries the balance after, so unless it crosses the line
 * nothing is read; a consumption or a release reads nothing at all.
 */
export const creditMessages: DomainEventHandler<'credits.changed'> = async (change, em) => {
  const memberIds = change.actorId ? [change.actorId] : [];
  const base = { organizationId: change.organizationId, memberIds };
  const expired: Array<{ lotId: string; units: number }> = [];
  for (const m of change.movements) {
    const subject = { type: SubjectType.CREDIT_LOT, id: m.lotId };
    if (m.type === 'GRANT') {
      if (m.source === 'FREE_TRIAL') await enqueueOrganizationMessage(em, { ...base, subject, kind: MessageKind.FREE_TRIAL_GRANTED }, change.at);
      for (const warning of expiryWarnings(m.expiresAt, change.at)) {
        await enqueueOrganizationMessage(em, { ...base, subject, kind: warning.kind, dueAt: warning.dueAt, payload: { expiresAt: m.expiresAt.toISOString() } }, change.at);
      }
    } else if (m.type === 'EXPIRE' && m.units > 0) expired.push({ lotId: m.lotId, units: m.units });
  }
  if (expired.length) await tellExpired(em, change, expired);
  await lowCredit(em, change);
};

/** CREDITS_EXPIRED per lot: to the owners and whoever got the lot (its grant's actor, a member); a release after the date is its own occurrence. */
async function tellExpired(em: EntityManager, change: CreditsChange, expired: ReadonlyArray<{ lotId: string; units: number }>): Promise<void> {
  const grantors = await query<{ lot_id: string; actor_id: string }>(em, lotGrantors(expired.map((e) => e.lotId)));
  for (const { lotId, units } of expired) {
    const memberIds = [...new Set([...grantors.filter((g) => g.lot_id === lotId).map((g) => g.actor_id), ...(change.actorId ? [change.actorId] : [])])];
    await enqueueOrganizationMessage(
      em,
      {
        subject: { type: SubjectType.CREDIT_LOT, id: lotId },
        kind: MessageKind.CREDITS_EXPIRED,
        organizationId: change.organizationId,
        memberIds,
        occurrence: change.consultationId ?? '',
        payload: { units },
      },
      change.at,
    );
  }
}

/**
 * LOW_CREDIT once per crossing (credit-rules.ts), re-armed by grants: the alert's row is locked
 * by whichever movement disarms it first, so concurrent bookings of one organization send one.
 */
async function lowCredit(em: EntityManager, change: CreditsChange): Promise<void> {
  const lowered = loweredKinds(change);
  const granted = grantedKinds(change);
  if (lowered.length === 0 && granted.length === 0) return;
  const delta = balanceDelta(change);
  let balance: CreditBalance | undefined = change.balance;
  const after = async (kind: BalanceKind) => amountOf((balance ??= await readBalance(em, change.organizationId, change.at)), kind);

  for (const kind of lowered) {
    const now = await after(kind);
    if (!crossedDown(kind, now, delta[kind] ?? 0)) continue;
    const [disarmed] = await query<{ crossings: number }>(em, disarmLowCredit(change.organizationId, kind, change.at));
    if (!disarmed) continue;
    await enqueueOrganizationMessage(
      em,
      {
        subject: { type: SubjectType.ORGANIZATION, id: change.organizationId },
        kind: MessageKind.LOW_CREDIT,
        organizationId: change.organizationId,
        memberIds: change.actorId ? [change.actorId] : [],
        occurrence: `${kind}-${disarmed.crossings}`,
        payload: { balanceKind: kind, left: now },
      },
      change.at,
    );
  }
  if (granted.length === 0) return;
  const waiting = (await query<{ kind: BalanceKind }>(em, disarmedLowCredit(change.organizationId, granted))).map((r) => r.kind);
  const rearm: BalanceKind[] = [];
  for (const kind of waiting) if (aboveLine(kind, await after(kind))) rearm.push(kind);
  if (rearm.length) await query(em, rearmLowCredit(change.organizationId, rearm, change.at));
}

/** The subscription's buyer, besides the owners. */
async function buyerOf(em: EntityManager, subscriptionId: string): Promise<string[]> {
  const [row] = await query<{ buyer_id: string | null }>(em, subscriptionBuyer(subscriptionId));
  return row?.buyer_id ? [row.buyer_id] : [];
}

export const subscriptionRenewalUpcoming: DomainEventHandler<'subscription.renewal-upcoming'> = async ({ subscriptionId, organizationId, renewsAt }, em) => {
  await enqueueOrganizationMessage(em, {
    subject: { type: SubjectType.SUBSCRIPTION, id: subscriptionId },
    kind: MessageKind.SUBSCRIPTION_RENEWAL_UPCOMING,
    organizationId,
    memberIds: await buyerOf(em, subscriptionId),
    occurrence: renewsAt.toISOString(),
    payload: { renewsAt: renewsAt.toISOString() },
  });
};

export const subscriptionPaymentFailed: DomainEventHandler<'subscription.payment-failed'> = async ({ subscriptionId, organizationId, status, stripeInvoiceId, at }, em) => {
  await enqueueOrganizationMessage(
    em,
    {
      subject: { type: SubjectType.SUBSCRIPTION, id: subscriptionId },
      kind: MessageKind.SUBSCRIPTION_PAYMENT_FAILED,
      organizationId,
      memberIds: await buyerOf(em, subscriptionId),
      occurrence: stripeInvoiceId ?? at.toISOString(),
      payload: { status, stripeInvoiceId },
    },
    at,
  );
};

/** The credit and subscription messages' handlers (notifications/index.ts joins them to the module's). */
export const creditMessageHandlers: DomainEventHandlers = {
  'credits.changed': [creditMessages],
  'subscription.renewal-upcoming': [subscriptionRenewalUpcoming],
  'subscription.payment-failed': [subscriptionPaymentFailed],
};
