/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type ActionItemInput = {
  assignee: string;
  /** YYYY-MM-DD. */
  dueDate?: string | null | undefined;
  /** Default MEDIUM. */
  priority?: ActionItemPriority | null | undefined;
  /** Default OPEN. */
  status?: ActionItemStatus | null | undefined;
  title: string;
};

export type ActionItemPriority =
  | 'HIGH'
  | 'LOW'
  | 'MEDIUM';

export type ActionItemStatus =
  | 'DONE'
  | 'IN_PROGRESS'
  | 'OPEN';

export type AttendeeInput = {
  email: string;
  name: string;
  role?: string | null | undefined;
};

export type AvailabilityExceptionInput = {
  /** Admins only. */
  consultantId?: string | number | null | undefined;
  /** First local date, YYYY-MM-DD. */
  from: string;
  /** TIME_OFF without intervals blocks the whole days. */
  intervals?: Array<TimeIntervalInput> | null | undefined;
  kind: AvailabilityExceptionKind;
  reason?: string | null | undefined;
  /** Last local date, YYYY-MM-DD (inclusive); at most 730 days after from. */
  to: string;
};

/** TIME_OFF blocks hours (or whole days); EXTRA_HOURS adds them. */
export type AvailabilityExceptionKind =
  | 'EXTRA_HOURS'
  | 'TIME_OFF';

/** Consultants with at least one open slot in this range. */
export type AvailableBetweenInput = {
  durationMinutes: number;
  from: string;
  to: string;
};

export type BillingCycle =
  | 'ANNUAL'
  | 'QUARTERLY';

/** Every field each time: a field left out or null is cleared (legalName and address are required). */
export type BillingDetailsInput = {
  /** Street, city with postal code, country: one per line (\n), at most 8 lines and 500 characters. */
  address: string;
  /** Accounts payable: gets the payment confirmations and refund messages too. */
  email?: string | null | undefined;
  /** The legal name invoices print, e.g. "Acme Corporation Ltd". At most 200 characters. */
  legalName: string;
  /** VAT or other tax id, e.g. DE123456789. */
  taxId?: string | null | undefined;
};

export type BookConsultationInput = {
  /** Up to 10 more people joining. */
  attendees?: Array<AttendeeInput> | null | undefined;
  /** Omit to have the best free consultant with the skills assigned. */
  consultantId?: string | number | null | undefined;
  /** A multiple of 15 from 15 to 480; must fit the credit drawn. */
  durationMinutes: number;
  /** Retrying with the same key returns the first booking instead of booking twice. */
  idempotencyKey?: string | null | undefined;
  /** One of the consultant's meetingProviders (another is refused, saying which they offer); default: their first (the platform's MEETING_PROVIDER when they list none). Without consultantId, only consultants offering it are assigned. */
  meetingProvider?: MeetingProvider | null | undefined;
  notes?: string | null | undefined;
  /** CREDITS (default), or BOOKING_FEE: no credit; the slot is held until the fee is paid with the returned payment.clientSecret. */
  payWith?: PaymentMethod | null | undefined;
  /** What the session is for (up to 2000 characters). */
  purpose: string;
  /** Skills wanted; the consultant must have all of them. */
  skills?: Array<string> | null | undefined;
  /** A start from openSlots. */
  start: string;
  /** Spend the organization’s free-trial credit (15 minutes). */
  useFreeTrial?: boolean | null | undefined;
};

export type CompleteConsultationInput = {
  actionItems?: Array<ActionItemInput> | null | undefined;
  /** Default: now. Must be after the actual start. */
  actualEnd?: string | null | undefined;
  deliverables?: Array<DeliverableInput> | null | undefined;
  /** Never shown to the client. */
  internalNotes?: string | null | undefined;
  nextSteps?: string | null | undefined;
  outcomes?: OutcomesInput | null | undefined;
};

/** What the consultant says about their availability (open slots come from the schedule). */
export type ConsultantAvailabilityStatus =
  | 'AVAILABLE'
  | 'ON_LEAVE'
  | 'PARTIALLY_AVAILABLE'
  | 'UNAVAILABLE';

export type ConsultantCertificationInput = {
  /** YYYY-MM-DD, not before issuedOn; null: does not expire. */
  expiresOn?: string | null | undefined;
  /** YYYY-MM-DD. */
  issuedOn: string;
  issuer: string;
  name: string;
};

export type ConsultantFilter = {
  availableBetween?: AvailableBetweenInput | null | undefined;
  /** A language (case-insensitive, exact). */
  language?: string | null | undefined;
  /** A skill name (case-insensitive, exact). */
  skill?: string | null | undefined;
};

/** A partial update: fields left out keep their value. */
export type ConsultantProfileInput = {
  availabilityStatus?: ConsultantAvailabilityStatus | null | undefined;
  /** Up to 4000 characters; null or blank clears it. */
  bio?: string | null | undefined;
  /** A single-session fee clients may pay instead of a credit; null clears it (the platform’s applies). */
  bookingFee?: MoneyInput | null | undefined;
  /** Replaces the list: up to 30. */
  certifications?: Array<ConsultantCertificationInput> | null | undefined;
  /** Admins only (required for them); consultants edit their own. */
  consultantId?: string | number | null | undefined;
  /** null clears it. */
  hourlyRate?: MoneyInput | null | undefined;
  /** Replaces the list: up to 30, each 2–40 characters. */
  languages?: Array<string> | null | undefined;
  /** Replaces the list of meeting providers offered, in order (the first is a booking's when the client names none): each once, each configured on this platform; [] offers the platform's default (MEETING_PROVIDER). */
  meetingProviders?: Array<MeetingProvider> | null | undefined;
  /** Replaces the list: up to 50. */
  skills?: Array<ConsultantSkillInput> | null | undefined;
};

export type ConsultantSkillInput = {
  category: SkillCategory;
  /** 1–80 characters; unique per consultant (case-insensitively). */
  name: string;
  proficiency: SkillProficiency;
  /** Years of experience, 0–60. */
  years: number;
};

/** What happened to a consultation (a PENDING_PAYMENT hold is BOOKED: it blocks time too). */
export type ConsultationChangeKind =
  | 'ATTENDEES_ADDED'
  | 'BOOKED'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'EXPIRED'
  | 'NO_SHOW'
  | 'PAID'
  | 'RESCHEDULED'
  | 'RESCHEDULE_REQUESTED'
  | 'STARTED';

export type ConsultationEventKind =
  | 'BOOKED'
  | 'CANCELLED'
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'EXPIRED'
  | 'NO_SHOW'
  | 'PAID'
  | 'RESCHEDULED'
  | 'RESCHEDULE_REQUESTED'
  | 'STARTED';

export type ConsultationFilter = {
  consultantId?: string | number | null | undefined;
  /** Sessions starting at or after. */
  from?: string | null | undefined;
  statuses?: Array<ConsultationStatus> | null | undefined;
  /** Sessions starting before. */
  to?: string | null | undefined;
};

export type ConsultationStatus =
  | 'CANCELLED'
  | 'COMPLETED'
  | 'CONFIRMED'
  | 'EXPIRED'
  | 'IN_PROGRESS'
  | 'NO_SHOW'
  | 'PENDING_PAYMENT'
  | 'SCHEDULED';

/** An admin account, made by another admin. */
export type CreateAdminInput = {
  email: string;
  password: string;
  profile: ProfileInput;
  timeZone?: string | null | undefined;
};

/** A new package of the catalog (admins). Optional fields left out or null take the default they describe. */
export type CreatePackageInput = {
  /** Session lengths the credits pay, multiples of 15. Required for TIME (e.g. [60, 90, 120]); SESSION default [sessionMinutes]. */
  allowedBlockMinutes?: Array<number> | null | undefined;
  /** A short label such as POPULAR (at most 40 characters). Default: none. */
  badge?: string | null | undefined;
  /** Required for SUBSCRIPTION packages; must be left out for the others. */
  billingCycle?: BillingCycle | null | undefined;
  /** Stable code: 3–64 letters, digits and hyphens, e.g. PKG-TEAM-WORKSHOP; stored in upper case; unique, archived packages included. Cannot be changed later. */
  code: string;
  /** Sessions (SESSION) or hours per period (TIME), 1 to 10000. */
  credits: number;
  /** What clients read in the catalog; at most 4000 characters. */
  description: string;
  /** Position in the catalog. Default: after every other package. */
  displayOrder?: number | null | undefined;
  /** Key features, one line each (at most 30). Default: none. */
  features?: Array<string> | null | undefined;
  /** Whether a client cancelling less than 24 h before start loses the credit. Default true. */
  lateCancelConsumes?: boolean | null | undefined;
  /** SESSION: a credit pays one session; TIME: credits are hours spent in allowedBlockMinutes blocks. Cannot be changed later. */
  lotKind: CreditLotKind;
  /** How many times one organization may buy it. Default null: no limit. */
  maxPurchasesPerClient?: number | null | undefined;
  /** At most 200 characters. */
  name: string;
  price: MoneyInput;
  /** Draw-down priority of its lots, lower burns first. Default: 0 for FREE_TRIAL, 10 otherwise. */
  priority?: number | null | undefined;
  /** Whether clients may buy it. Default true (false, and only false, for FREE_TRIAL). */
  purchasable?: boolean | null | undefined;
  /** SESSION: the longest session one credit pays; TIME: the smallest block. A multiple of 15, at most 480. */
  sessionMinutes: number;
  /** Who it is for, one line each (at most 30). Default: none. */
  targetAudience?: Array<string> | null | undefined;
  /** Cannot be changed later. SUBSCRIPTION needs a billingCycle; FREE_TRIAL costs 0 and is never purchasable. */
  type: PackageType;
  /** Days the credits stay valid after the grant (per period for subscriptions), 1 to 3650. */
  validityDays: number;
};

export type CreditLotKind =
  | 'SESSION'
  | 'TIME';

export type CreditLotStatus =
  | 'ACTIVE'
  | 'DEPLETED'
  | 'EXPIRED'
  | 'REVOKED';

export type CreditSource =
  | 'ADJUSTMENT'
  | 'FREE_TRIAL'
  | 'PROMOTIONAL'
  | 'PURCHASE'
  | 'SUBSCRIPTION';

export type CreditState =
  | 'CONSUMED'
  | 'HELD'
  | 'RELEASED';

export type DeliverableInput = {
  description?: string | null | undefined;
  /** YYYY-MM-DD. */
  dueDate?: string | null | undefined;
  /** An http(s) URL. */
  fileUrl?: string | null | undefined;
  name: string;
  /** Default PENDING. */
  status?: DeliverableStatus | null | undefined;
  /** e.g. REPORT, DOCUMENT, CODE. */
  type: string;
};

export type DeliverableStatus =
  | 'DELIVERED'
  | 'IN_PROGRESS'
  | 'PENDING';

/** EMAIL, or IN_APP (a notification in the app, for users with an account). */
export type DeliveryChannel =
  | 'EMAIL'
  | 'IN_APP';

/** Where a notification delivery is: PENDING, SENDING (claimed), SENT, FAILED (retries exhausted), CANCELLED (withdrawn), SKIPPED (too late, or turned off). */
export type DeliveryStatus =
  | 'CANCELLED'
  | 'FAILED'
  | 'PENDING'
  | 'SENDING'
  | 'SENT'
  | 'SKIPPED';

export type FeedbackInput = {
  /** 1–5. */
  communication: number;
  /** 1–5. */
  expertise: number;
  /** 1–5. */
  helpfulness: number;
  improvements?: string | null | undefined;
  /** 1–5. */
  overall: number;
  /** Consent to show the testimonial publicly. */
  publicTestimonial?: boolean | null | undefined;
  strengths?: string | null | undefined;
  testimonial?: string | null | undefined;
  wouldRecommend: boolean;
};

/** Credits an admin grants outside a purchase (promotion or correction). */
export type GrantCreditsInput = {
  kind?: CreditLotKind | null | undefined;
  organizationId: string | number;
  /** Take kind, session length and validity from this package. */
  packageId?: string | number | null | undefined;
  reason: string;
  sessionMinutes?: number | null | undefined;
  /** PROMOTIONAL (burns first) or ADJUSTMENT. */
  source: CreditSource;
  /** Sessions (SESSION) or minutes (TIME). */
  units: number;
  validityDays?: number | null | undefined;
};

export type InvitationStatus =
  | 'ACCEPTED'
  | 'EXPIRED'
  | 'PENDING'
  | 'REVOKED';

export type LedgerEntryType =
  | 'ADJUST'
  | 'CONSUME'
  | 'EXPIRE'
  | 'GRANT'
  | 'RELEASE'
  | 'RESERVE'
  | 'REVOKE';

export type MeetingProvider =
  | 'GOOGLE_MEET'
  | 'JITSI'
  | 'PHONE'
  | 'TEAMS'
  | 'ZOOM';

export type MeetingStatus =
  | 'DELETED'
  | 'FAILED'
  | 'PENDING'
  | 'READY';

/** An owner's cap on one member's use of the organization's credits; null removes a limit. */
export type MemberCreditCapInput = {
  /** Minutes (TIME lots) per UTC calendar month. */
  monthlyMinutes?: number | null | undefined;
  /** Sessions (SESSION lots) reserved or used per UTC calendar month of the session start. */
  monthlySessions?: number | null | undefined;
  totalMinutes?: number | null | undefined;
  totalSessions?: number | null | undefined;
  userId: string | number;
};

/** What a notification says (one template per kind and side). */
export type MessageKind =
  | 'BOOKING_CONFIRMED'
  | 'CONSULTATION_CANCELLED'
  | 'CONSULTATION_RESCHEDULED'
  | 'CREDITS_EXPIRED'
  | 'CREDITS_EXPIRING_1D'
  | 'CREDITS_EXPIRING_7D'
  | 'FEEDBACK_REQUEST'
  | 'FREE_TRIAL_GRANTED'
  | 'HOLD_EXPIRED'
  | 'INVITATION'
  | 'LOW_CREDIT'
  | 'MEETING_FAILED'
  | 'MEETING_LINK'
  | 'PASSWORD_RESET'
  | 'PAYMENT_CONFIRMED'
  | 'REFUND_PROCESSED'
  | 'REMINDER_1H'
  | 'REMINDER_24H'
  | 'RESCHEDULE_REQUESTED'
  | 'SESSION_COMPLETED'
  | 'SESSION_STARTED'
  | 'SUBSCRIPTION_PAYMENT_FAILED'
  | 'SUBSCRIPTION_RENEWAL_UPCOMING'
  | 'VERIFY_EMAIL';

/** An amount of money in minor units (cents) of its currency. */
export type MoneyInput = {
  /** Minor units, zero or more: 450000 for USD 4,500.00. */
  amount: number;
  /** ISO-4217 code of three upper-case letters, e.g. USD. */
  currency: string;
};

/** Who did not come: a client no-show consumes the credit, a consultant no-show releases it. */
export type NoShowParty =
  | 'CLIENT'
  | 'CONSULTANT';

/** The switches to change (true: on, false: off); those left out stay as they are. */
export type NotificationPreferencesInput = {
  emailReminders?: boolean | null | undefined;
  emailUpdates?: boolean | null | undefined;
  inAppReminders?: boolean | null | undefined;
  inAppUpdates?: boolean | null | undefined;
};

export type OpenSlotsInput = {
  /** Omit: every consultant taking bookings who has all the skills. */
  consultantId?: string | number | null | undefined;
  durationMinutes: number;
  from: string;
  /** Without consultantId: only consultants with every one of these skills (case-insensitive). */
  skills?: Array<string> | null | undefined;
  /** The viewer’s zone: localStart and openDates use it. */
  timeZone: string;
  to: string;
};

/** A client's role inside one organization. */
export type OrgRole =
  | 'MEMBER'
  | 'OWNER';

export type OrganizationType =
  | 'COLLEGE'
  | 'COMPANY'
  | 'ENTERPRISE'
  | 'INDIVIDUAL';

export type OutcomesInput = {
  keyPoints?: Array<string> | null | undefined;
  recommendations?: Array<string> | null | undefined;
  summary: string;
};

export type PackageType =
  | 'CONSULTATION_BUNDLE'
  | 'FREE_TRIAL'
  | 'PAY_PER_USE'
  | 'SUBSCRIPTION';

export type PaymentMethod =
  | 'BOOKING_FEE'
  | 'CREDITS';

/** A person: names and how to reach them. */
export type ProfileInput = {
  firstName: string;
  lastName: string;
  /** e.g. +1 415 555 0100 */
  phone?: string | null | undefined;
  /** Job title, e.g. CFO. */
  title?: string | null | undefined;
};

export type PurchasePackageInput = {
  /** Retrying with the same key returns the first purchase (and never charges twice). */
  idempotencyKey?: string | null | undefined;
  /** The package id (or its code, e.g. PKG-DISCOVERY-ASSESSMENT). */
  packageId: string | number;
  /** A Stripe PaymentMethod (pm_…) to confirm at once; without one, confirm the clientSecret with Stripe.js. */
  paymentMethodId?: string | null | undefined;
};

/** PENDING until Stripe says the payment succeeded (then the credits are granted) or failed; REFUNDED revokes the unused credits. */
export type PurchaseStatus =
  | 'FAILED'
  | 'PENDING'
  | 'REFUNDED'
  | 'SUCCEEDED';

export type RegisterInput = {
  email: string;
  /** Clients only: the organization they register. */
  organizationName?: string | null | undefined;
  /** Clients only. */
  organizationType?: OrganizationType | null | undefined;
  /** At least 10 characters mixing three of: lower case, upper case, digits, symbols. */
  password: string;
  profile: ProfileInput;
  /** Where times are shown to this user; default UTC. */
  timeZone?: string | null | undefined;
  userType: UserType;
};

export type SkillCategory =
  | 'DOMAIN'
  | 'FUNCTIONAL'
  | 'TECHNICAL';

export type SkillProficiency =
  | 'BEGINNER'
  | 'EXPERT'
  | 'INTERMEDIATE';

/** Mirrored from Stripe. */
export type SubscriptionStatus =
  | 'ACTIVE'
  | 'CANCELED'
  | 'INCOMPLETE'
  | 'INCOMPLETE_EXPIRED'
  | 'PAST_DUE'
  | 'PAUSED'
  | 'TRIALING'
  | 'UNPAID';

export type TimeIntervalInput = {
  /** Local wall time "HH:MM" ("24:00" ends the day). */
  end: string;
  /** Local wall time "HH:MM". */
  start: string;
};

/** Changes to a package. Left out: unchanged; null clears billingCycle, badge or maxPurchasesPerClient. code, type and lotKind never change (existing credit lots depend on them): create a new package instead. */
export type UpdatePackageInput = {
  /** Replaces the whole list. TIME packages: sessionMinutes follows the smallest block unless given. */
  allowedBlockMinutes?: Array<number> | null | undefined;
  badge?: string | null | undefined;
  billingCycle?: BillingCycle | null | undefined;
  /** For grants from now on: existing credit lots keep what they were granted. */
  credits?: number | null | undefined;
  description?: string | null | undefined;
  displayOrder?: number | null | undefined;
  /** Replaces the whole list. */
  features?: Array<string> | null | undefined;
  lateCancelConsumes?: boolean | null | undefined;
  maxPurchasesPerClient?: number | null | undefined;
  name?: string | null | undefined;
  /** The whole price, amount and currency. */
  price?: MoneyInput | null | undefined;
  priority?: number | null | undefined;
  purchasable?: boolean | null | undefined;
  /** SESSION packages whose allowedBlockMinutes was [sessionMinutes] keep it so unless allowedBlockMinutes is given. */
  sessionMinutes?: number | null | undefined;
  /** Replaces the whole list. */
  targetAudience?: Array<string> | null | undefined;
  validityDays?: number | null | undefined;
};

/** What a user is on the platform. */
export type UserRole =
  | 'ADMIN'
  | 'CLIENT'
  | 'CONSULTANT';

/** Who may register themselves. */
export type UserType =
  | 'CLIENT'
  | 'CONSULTANT';

export type WeekdayAvailabilityInput = {
  intervals: Array<TimeIntervalInput>;
  /** ISO weekday: 1 = Monday … 7 = Sunday. */
  weekday: number;
};

export type WeeklyAvailabilityInput = {
  /** Minutes kept free after each session, 0 to 240. */
  bufferMinutes?: number;
  /** Admins only; consultants set their own. */
  consultantId?: string | number | null | undefined;
  /** How far ahead clients may book, 1 to 730 days. */
  horizonDays?: number;
  /** Sessions per local day, 1 to 96; null: no limit. */
  maxSessionsPerDay?: number | null | undefined;
  /** Minimum notice in minutes (default 12 h), 0 to 43200 (30 days). */
  minNoticeMinutes?: number;
  /** Weekdays left out have no hours. */
  rules: Array<WeekdayAvailabilityInput>;
  /** Minutes between possible starts, 5 to 240. */
  slotStepMinutes?: number;
  /** The zone the rules are in. */
  timeZone: string;
};

export type InvoicePartyFieldsFragment = { legalName: string, address: string | null, taxId: string | null, email: string | null };

export type BillingDetailsFieldsFragment = { legalName: string, address: string, taxId: string | null, email: string | null, updatedAt: string };

export type BillingDetailsQueryVariables = Exact<{
  organizationId?: string | number | null | undefined;
}>;


export type BillingDetailsQuery = { billingDetails: { legalName: string, address: string, taxId: string | null, email: string | null, updatedAt: string } | null };

export type UpdateBillingDetailsMutationVariables = Exact<{
  input: BillingDetailsInput;
  organizationId?: string | number | null | undefined;
}>;


export type UpdateBillingDetailsMutation = { updateBillingDetails: { legalName: string, address: string, taxId: string | null, email: string | null, updatedAt: string } };

export type CreditNoteFieldsFragment = { id: string, number: string, issuedAt: string, reason: string | null, refundMethod: string | null, refundReference: string | null, pdfUrl: string, total: { amount: number, currency: string }, lines: Array<{ description: string, quantity: number, unitAmount: number, amount: number }>, seller: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, buyer: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, invoice: { id: string, number: string } };

export type CreditNotesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  organizationId?: string | number | null | undefined;
}>;


export type CreditNotesQuery = { creditNotes: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, number: string, issuedAt: string, reason: string | null, refundMethod: string | null, refundReference: string | null, pdfUrl: string, total: { amount: number, currency: string }, lines: Array<{ description: string, quantity: number, unitAmount: number, amount: number }>, seller: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, buyer: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, invoice: { id: string, number: string } } }> } };

export type BookingConsultantQueryVariables = Exact<{
  id: string | number;
}>;


export type BookingConsultantQuery = { consultant: { id: string, code: string, displayName: string, title: string | null, timeZone: string, bookingFee: { amount: number, currency: string } | null } | null };

export type BookingWidgetBookMutationVariables = Exact<{
  input: BookConsultationInput;
}>;


export type BookingWidgetBookMutation = { bookConsultation: { holdExpiresAt: string | null, id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type CalendarFeedUrlQueryVariables = Exact<{ [key: string]: never; }>;


export type CalendarFeedUrlQuery = { me: { id: string, calendarFeedUrl: string | null } | null };

export type RotateCalendarFeedMutationVariables = Exact<{ [key: string]: never; }>;


export type RotateCalendarFeedMutation = { rotateCalendarFeed: string };

export type PackageFieldsFragment = { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } };

export type PackagesQueryVariables = Exact<{
  includeInactive?: boolean | null | undefined;
}>;


export type PackagesQuery = { packages: Array<{ id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } }> };

export type PackageQueryVariables = Exact<{
  id: string | number;
}>;


export type PackageQuery = { package: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } | null };

export type CreatePackageMutationVariables = Exact<{
  input: CreatePackageInput;
}>;


export type CreatePackageMutation = { createPackage: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } };

export type UpdatePackageMutationVariables = Exact<{
  id: string | number;
  input: UpdatePackageInput;
}>;


export type UpdatePackageMutation = { updatePackage: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } };

export type ArchivePackageMutationVariables = Exact<{
  id: string | number;
}>;


export type ArchivePackageMutation = { archivePackage: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } };

export type RestorePackageMutationVariables = Exact<{
  id: string | number;
}>;


export type RestorePackageMutation = { restorePackage: { id: string, code: string, name: string, type: PackageType, lotKind: CreditLotKind, description: string, features: Array<string>, targetAudience: Array<string>, credits: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, validityDays: number, billingCycle: BillingCycle | null, badge: string | null, displayOrder: number, maxPurchasesPerClient: number | null, priority: number, lateCancelConsumes: boolean, purchasable: boolean, active: boolean, price: { amount: number, currency: string } } };

export type ConsultationFieldsFragment = { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> };

export type ConsultationRecordFieldsFragment = { actualStart: string | null, actualEnd: string | null, actualDurationMinutes: number | null, nextSteps: string | null, internalNotes: string | null, cancelledAt: string | null, cancellationReason: string | null, noShowParty: NoShowParty | null, outcomes: { summary: string, keyPoints: Array<string>, recommendations: Array<string> } | null, deliverables: Array<{ name: string, type: string, description: string | null, status: DeliverableStatus, dueDate: string | null, fileUrl: string | null }>, actionItems: Array<{ title: string, assignee: string, dueDate: string | null, priority: ActionItemPriority, status: ActionItemStatus }>, feedback: { overall: number, expertise: number, communication: number, helpfulness: number, wouldRecommend: boolean, testimonial: string | null, publicTestimonial: boolean } | null };

export type BookConsultationMutationVariables = Exact<{
  input: BookConsultationInput;
}>;


export type BookConsultationMutation = { bookConsultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type ConsultationQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsultationQuery = { consultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, actualStart: string | null, actualEnd: string | null, actualDurationMinutes: number | null, nextSteps: string | null, internalNotes: string | null, cancelledAt: string | null, cancellationReason: string | null, noShowParty: NoShowParty | null, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }>, outcomes: { summary: string, keyPoints: Array<string>, recommendations: Array<string> } | null, deliverables: Array<{ name: string, type: string, description: string | null, status: DeliverableStatus, dueDate: string | null, fileUrl: string | null }>, actionItems: Array<{ title: string, assignee: string, dueDate: string | null, priority: ActionItemPriority, status: ActionItemStatus }>, feedback: { overall: number, expertise: number, communication: number, helpfulness: number, wouldRecommend: boolean, testimonial: string | null, publicTestimonial: boolean } | null } | null };

export type MyConsultationsQueryVariables = Exact<{
  filter?: ConsultationFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type MyConsultationsQuery = { myConsultations: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } }> } };

export type UpcomingConsultationsQueryVariables = Exact<{
  days?: number | null | undefined;
  timeZone?: string | null | undefined;
}>;


export type UpcomingConsultationsQuery = { upcomingConsultations: Array<{ date: string, consultations: Array<{ id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> }> }> };

export type ConfirmConsultationMutationVariables = Exact<{
  id: string | number;
}>;


export type ConfirmConsultationMutation = { confirmConsultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type RescheduleConsultationMutationVariables = Exact<{
  id: string | number;
  start: string;
  reason?: string | null | undefined;
}>;


export type RescheduleConsultationMutation = { rescheduleConsultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type RequestRescheduleMutationVariables = Exact<{
  id: string | number;
  suggestedStarts: Array<string> | string;
  reason?: string | null | undefined;
}>;


export type RequestRescheduleMutation = { requestReschedule: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type CancelConsultationMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type CancelConsultationMutation = { cancelConsultation: { creditReleased: boolean, creditState: CreditState, late: boolean, feeRefunded: { amount: number, currency: string } | null, consultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } } };

export type StartConsultationMutationVariables = Exact<{
  id: string | number;
}>;


export type StartConsultationMutation = { startConsultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type CompleteConsultationMutationVariables = Exact<{
  id: string | number;
  input: CompleteConsultationInput;
}>;


export type CompleteConsultationMutation = { completeConsultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, actualStart: string | null, actualEnd: string | null, actualDurationMinutes: number | null, nextSteps: string | null, internalNotes: string | null, cancelledAt: string | null, cancellationReason: string | null, noShowParty: NoShowParty | null, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }>, outcomes: { summary: string, keyPoints: Array<string>, recommendations: Array<string> } | null, deliverables: Array<{ name: string, type: string, description: string | null, status: DeliverableStatus, dueDate: string | null, fileUrl: string | null }>, actionItems: Array<{ title: string, assignee: string, dueDate: string | null, priority: ActionItemPriority, status: ActionItemStatus }>, feedback: { overall: number, expertise: number, communication: number, helpfulness: number, wouldRecommend: boolean, testimonial: string | null, publicTestimonial: boolean } | null } };

export type MarkNoShowMutationVariables = Exact<{
  id: string | number;
  party: NoShowParty;
  reason?: string | null | undefined;
}>;


export type MarkNoShowMutation = { markNoShow: { noShowParty: NoShowParty | null, id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type AddConsultationAttendeesMutationVariables = Exact<{
  id: string | number;
  attendees: Array<AttendeeInput> | AttendeeInput;
}>;


export type AddConsultationAttendeesMutation = { addConsultationAttendees: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type SubmitFeedbackMutationVariables = Exact<{
  consultationId: string | number;
  input: FeedbackInput;
}>;


export type SubmitFeedbackMutation = { submitFeedback: { id: string, overall: number, expertise: number, communication: number, helpfulness: number, wouldRecommend: boolean, strengths: string | null, improvements: string | null, testimonial: string | null, publicTestimonial: boolean, createdAt: string } };

export type CreditLotFieldsFragment = { id: string, kind: CreditLotKind, source: CreditSource, priority: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, granted: number, used: number, reserved: number, remaining: number, expiresAt: string, status: CreditLotStatus, package: { id: string, code: string, name: string } | null };

export type CreditSummaryQueryVariables = Exact<{
  organizationId?: string | number | null | undefined;
}>;


export type CreditSummaryQuery = { creditSummary: { availableCredits: number, reservedCredits: number, availableMinutes: number, reservedMinutes: number, lots: Array<{ id: string, kind: CreditLotKind, source: CreditSource, priority: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, granted: number, used: number, reserved: number, remaining: number, expiresAt: string, status: CreditLotStatus, package: { id: string, code: string, name: string } | null }>, expiringSoon: Array<{ id: string, kind: CreditLotKind, source: CreditSource, priority: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, granted: number, used: number, reserved: number, remaining: number, expiresAt: string, status: CreditLotStatus, package: { id: string, code: string, name: string } | null }>, freeTrial: { granted: boolean, available: boolean, used: boolean, expiresAt: string | null }, lifetime: { grantedCredits: number, usedCredits: number, grantedMinutes: number, usedMinutes: number } } };

export type CreditLedgerQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  organizationId?: string | number | null | undefined;
}>;


export type CreditLedgerQuery = { creditLedger: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, type: LedgerEntryType, units: number, consultationId: string | null, reference: string | null, reason: string | null, createdAt: string, lot: { id: string, kind: CreditLotKind, source: CreditSource } } }> } };

export type GrantCreditsMutationVariables = Exact<{
  input: GrantCreditsInput;
}>;


export type GrantCreditsMutation = { grantCredits: { id: string, kind: CreditLotKind, source: CreditSource, priority: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, granted: number, used: number, reserved: number, remaining: number, expiresAt: string, status: CreditLotStatus, package: { id: string, code: string, name: string } | null } };

export type AdjustCreditsMutationVariables = Exact<{
  lotId: string | number;
  units: number;
  reason: string;
}>;


export type AdjustCreditsMutation = { adjustCredits: { id: string, kind: CreditLotKind, source: CreditSource, priority: number, sessionMinutes: number, allowedBlockMinutes: Array<number>, granted: number, used: number, reserved: number, remaining: number, expiresAt: string, status: CreditLotStatus, package: { id: string, code: string, name: string } | null } };

export type MemberCreditCapsQueryVariables = Exact<{ [key: string]: never; }>;


export type MemberCreditCapsQuery = { memberCreditCaps: Array<{ id: string, monthlySessions: number | null, monthlyMinutes: number | null, totalSessions: number | null, totalMinutes: number | null, updatedAt: string, member: { id: string, email: string, displayName: string } }> };

export type SetMemberCreditCapMutationVariables = Exact<{
  input: MemberCreditCapInput;
}>;


export type SetMemberCreditCapMutation = { setMemberCreditCap: { id: string, monthlySessions: number | null, monthlyMinutes: number | null, totalSessions: number | null, totalMinutes: number | null, member: { id: string } } };

export type SessionFieldsFragment = { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } };

export type UserFieldsFragment = { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null };

export type RegisterMutationVariables = Exact<{
  input: RegisterInput;
}>;


export type RegisterMutation = { register: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } } };

export type VerifyEmailMutationVariables = Exact<{
  token: string;
}>;


export type VerifyEmailMutation = { verifyEmail: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } };

export type ResendVerificationMutationVariables = Exact<{
  email: string;
}>;


export type ResendVerificationMutation = { resendVerification: boolean };

export type LoginMutationVariables = Exact<{
  email: string;
  password: string;
}>;


export type LoginMutation = { login: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } } };

export type RefreshTokenMutationVariables = Exact<{
  refreshToken: string;
}>;


export type RefreshTokenMutation = { refreshToken: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } } };

export type LogoutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogoutMutation = { logout: boolean };

export type RequestPasswordResetMutationVariables = Exact<{
  email: string;
}>;


export type RequestPasswordResetMutation = { requestPasswordReset: boolean };

export type ResetPasswordMutationVariables = Exact<{
  token: string;
  newPassword: string;
}>;


export type ResetPasswordMutation = { resetPassword: boolean };

export type SwitchOrganizationMutationVariables = Exact<{
  organizationId: string | number;
}>;


export type SwitchOrganizationMutation = { switchOrganization: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } } };

export type MeQueryVariables = Exact<{ [key: string]: never; }>;


export type MeQuery = { me: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organizations: Array<{ role: OrgRole, active: boolean, organization: { id: string, name: string, type: OrganizationType } }>, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } | null };

export type OrganizationQueryVariables = Exact<{ [key: string]: never; }>;


export type OrganizationQuery = { organization: { id: string, name: string, type: OrganizationType, createdAt: string } };

export type MembersQueryVariables = Exact<{ [key: string]: never; }>;


export type MembersQuery = { members: Array<{ role: OrgRole, createdAt: string, user: { id: string, email: string, displayName: string } }> };

export type InvitationsQueryVariables = Exact<{ [key: string]: never; }>;


export type InvitationsQuery = { invitations: Array<{ id: string, email: string, role: OrgRole, status: InvitationStatus, expiresAt: string }> };

export type InviteMemberMutationVariables = Exact<{
  email: string;
  role?: OrgRole | null | undefined;
}>;


export type InviteMemberMutation = { inviteMember: { id: string, email: string, role: OrgRole, status: InvitationStatus, expiresAt: string } };

export type RevokeInvitationMutationVariables = Exact<{
  id: string | number;
}>;


export type RevokeInvitationMutation = { revokeInvitation: { id: string, status: InvitationStatus } };

export type AcceptInvitationMutationVariables = Exact<{
  token: string;
  password?: string | null | undefined;
  profile?: ProfileInput | null | undefined;
  timeZone?: string | null | undefined;
}>;


export type AcceptInvitationMutation = { acceptInvitation: { accessToken: string, accessTokenExpiresAt: string, refreshToken: string, user: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } } };

export type RemoveMemberMutationVariables = Exact<{
  userId: string | number;
}>;


export type RemoveMemberMutation = { removeMember: boolean };

export type ChangeMemberRoleMutationVariables = Exact<{
  userId: string | number;
  role: OrgRole;
}>;


export type ChangeMemberRoleMutation = { changeMemberRole: { role: OrgRole, user: { id: string, email: string } } };

export type CreateAdminMutationVariables = Exact<{
  input: CreateAdminInput;
}>;


export type CreateAdminMutation = { createAdmin: { id: string, email: string, role: UserRole, roles: Array<UserRole>, firstName: string, lastName: string, displayName: string, title: string | null, phone: string | null, timeZone: string, emailVerified: boolean, createdAt: string, organizationRole: OrgRole | null, organization: { id: string, name: string, type: OrganizationType } | null, clientProfile: { id: string, code: string } | null, consultantProfile: { id: string, code: string } | null } };

export type NotificationFieldsFragment = { id: string, kind: string, title: string, body: string, link: string | null, subjectType: string, subjectId: string, readAt: string | null, createdAt: string };

export type NotificationPreferencesFieldsFragment = { emailReminders: boolean, emailUpdates: boolean, inAppReminders: boolean, inAppUpdates: boolean, essentialKinds: Array<MessageKind> };

export type NotificationsQueryVariables = Exact<{
  unreadOnly?: boolean | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotificationsQuery = { notifications: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, kind: string, title: string, body: string, link: string | null, subjectType: string, subjectId: string, readAt: string | null, createdAt: string } }> } };

export type InboxQueryVariables = Exact<{ [key: string]: never; }>;


export type InboxQuery = { me: { id: string, unreadNotificationCount: number, notificationPreferences: { emailReminders: boolean, emailUpdates: boolean, inAppReminders: boolean, inAppUpdates: boolean, essentialKinds: Array<MessageKind> } | null } | null };

export type MarkNotificationReadMutationVariables = Exact<{
  id: string | number;
}>;


export type MarkNotificationReadMutation = { markNotificationRead: { id: string, kind: string, title: string, body: string, link: string | null, subjectType: string, subjectId: string, readAt: string | null, createdAt: string } };

export type MarkAllNotificationsReadMutationVariables = Exact<{ [key: string]: never; }>;


export type MarkAllNotificationsReadMutation = { markAllNotificationsRead: number };

export type UpdateNotificationPreferencesMutationVariables = Exact<{
  input: NotificationPreferencesInput;
}>;


export type UpdateNotificationPreferencesMutation = { updateNotificationPreferences: { emailReminders: boolean, emailUpdates: boolean, inAppReminders: boolean, inAppUpdates: boolean, essentialKinds: Array<MessageKind> } };

export type ConsultationUpdatedSubscriptionVariables = Exact<{
  id?: string | number | null | undefined;
}>;


export type ConsultationUpdatedSubscription = { consultationUpdated: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } };

export type ConsultantScheduleSubscriptionVariables = Exact<{
  consultantId: string | number;
}>;


export type ConsultantScheduleSubscription = { consultantSchedule: { kind: ConsultationChangeKind, at: string, previousStart: string | null, consultation: { id: string, code: string, status: ConsultationStatus, start: string, end: string, localStart: string, durationMinutes: number, bufferMinutes: number, purpose: string, notes: string | null, skills: Array<string>, usedFreeTrial: boolean, creditState: CreditState, rescheduleCount: number, lateRescheduledAt: string | null, createdAt: string, updatedAt: string, attendees: Array<{ name: string, email: string, role: string | null }>, assignment: { reason: string, score: number, candidates: number } | null, client: { id: string, displayName: string, organizationName: string }, consultant: { id: string, code: string, displayName: string, timeZone: string }, meeting: { provider: MeetingProvider, status: MeetingStatus, joinUrl: string | null, passcode: string | null, dialIn: string | null, hostUrl: string | null }, payment: { method: PaymentMethod, creditState: CreditState, clientSecret: string | null, feeRefunded: boolean, credits: Array<{ lotId: string, units: number }>, fee: { amount: number, currency: string } | null }, rescheduleRequest: { suggestedStarts: Array<string>, reason: string | null, requestedAt: string } | null, history: Array<{ event: ConsultationEventKind, fromStatus: ConsultationStatus | null, toStatus: ConsultationStatus, actorRole: string, reason: string | null, at: string }> } } };

export type CreditBalanceFieldsFragment = { availableCredits: number, reservedCredits: number, availableMinutes: number, reservedMinutes: number, freeTrial: { granted: boolean, available: boolean, used: boolean, expiresAt: string | null } };

export type CreditBalanceChangedSubscriptionVariables = Exact<{
  organizationId?: string | number | null | undefined;
}>;


export type CreditBalanceChangedSubscription = { creditBalanceChanged: { availableCredits: number, reservedCredits: number, availableMinutes: number, reservedMinutes: number, freeTrial: { granted: boolean, available: boolean, used: boolean, expiresAt: string | null } } };

export type NotificationReceivedSubscriptionVariables = Exact<{ [key: string]: never; }>;


export type NotificationReceivedSubscription = { notificationReceived: { id: string, kind: string, title: string, body: string, link: string | null, subjectType: string, subjectId: string, readAt: string | null, createdAt: string } };

export type NotificationDeliveryFieldsFragment = { id: string, kind: MessageKind, channel: DeliveryChannel, status: DeliveryStatus, subjectType: string, subjectId: string, side: string, recipientUserId: string | null, recipientEmail: string | null, organizationId: string | null, occurrence: string, dueAt: string, nextAttemptAt: string, attempts: number, lastError: string | null, messageId: string, sentAt: string | null, createdAt: string };

export type NotificationDeliveriesQueryVariables = Exact<{
  status?: DeliveryStatus | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type NotificationDeliveriesQuery = { notificationDeliveries: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, kind: MessageKind, channel: DeliveryChannel, status: DeliveryStatus, subjectType: string, subjectId: string, side: string, recipientUserId: string | null, recipientEmail: string | null, organizationId: string | null, occurrence: string, dueAt: string, nextAttemptAt: string, attempts: number, lastError: string | null, messageId: string, sentAt: string | null, createdAt: string } }> } };

export type PurchaseFieldsFragment = { id: string, status: PurchaseStatus, clientSecret: string | null, failureMessage: string | null, refundedAt: string | null, refundReason: string | null, revokedUnits: number | null, keptUnits: number | null, createdAt: string, updatedAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string }, creditLot: { id: string, granted: number, remaining: number, expiresAt: string } | null };

export type PurchasePackageMutationVariables = Exact<{
  input: PurchasePackageInput;
}>;


export type PurchasePackageMutation = { purchasePackage: { id: string, status: PurchaseStatus, clientSecret: string | null, failureMessage: string | null, refundedAt: string | null, refundReason: string | null, revokedUnits: number | null, keptUnits: number | null, createdAt: string, updatedAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string }, creditLot: { id: string, granted: number, remaining: number, expiresAt: string } | null } };

export type PurchaseQueryVariables = Exact<{
  id: string | number;
}>;


export type PurchaseQuery = { purchase: { id: string, status: PurchaseStatus, clientSecret: string | null, failureMessage: string | null, refundedAt: string | null, refundReason: string | null, revokedUnits: number | null, keptUnits: number | null, createdAt: string, updatedAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string }, creditLot: { id: string, granted: number, remaining: number, expiresAt: string } | null } | null };

export type PurchasesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  organizationId?: string | number | null | undefined;
}>;


export type PurchasesQuery = { purchases: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, status: PurchaseStatus, clientSecret: string | null, failureMessage: string | null, refundedAt: string | null, refundReason: string | null, revokedUnits: number | null, keptUnits: number | null, createdAt: string, updatedAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string }, creditLot: { id: string, granted: number, remaining: number, expiresAt: string } | null } }> } };

export type RefundPurchaseMutationVariables = Exact<{
  id: string | number;
  reason?: string | null | undefined;
}>;


export type RefundPurchaseMutation = { refundPurchase: { id: string, status: PurchaseStatus, clientSecret: string | null, failureMessage: string | null, refundedAt: string | null, refundReason: string | null, revokedUnits: number | null, keptUnits: number | null, createdAt: string, updatedAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string }, creditLot: { id: string, granted: number, remaining: number, expiresAt: string } | null } };

export type SubscriptionFieldsFragment = { id: string, status: SubscriptionStatus, currentPeriodStart: string | null, currentPeriodEnd: string | null, cancelAtPeriodEnd: boolean, canceledAt: string | null, clientSecret: string | null, createdAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string } };

export type StartSubscriptionMutationVariables = Exact<{
  packageId: string | number;
  paymentMethodId?: string | null | undefined;
}>;


export type StartSubscriptionMutation = { startSubscription: { id: string, status: SubscriptionStatus, currentPeriodStart: string | null, currentPeriodEnd: string | null, cancelAtPeriodEnd: boolean, canceledAt: string | null, clientSecret: string | null, createdAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string } } };

export type CancelSubscriptionMutationVariables = Exact<{
  id: string | number;
  atPeriodEnd?: boolean | null | undefined;
}>;


export type CancelSubscriptionMutation = { cancelSubscription: { id: string, status: SubscriptionStatus, currentPeriodStart: string | null, currentPeriodEnd: string | null, cancelAtPeriodEnd: boolean, canceledAt: string | null, clientSecret: string | null, createdAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string } } };

export type SubscriptionsQueryVariables = Exact<{ [key: string]: never; }>;


export type SubscriptionsQuery = { subscriptions: Array<{ id: string, status: SubscriptionStatus, currentPeriodStart: string | null, currentPeriodEnd: string | null, cancelAtPeriodEnd: boolean, canceledAt: string | null, clientSecret: string | null, createdAt: string, amount: { amount: number, currency: string }, package: { id: string, code: string, name: string } }> };

export type InvoiceFieldsFragment = { id: string, number: string, billedTo: string, issuedAt: string, paidAt: string | null, paymentMethod: string | null, paymentReference: string | null, pdfUrl: string, total: { amount: number, currency: string }, lines: Array<{ description: string, quantity: number, unitAmount: number, amount: number }>, seller: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, buyer: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, creditNotes: Array<{ id: string, number: string, pdfUrl: string }> };

export type InvoicesQueryVariables = Exact<{
  first?: number | null | undefined;
  after?: string | null | undefined;
  organizationId?: string | number | null | undefined;
}>;


export type InvoicesQuery = { invoices: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, number: string, billedTo: string, issuedAt: string, paidAt: string | null, paymentMethod: string | null, paymentReference: string | null, pdfUrl: string, total: { amount: number, currency: string }, lines: Array<{ description: string, quantity: number, unitAmount: number, amount: number }>, seller: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, buyer: { legalName: string, address: string | null, taxId: string | null, email: string | null } | null, creditNotes: Array<{ id: string, number: string, pdfUrl: string }> } }> } };

export type OpenSlotsQueryVariables = Exact<{
  input: OpenSlotsInput;
}>;


export type OpenSlotsQuery = { openSlots: Array<{ start: string, end: string, consultantId: string, localStart: string }> };

export type OpenDatesQueryVariables = Exact<{
  input: OpenSlotsInput;
}>;


export type OpenDatesQuery = { openDates: Array<string> };

export type SetWeeklyAvailabilityMutationVariables = Exact<{
  input: WeeklyAvailabilityInput;
}>;


export type SetWeeklyAvailabilityMutation = { setWeeklyAvailability: { id: string, timeZone: string, slotStepMinutes: number, bufferMinutes: number, maxSessionsPerDay: number | null, minNoticeMinutes: number, horizonDays: number, updatedAt: string, rules: Array<{ weekday: number, intervals: Array<{ start: string, end: string }> }> } };

export type AddAvailabilityExceptionMutationVariables = Exact<{
  input: AvailabilityExceptionInput;
}>;


export type AddAvailabilityExceptionMutation = { addAvailabilityException: { id: string, fromDate: string, toDate: string, kind: AvailabilityExceptionKind, reason: string | null, intervals: Array<{ start: string, end: string }> | null } };

export type ConsultantFieldsFragment = { id: string, code: string, displayName: string, title: string | null, timeZone: string, bio: string | null, languages: Array<string>, availabilityStatus: ConsultantAvailabilityStatus, hourlyRate: { amount: number, currency: string } | null, skills: Array<{ name: string, category: SkillCategory, proficiency: SkillProficiency, years: number }>, certifications: Array<{ name: string, issuer: string, issuedOn: string, expiresOn: string | null }> };

export type ConsultantQueryVariables = Exact<{
  id: string | number;
}>;


export type ConsultantQuery = { consultant: { id: string, code: string, displayName: string, title: string | null, timeZone: string, bio: string | null, languages: Array<string>, availabilityStatus: ConsultantAvailabilityStatus, hourlyRate: { amount: number, currency: string } | null, skills: Array<{ name: string, category: SkillCategory, proficiency: SkillProficiency, years: number }>, certifications: Array<{ name: string, issuer: string, issuedOn: string, expiresOn: string | null }> } | null };

export type ConsultantsQueryVariables = Exact<{
  filter?: ConsultantFilter | null | undefined;
  first?: number | null | undefined;
  after?: string | null | undefined;
}>;


export type ConsultantsQuery = { consultants: { totalCount: number, pageInfo: { hasNextPage: boolean, endCursor: string | null }, edges: Array<{ cursor: string, node: { id: string, code: string, displayName: string, title: string | null, timeZone: string, bio: string | null, languages: Array<string>, availabilityStatus: ConsultantAvailabilityStatus, hourlyRate: { amount: number, currency: string } | null, skills: Array<{ name: string, category: SkillCategory, proficiency: SkillProficiency, years: number }>, certifications: Array<{ name: string, issuer: string, issuedOn: string, expiresOn: string | null }> } }> } };

export type UpdateConsultantProfileMutationVariables = Exact<{
  input: ConsultantProfileInput;
}>;


export type UpdateConsultantProfileMutation = { updateConsultantProfile: { id: string, code: string, displayName: string, title: string | null, timeZone: string, bio: string | null, languages: Array<string>, availabilityStatus: ConsultantAvailabilityStatus, hourlyRate: { amount: number, currency: string } | null, skills: Array<{ name: string, category: SkillCategory, proficiency: SkillProficiency, years: number }>, certifications: Array<{ name: string, issuer: string, issuedOn: string, expiresOn: string | null }> } };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const BillingDetailsFieldsFragmentDoc = new TypedDocumentString(`
    fragment BillingDetailsFields on BillingDetails {
  legalName
  address
  taxId
  email
  updatedAt
}
    `, {"fragmentName":"BillingDetailsFields"}) as unknown as TypedDocumentString<BillingDetailsFieldsFragment, unknown>;
export const InvoicePartyFieldsFragmentDoc = new TypedDocumentString(`
    fragment InvoicePartyFields on InvoiceParty {
  legalName
  address
  taxId
  email
}
    `, {"fragmentName":"InvoicePartyFields"}) as unknown as TypedDocumentString<InvoicePartyFieldsFragment, unknown>;
export const CreditNoteFieldsFragmentDoc = new TypedDocumentString(`
    fragment CreditNoteFields on CreditNote {
  id
  number
  issuedAt
  reason
  total {
    amount
    currency
  }
  lines {
    description
    quantity
    unitAmount
    amount
  }
  refundMethod
  refundReference
  seller {
    ...InvoicePartyFields
  }
  buyer {
    ...InvoicePartyFields
  }
  invoice {
    id
    number
  }
  pdfUrl
}
    fragment InvoicePartyFields on InvoiceParty {
  legalName
  address
  taxId
  email
}`, {"fragmentName":"CreditNoteFields"}) as unknown as TypedDocumentString<CreditNoteFieldsFragment, unknown>;
export const PackageFieldsFragmentDoc = new TypedDocumentString(`
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}
    `, {"fragmentName":"PackageFields"}) as unknown as TypedDocumentString<PackageFieldsFragment, unknown>;
export const ConsultationFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}
    `, {"fragmentName":"ConsultationFields"}) as unknown as TypedDocumentString<ConsultationFieldsFragment, unknown>;
export const ConsultationRecordFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConsultationRecordFields on Consultation {
  actualStart
  actualEnd
  actualDurationMinutes
  outcomes {
    summary
    keyPoints
    recommendations
  }
  deliverables {
    name
    type
    description
    status
    dueDate
    fileUrl
  }
  actionItems {
    title
    assignee
    dueDate
    priority
    status
  }
  nextSteps
  internalNotes
  cancelledAt
  cancellationReason
  noShowParty
  feedback {
    overall
    expertise
    communication
    helpfulness
    wouldRecommend
    testimonial
    publicTestimonial
  }
}
    `, {"fragmentName":"ConsultationRecordFields"}) as unknown as TypedDocumentString<ConsultationRecordFieldsFragment, unknown>;
export const CreditLotFieldsFragmentDoc = new TypedDocumentString(`
    fragment CreditLotFields on CreditLot {
  id
  kind
  source
  priority
  sessionMinutes
  allowedBlockMinutes
  granted
  used
  reserved
  remaining
  expiresAt
  status
  package {
    id
    code
    name
  }
}
    `, {"fragmentName":"CreditLotFields"}) as unknown as TypedDocumentString<CreditLotFieldsFragment, unknown>;
export const UserFieldsFragmentDoc = new TypedDocumentString(`
    fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}
    `, {"fragmentName":"UserFields"}) as unknown as TypedDocumentString<UserFieldsFragment, unknown>;
export const SessionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`, {"fragmentName":"SessionFields"}) as unknown as TypedDocumentString<SessionFieldsFragment, unknown>;
export const NotificationFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  link
  subjectType
  subjectId
  readAt
  createdAt
}
    `, {"fragmentName":"NotificationFields"}) as unknown as TypedDocumentString<NotificationFieldsFragment, unknown>;
export const NotificationPreferencesFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationPreferencesFields on NotificationPreferences {
  emailReminders
  emailUpdates
  inAppReminders
  inAppUpdates
  essentialKinds
}
    `, {"fragmentName":"NotificationPreferencesFields"}) as unknown as TypedDocumentString<NotificationPreferencesFieldsFragment, unknown>;
export const CreditBalanceFieldsFragmentDoc = new TypedDocumentString(`
    fragment CreditBalanceFields on CreditSummary {
  availableCredits
  reservedCredits
  availableMinutes
  reservedMinutes
  freeTrial {
    granted
    available
    used
    expiresAt
  }
}
    `, {"fragmentName":"CreditBalanceFields"}) as unknown as TypedDocumentString<CreditBalanceFieldsFragment, unknown>;
export const NotificationDeliveryFieldsFragmentDoc = new TypedDocumentString(`
    fragment NotificationDeliveryFields on NotificationDelivery {
  id
  kind
  channel
  status
  subjectType
  subjectId
  side
  recipientUserId
  recipientEmail
  organizationId
  occurrence
  dueAt
  nextAttemptAt
  attempts
  lastError
  messageId
  sentAt
  createdAt
}
    `, {"fragmentName":"NotificationDeliveryFields"}) as unknown as TypedDocumentString<NotificationDeliveryFieldsFragment, unknown>;
export const PurchaseFieldsFragmentDoc = new TypedDocumentString(`
    fragment PurchaseFields on Purchase {
  id
  status
  amount {
    amount
    currency
  }
  clientSecret
  failureMessage
  refundedAt
  refundReason
  revokedUnits
  keptUnits
  createdAt
  updatedAt
  package {
    id
    code
    name
  }
  creditLot {
    id
    granted
    remaining
    expiresAt
  }
}
    `, {"fragmentName":"PurchaseFields"}) as unknown as TypedDocumentString<PurchaseFieldsFragment, unknown>;
export const SubscriptionFieldsFragmentDoc = new TypedDocumentString(`
    fragment SubscriptionFields on BillingSubscription {
  id
  status
  amount {
    amount
    currency
  }
  currentPeriodStart
  currentPeriodEnd
  cancelAtPeriodEnd
  canceledAt
  clientSecret
  createdAt
  package {
    id
    code
    name
  }
}
    `, {"fragmentName":"SubscriptionFields"}) as unknown as TypedDocumentString<SubscriptionFieldsFragment, unknown>;
export const InvoiceFieldsFragmentDoc = new TypedDocumentString(`
    fragment InvoiceFields on Invoice {
  id
  number
  billedTo
  issuedAt
  total {
    amount
    currency
  }
  lines {
    description
    quantity
    unitAmount
    amount
  }
  paidAt
  paymentMethod
  paymentReference
  seller {
    ...InvoicePartyFields
  }
  buyer {
    ...InvoicePartyFields
  }
  pdfUrl
  creditNotes {
    id
    number
    pdfUrl
  }
}
    fragment InvoicePartyFields on InvoiceParty {
  legalName
  address
  taxId
  email
}`, {"fragmentName":"InvoiceFields"}) as unknown as TypedDocumentString<InvoiceFieldsFragment, unknown>;
export const ConsultantFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConsultantFields on Consultant {
  id
  code
  displayName
  title
  timeZone
  bio
  languages
  availabilityStatus
  hourlyRate {
    amount
    currency
  }
  skills {
    name
    category
    proficiency
    years
  }
  certifications {
    name
    issuer
    issuedOn
    expiresOn
  }
}
    `, {"fragmentName":"ConsultantFields"}) as unknown as TypedDocumentString<ConsultantFieldsFragment, unknown>;
export const BillingDetailsDocument = new TypedDocumentString(`
    query BillingDetails($organizationId: ID) {
  billingDetails(organizationId: $organizationId) {
    ...BillingDetailsFields
  }
}
    fragment BillingDetailsFields on BillingDetails {
  legalName
  address
  taxId
  email
  updatedAt
}`) as unknown as TypedDocumentString<BillingDetailsQuery, BillingDetailsQueryVariables>;
export const UpdateBillingDetailsDocument = new TypedDocumentString(`
    mutation UpdateBillingDetails($input: BillingDetailsInput!, $organizationId: ID) {
  updateBillingDetails(input: $input, organizationId: $organizationId) {
    ...BillingDetailsFields
  }
}
    fragment BillingDetailsFields on BillingDetails {
  legalName
  address
  taxId
  email
  updatedAt
}`) as unknown as TypedDocumentString<UpdateBillingDetailsMutation, UpdateBillingDetailsMutationVariables>;
export const CreditNotesDocument = new TypedDocumentString(`
    query CreditNotes($first: Int, $after: String, $organizationId: ID) {
  creditNotes(first: $first, after: $after, organizationId: $organizationId) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...CreditNoteFields
      }
    }
  }
}
    fragment InvoicePartyFields on InvoiceParty {
  legalName
  address
  taxId
  email
}
fragment CreditNoteFields on CreditNote {
  id
  number
  issuedAt
  reason
  total {
    amount
    currency
  }
  lines {
    description
    quantity
    unitAmount
    amount
  }
  refundMethod
  refundReference
  seller {
    ...InvoicePartyFields
  }
  buyer {
    ...InvoicePartyFields
  }
  invoice {
    id
    number
  }
  pdfUrl
}`) as unknown as TypedDocumentString<CreditNotesQuery, CreditNotesQueryVariables>;
export const BookingConsultantDocument = new TypedDocumentString(`
    query BookingConsultant($id: ID!) {
  consultant(id: $id) {
    id
    code
    displayName
    title
    timeZone
    bookingFee {
      amount
      currency
    }
  }
}
    `) as unknown as TypedDocumentString<BookingConsultantQuery, BookingConsultantQueryVariables>;
export const BookingWidgetBookDocument = new TypedDocumentString(`
    mutation BookingWidgetBook($input: BookConsultationInput!) {
  bookConsultation(input: $input) {
    ...ConsultationFields
    holdExpiresAt
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<BookingWidgetBookMutation, BookingWidgetBookMutationVariables>;
export const CalendarFeedUrlDocument = new TypedDocumentString(`
    query CalendarFeedUrl {
  me {
    id
    calendarFeedUrl
  }
}
    `) as unknown as TypedDocumentString<CalendarFeedUrlQuery, CalendarFeedUrlQueryVariables>;
export const RotateCalendarFeedDocument = new TypedDocumentString(`
    mutation RotateCalendarFeed {
  rotateCalendarFeed
}
    `) as unknown as TypedDocumentString<RotateCalendarFeedMutation, RotateCalendarFeedMutationVariables>;
export const PackagesDocument = new TypedDocumentString(`
    query Packages($includeInactive: Boolean = false) {
  packages(includeInactive: $includeInactive) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<PackagesQuery, PackagesQueryVariables>;
export const PackageDocument = new TypedDocumentString(`
    query Package($id: ID!) {
  package(id: $id) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<PackageQuery, PackageQueryVariables>;
export const CreatePackageDocument = new TypedDocumentString(`
    mutation CreatePackage($input: CreatePackageInput!) {
  createPackage(input: $input) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<CreatePackageMutation, CreatePackageMutationVariables>;
export const UpdatePackageDocument = new TypedDocumentString(`
    mutation UpdatePackage($id: ID!, $input: UpdatePackageInput!) {
  updatePackage(id: $id, input: $input) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<UpdatePackageMutation, UpdatePackageMutationVariables>;
export const ArchivePackageDocument = new TypedDocumentString(`
    mutation ArchivePackage($id: ID!) {
  archivePackage(id: $id) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<ArchivePackageMutation, ArchivePackageMutationVariables>;
export const RestorePackageDocument = new TypedDocumentString(`
    mutation RestorePackage($id: ID!) {
  restorePackage(id: $id) {
    ...PackageFields
  }
}
    fragment PackageFields on Package {
  id
  code
  name
  type
  lotKind
  description
  features
  targetAudience
  credits
  sessionMinutes
  allowedBlockMinutes
  validityDays
  price {
    amount
    currency
  }
  billingCycle
  badge
  displayOrder
  maxPurchasesPerClient
  priority
  lateCancelConsumes
  purchasable
  active
}`) as unknown as TypedDocumentString<RestorePackageMutation, RestorePackageMutationVariables>;
export const BookConsultationDocument = new TypedDocumentString(`
    mutation BookConsultation($input: BookConsultationInput!) {
  bookConsultation(input: $input) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<BookConsultationMutation, BookConsultationMutationVariables>;
export const ConsultationDocument = new TypedDocumentString(`
    query Consultation($id: ID!) {
  consultation(id: $id) {
    ...ConsultationFields
    ...ConsultationRecordFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}
fragment ConsultationRecordFields on Consultation {
  actualStart
  actualEnd
  actualDurationMinutes
  outcomes {
    summary
    keyPoints
    recommendations
  }
  deliverables {
    name
    type
    description
    status
    dueDate
    fileUrl
  }
  actionItems {
    title
    assignee
    dueDate
    priority
    status
  }
  nextSteps
  internalNotes
  cancelledAt
  cancellationReason
  noShowParty
  feedback {
    overall
    expertise
    communication
    helpfulness
    wouldRecommend
    testimonial
    publicTestimonial
  }
}`) as unknown as TypedDocumentString<ConsultationQuery, ConsultationQueryVariables>;
export const MyConsultationsDocument = new TypedDocumentString(`
    query MyConsultations($filter: ConsultationFilter, $first: Int, $after: String) {
  myConsultations(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ConsultationFields
      }
    }
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<MyConsultationsQuery, MyConsultationsQueryVariables>;
export const UpcomingConsultationsDocument = new TypedDocumentString(`
    query UpcomingConsultations($days: Int, $timeZone: TimeZone) {
  upcomingConsultations(days: $days, timeZone: $timeZone) {
    date
    consultations {
      ...ConsultationFields
    }
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<UpcomingConsultationsQuery, UpcomingConsultationsQueryVariables>;
export const ConfirmConsultationDocument = new TypedDocumentString(`
    mutation ConfirmConsultation($id: ID!) {
  confirmConsultation(id: $id) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<ConfirmConsultationMutation, ConfirmConsultationMutationVariables>;
export const RescheduleConsultationDocument = new TypedDocumentString(`
    mutation RescheduleConsultation($id: ID!, $start: DateTime!, $reason: String) {
  rescheduleConsultation(id: $id, start: $start, reason: $reason) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<RescheduleConsultationMutation, RescheduleConsultationMutationVariables>;
export const RequestRescheduleDocument = new TypedDocumentString(`
    mutation RequestReschedule($id: ID!, $suggestedStarts: [DateTime!]!, $reason: String) {
  requestReschedule(id: $id, suggestedStarts: $suggestedStarts, reason: $reason) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<RequestRescheduleMutation, RequestRescheduleMutationVariables>;
export const CancelConsultationDocument = new TypedDocumentString(`
    mutation CancelConsultation($id: ID!, $reason: String) {
  cancelConsultation(id: $id, reason: $reason) {
    creditReleased
    creditState
    late
    feeRefunded {
      amount
      currency
    }
    consultation {
      ...ConsultationFields
    }
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<CancelConsultationMutation, CancelConsultationMutationVariables>;
export const StartConsultationDocument = new TypedDocumentString(`
    mutation StartConsultation($id: ID!) {
  startConsultation(id: $id) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<StartConsultationMutation, StartConsultationMutationVariables>;
export const CompleteConsultationDocument = new TypedDocumentString(`
    mutation CompleteConsultation($id: ID!, $input: CompleteConsultationInput!) {
  completeConsultation(id: $id, input: $input) {
    ...ConsultationFields
    ...ConsultationRecordFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}
fragment ConsultationRecordFields on Consultation {
  actualStart
  actualEnd
  actualDurationMinutes
  outcomes {
    summary
    keyPoints
    recommendations
  }
  deliverables {
    name
    type
    description
    status
    dueDate
    fileUrl
  }
  actionItems {
    title
    assignee
    dueDate
    priority
    status
  }
  nextSteps
  internalNotes
  cancelledAt
  cancellationReason
  noShowParty
  feedback {
    overall
    expertise
    communication
    helpfulness
    wouldRecommend
    testimonial
    publicTestimonial
  }
}`) as unknown as TypedDocumentString<CompleteConsultationMutation, CompleteConsultationMutationVariables>;
export const MarkNoShowDocument = new TypedDocumentString(`
    mutation MarkNoShow($id: ID!, $party: NoShowParty!, $reason: String) {
  markNoShow(id: $id, party: $party, reason: $reason) {
    ...ConsultationFields
    noShowParty
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<MarkNoShowMutation, MarkNoShowMutationVariables>;
export const AddConsultationAttendeesDocument = new TypedDocumentString(`
    mutation AddConsultationAttendees($id: ID!, $attendees: [AttendeeInput!]!) {
  addConsultationAttendees(id: $id, attendees: $attendees) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<AddConsultationAttendeesMutation, AddConsultationAttendeesMutationVariables>;
export const SubmitFeedbackDocument = new TypedDocumentString(`
    mutation SubmitFeedback($consultationId: ID!, $input: FeedbackInput!) {
  submitFeedback(consultationId: $consultationId, input: $input) {
    id
    overall
    expertise
    communication
    helpfulness
    wouldRecommend
    strengths
    improvements
    testimonial
    publicTestimonial
    createdAt
  }
}
    `) as unknown as TypedDocumentString<SubmitFeedbackMutation, SubmitFeedbackMutationVariables>;
export const CreditSummaryDocument = new TypedDocumentString(`
    query CreditSummary($organizationId: ID) {
  creditSummary(organizationId: $organizationId) {
    availableCredits
    reservedCredits
    availableMinutes
    reservedMinutes
    lots {
      ...CreditLotFields
    }
    expiringSoon {
      ...CreditLotFields
    }
    freeTrial {
      granted
      available
      used
      expiresAt
    }
    lifetime {
      grantedCredits
      usedCredits
      grantedMinutes
      usedMinutes
    }
  }
}
    fragment CreditLotFields on CreditLot {
  id
  kind
  source
  priority
  sessionMinutes
  allowedBlockMinutes
  granted
  used
  reserved
  remaining
  expiresAt
  status
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<CreditSummaryQuery, CreditSummaryQueryVariables>;
export const CreditLedgerDocument = new TypedDocumentString(`
    query CreditLedger($first: Int, $after: String, $organizationId: ID) {
  creditLedger(first: $first, after: $after, organizationId: $organizationId) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        id
        type
        units
        consultationId
        reference
        reason
        createdAt
        lot {
          id
          kind
          source
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreditLedgerQuery, CreditLedgerQueryVariables>;
export const GrantCreditsDocument = new TypedDocumentString(`
    mutation GrantCredits($input: GrantCreditsInput!) {
  grantCredits(input: $input) {
    ...CreditLotFields
  }
}
    fragment CreditLotFields on CreditLot {
  id
  kind
  source
  priority
  sessionMinutes
  allowedBlockMinutes
  granted
  used
  reserved
  remaining
  expiresAt
  status
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<GrantCreditsMutation, GrantCreditsMutationVariables>;
export const AdjustCreditsDocument = new TypedDocumentString(`
    mutation AdjustCredits($lotId: ID!, $units: Int!, $reason: String!) {
  adjustCredits(lotId: $lotId, units: $units, reason: $reason) {
    ...CreditLotFields
  }
}
    fragment CreditLotFields on CreditLot {
  id
  kind
  source
  priority
  sessionMinutes
  allowedBlockMinutes
  granted
  used
  reserved
  remaining
  expiresAt
  status
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<AdjustCreditsMutation, AdjustCreditsMutationVariables>;
export const MemberCreditCapsDocument = new TypedDocumentString(`
    query MemberCreditCaps {
  memberCreditCaps {
    id
    monthlySessions
    monthlyMinutes
    totalSessions
    totalMinutes
    updatedAt
    member {
      id
      email
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<MemberCreditCapsQuery, MemberCreditCapsQueryVariables>;
export const SetMemberCreditCapDocument = new TypedDocumentString(`
    mutation SetMemberCreditCap($input: MemberCreditCapInput!) {
  setMemberCreditCap(input: $input) {
    id
    monthlySessions
    monthlyMinutes
    totalSessions
    totalMinutes
    member {
      id
    }
  }
}
    `) as unknown as TypedDocumentString<SetMemberCreditCapMutation, SetMemberCreditCapMutationVariables>;
export const RegisterDocument = new TypedDocumentString(`
    mutation Register($input: RegisterInput!) {
  register(input: $input) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<RegisterMutation, RegisterMutationVariables>;
export const VerifyEmailDocument = new TypedDocumentString(`
    mutation VerifyEmail($token: String!) {
  verifyEmail(token: $token) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<VerifyEmailMutation, VerifyEmailMutationVariables>;
export const ResendVerificationDocument = new TypedDocumentString(`
    mutation ResendVerification($email: String!) {
  resendVerification(email: $email)
}
    `) as unknown as TypedDocumentString<ResendVerificationMutation, ResendVerificationMutationVariables>;
export const LoginDocument = new TypedDocumentString(`
    mutation Login($email: String!, $password: String!) {
  login(email: $email, password: $password) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<LoginMutation, LoginMutationVariables>;
export const RefreshTokenDocument = new TypedDocumentString(`
    mutation RefreshToken($refreshToken: String!) {
  refreshToken(refreshToken: $refreshToken) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<RefreshTokenMutation, RefreshTokenMutationVariables>;
export const LogoutDocument = new TypedDocumentString(`
    mutation Logout {
  logout
}
    `) as unknown as TypedDocumentString<LogoutMutation, LogoutMutationVariables>;
export const RequestPasswordResetDocument = new TypedDocumentString(`
    mutation RequestPasswordReset($email: String!) {
  requestPasswordReset(email: $email)
}
    `) as unknown as TypedDocumentString<RequestPasswordResetMutation, RequestPasswordResetMutationVariables>;
export const ResetPasswordDocument = new TypedDocumentString(`
    mutation ResetPassword($token: String!, $newPassword: String!) {
  resetPassword(token: $token, newPassword: $newPassword)
}
    `) as unknown as TypedDocumentString<ResetPasswordMutation, ResetPasswordMutationVariables>;
export const SwitchOrganizationDocument = new TypedDocumentString(`
    mutation SwitchOrganization($organizationId: ID!) {
  switchOrganization(organizationId: $organizationId) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<SwitchOrganizationMutation, SwitchOrganizationMutationVariables>;
export const MeDocument = new TypedDocumentString(`
    query Me {
  me {
    ...UserFields
    organizations {
      role
      active
      organization {
        id
        name
        type
      }
    }
  }
}
    fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<MeQuery, MeQueryVariables>;
export const OrganizationDocument = new TypedDocumentString(`
    query Organization {
  organization {
    id
    name
    type
    createdAt
  }
}
    `) as unknown as TypedDocumentString<OrganizationQuery, OrganizationQueryVariables>;
export const MembersDocument = new TypedDocumentString(`
    query Members {
  members {
    role
    createdAt
    user {
      id
      email
      displayName
    }
  }
}
    `) as unknown as TypedDocumentString<MembersQuery, MembersQueryVariables>;
export const InvitationsDocument = new TypedDocumentString(`
    query Invitations {
  invitations {
    id
    email
    role
    status
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InvitationsQuery, InvitationsQueryVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($email: String!, $role: OrgRole = MEMBER) {
  inviteMember(email: $email, role: $role) {
    id
    email
    role
    status
    expiresAt
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RevokeInvitationDocument = new TypedDocumentString(`
    mutation RevokeInvitation($id: ID!) {
  revokeInvitation(id: $id) {
    id
    status
  }
}
    `) as unknown as TypedDocumentString<RevokeInvitationMutation, RevokeInvitationMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($token: String!, $password: String, $profile: ProfileInput, $timeZone: TimeZone) {
  acceptInvitation(
    token: $token
    password: $password
    profile: $profile
    timeZone: $timeZone
  ) {
    ...SessionFields
  }
}
    fragment SessionFields on AuthPayload {
  accessToken
  accessTokenExpiresAt
  refreshToken
  user {
    ...UserFields
  }
}
fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($userId: ID!) {
  removeMember(userId: $userId)
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const ChangeMemberRoleDocument = new TypedDocumentString(`
    mutation ChangeMemberRole($userId: ID!, $role: OrgRole!) {
  changeMemberRole(userId: $userId, role: $role) {
    role
    user {
      id
      email
    }
  }
}
    `) as unknown as TypedDocumentString<ChangeMemberRoleMutation, ChangeMemberRoleMutationVariables>;
export const CreateAdminDocument = new TypedDocumentString(`
    mutation CreateAdmin($input: CreateAdminInput!) {
  createAdmin(input: $input) {
    ...UserFields
  }
}
    fragment UserFields on User {
  id
  email
  role
  roles
  firstName
  lastName
  displayName
  title
  phone
  timeZone
  emailVerified
  createdAt
  organizationRole
  organization {
    id
    name
    type
  }
  clientProfile {
    id
    code
  }
  consultantProfile {
    id
    code
  }
}`) as unknown as TypedDocumentString<CreateAdminMutation, CreateAdminMutationVariables>;
export const NotificationsDocument = new TypedDocumentString(`
    query Notifications($unreadOnly: Boolean, $first: Int, $after: String) {
  notifications(unreadOnly: $unreadOnly, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...NotificationFields
      }
    }
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  link
  subjectType
  subjectId
  readAt
  createdAt
}`) as unknown as TypedDocumentString<NotificationsQuery, NotificationsQueryVariables>;
export const InboxDocument = new TypedDocumentString(`
    query Inbox {
  me {
    id
    unreadNotificationCount
    notificationPreferences {
      ...NotificationPreferencesFields
    }
  }
}
    fragment NotificationPreferencesFields on NotificationPreferences {
  emailReminders
  emailUpdates
  inAppReminders
  inAppUpdates
  essentialKinds
}`) as unknown as TypedDocumentString<InboxQuery, InboxQueryVariables>;
export const MarkNotificationReadDocument = new TypedDocumentString(`
    mutation MarkNotificationRead($id: ID!) {
  markNotificationRead(id: $id) {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  link
  subjectType
  subjectId
  readAt
  createdAt
}`) as unknown as TypedDocumentString<MarkNotificationReadMutation, MarkNotificationReadMutationVariables>;
export const MarkAllNotificationsReadDocument = new TypedDocumentString(`
    mutation MarkAllNotificationsRead {
  markAllNotificationsRead
}
    `) as unknown as TypedDocumentString<MarkAllNotificationsReadMutation, MarkAllNotificationsReadMutationVariables>;
export const UpdateNotificationPreferencesDocument = new TypedDocumentString(`
    mutation UpdateNotificationPreferences($input: NotificationPreferencesInput!) {
  updateNotificationPreferences(input: $input) {
    ...NotificationPreferencesFields
  }
}
    fragment NotificationPreferencesFields on NotificationPreferences {
  emailReminders
  emailUpdates
  inAppReminders
  inAppUpdates
  essentialKinds
}`) as unknown as TypedDocumentString<UpdateNotificationPreferencesMutation, UpdateNotificationPreferencesMutationVariables>;
export const ConsultationUpdatedDocument = new TypedDocumentString(`
    subscription ConsultationUpdated($id: ID) {
  consultationUpdated(id: $id) {
    ...ConsultationFields
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<ConsultationUpdatedSubscription, ConsultationUpdatedSubscriptionVariables>;
export const ConsultantScheduleDocument = new TypedDocumentString(`
    subscription ConsultantSchedule($consultantId: ID!) {
  consultantSchedule(consultantId: $consultantId) {
    kind
    at
    previousStart
    consultation {
      ...ConsultationFields
    }
  }
}
    fragment ConsultationFields on Consultation {
  id
  code
  status
  start
  end
  localStart
  durationMinutes
  bufferMinutes
  purpose
  notes
  skills
  usedFreeTrial
  creditState
  rescheduleCount
  lateRescheduledAt
  createdAt
  updatedAt
  attendees {
    name
    email
    role
  }
  assignment {
    reason
    score
    candidates
  }
  client {
    id
    displayName
    organizationName
  }
  consultant {
    id
    code
    displayName
    timeZone
  }
  meeting {
    provider
    status
    joinUrl
    passcode
    dialIn
    hostUrl
  }
  payment {
    method
    creditState
    credits {
      lotId
      units
    }
    fee {
      amount
      currency
    }
    clientSecret
    feeRefunded
  }
  rescheduleRequest {
    suggestedStarts
    reason
    requestedAt
  }
  history {
    event
    fromStatus
    toStatus
    actorRole
    reason
    at
  }
}`) as unknown as TypedDocumentString<ConsultantScheduleSubscription, ConsultantScheduleSubscriptionVariables>;
export const CreditBalanceChangedDocument = new TypedDocumentString(`
    subscription CreditBalanceChanged($organizationId: ID) {
  creditBalanceChanged(organizationId: $organizationId) {
    ...CreditBalanceFields
  }
}
    fragment CreditBalanceFields on CreditSummary {
  availableCredits
  reservedCredits
  availableMinutes
  reservedMinutes
  freeTrial {
    granted
    available
    used
    expiresAt
  }
}`) as unknown as TypedDocumentString<CreditBalanceChangedSubscription, CreditBalanceChangedSubscriptionVariables>;
export const NotificationReceivedDocument = new TypedDocumentString(`
    subscription NotificationReceived {
  notificationReceived {
    ...NotificationFields
  }
}
    fragment NotificationFields on Notification {
  id
  kind
  title
  body
  link
  subjectType
  subjectId
  readAt
  createdAt
}`) as unknown as TypedDocumentString<NotificationReceivedSubscription, NotificationReceivedSubscriptionVariables>;
export const NotificationDeliveriesDocument = new TypedDocumentString(`
    query NotificationDeliveries($status: DeliveryStatus, $first: Int, $after: String) {
  notificationDeliveries(status: $status, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...NotificationDeliveryFields
      }
    }
  }
}
    fragment NotificationDeliveryFields on NotificationDelivery {
  id
  kind
  channel
  status
  subjectType
  subjectId
  side
  recipientUserId
  recipientEmail
  organizationId
  occurrence
  dueAt
  nextAttemptAt
  attempts
  lastError
  messageId
  sentAt
  createdAt
}`) as unknown as TypedDocumentString<NotificationDeliveriesQuery, NotificationDeliveriesQueryVariables>;
export const PurchasePackageDocument = new TypedDocumentString(`
    mutation PurchasePackage($input: PurchasePackageInput!) {
  purchasePackage(input: $input) {
    ...PurchaseFields
  }
}
    fragment PurchaseFields on Purchase {
  id
  status
  amount {
    amount
    currency
  }
  clientSecret
  failureMessage
  refundedAt
  refundReason
  revokedUnits
  keptUnits
  createdAt
  updatedAt
  package {
    id
    code
    name
  }
  creditLot {
    id
    granted
    remaining
    expiresAt
  }
}`) as unknown as TypedDocumentString<PurchasePackageMutation, PurchasePackageMutationVariables>;
export const PurchaseDocument = new TypedDocumentString(`
    query Purchase($id: ID!) {
  purchase(id: $id) {
    ...PurchaseFields
  }
}
    fragment PurchaseFields on Purchase {
  id
  status
  amount {
    amount
    currency
  }
  clientSecret
  failureMessage
  refundedAt
  refundReason
  revokedUnits
  keptUnits
  createdAt
  updatedAt
  package {
    id
    code
    name
  }
  creditLot {
    id
    granted
    remaining
    expiresAt
  }
}`) as unknown as TypedDocumentString<PurchaseQuery, PurchaseQueryVariables>;
export const PurchasesDocument = new TypedDocumentString(`
    query Purchases($first: Int, $after: String, $organizationId: ID) {
  purchases(first: $first, after: $after, organizationId: $organizationId) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...PurchaseFields
      }
    }
  }
}
    fragment PurchaseFields on Purchase {
  id
  status
  amount {
    amount
    currency
  }
  clientSecret
  failureMessage
  refundedAt
  refundReason
  revokedUnits
  keptUnits
  createdAt
  updatedAt
  package {
    id
    code
    name
  }
  creditLot {
    id
    granted
    remaining
    expiresAt
  }
}`) as unknown as TypedDocumentString<PurchasesQuery, PurchasesQueryVariables>;
export const RefundPurchaseDocument = new TypedDocumentString(`
    mutation RefundPurchase($id: ID!, $reason: String) {
  refundPurchase(id: $id, reason: $reason) {
    ...PurchaseFields
  }
}
    fragment PurchaseFields on Purchase {
  id
  status
  amount {
    amount
    currency
  }
  clientSecret
  failureMessage
  refundedAt
  refundReason
  revokedUnits
  keptUnits
  createdAt
  updatedAt
  package {
    id
    code
    name
  }
  creditLot {
    id
    granted
    remaining
    expiresAt
  }
}`) as unknown as TypedDocumentString<RefundPurchaseMutation, RefundPurchaseMutationVariables>;
export const StartSubscriptionDocument = new TypedDocumentString(`
    mutation StartSubscription($packageId: ID!, $paymentMethodId: String) {
  startSubscription(packageId: $packageId, paymentMethodId: $paymentMethodId) {
    ...SubscriptionFields
  }
}
    fragment SubscriptionFields on BillingSubscription {
  id
  status
  amount {
    amount
    currency
  }
  currentPeriodStart
  currentPeriodEnd
  cancelAtPeriodEnd
  canceledAt
  clientSecret
  createdAt
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<StartSubscriptionMutation, StartSubscriptionMutationVariables>;
export const CancelSubscriptionDocument = new TypedDocumentString(`
    mutation CancelSubscription($id: ID!, $atPeriodEnd: Boolean) {
  cancelSubscription(id: $id, atPeriodEnd: $atPeriodEnd) {
    ...SubscriptionFields
  }
}
    fragment SubscriptionFields on BillingSubscription {
  id
  status
  amount {
    amount
    currency
  }
  currentPeriodStart
  currentPeriodEnd
  cancelAtPeriodEnd
  canceledAt
  clientSecret
  createdAt
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<CancelSubscriptionMutation, CancelSubscriptionMutationVariables>;
export const SubscriptionsDocument = new TypedDocumentString(`
    query Subscriptions {
  subscriptions {
    ...SubscriptionFields
  }
}
    fragment SubscriptionFields on BillingSubscription {
  id
  status
  amount {
    amount
    currency
  }
  currentPeriodStart
  currentPeriodEnd
  cancelAtPeriodEnd
  canceledAt
  clientSecret
  createdAt
  package {
    id
    code
    name
  }
}`) as unknown as TypedDocumentString<SubscriptionsQuery, SubscriptionsQueryVariables>;
export const InvoicesDocument = new TypedDocumentString(`
    query Invoices($first: Int, $after: String, $organizationId: ID) {
  invoices(first: $first, after: $after, organizationId: $organizationId) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...InvoiceFields
      }
    }
  }
}
    fragment InvoicePartyFields on InvoiceParty {
  legalName
  address
  taxId
  email
}
fragment InvoiceFields on Invoice {
  id
  number
  billedTo
  issuedAt
  total {
    amount
    currency
  }
  lines {
    description
    quantity
    unitAmount
    amount
  }
  paidAt
  paymentMethod
  paymentReference
  seller {
    ...InvoicePartyFields
  }
  buyer {
    ...InvoicePartyFields
  }
  pdfUrl
  creditNotes {
    id
    number
    pdfUrl
  }
}`) as unknown as TypedDocumentString<InvoicesQuery, InvoicesQueryVariables>;
export const OpenSlotsDocument = new TypedDocumentString(`
    query OpenSlots($input: OpenSlotsInput!) {
  openSlots(input: $input) {
    start
    end
    consultantId
    localStart
  }
}
    `) as unknown as TypedDocumentString<OpenSlotsQuery, OpenSlotsQueryVariables>;
export const OpenDatesDocument = new TypedDocumentString(`
    query OpenDates($input: OpenSlotsInput!) {
  openDates(input: $input)
}
    `) as unknown as TypedDocumentString<OpenDatesQuery, OpenDatesQueryVariables>;
export const SetWeeklyAvailabilityDocument = new TypedDocumentString(`
    mutation SetWeeklyAvailability($input: WeeklyAvailabilityInput!) {
  setWeeklyAvailability(input: $input) {
    id
    timeZone
    slotStepMinutes
    bufferMinutes
    maxSessionsPerDay
    minNoticeMinutes
    horizonDays
    updatedAt
    rules {
      weekday
      intervals {
        start
        end
      }
    }
  }
}
    `) as unknown as TypedDocumentString<SetWeeklyAvailabilityMutation, SetWeeklyAvailabilityMutationVariables>;
export const AddAvailabilityExceptionDocument = new TypedDocumentString(`
    mutation AddAvailabilityException($input: AvailabilityExceptionInput!) {
  addAvailabilityException(input: $input) {
    id
    fromDate
    toDate
    kind
    reason
    intervals {
      start
      end
    }
  }
}
    `) as unknown as TypedDocumentString<AddAvailabilityExceptionMutation, AddAvailabilityExceptionMutationVariables>;
export const ConsultantDocument = new TypedDocumentString(`
    query Consultant($id: ID!) {
  consultant(id: $id) {
    ...ConsultantFields
  }
}
    fragment ConsultantFields on Consultant {
  id
  code
  displayName
  title
  timeZone
  bio
  languages
  availabilityStatus
  hourlyRate {
    amount
    currency
  }
  skills {
    name
    category
    proficiency
    years
  }
  certifications {
    name
    issuer
    issuedOn
    expiresOn
  }
}`) as unknown as TypedDocumentString<ConsultantQuery, ConsultantQueryVariables>;
export const ConsultantsDocument = new TypedDocumentString(`
    query Consultants($filter: ConsultantFilter, $first: Int, $after: String) {
  consultants(filter: $filter, first: $first, after: $after) {
    totalCount
    pageInfo {
      hasNextPage
      endCursor
    }
    edges {
      cursor
      node {
        ...ConsultantFields
      }
    }
  }
}
    fragment ConsultantFields on Consultant {
  id
  code
  displayName
  title
  timeZone
  bio
  languages
  availabilityStatus
  hourlyRate {
    amount
    currency
  }
  skills {
    name
    category
    proficiency
    years
  }
  certifications {
    name
    issuer
    issuedOn
    expiresOn
  }
}`) as unknown as TypedDocumentString<ConsultantsQuery, ConsultantsQueryVariables>;
export const UpdateConsultantProfileDocument = new TypedDocumentString(`
    mutation UpdateConsultantProfile($input: ConsultantProfileInput!) {
  updateConsultantProfile(input: $input) {
    ...ConsultantFields
  }
}
    fragment ConsultantFields on Consultant {
  id
  code
  displayName
  title
  timeZone
  bio
  languages
  availabilityStatus
  hourlyRate {
    amount
    currency
  }
  skills {
    name
    category
    proficiency
    years
  }
  certifications {
    name
    issuer
    issuedOn
    expiresOn
  }
}`) as unknown as TypedDocumentString<UpdateConsultantProfileMutation, UpdateConsultantProfileMutationVariables>;