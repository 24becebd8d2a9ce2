import type { BookingFeeSettlement } from '../payments/booking-fee.js';
import type { ModuleManifest } from '../platform/module.js';
import { Consultation, ConsultationFeedback, ConsultationStatusChange } from './consultation.entity.js';
import { expireHoldsJob } from './consultations.jobs.js';
import { ConsultationResolver } from './consultations.resolver.js';
import { FeeHoldService } from './fee-hold.service.js';
import { ConsultationLiveResolver, publishConsultationChange } from './live.js';
import { consultationInvariants } from './invariants.sql.js';

/** Consultations: booking, the lifecycle, feedback; holds that were never paid lapse. */
export const consultationsModule: ModuleManifest = {
  name: 'consultations',
  entities: [Consultation, ConsultationStatusChange, ConsultationFeedback],
  resolvers: [ConsultationResolver, ConsultationLiveResolver],
  jobs: [expireHoldsJob],
  // Live status: every change reaches the subscribers of every instance once it commits.
  eventHandlers: { 'consultation.changed': [publishConsultationChange] },
  routes: [],
  seeders: [],
  invariants: consultationInvariants,
};

/** Payments' webhook reaches a paid booking fee through this (payments sits below consultations). */
export const settleBookingFee: BookingFeeSettlement = (em, intent, now, { payments, events, config }) => new FeeHoldService(em, events, { payments, config }).settleFee(em, intent, now);
