import DataLoader from 'dataloader';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsultationEventKind, ConsultationStatus } from './consultation.enums.js';
import type { Consultation, ConsultationStatusChange } from './consultation.entity.js';

/** A StatusChange as the history field reads it (the entity's GraphQL fields). */
export type StatusChangeView = Pick<ConsultationStatusChange, 'id' | 'event' | 'fromStatus' | 'toStatus' | 'actorRole' | 'reason' | 'at'>;

export interface LedgerLine {
  lotId: string;
  type: string;
  units: number;
}

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
      const rows = await this.read<{ consultation_id: string; id: string; event: ConsultationEventKind; from_status: ConsultationStatus | null; to_status: ConsultationStatus; actor_role: string; reason: string | null; at: Date | string }>(
        'SELECT consultation_id, id, event, from_status, to_status, actor_role, reason, at FROM consultation_status_change WHERE consultation_id = ANY(?::uuid[]) ORDER BY at, id',
        [idArray(cs)],
      );
      const grouped = groupBy(rows, (r) => r.consultation_id);
      return cs.map((c) => (grouped.get(c.id) ?? []).map((r) => ({ id: r.id, event: r.event, fromStatus: r.from_status, toStatus: r.to_status, actorRole: r.actor_role, reason: r.reason, at: new Date(r.at) })));
    }, byId);
    this.ledger = new DataLoader(async (cs) => {
      const rows = await this.read<{ consultation_id: string; lot_id: string; type: string; units: number }>(
        "SELECT consultation_id, lot_id, type, units FROM credit_ledger_entry WHERE consultation_id = ANY(?::uuid[]) AND type IN ('RESERVE', 'RELEASE') ORDER BY created_at, id",
        [idArray(cs)],
      );
      const grouped = groupBy(rows, (r) => r.consultation_id);
      return cs.map((c) => (grouped.get(c.id) ?? []).map((r) => ({ lotId: r.lot_id, type: r.type, units: Number(r.units) })));
    }, byId);
    this.client = new DataLoader(async (cs) => {
      const rows = await this.read<{ id: string; first_name: string; last_name: string; email: string; organization_name: string }>(
        `SELECT v.id, u.first_name, u.last_name, u.email, o.name AS organization_name
           FROM unnest(?::uuid[], ?::uuid[], ?::uuid[]) AS v (id, client_id, organization_id)
           JOIN app_user u ON u.id = v.client_id JOIN organization o ON o.id = v.organization_id`,
        [idArray(cs), idArray(cs.map((c) => c.client)), idArray(cs.map((c) => c.organization))],
      );
      const found = new Map(rows.map((r) => [r.id, r]));
      return cs.map((c) => {
        const r = found.get(c.id);
        return r ? { firstName: r.first_name, lastName: r.last_name, email: r.email, organizationName: r.organization_name } : null;
      });
    }, byId);
  }

  private read<T>(sql: string, params: unknown[]): Promise<T[]> {
    return this.em.getConnection().execute<T[]>(sql, params, 'all', this.em.getTransactionContext());
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
