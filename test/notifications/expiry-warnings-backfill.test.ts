/**
 * The migration that writes the expiry warnings of lots granted before the credit messages
 * existed (migrations/…_expiry_warnings_for_existing_lots.ts): lots granted with no handler
 * listening stand for them.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPIRY_WARNINGS_FOR_EXISTING_LOTS } from '../../migrations/Migration20261201153137_expiry_warnings_for_existing_lots.js';
import { CreditSource } from '../../src/credits/credits.enums.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { Membership, Organization } from '../../src/identity/organization.entity.js';
import { User } from '../../src/identity/user.entity.js';
import { composeMessage } from '../../src/notifications/compose.js';
import { NotificationDelivery } from '../../src/notifications/delivery.entity.js';
import { DomainEvents } from '../../src/platform/events.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

const DAY = 86_400_000;
let harness: ServiceHarness;
beforeAll(async () => {
  harness = await startServiceHarness();
});
afterAll(() => harness?.stop());

/** An organization with two owners and a member, and lots granted as before the messages (nothing listens). */
async function oldOrganization(lots: Array<{ days: number; units: number; usedUp?: boolean }>) {
  const em = harness.acrossTenants();
  const tag = randomUUID().slice(0, 8);
  const org = em.create(Organization, { name: `Old ${tag}`, type: 'COMPANY' });
  const users = ['owner-a', 'owner-b', 'member'].map((name) =>
    em.create(User, { email: `${name}-${tag}@old.test`, passwordHash: 'x', role: 'CLIENT', firstName: name, lastName: tag, timeZone: 'Europe/Berlin' }),
  );
  users.forEach((user, i) => em.create(Membership, { organization: org, user, role: i < 2 ? 'OWNER' : 'MEMBER' }));
  await em.flush();
  const granted = [];
  for (const lot of lots) {
    granted.push(
      await em.transactional(async (tx) => {
        const credits = new CreditsService(tx, new DomainEvents({}));
        const row = await credits.grant({ organizationId: org.id, source: CreditSource.PURCHASE, kind: 'SESSION', units: lot.units, sessionMinutes: 60, expiresAt: new Date(Date.now() + lot.days * DAY) });
        if (lot.usedUp) await credits.revokeUnused(row.id, { reason: 'refunded' });
        return row;
      }),
    );
  }
  return { org, owners: users.slice(0, 2), member: users[2]!, lots: granted };
}

const backfill = () => harness.acrossTenants().getConnection().execute(EXPIRY_WARNINGS_FOR_EXISTING_LOTS, [], 'run');
const warningsOf = (lotIds: string[]) => harness.acrossTenants().find(NotificationDelivery, { subjectId: { $in: lotIds } }, { orderBy: { kind: 'asc', recipientKey: 'asc', channel: 'asc' } });

describe('expiry warnings for lots granted before the credit messages', () => {
  it('writes each warning still ahead once, for each owner on both channels; a used-up lot gets none; a rerun writes nothing', async () => {
    const world = await oldOrganization([
      { days: 10, units: 5 }, // both warnings ahead
      { days: 3, units: 2 }, // only the 1-day one
      { days: 12, units: 2, usedUp: true }, // nothing free: nothing to warn of
    ]);
    const [both, soon, empty] = world.lots;
    expect(await warningsOf(world.lots.map((l) => l.id))).toHaveLength(0);

    await backfill();

    const rows = await warningsOf(world.lots.map((l) => l.id));
    const owners = world.owners.map((u) => u.id).sort();
    const summary = (lotId: string) =>
      rows.filter((r) => r.subjectId === lotId).map((r) => [r.kind, r.channel, r.recipientUserId, r.dueAt.toISOString()]);
    const due = (lot: typeof both, days: number) => new Date(lot!.expiresAt.getTime() - days * DAY).toISOString();
    expect(summary(both!.id)).toEqual(
      (['CREDITS_EXPIRING_1D', 'CREDITS_EXPIRING_7D'] as const).flatMap((kind) =>
        owners.flatMap((owner) => ['EMAIL', 'IN_APP'].map((channel) => [kind, channel, owner, due(both, kind === 'CREDITS_EXPIRING_7D' ? 7 : 1)])),
      ),
    );
    expect(summary(soon!.id)).toEqual(owners.flatMap((owner) => ['EMAIL', 'IN_APP'].map((channel) => ['CREDITS_EXPIRING_1D', channel, owner, due(soon, 1)])));
    expect(summary(empty!.id)).toEqual([]);
    expect(rows.every((r) => r.status === 'PENDING' && r.organizationId === world.org.id && r.recipientUserId !== world.member.id)).toBe(true);
    expect(new Set(rows.map((r) => r.messageId)).size).toBe(rows.length);

    // Rows the dispatcher can send: they compose as the grant's own would.
    const message = await composeMessage(harness.acrossTenants(), rows.find((r) => r.channel === 'EMAIL' && r.subjectId === both!.id)!, { publicUrl: 'https://app.serenity.test' });
    expect(message?.subject).toContain(world.org.name);

    await backfill();
    expect(await warningsOf(world.lots.map((l) => l.id))).toHaveLength(rows.length);
  });
});
