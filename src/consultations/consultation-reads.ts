import type { EntityManager } from '@mikro-orm/postgresql';
import { DateTime } from 'luxon';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { DAY_MS } from '../platform/time.js';
import { accessConsultation, ownedBy } from './consultation-access.js';
import { HOLDING_STATUSES, type ConsultationStatus } from './consultation.enums.js';
import { Consultation } from './consultation.entity.js';

export interface ConsultationFilterData {
  statuses?: ConsultationStatus[] | null;
  from?: Date | null;
  to?: Date | null;
  consultantId?: string | null;
}

/** What the Consultation fields read, loaded with the rows (one query each, not one per row). */
const READ_POPULATE = ['consultant', 'client', 'organization'] as const;

/** Consultations as their client side, their consultant or an admin sees them (consultation-access.ts decides which). */
export class ConsultationReads {
  constructor(private readonly em: EntityManager) {}

  async get(caller: Caller, id: string): Promise<Consultation> {
    return (await accessConsultation(this.em, caller, id, false)).c;
  }

  /** The caller's consultations (clients: theirs; consultants: assigned to them; admins: all), by start. */
  async list(caller: Caller, filter: ConsultationFilterData, size: number, after: string | null | undefined): Promise<Connection<Consultation>> {
    const where: Record<string, unknown> = { ...(await ownedBy(this.em, caller)) };
    if (filter.statuses?.length) where.status = { $in: filter.statuses };
    if (filter.from && filter.to && filter.to <= filter.from) throw errors.badInput('to must be after from.', 'filter.to');
    const range: Record<string, Date> = {};
    if (filter.from) range.$gte = filter.from;
    if (filter.to) range.$lt = filter.to;
    if (filter.consultantId) where.consultant = requireUuid(filter.consultantId, 'Consultant');
    if (Object.keys(range).length) where.startAt = range;
    return keysetPage(this.em, Consultation, where, { field: 'startAt', direction: 'asc' }, size, after, { ...ACROSS_TENANTS, populate: READ_POPULATE });
  }

  /** Sessions holding time in the next `days` days, grouped by date in `timeZone`: the dashboard. */
  async upcoming(caller: Caller, days: number, timeZone: string, now = new Date()): Promise<Array<{ date: string; consultations: Consultation[] }>> {
    if (!Number.isInteger(days) || days < 1 || days > 90) throw errors.badInput('days must be 1 to 90.', 'days');
    const rows = await this.em.find(
      Consultation,
      { ...(await ownedBy(this.em, caller)), status: { $in: [...HOLDING_STATUSES] }, endAt: { $gt: now }, startAt: { $lt: new Date(now.getTime() + days * DAY_MS) } },
      { ...ACROSS_TENANTS, populate: READ_POPULATE, orderBy: { startAt: 'asc', id: 'asc' }, limit: 500 },
    );
    const byDate = new Map<string, Consultation[]>();
    for (const row of rows) {
      const date = DateTime.fromJSDate(row.startAt, { zone: timeZone }).toISODate()!;
      byDate.set(date, [...(byDate.get(date) ?? []), row]);
    }
    return [...byDate].map(([date, consultations]) => ({ date, consultations }));
  }
}
