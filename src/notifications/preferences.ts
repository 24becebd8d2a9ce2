import type { EntityManager } from '@mikro-orm/postgresql';
import { errors } from '../platform/errors.js';
import { query } from '../platform/sql.js';
import type { NotificationDelivery } from './delivery.entity.js';
import { selectPreferences, upsertPreferences } from './inbox.sql.js';
import { DEFAULT_PREFERENCES, isEssential, wants, type Preferences } from './preferences.rules.js';

/** A user's switches (the defaults when they never chose). */
export async function preferencesOf(em: EntityManager, userId: string): Promise<Preferences> {
  const [row] = await query<Preferences>(em, selectPreferences(userId));
  return row ?? { ...DEFAULT_PREFERENCES };
}

/**
 * The dispatcher's `wanted` hook: false → the delivery is SKIPPED. Essential kinds always go;
 * an address without an account (an attendee) has no preferences, so everything goes to it.
 */
export async function notificationWanted(em: EntityManager, delivery: NotificationDelivery): Promise<boolean> {
  if (isEssential(delivery.kind) || !delivery.recipientUserId) return true;
  return wants(await preferencesOf(em, delivery.recipientUserId), delivery.kind, delivery.channel);
}

export type PreferencesChange = { [K in keyof Preferences]?: boolean | null };

const SWITCHES: ReadonlyArray<keyof Preferences> = ['emailReminders', 'emailUpdates', 'inAppReminders', 'inAppUpdates'];

/**
 * Sets the switches the change names (the others stay). An explicit null is refused (say true
 * or false, or leave it out), and so is a change naming none.
 */
export async function updatePreferences(em: EntityManager, userId: string, change: PreferencesChange, at = new Date()): Promise<Preferences> {
  for (const name of SWITCHES) {
    if (change[name] === null) throw errors.badInput(`${name} must be true or false; leave it out to keep it as it is.`, `input.${name}`);
  }
  if (SWITCHES.every((name) => change[name] === undefined)) {
    throw errors.badInput(`Name at least one of ${SWITCHES.join(', ')} to change.`, 'input');
  }
  const [row] = await query<Preferences>(
    em,
    upsertPreferences(userId, { emailReminders: change.emailReminders ?? null, emailUpdates: change.emailUpdates ?? null, inAppReminders: change.inAppReminders ?? null, inAppUpdates: change.inAppUpdates ?? null }, at),
  );
  return row!;
}
