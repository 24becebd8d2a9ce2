import { LedgerEntryType } from '../credits/credits.enums.js';
import { allOf, constraintMissing, nullableColumns, type InvariantCheck } from '../platform/invariants.js';
import { sql } from '../platform/sql.js';
import { ConsultationStatus, CreditState, HOLDING_STATUSES, PaymentMethod } from './consultation.enums.js';

/**
 * The consultation domain's invariants (I1, I2, I5, I6, its part of I12): consultations against
 * the schedules they were booked on and the credits' ledger entries that pay for them. Each
 * query returns the violations' ids.
 */

const { RESERVE, RELEASE, CONSUME } = LedgerEntryType;
const HOLDING = sql`(${HOLDING_STATUSES})`;

/** What each consultation drew, gave back and used, summed over its lots, and whether any lot went below zero. */
const CREDITS_OF_CONSULTATIONS = sql`SELECT consultation_id, sum(reserved) AS reserved, sum(released) AS released, sum(consumed) AS consumed,
       bool_or(reserved - released - consumed < 0) AS overdrawn
  FROM (SELECT e.consultation_id, e.lot_id,
               coalesce(sum(e.units) FILTER (WHERE e.type = ${RESERVE}), 0) AS reserved,
               coalesce(sum(e.units) FILTER (WHERE e.type = ${RELEASE}), 0) AS released,
               coalesce(sum(e.units) FILTER (WHERE e.type = ${CONSUME}), 0) AS consumed
          FROM credit_ledger_entry e WHERE e.consultation_id IS NOT NULL GROUP BY e.consultation_id, e.lot_id) per_lot
 GROUP BY consultation_id`;

/** The credits each consultation holds now, per lot: its RESERVE entries less its RELEASE and CONSUME ones. */
const HELD_PER_LOT = sql`SELECT e.consultation_id, e.lot_id,
       sum(CASE e.type WHEN ${RESERVE} THEN e.units WHEN ${RELEASE} THEN -e.units WHEN ${CONSUME} THEN -e.units ELSE 0 END) AS held
  FROM credit_ledger_entry e WHERE e.consultation_id IS NOT NULL GROUP BY e.consultation_id, e.lot_id`;

export const consultationInvariants: readonly InvariantCheck[] = [
  {
    id: 'I1',
    title: 'no overlapping holding consultations',
    statement: "no two holding consultations of a consultant overlap, buffers included; the exclusion constraint and held_until's check in force",
    violations: allOf(
      constraintMissing('consultation', 'consultation_no_overlap', 'x'),
      constraintMissing('consultation', 'consultation_times_check', 'c'),
      sql`SELECT id::text AS id FROM consultation WHERE held_until <> end_at + buffer_minutes * interval '1 minute'`,
      sql`SELECT a.id::text || ' overlaps ' || b.id::text AS id FROM consultation a
            JOIN consultation b ON b.consultant_id = a.consultant_id AND b.id > a.id AND b.status IN ${HOLDING}
                               AND tstzrange(b.start_at, b.held_until, '[)') && tstzrange(a.start_at, a.held_until, '[)')
           WHERE a.status IN ${HOLDING}`,
    ),
  },
  {
    id: 'I2',
    title: 'sessions per local day within the limit',
    statement: "no consultant holds more sessions on a local day (their schedule's zone) than their schedule's current daily limit",
    violations: sql`SELECT s.consultant_id::text || ' on ' || d.day::text || ': ' || d.sessions || ' of at most ' || s.max_sessions_per_day AS id
      FROM availability_schedule s
      JOIN LATERAL (SELECT (c.start_at AT TIME ZONE s.time_zone)::date AS day, count(*) AS sessions FROM consultation c
                     WHERE c.consultant_id = s.consultant_id AND c.status IN ${HOLDING} GROUP BY 1) d ON d.sessions > s.max_sessions_per_day
     WHERE s.max_sessions_per_day IS NOT NULL`,
  },
  {
    id: 'I5',
    title: 'reservations match consultation states',
    statement:
      'credits match the state: holding → reserved, none used; COMPLETED → all used; CANCELLED, NO_SHOW → released or used as credit_state says; a fee → no entries (the units owed are not recomputed)',
    violations: sql`SELECT c.id::text AS id FROM consultation c LEFT JOIN (${CREDITS_OF_CONSULTATIONS}) k ON k.consultation_id = c.id
      WHERE CASE
        WHEN c.payment_method <> ${PaymentMethod.CREDITS} THEN k.consultation_id IS NOT NULL
        WHEN k.consultation_id IS NULL OR k.overdrawn THEN true
        WHEN c.status IN ${HOLDING} THEN k.reserved - k.released - k.consumed <= 0 OR k.consumed > 0 OR c.credit_state <> ${CreditState.HELD}
        WHEN c.status = ${ConsultationStatus.COMPLETED} THEN k.reserved - k.released - k.consumed <> 0 OR k.consumed = 0 OR c.credit_state <> ${CreditState.CONSUMED}
        ELSE k.reserved - k.released - k.consumed <> 0
             OR (c.credit_state = ${CreditState.CONSUMED}) <> (k.consumed > 0)
             OR c.credit_state = ${CreditState.HELD}
      END
      UNION ALL
      SELECT DISTINCT 'entries of a missing consultation ' || e.consultation_id::text FROM credit_ledger_entry e
       WHERE e.consultation_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM consultation c WHERE c.id = e.consultation_id)`,
  },
  {
    id: 'I6',
    title: 'no reservation from a lot expiring first',
    statement: 'no holding consultation holds credits of a lot that expires before it ends (member caps not checked: a cap may change after the draw)',
    violations: sql`SELECT c.id::text || ' from lot ' || l.id::text AS id FROM consultation c
      JOIN (${HELD_PER_LOT}) h ON h.consultation_id = c.id AND h.held > 0
      JOIN credit_lot l ON l.id = h.lot_id
     WHERE c.status IN ${HOLDING} AND l.expires_at < c.end_at`,
  },
  {
    id: 'I12',
    title: 'consultation rows carry their organization',
    statement: "consultation rows carry their organization, and their history, feedback, credits and revenue the consultation's",
    violations: allOf(
      nullableColumns('consultation', ['organization_id']),
      nullableColumns('consultation_status_change', ['organization_id']),
      nullableColumns('consultation_feedback', ['organization_id']),
      sql`SELECT DISTINCT 'history of ' || c.id::text AS id FROM consultation c JOIN consultation_status_change h ON h.consultation_id = c.id WHERE h.organization_id <> c.organization_id`,
      sql`SELECT 'feedback of ' || c.id::text AS id FROM consultation c JOIN consultation_feedback f ON f.consultation_id = c.id WHERE f.organization_id <> c.organization_id`,
      sql`SELECT 'credits of ' || c.id::text || ': entry ' || e.id::text AS id FROM consultation c JOIN credit_ledger_entry e ON e.consultation_id = c.id WHERE e.organization_id <> c.organization_id`,
      sql`SELECT 'revenue of ' || c.id::text AS id FROM consultation c JOIN revenue_entry r ON r.consultation_id = c.id WHERE r.organization_id <> c.organization_id`,
    ),
  },
];
