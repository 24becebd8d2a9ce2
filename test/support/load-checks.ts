/**
 * What a mixed load (mixed-load.ts) must have left in the database and the mailbox, read back
 * with SQL: every answered booking, cancellation, purchase and completion there exactly as
 * answered and nothing else; every due email sent (once, or within the design's duplicate rule);
 * every invariant check (I1–I12) at 0.
 */
import { expect } from 'vitest';
import pg from 'pg';
import { ENTITIES, INVARIANTS } from '../../src/modules.js';
import { connectOrm } from '../../src/platform/db.js';
import { checkInvariants, type InvariantResult } from '../../src/platform/invariants.js';
import type { SmtpRecorder } from './cluster.js';
import type { LoadRecord, LoadWorld } from './mixed-load.js';

const HOLDING = `('PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS')`;

/** Waits until no delivery that is due is still waiting to be sent, and no meeting to be made; names what is left if not. */
export async function waitForDrain(db: pg.Client, timeoutMs = 90_000, logs: () => string = () => ''): Promise<void> {
  const left = async () => [
    ...(await db.query(`SELECT 'delivery' AS what, id, kind, status, attempts, due_at, next_attempt_at, lease_until, last_error FROM notification_delivery
                         WHERE status IN ('PENDING', 'SENDING') AND next_attempt_at <= now()`)).rows,
    ...(await db.query(`SELECT 'meeting' AS what, consultation_id AS id, status, action, attempts, next_attempt_at, lease_until, last_error FROM meeting
                         WHERE action IS NOT NULL AND next_attempt_at <= now()`)).rows,
  ];
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const rows = await left();
    if (rows.length === 0) return;
    if (Date.now() > deadline) expect(rows, `still to do after ${timeoutMs} ms\n${logs()}`).toEqual([]);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** The invariant checks over the database, as `npm run check:invariants` runs them. */
export async function invariantResults(databaseUrl: string): Promise<InvariantResult[]> {
  const orm = await connectOrm(databaseUrl, ENTITIES);
  try {
    return await checkInvariants(orm.em.fork(), INVARIANTS);
  } finally {
    await orm.close(true);
  }
}

export interface MailCounts {
  /** Email deliveries SENT, with how many times their Message-ID reached the SMTP server. */
  sent: Array<{ id: string; kind: string; attempts: number; received: number }>;
  /** Email deliveries not sent (withdrawn, skipped, failed) that reached it anyway. */
  unsentReceived: Array<{ id: string; kind: string; status: string; received: number }>;
}

export async function mailCounts(db: pg.Client, mail: SmtpRecorder): Promise<MailCounts> {
  const received = new Map<string, number>();
  for (const m of mail.mails) if (m.messageId) received.set(m.messageId, (received.get(m.messageId) ?? 0) + 1);
  const { rows } = await db.query<{ id: string; kind: string; status: string; attempts: number; message_id: string }>(
    "SELECT id, kind, status, attempts, message_id FROM notification_delivery WHERE channel = 'EMAIL'",
  );
  return {
    sent: rows.filter((r) => r.status === 'SENT').map((r) => ({ id: r.id, kind: r.kind, attempts: r.attempts, received: received.get(r.message_id) ?? 0 })),
    unsentReceived: rows.filter((r) => r.status !== 'SENT' && (received.get(r.message_id) ?? 0) > 0).map((r) => ({ id: r.id, kind: r.kind, status: r.status, received: received.get(r.message_id)! })),
  };
}

/** The bookings of the load against the consultations of its consultants, as lists of what is wrong. */
export async function bookingProblems(db: pg.Client, world: LoadWorld, record: LoadRecord): Promise<Record<string, unknown[]>> {
  const consultants = [...world.racing.map((c) => c.id)];
  const { rows } = await db.query<{ id: string; consultant_id: string; start_at: Date; status: string; organization_id: string; idempotency_key: string | null }>(
    'SELECT id, consultant_id, start_at, status, organization_id, idempotency_key FROM consultation WHERE consultant_id = ANY($1)',
    [consultants],
  );
  const inDb = new Map(rows.map((r) => [r.id, r]));
  const ok = record.bookings.filter((b) => b.outcome === 'OK');
  const okIds = new Set(ok.map((b) => b.id!));
  const cancelled = new Set(record.cancelled);
  const holdingPerSlot = new Map<string, number>();
  for (const r of rows) {
    if (!['PENDING_PAYMENT', 'SCHEDULED', 'CONFIRMED', 'IN_PROGRESS'].includes(r.status)) continue;
    const key = `${r.consultant_id} ${r.start_at.toISOString()}`;
    holdingPerSlot.set(key, (holdingPerSlot.get(key) ?? 0) + 1);
  }
  const { rows: overlaps } = await db.query(
    `SELECT a.id AS a, b.id AS b FROM consultation a JOIN consultation b ON b.consultant_id = a.consultant_id AND b.id > a.id AND b.status IN ${HOLDING}
       AND tstzrange(b.start_at, b.held_until, '[)') && tstzrange(a.start_at, a.held_until, '[)') WHERE a.status IN ${HOLDING}`,
  );
  return {
    /** Answered OK, not in the database (or not as answered). */
    lost: ok.filter((b) => {
      const row = inDb.get(b.id!);
      return !row || row.consultant_id !== b.slot.consultantId || row.start_at.toISOString() !== b.slot.start || row.organization_id !== world.clients[b.client]!.organizationId;
    }),
    /** In the database, never answered to anyone. */
    extra: rows.filter((r) => !okIds.has(r.id)).map((r) => r.id),
    /** Two OK answers naming the same consultation under different keys (a doubled booking would be two rows). */
    doubledAnswers: ok.filter((b, i) => ok.findIndex((o) => o.id === b.id) !== i),
    slotsHeldTwice: [...holdingPerSlot].filter(([, n]) => n > 1),
    overlaps,
    /** Cancelled as answered, still holding. */
    cancelledStillHolding: [...cancelled].filter((id) => inDb.get(id)?.status !== 'CANCELLED'),
    /** Won, never cancelled, no longer scheduled. */
    wonNotScheduled: ok.filter((b) => !cancelled.has(b.id!) && inDb.get(b.id!)?.status !== 'SCHEDULED').map((b) => [b.id, inDb.get(b.id!)?.status]),
    unexpectedAnswers: record.unexpected,
  };
}

/** Purchases: each SUCCEEDED with one lot granted by one GRANT entry of its intent; returns what is wrong. */
export async function purchaseProblems(db: pg.Client, record: LoadRecord): Promise<unknown[]> {
  const problems: unknown[] = [];
  for (const p of record.purchases) {
    const { rows } = await db.query<{ status: string; granted: number | null; grants: number; lots: number }>(
      `SELECT p.status, l.granted,
              (SELECT count(*)::int FROM credit_ledger_entry e WHERE e.type = 'GRANT' AND e.reference = $2) AS grants,
              (SELECT count(DISTINCT e.lot_id)::int FROM credit_ledger_entry e WHERE e.type = 'GRANT' AND e.reference = $2) AS lots
         FROM purchase p LEFT JOIN credit_lot l ON l.id = p.credit_lot_id WHERE p.id = $1`,
      [p.id, p.intentId],
    );
    const row = rows[0];
    if (!row || row.status !== 'SUCCEEDED' || row.granted !== 4 || row.grants !== 1 || row.lots !== 1) problems.push({ purchase: p.id, ...row });
  }
  return problems;
}
