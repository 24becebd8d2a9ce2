/**
 * The composers of the credit and subscription messages (compose.ts's COMPOSERS): a delivery row
 * → the facts credit-content.ts words, read when the message goes. Null (→ SKIPPED) when the lot
 * or subscription is gone or the recipient no longer belongs to the organization.
 */
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { readBalance } from '../credits/balance.js';
import { CreditLot } from '../credits/credit-lot.entity.js';
import { Membership, Organization } from '../identity/organization.entity.js';
import { User } from '../identity/user.entity.js';
import { BillingSubscription } from '../payments/payment.entity.js';
import type { EntityManager } from '../platform/db.js';
import { emailTemplates } from '../platform/email-templates.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { creditMessageContent, creditsOf, type CreditMessageFacts } from './credit-content.js';
import type { BalanceKind } from './credit-rules.js';
import type { NotificationDelivery } from './delivery.entity.js';
import type { ComposedMessage } from './dispatch.types.js';
import type { SubjectComposer } from './compose.js';

/** The recipient as a member of the organization (their name and zone); null when they are not one any more. */
async function recipientIn(em: EntityManager, delivery: NotificationDelivery, organizationId: string): Promise<CreditMessageFacts['recipient'] | null> {
  if (!delivery.recipientUserId) return delivery.recipientEmail ? { name: delivery.recipientEmail, zone: 'UTC' } : null;
  const membership = await em.findOne(Membership, { organization: organizationId, user: delivery.recipientUserId }, { ...ACROSS_TENANTS, populate: ['user'] });
  const user: User | undefined = membership?.user;
  return user ? { name: user.displayName, zone: user.timeZone } : null;
}

async function render(facts: CreditMessageFacts): Promise<ComposedMessage> {
  const content = creditMessageContent(facts);
  const { html, text } = (await emailTemplates()).render(content.template, content.data);
  return { subject: content.subject, html, text, inApp: content.inApp };
}

export const composeCreditLotMessage: SubjectComposer = async (em, delivery, publicUrl) => {
  const lot = await em.findOne(CreditLot, { id: delivery.subjectId }, { ...ACROSS_TENANTS, populate: ['organization', 'package'] });
  if (!lot) return null;
  const recipient = await recipientIn(em, delivery, lot.organization.id);
  if (!recipient) return null;
  const lost = Number(delivery.payload?.units ?? lot.expired);
  return render({
    kind: delivery.kind,
    publicUrl,
    recipient,
    organizationName: lot.organization.name,
    balance: await readBalance(em, lot.organization.id, new Date()),
    lot: {
      packageName: lot.package?.name ?? null,
      source: lot.source,
      kind: lot.kind === CreditLotKind.TIME ? 'TIME' : 'SESSION',
      sessionMinutes: lot.sessionMinutes,
      available: lot.available,
      grantedAt: lot.grantedAt,
      expiresAt: lot.expiresAt,
    },
    lost,
  });
};

export const composeOrganizationMessage: SubjectComposer = async (em, delivery, publicUrl) => {
  const organization = await em.findOne(Organization, { id: delivery.subjectId }, ACROSS_TENANTS);
  if (!organization) return null;
  const recipient = await recipientIn(em, delivery, organization.id);
  if (!recipient) return null;
  const balanceKind: BalanceKind = delivery.payload?.balanceKind === 'TIME' ? 'TIME' : 'SESSION';
  return render({ kind: delivery.kind, publicUrl, recipient, organizationName: organization.name, balance: await readBalance(em, organization.id, new Date()), balanceKind });
};

export const composeSubscriptionMessage: SubjectComposer = async (em, delivery, publicUrl) => {
  const subscription = await em.findOne(BillingSubscription, { id: delivery.subjectId }, { ...ACROSS_TENANTS, populate: ['organization'] });
  if (!subscription) return null;
  const recipient = await recipientIn(em, delivery, subscription.organization.id);
  if (!recipient) return null;
  const pkg = await em.findOneOrFail(Package, subscription.package.id);
  const renewsAt = typeof delivery.payload?.renewsAt === 'string' ? new Date(delivery.payload.renewsAt) : subscription.currentPeriodEnd;
  return render({
    kind: delivery.kind,
    publicUrl,
    recipient,
    organizationName: subscription.organization.name,
    balance: await readBalance(em, subscription.organization.id, new Date()),
    subscription: {
      packageName: pkg.name,
      amount: { amount: subscription.amount.amount, currency: subscription.amount.currency },
      periodCredits: pkg.lotKind === CreditLotKind.TIME ? `${pkg.credits} hours` : creditsOf('SESSION', pkg.credits, pkg.sessionMinutes).replace(' of up to ', ' of '),
      status: subscription.status,
      renewsAt,
    },
  });
};
