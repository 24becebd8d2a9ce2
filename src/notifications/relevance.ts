import type { EntityManager } from '@mikro-orm/postgresql';
import { consultationMessageRelevant } from './consultation-messages.js';
import { creditLotMessageRelevant, organizationMessageRelevant, subscriptionMessageRelevant } from './credit-relevance.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { meetingMessageRelevant } from './meeting-messages.js';
import { SubjectType } from './notification.enums.js';

/** Whether a due delivery of one subject type still makes sense at `now`; false → SKIPPED. */
export type SubjectRelevance = (em: EntityManager, delivery: NotificationDelivery, now: Date) => Promise<boolean>;

/** Each subject type's check; a subject type without one is always relevant (a message that goes at once). */
const RELEVANCE: Partial<Record<SubjectType, SubjectRelevance>> = {
  [SubjectType.CONSULTATION]: consultationMessageRelevant,
  [SubjectType.CREDIT_LOT]: creditLotMessageRelevant,
  [SubjectType.ORGANIZATION]: organizationMessageRelevant,
  [SubjectType.SUBSCRIPTION]: subscriptionMessageRelevant,
  [SubjectType.MEETING]: meetingMessageRelevant,
};

/** The dispatcher's `relevant` hook: the delivery's subject type decides. */
export function messageRelevant(em: EntityManager, delivery: NotificationDelivery, now: Date): Promise<boolean> {
  const check = RELEVANCE[delivery.subjectType];
  return check ? check(em, delivery, now) : Promise.resolve(true);
}
