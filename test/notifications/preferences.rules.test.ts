import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DeliveryChannel, MessageKind } from '../../src/notifications/notification.enums.js';
import { categoryOf, DEFAULT_PREFERENCES, ESSENTIAL_KINDS, isEssential, wants, type Preferences } from '../../src/notifications/preferences.rules.js';

const kinds = Object.values(MessageKind);
const kind = fc.constantFrom(...kinds);
const channel = fc.constantFrom(DeliveryChannel.EMAIL, DeliveryChannel.IN_APP);
const preferences: fc.Arbitrary<Preferences> = fc.record({ emailReminders: fc.boolean(), emailUpdates: fc.boolean(), inAppReminders: fc.boolean(), inAppUpdates: fc.boolean() });
const SWITCHES = ['emailReminders', 'emailUpdates', 'inAppReminders', 'inAppUpdates'] as const;

/** The one switch that governs a non-essential kind on a channel. */
function switchFor(k: MessageKind, c: DeliveryChannel): (typeof SWITCHES)[number] {
  const reminder = categoryOf(k) === 'REMINDER';
  if (c === DeliveryChannel.EMAIL) return reminder ? 'emailReminders' : 'emailUpdates';
  return reminder ? 'inAppReminders' : 'inAppUpdates';
}

describe('which messages a person may turn off', () => {
  it('verification, reset, invitation, booking confirmation, cancellation (and the other booking changes), money and a meeting that could not be made are essential; reminders and updates are not', () => {
    expect([...ESSENTIAL_KINDS].sort()).toEqual(
      [
        'VERIFY_EMAIL', 'PASSWORD_RESET', 'INVITATION', 'BOOKING_CONFIRMED', 'CONSULTATION_CANCELLED', 'CONSULTATION_RESCHEDULED', 'RESCHEDULE_REQUESTED', 'HOLD_EXPIRED', 'MEETING_LINK',
        'PAYMENT_CONFIRMED', 'REFUND_PROCESSED', 'SUBSCRIPTION_PAYMENT_FAILED', 'MEETING_FAILED',
      ].sort(),
    );
    expect(kinds.filter((k) => categoryOf(k) === 'REMINDER').sort()).toEqual(['CREDITS_EXPIRING_1D', 'CREDITS_EXPIRING_7D', 'LOW_CREDIT', 'REMINDER_1H', 'REMINDER_24H', 'SUBSCRIPTION_RENEWAL_UPCOMING']);
    expect(kinds.filter((k) => categoryOf(k) === 'UPDATE').sort()).toEqual(['CREDITS_EXPIRED', 'FEEDBACK_REQUEST', 'FREE_TRIAL_GRANTED', 'SESSION_COMPLETED', 'SESSION_STARTED']);
  });

  it('an essential message goes whatever the preferences, on every channel', () => {
    fc.assert(
      fc.property(preferences, kind, channel, (p, k, c) => {
        fc.pre(isEssential(k));
        expect(wants(p, k, c)).toBe(true);
      }),
    );
  });

  it('with nothing turned off, everything goes', () => {
    fc.assert(
      fc.property(kind, channel, (k, c) => {
        expect(wants(DEFAULT_PREFERENCES, k, c)).toBe(true);
      }),
    );
  });

  it('a non-essential message goes exactly when its own switch (channel × reminders/updates) is on, whatever the other three say', () => {
    fc.assert(
      fc.property(preferences, kind, channel, fc.constantFrom(...SWITCHES), (p, k, c, other) => {
        fc.pre(!isEssential(k));
        const own = switchFor(k, c);
        expect(wants(p, k, c)).toBe(p[own]);
        fc.pre(other !== own);
        expect(wants({ ...p, [other]: !p[other] }, k, c)).toBe(wants(p, k, c));
      }),
    );
  });

  it('turning a switch off never makes a message go that did not before (monotone)', () => {
    fc.assert(
      fc.property(preferences, kind, channel, fc.constantFrom(...SWITCHES), (p, k, c, name) => {
        if (!wants(p, k, c)) expect(wants({ ...p, [name]: false }, k, c)).toBe(false);
      }),
    );
  });
});
