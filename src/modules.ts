/**
 * The registry of domains: each domain adds its entities, resolvers, seeders, jobs and
 * domain-event handlers here. Everything else (server, database, jobs) reads these lists.
 */
import { CatalogResolver } from './catalog/catalog.resolver.js';
import { catalogSeeder } from './catalog/catalog.seed.js';
import { Package } from './catalog/package.entity.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credits/credit-lot.entity.js';
import { creditEventHandlers, expireLotsJob } from './credits/credits.jobs.js';
import { CreditAdjustmentResolver, CreditLotFieldsResolver, CreditsResolver, MemberCreditCapResolver } from './credits/credits.resolver.js';
import { identityPages } from './identity/identity.pages.js';
import { identitySeeder } from './identity/identity.seed.js';
import { purgeAuthAttemptsJob } from './identity/identity.jobs.js';
import { AuthResolver, InvitationFieldsResolver, OrganizationResolver, UserFieldsResolver } from './identity/identity.resolver.js';
import { Invitation, Membership, Organization } from './identity/organization.entity.js';
import { ClientProfile, ConsultantProfile } from './identity/profile.entity.js';
import { AuthAttempt, OneTimeToken, RefreshToken, Session } from './identity/session.entity.js';
import { User } from './identity/user.entity.js';
import type { DomainEventHandlers } from './platform/events.js';
import { heartbeatJob } from './platform/heartbeat.job.js';
import { purgeRateLimitsJob, RateLimitBucket } from './platform/rate-limit.js';
import type { JobDefinition } from './platform/jobs.js';
import type { HttpRoutes } from './platform/routes.js';
import type { Seeder } from './platform/seed.js';
import { AvailabilityExceptionEntity, AvailabilitySchedule } from './scheduling/availability.entity.js';
import { availabilitySeeder } from './scheduling/availability.seed.js';
import { ConsultantResolver } from './scheduling/consultant.resolver.js';
import { consultantSeeder } from './scheduling/consultant.seed.js';
import { SchedulingResolver } from './scheduling/scheduling.resolver.js';
import { CodeSequence } from './platform/sequence.js';
import { Consultation, ConsultationFeedback, ConsultationStatusChange } from './consultations/consultation.entity.js';
import { ConsultationResolver } from './consultations/consultations.resolver.js';
import { expireHoldsJob } from './consultations/consultations.jobs.js';
import { BillingCustomer, BillingPrice, BillingSubscription, Invoice, Purchase, RevenueEntry, StripeEvent, SubscriptionGrant } from './payments/payment.entity.js';
import { invoiceRoutes } from './payments/invoice.route.js';
import { revenueEventHandlers } from './payments/revenue.handlers.js';
import { renewalRemindersJob } from './payments/payments.jobs.js';
import { InvoicesResolver, PaymentsResolver, SubscriptionsResolver } from './payments/payments.resolver.js';
import { stripeWebhookRoutes } from './payments/webhook.route.js';
import { devPayRoutes } from './payments/dev-pay.route.js';

export const ENTITIES = [
  CodeSequence,
  RateLimitBucket,
  Package,
  User,
  Organization,
  Membership,
  Invitation,
  ClientProfile,
  ConsultantProfile,
  Session,
  RefreshToken,
  OneTimeToken,
  AuthAttempt,
  CreditLot,
  CreditLedgerEntry,
  MemberCreditCap,
  AvailabilitySchedule,
  AvailabilityExceptionEntity,
  Consultation,
  ConsultationStatusChange,
  ConsultationFeedback,
  BillingCustomer,
  Purchase,
  StripeEvent,
  BillingSubscription,
  SubscriptionGrant,
  BillingPrice,
  Invoice,
  RevenueEntry,
];

export const RESOLVERS = [CatalogResolver, AuthResolver, OrganizationResolver, UserFieldsResolver, InvitationFieldsResolver, CreditsResolver, CreditLotFieldsResolver, MemberCreditCapResolver, CreditAdjustmentResolver, SchedulingResolver, ConsultantResolver, ConsultationResolver, PaymentsResolver, SubscriptionsResolver, InvoicesResolver] as const;

/** Run in this order on every start (unless SEED=false); each is idempotent. */
export const SEEDERS: readonly Seeder[] = [catalogSeeder, identitySeeder, availabilitySeeder, consultantSeeder];

export const JOBS: readonly JobDefinition<never>[] = [heartbeatJob, purgeRateLimitsJob, purgeAuthAttemptsJob, expireLotsJob, expireHoldsJob, renewalRemindersJob];

/** Reactions to domain events, run inside the emitting transaction. */
export const EVENT_HANDLERS: DomainEventHandlers = { ...creditEventHandlers, ...revenueEventHandlers };

/** Plain HTTP routes of the domains, next to /graphql. */
export const HTTP_ROUTES: readonly HttpRoutes[] = [identityPages, stripeWebhookRoutes, invoiceRoutes, devPayRoutes];
