import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { catalogSeeder } from '../../src/catalog/catalog.seed.js';
import { CreditLot, MemberCreditCap } from '../../src/credits/credit-lot.entity.js';
import { CreditsService } from '../../src/credits/credits.service.js';
import { Membership, Organization } from '../../src/identity/organization.entity.js';
import { User } from '../../src/identity/user.entity.js';
import type { EntityManager, MikroORM } from '../../src/platform/db.js';
import { DomainEvents, type CreditsChange } from '../../src/platform/events.js';
import { holdLots } from '../support/credit-locks.js';
import { startServiceHarness, type ServiceHarness } from '../support/service-harness.js';

let harness: ServiceHarness;
let orm: MikroORM;
const DAY = 86_400_000;

beforeAll(async () => {
  harness = await startServiceHarness({ seeders: [catalogSeeder] });
  ({ orm } = harness);
});
afterAll(() => harness.stop());

/** A fork that sees every tenant, as jobs and these service tests do. */
function em(): EntityManager {
  return harness.acrossTenants();
}

/** A 60-minute session ending `endsIn` ms from now. */
function slot(endsIn: number, minutes = 60) {
  const sessionEnd = new Date(Date.now() + endsIn);
  return { sessionStart: new Date(sessionEnd.getTime() - minutes * 60_000), sessionEnd };
}

async function organization(): Promise<string> {
  const fork = em();
  const org = fork.create(Organization, { name: `Org ${randomUUID().slice(0, 8)}`, type: 'COMPANY' });
  await fork.flush();
  return org.id;
}

/** Every credits.changed emitted, in order, with whether a transaction was open when it was. */
const changes: Array<CreditsChange & { inTransaction: boolean }> = [];
const events = new DomainEvents({ 'credits.changed': [async (change, tx) => void changes.push({ ...change, inTransaction: tx.isInTransaction() })] });

function inTx<T>(run: (service: CreditsService, tx: EntityManager) => Promise<T>): Promise<T> {
  return em().transactional((tx) => run(new CreditsService(tx, events), tx));
}

/** The changes of one organization since `from`, as [type, units] per change. */
const movedSince = (organizationId: string, from: number) =>
  changes.slice(from).filter((c) => c.organizationId === organizationId).map((c) => c.movements.map((m) => [m.type, m.units]));

async function grantSessions(organizationId: string, units: number, options: { minutes?: number; days?: number; source?: 'PURCHASE' | 'PROMOTIONAL' } = {}) {
  return inTx((credits) =>
    credits.grant({
      organizationId,
      source: options.source ?? 'PURCHASE',
      kind: 'SESSION',
      units,
      sessionMinutes: options.minutes ?? 60,
      expiresAt: new Date(Date.now() + (options.days ?? 30) * DAY),
    }),
  );
}

async function adminId(): Promise<string> {
  const fork = em();
  const admin = fork.create(User, { email: `admin-${randomUUID().slice(0, 8)}@serenity.test`, passwordHash: 'x', role: 'ADMIN', firstName: 'Ad', lastName: 'Min' });
  await fork.flush();
  return admin.id;
}

async function lot(id: string): Promise<CreditLot> {
  return em().findOneOrFail(CreditLot, id);
}

/** I4 from the ledger alone: every term of every lot of the organization, summed from entries. */
async function ledgerTerms(organizationId: string) {
  return orm.em.getConnection().execute<
    { lot_id: string; granted: number; adjusted: number; available: number; reserved: number; consumed: number; expired: number; revoked: number }[]
  >(
    `SELECT lot_id,
            SUM(CASE WHEN type = 'GRANT' THEN units ELSE 0 END)::int AS granted,
            SUM(CASE WHEN type = 'ADJUST' THEN units ELSE 0 END)::int AS adjusted,
            SUM(CASE type WHEN 'GRANT' THEN units WHEN 'ADJUST' THEN units WHEN 'RELEASE' THEN units
                          WHEN 'RESERVE' THEN -units WHEN 'EXPIRE' THEN -units WHEN 'REVOKE' THEN -units ELSE 0 END)::int AS available,
            SUM(CASE type WHEN 'RESERVE' THEN units WHEN 'RELEASE' THEN -units WHEN 'CONSUME' THEN -units ELSE 0 END)::int AS reserved,
            SUM(CASE WHEN type = 'CONSUME' THEN units ELSE 0 END)::int AS consumed,
            SUM(CASE WHEN type = 'EXPIRE' THEN units ELSE 0 END)::int AS expired,
            SUM(CASE WHEN type = 'REVOKE' THEN units ELSE 0 END)::int AS revoked
       FROM credit_ledger_entry e JOIN credit_lot l ON l.id = e.lot_id WHERE l.organization_id = ? GROUP BY lot_id ORDER BY lot_id`,
    [organizationId],
  );
}

/** The lots' counters equal the ledger's sums: nothing drifted. */
async function expectLedgerMatchesLots(organizationId: string) {
  const lots = await em().find(CreditLot, { organization: organizationId }, { orderBy: { id: 'asc' } });
  const terms = await ledgerTerms(organizationId);
  expect(terms).toEqual(
    lots.map((l) => ({ lot_id: l.id, granted: l.granted, adjusted: l.adjusted, available: l.available, reserved: l.reserved, consumed: l.consumed, expired: l.expired, revoked: l.revoked })),
  );
}

describe('credit lots and the ledger', () => {
  it('reserve → consume, and reserve → release, move exactly the drawn units', async () => {
    const org = await organization();
    const granted = await grantSessions(org, 3);
    const booked = randomUUID();
    const draws = await inTx((c) => c.reserve({ organizationId: org, consultationId: booked, durationMinutes: 60, ...slot(DAY) }));
    expect(draws).toEqual([{ lotId: granted.id, units: 1 }]);
    expect(await lot(granted.id)).toMatchObject({ available: 2, reserved: 1, consumed: 0 });

    expect(await inTx((c) => c.consume(booked))).toEqual([{ lotId: granted.id, units: 1 }]);
    expect(await lot(granted.id)).toMatchObject({ available: 2, reserved: 0, consumed: 1 });
    // Nothing is held any more: a second consume or a release does nothing.
    expect(await inTx((c) => c.consume(booked))).toEqual([]);
    expect(await inTx((c) => c.release(booked))).toEqual([]);

    const cancelled = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: cancelled, durationMinutes: 45, ...slot(DAY) }));
    expect(await inTx((c) => c.release(cancelled))).toEqual([{ lotId: granted.id, units: 1 }]);
    expect(await lot(granted.id)).toMatchObject({ available: 2, reserved: 0, consumed: 1 });
    await expectLedgerMatchesLots(org);
  });

  it('PAYMENT_REQUIRED with the reason when nothing can pay, and nothing written', async () => {
    const org = await organization();
    await grantSessions(org, 1, { minutes: 60 });
    const attempt = inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 90, ...slot(DAY) }));
    await expect(attempt).rejects.toMatchObject({ extensions: { code: 'PAYMENT_REQUIRED', reason: 'WRONG_LENGTH' } });
    const empty = await organization();
    await expect(inTx((c) => c.reserve({ organizationId: empty, consultationId: randomUUID(), durationMinutes: 60, ...slot(DAY) }))).rejects.toMatchObject({
      extensions: { code: 'PAYMENT_REQUIRED', reason: 'NO_CREDITS' },
    });
    expect((await ledgerTerms(org)).map((t) => t.reserved)).toEqual([0]);
  });

  it('a lot that expires before the session ends cannot pay for it', async () => {
    const org = await organization();
    await grantSessions(org, 1, { days: 1 });
    await expect(
      inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, ...slot(2 * DAY) })),
    ).rejects.toMatchObject({ extensions: { code: 'PAYMENT_REQUIRED', reason: 'EXPIRED' } });
  });

  it('expireLots expires the unreserved remainder, honours reservations, and is idempotent', async () => {
    const org = await organization();
    const granted = await grantSessions(org, 3, { days: 2 });
    const booked = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: booked, durationMinutes: 60, ...slot(DAY) }));
    const later = new Date(Date.now() + 3 * DAY);
    expect(await inTx((c) => c.expireLots(later))).toBeGreaterThanOrEqual(1);
    expect(await lot(granted.id)).toMatchObject({ available: 0, reserved: 1, expired: 2 });
    await inTx((c) => c.expireLots(later));
    expect(await lot(granted.id)).toMatchObject({ available: 0, reserved: 1, expired: 2 });

    // The held session still completes on its credit…
    expect(await inTx((c) => c.consume(booked))).toEqual([{ lotId: granted.id, units: 1 }]);
    // …while one released after the expiry expires at once.
    const other = await grantSessions(org, 1, { days: 2 });
    const cancelled = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: cancelled, durationMinutes: 60, ...slot(DAY) }));
    await inTx((c) => c.release(cancelled, { now: later }));
    expect(await lot(other.id)).toMatchObject({ available: 0, reserved: 0, expired: 1 });
    await expectLedgerMatchesLots(org);
  });

  it('one free-trial lot per organization, ever', async () => {
    const org = await organization();
    const first = await inTx((c) => c.grantFreeTrial(org));
    expect(first).toMatchObject({ source: 'FREE_TRIAL', kind: 'SESSION', sessionMinutes: 15, granted: 1, available: 1, priority: 0 });
    expect(first!.expiresAt.getTime() - first!.grantedAt.getTime()).toBe(30 * DAY);
    expect(await inTx((c) => c.grantFreeTrial(org))).toBeNull();
    const fresh = await organization();
    const racing = await Promise.all(Array.from({ length: 5 }, () => inTx((c) => c.grantFreeTrial(fresh))));
    expect(racing.filter(Boolean)).toHaveLength(1);
    // The database itself refuses a second one.
    await expect(
      orm.em.getConnection().execute(
        `INSERT INTO credit_lot (id, organization_id, kind, source, priority, session_minutes, allowed_block_minutes, granted, adjusted, available, reserved, consumed, expired, revoked, expires_at, granted_at, created_at)
         VALUES (?, ?, 'SESSION', 'FREE_TRIAL', 0, 15, '{15}', 1, 0, 1, 0, 0, 0, 0, now() + interval '1 day', now(), now())`,
        [randomUUID(), org],
      ),
    ).rejects.toThrow(/credit_lot_one_free_trial/);
  });

  it('the database refuses negative balances, broken identities and edits of the ledger', async () => {
    const org = await organization();
    const granted = await grantSessions(org, 2);
    const sql = (q: string) => orm.em.getConnection().execute(q, [granted.id]);
    await expect(sql('UPDATE credit_lot SET available = -1, reserved = 3 WHERE id = ?')).rejects.toThrow(/credit_lot_balance_check/);
    await expect(sql('UPDATE credit_lot SET available = 5 WHERE id = ?')).rejects.toThrow(/credit_lot_balance_check/);
    await expect(sql('UPDATE credit_ledger_entry SET units = 99 WHERE lot_id = ?')).rejects.toThrow(/append-only/);
    await expect(sql('DELETE FROM credit_ledger_entry WHERE lot_id = ?')).rejects.toThrow(/append-only/);
    await expectLedgerMatchesLots(org);
  });
});

describe('credits.changed', () => {
  it('is emitted once per call that moves credits, inside its transaction, with every movement (grant, reserve, consume, release, expire, revoke, adjust)', async () => {
    const org = await organization();
    const from = changes.length;
    const granted = await grantSessions(org, 5, { days: 2 });
    const booked = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: booked, durationMinutes: 60, actorId: null, ...slot(DAY) }));
    await inTx((c) => c.consume(booked));
    const cancelled = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: cancelled, durationMinutes: 60, ...slot(DAY) }));
    await inTx((c) => c.release(cancelled));
    const admin = await adminId();
    await inTx((c) => c.adjust(granted.id, -1, admin, 'Correction'));
    const revocable = await grantSessions(org, 2, { days: 30 });
    await inTx((c) => c.revokeUnused(revocable.id, { actorId: null, reason: 'Refund' }));
    // Released after its lot expired: RELEASE and EXPIRE in one change.
    const late = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: late, durationMinutes: 60, ...slot(DAY) }));
    await inTx((c) => c.release(late, { now: new Date(Date.now() + 3 * DAY) }));
    await inTx((c) => c.expireLots(new Date(Date.now() + 3 * DAY)));
    // Nothing moved: nothing said.
    await inTx((c) => c.consume(booked));
    await inTx((c) => c.revokeUnused(revocable.id, { actorId: null, reason: 'Refund again' }));

    expect(movedSince(org, from)).toEqual([
      [['GRANT', 5]],
      [['RESERVE', 1]],
      [['CONSUME', 1]],
      [['RESERVE', 1]],
      [['RELEASE', 1]],
      [['ADJUST', -1]],
      [['GRANT', 2]],
      [['REVOKE', 2]],
      [['RESERVE', 1]],
      [['RELEASE', 1], ['EXPIRE', 1]],
      [['EXPIRE', 2]],
    ]);
    const mine = changes.slice(from).filter((c) => c.organizationId === org);
    expect(mine.every((c) => c.inTransaction)).toBe(true);
    expect(mine[1]).toMatchObject({ consultationId: booked, movements: [{ lotId: granted.id, kind: 'SESSION', source: 'PURCHASE', expiresAt: granted.expiresAt }] });
    // A reservation read every lot: it says the balance after (5 granted, 1 held).
    expect(mine[1]!.balance).toEqual({ sessions: 4, minutes: 0 });
    expect(mine[2]!.balance).toBeUndefined();
  });

  it('the free trial and an expiry sweep over several organizations: one change per organization', async () => {
    const [a, b] = [await organization(), await organization()];
    const from = changes.length;
    await inTx((c) => c.grantFreeTrial(a));
    await inTx((c) => c.grantFreeTrial(a));
    await grantSessions(b, 1, { days: 1 });
    await inTx((c) => c.expireLots(new Date(Date.now() + 40 * DAY)));
    expect(movedSince(a, from)).toEqual([[['GRANT', 1]], [['EXPIRE', 1]]]);
    expect(movedSince(b, from)).toEqual([[['GRANT', 1]], [['EXPIRE', 1]]]);
    expect(changes.slice(from).find((c) => c.organizationId === a)!.movements[0]).toMatchObject({ source: 'FREE_TRIAL', kind: 'SESSION' });
  });
});

describe('concurrency', () => {
  it('50 parallel reservations on 10 credits: exactly 10 succeed, the ledger balances', async () => {
    const org = await organization();
    await grantSessions(org, 4);
    await grantSessions(org, 6, { days: 60 });
    const results = await Promise.allSettled(
      Array.from({ length: 50 }, () =>
        inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, ...slot(DAY) })),
      ),
    );
    const won = results.filter((r) => r.status === 'fulfilled');
    const lost = results.filter((r): r is PromiseRejectedResult => r.status === 'rejected');
    expect(won).toHaveLength(10);
    expect(lost).toHaveLength(40);
    for (const failure of lost) expect(failure.reason).toMatchObject({ extensions: { code: 'PAYMENT_REQUIRED', reason: 'ALL_RESERVED' } });
    const lots = await em().find(CreditLot, { organization: org });
    expect(lots.map((l) => [l.available, l.reserved]).sort()).toEqual([
      [0, 4],
      [0, 6],
    ]);
    await expectLedgerMatchesLots(org);
  });
});

describe('reading under the lock (issue 10)', () => {
  it('a lot granted while reserve waits for the organization’s lots pays: the verdict reads them as committed under the lock', async () => {
    for (let round = 0; round < 3; round++) {
      const org = await organization();
      await inTx((c) => c.grantFreeTrial(org));
      const holder = await holdLots(em(), org);
      const reservation = inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, ...slot(DAY) }));
      await holder.waitedFor();
      const granted = await grantSessions(org, 10, { minutes: 60 });
      await holder.release();
      expect(await reservation).toEqual([{ lotId: granted.id, units: 1 }]);
      expect(await lot(granted.id)).toMatchObject({ available: 9, reserved: 1 });
      await expectLedgerMatchesLots(org);
    }
  });
});

describe('member caps', () => {
  async function member(org: string, caps: Partial<Pick<MemberCreditCap, 'monthlySessions' | 'totalSessions' | 'monthlyMinutes' | 'totalMinutes'>>): Promise<string> {
    const fork = em();
    const user = fork.create(User, { email: `${randomUUID()}@cap.test`, passwordHash: 'x', role: 'CLIENT', firstName: 'Cap', lastName: 'Member' });
    fork.create(Membership, { organization: org, user, role: 'MEMBER' });
    fork.create(MemberCreditCap, { organization: org, member: user, ...caps });
    await fork.flush();
    return user.id;
  }
  const at = (iso: string, minutes = 60) => ({ sessionStart: new Date(iso), sessionEnd: new Date(new Date(iso).getTime() + minutes * 60_000) });

  it('a monthly cap counts reserved and used sessions by the UTC month of the session start', async () => {
    const org = await organization();
    await grantSessions(org, 10, { days: 400 });
    const memberId = await member(org, { monthlySessions: 1 });
    const month = new Date();
    const nextMonth = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 1, 15, 10));
    const inNext = at(nextMonth.toISOString());
    const first = randomUUID();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: first, durationMinutes: 60, memberId, ...inNext }));
    const again = inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, memberId, ...at(new Date(nextMonth.getTime() + DAY).toISOString()) }));
    await expect(again).rejects.toMatchObject({ extensions: { code: 'PAYMENT_REQUIRED', reason: 'MEMBER_CAP' } });
    // Another month is another allowance; a release gives the allowance back.
    const following = new Date(Date.UTC(month.getUTCFullYear(), month.getUTCMonth() + 2, 3, 9)).toISOString();
    await inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, memberId, ...at(following) }));
    await inTx((c) => c.release(first));
    await inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, memberId, ...inNext }));
    // Other members are not capped by it.
    await inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, ...inNext }));
    await expectLedgerMatchesLots(org);
  });

  it('parallel bookings of one member never exceed a total cap', async () => {
    const org = await organization();
    await grantSessions(org, 20);
    const memberId = await member(org, { totalSessions: 3 });
    const results = await Promise.allSettled(
      Array.from({ length: 12 }, () => inTx((c) => c.reserve({ organizationId: org, consultationId: randomUUID(), durationMinutes: 60, memberId, ...slot(DAY) }))),
    );
    expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(3);
    for (const r of results) if (r.status === 'rejected') expect(r.reason).toMatchObject({ extensions: { reason: 'MEMBER_CAP' } });
  });
});

describe('tenancy of reservations', () => {
  it('an organization never draws on another organization’s lots', async () => {
    const [rich, poor] = [await organization(), await organization()];
    const theirs = await grantSessions(rich, 5);
    await expect(inTx((c) => c.reserve({ organizationId: poor, consultationId: randomUUID(), durationMinutes: 60, ...slot(DAY) }))).rejects.toMatchObject({
      extensions: { code: 'PAYMENT_REQUIRED', reason: 'NO_CREDITS' },
    });
    expect(await lot(theirs.id)).toMatchObject({ available: 5, reserved: 0 });
  });
});
