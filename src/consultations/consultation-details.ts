import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Caller } from '../platform/auth.js';
import { query } from '../platform/sql.js';
import { clientsOf, reservationEntriesOf, statusChangesOf } from './consultation-details.sql.js';
import { paymentOf, type LedgerLine, type PaymentView } from './consultation-payment.js';
import { PaymentMethod, type ConsultationEventKind, type ConsultationStatus } from './consultation.enums.js';
import type { Consultation, ConsultationStatusChange } from './consultation.entity.js';

/** A StatusChange as the history field reads it (the entity's GraphQL fields). */
export type StatusChangeView = Pick<ConsultationStatusChange, 'id' | 'event' | 'fromStatus' | 'toStatus' | 'actorRole' | 'reason' | 'at'>;

export interface ClientView {
  firstName: string;
  lastName: string;
  email: string;
  organizationName: string;
}

/**
 * The detail fields' reads (history, payment, client) of the consultations a response shows,
 * batched with DataLoader: every consultation of one response level (a page of
 * myConsultations, say) is read by one plain statement per field. One set per request (its
 * EntityManager); nothing outlives the request.
 */
export class ConsultationDetails {
  private static readonly perRequest = new WeakMap<EntityManager, ConsultationDetails>();

  static of(em: EntityManager): ConsultationDetails {
    let details = ConsultationDetails.perRequest.get(em);
    if (!details) {
      details = new ConsultationDetails(em);
      ConsultationDetails.perRequest.set(em, details);
    }
    return details;
  }

  /** Every status change, oldest first. */
  readonly history: DataLoader<Consultation, StatusChangeView[], string>;
  /** RESERVE and RELEASE ledger entries, oldest first. */
  readonly ledger: DataLoader<Consultation, LedgerLine[], string>;
  /** The client and its organization (null: not found). */
  readonly client: DataLoader<Consultation, ClientView | null, string>;

  private constructor(private readonly em: EntityManager) {
    const byId = { cacheKeyFn: (c: Consultation) => c.id };
    this.history = new DataLoader(async (cs) => {
      const rows = await query<{ consultation_id: string; id: string; event: ConsultationEventKind; from_status: ConsultationStatus | null; to_status: ConsultationStatus; actor_role: string; reason: string | null; at: Date | string }>(
        this.em,
        statusChangesOf(idArray(cs)),
      );
      const grouped = groupBy(rows, (r) => r.consultation_id);
      return cs.map((c) => (grouped.get(c.id) ?? []).map((r) => ({ id: r.id, event: r.event, fromStatus: r.from_status, toStatus: r.to_status, actorRole: r.actor_role, reason: r.reason, at: new Date(r.at) })));
    }, byId);
    this.ledger = new DataLoader(async (cs) => {
      const rows = await query<{ consultation_id: string; lot_id: string; type: string; units: number }>(this.em, reservationEntriesOf(idArray(cs)));
      const grouped = groupBy(rows, (r) => r.consultation_id);
      return cs.map((c) => (grouped.get(c.id) ?? []).map((r) => ({ lotId: r.lot_id, type: r.type, units: Number(r.units) })));
    }, byId);
    this.client = new DataLoader(async (cs) => {
      const rows = await query<{ id: string; first_name: string; last_name: string; email: string; organization_name: string }>(
        this.em,
        clientsOf(idArray(cs), idArray(cs.map((c) => c.client)), idArray(cs.map((c) => c.organization))),
      );
      const found = new Map(rows.map((r) => [r.id, r]));
      return cs.map((c) => {
        const r = found.get(c.id);
        return r ? { firstName: r.first_name, lastName: r.last_name, email: r.email, organizationName: r.organization_name } : null;
      });
    }, byId);
  }

  /** The payment field: a credit booking's current reservation from its ledger lines (batched); a fee booking reads nothing. */
  async payment(c: Consultation, viewer: Caller | null): Promise<PaymentView> {
    const entries = c.paymentMethod === PaymentMethod.BOOKING_FEE ? [] : await this.ledger.load(c);
    return paymentOf(c, viewer, entries);
  }
}

function idArray(items: ReadonlyArray<{ id: string }>): string {
  return `{${items.map((item) => item.id).join(',')}}`;
}

function groupBy<T>(rows: readonly T[], keyOf: (row: T) => string): Map<string, T[]> {
  const grouped = new Map<string, T[]>();
  for (const row of rows) grouped.set(keyOf(row), [...(grouped.get(keyOf(row)) ?? []), row]);
  return grouped;
}
