import type { EntityManager } from '@mikro-orm/postgresql';
import type { ConsultationEventKind, ConsultationStatus } from './consultation.enums.js';
import type { Consultation, ConsultationStatusChange } from './consultation.entity.js';

/** A StatusChange as the history field reads it (the entity's GraphQL fields). */
export type StatusChangeView = Pick<ConsultationStatusChange, 'id' | 'event' | 'fromStatus' | 'toStatus' | 'actorRole' | 'reason' | 'at'>;

/** What the detail fields of a consultation read besides the consultation itself. */
export type DetailNeed = 'history' | 'ledger' | 'client';

export interface ConsultationDetails {
  /** Every status change, oldest first. */
  history: StatusChangeView[];
  /** Its RESERVE and RELEASE ledger entries, oldest first. */
  ledger: Array<{ lotId: string; type: string; units: number }>;
  /** Its client and organization (null: not found). */
  client: { firstName: string; lastName: string; email: string; organizationName: string } | null;
}

interface Waiting {
  c: Consultation;
  needs: Set<DetailNeed>;
  settle: Array<{ resolve: (details: ConsultationDetails) => void; reject: (error: unknown) => void }>;
}

/**
 * The detail fields' reads (history, payment, client) of the consultations a response shows,
 * batched like a DataLoader: what the fields of one response level ask for together (one
 * consultation's siblings, or every node of a page) is read by one statement, after the
 * resolvers of that level have run. One loader per request (its EntityManager); nothing is
 * cached beyond the batch.
 */
export class ConsultationDetailsLoader {
  private batch: Map<string, Waiting> | null = null;

  private constructor(private readonly em: EntityManager) {}

  private static readonly loaders = new WeakMap<EntityManager, ConsultationDetailsLoader>();

  static of(em: EntityManager): ConsultationDetailsLoader {
    let loader = ConsultationDetailsLoader.loaders.get(em);
    if (!loader) {
      loader = new ConsultationDetailsLoader(em);
      ConsultationDetailsLoader.loaders.set(em, loader);
    }
    return loader;
  }

  load(c: Consultation, need: DetailNeed): Promise<ConsultationDetails> {
    if (!this.batch) {
      const batch = new Map<string, Waiting>();
      this.batch = batch;
      // As DataLoader does: after the promise jobs queued so far (the sibling resolvers).
      void Promise.resolve().then(() => process.nextTick(() => void this.flush(batch)));
    }
    let waiting = this.batch.get(c.id);
    if (!waiting) {
      waiting = { c, needs: new Set(), settle: [] };
      this.batch.set(c.id, waiting);
    }
    waiting.needs.add(need);
    const entry = waiting;
    return new Promise((resolve, reject) => entry.settle.push({ resolve, reject }));
  }

  private async flush(batch: Map<string, Waiting>): Promise<void> {
    if (this.batch === batch) this.batch = null;
    const entries = [...batch.values()];
    try {
      const needs = new Set(entries.flatMap((w) => [...w.needs]));
      const columns = ['v.id'];
      if (needs.has('history')) {
        columns.push(`(SELECT COALESCE(json_agg(json_build_array(h.id, h.event, h.from_status, h.to_status, h.actor_role, h.reason, h.at) ORDER BY h.at, h.id), '[]')
                         FROM consultation_status_change h WHERE h.consultation_id = v.id) AS history`);
      }
      if (needs.has('ledger')) {
        columns.push(`(SELECT COALESCE(json_agg(json_build_array(e.lot_id, e.type, e.units) ORDER BY e.created_at, e.id), '[]')
                         FROM credit_ledger_entry e WHERE e.consultation_id = v.id AND e.type IN ('RESERVE', 'RELEASE')) AS ledger`);
      }
      const client = needs.has('client');
      if (client) columns.push('u.first_name, u.last_name, u.email, o.name AS organization_name');
      const rows = await this.em.getConnection().execute<DetailRow[]>(
        `SELECT ${columns.join(', ')}
           FROM (VALUES ${entries.map(() => '(?::uuid, ?::uuid, ?::uuid)').join(', ')}) AS v (id, client_id, organization_id)
           ${client ? 'LEFT JOIN app_user u ON u.id = v.client_id LEFT JOIN organization o ON o.id = v.organization_id' : ''}`,
        entries.flatMap(({ c }) => [c.id, c.client.id, c.organization.id]),
        'all',
        this.em.getTransactionContext(),
      );
      const byId = new Map(rows.map((row) => [row.id, row]));
      for (const waiting of entries) {
        const details = detailsOf(byId.get(waiting.c.id));
        for (const { resolve } of waiting.settle) resolve(details);
      }
    } catch (error) {
      for (const waiting of entries) for (const { reject } of waiting.settle) reject(error);
    }
  }
}

interface DetailRow {
  id: string;
  history?: Array<[string, ConsultationEventKind, ConsultationStatus | null, ConsultationStatus, string, string | null, string]>;
  ledger?: Array<[string, string, number]>;
  first_name?: string | null;
  last_name?: string | null;
  email?: string | null;
  organization_name?: string | null;
}

function detailsOf(row: DetailRow | undefined): ConsultationDetails {
  return {
    history: (row?.history ?? []).map(([id, event, fromStatus, toStatus, actorRole, reason, at]) => ({ id, event, fromStatus, toStatus, actorRole, reason, at: new Date(at) })),
    ledger: (row?.ledger ?? []).map(([lotId, type, units]) => ({ lotId, type, units: Number(units) })),
    client:
      row?.first_name != null && row.organization_name != null
        ? { firstName: row.first_name, lastName: row.last_name ?? '', email: row.email ?? '', organizationName: row.organization_name }
        : null,
  };
}
