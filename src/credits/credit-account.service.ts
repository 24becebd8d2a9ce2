import { LockMode } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { UserRole, type OrgRole } from '../identity/identity.enums.js';
import { Membership, Organization } from '../identity/organization.entity.js';
import { requireOrganization, type Caller } from '../platform/auth.js';
import type { DomainEvents } from '../platform/events.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { pageSize, serialIdPage, type Connection } from '../platform/pagination.js';
import { query } from '../platform/sql.js';
import { DAY_MS, addMs } from '../platform/time.js';
import { completedConsultationsOf } from './account.sql.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credit-lot.entity.js';
import { CreditSource } from './credits.enums.js';
import { CreditsService } from './credits.service.js';
import type { GrantCreditsInput, MemberCreditCapInput } from './credits.types.js';
import { summarizeCredits, type CreditBalances } from './summary.js';

type OrgCaller = Caller & { organizationId: string; orgRole: OrgRole };

/**
 * The organization's credit account as its people and the admins see it: the summary, the
 * ledger's pages, admin grants and adjustments, and members' caps. The EntityManager is the
 * request's (tenant-scoped); writes run in their own transaction, through CreditsService.
 */
export class CreditAccountService {
  constructor(
    private readonly em: EntityManager,
    private readonly events: DomainEvents,
  ) {}

  /** Balances of the caller's organization (admins: the one they name). */
  async summary(caller: Caller, organizationId: string | null, now?: Date): Promise<CreditBalances<CreditLot>> {
    return balancesOf(this.em, await this.organizationOf(caller, organizationId), now);
  }

  /** One page of the organization's ledger, newest first. */
  async ledger(caller: Caller, organizationId: string | null, first: number | null, after: string | null): Promise<Connection<CreditLedgerEntry>> {
    const organization = await this.organizationOf(caller, organizationId);
    return serialIdPage(this.em, CreditLedgerEntry, { organization }, pageSize(first), after, { populate: ['lot'] });
  }

  /** An admin's grant outside a purchase: kind, session length and validity from the package or the input. */
  async grant(admin: Caller, input: GrantCreditsInput): Promise<CreditLot> {
    if (input.source !== CreditSource.PROMOTIONAL && input.source !== CreditSource.ADJUSTMENT) {
      throw errors.badInput('Admins grant PROMOTIONAL or ADJUSTMENT credits; purchases and trials have their own flows.', 'input.source');
    }
    if (!Number.isInteger(input.units) || input.units < 1 || input.units > 100_000) throw errors.badInput('units must be a whole number from 1 to 100000.', 'input.units');
    const reason = input.reason.trim();
    if (!reason || reason.length > 500) throw errors.badInput('Give a reason (up to 500 characters): it is kept in the ledger.', 'input.reason');
    const organizationId = requireUuid(input.organizationId, 'Organization');
    return this.em.transactional(async (em) => {
      if (!(await em.findOne(Organization, organizationId))) throw errors.notFound('Organization', input.organizationId);
      const pkg = input.packageId ? await em.findOne(Package, { id: requireUuid(input.packageId, 'Package') }) : null;
      if (input.packageId && !pkg) throw errors.notFound('Package', input.packageId);
      const kind = pkg?.lotKind ?? input.kind ?? CreditLotKind.SESSION;
      const sessionMinutes = input.sessionMinutes ?? pkg?.sessionMinutes;
      if (!sessionMinutes || sessionMinutes < 15 || sessionMinutes > 480 || sessionMinutes % 15 !== 0) {
        throw errors.badInput('sessionMinutes must be a multiple of 15 from 15 to 480 (or give a packageId).', 'input.sessionMinutes');
      }
      const validityDays = input.validityDays ?? pkg?.validityDays;
      if (!validityDays || validityDays < 1 || validityDays > 3650) throw errors.badInput('validityDays must be from 1 to 3650 (or give a packageId).', 'input.validityDays');
      return new CreditsService(em, this.events).grant({
        organizationId,
        source: input.source,
        kind,
        units: input.units,
        sessionMinutes,
        allowedBlockMinutes: pkg?.allowedBlockMinutes ?? [sessionMinutes],
        expiresAt: addMs(new Date(), validityDays * DAY_MS),
        packageId: pkg?.id ?? null,
        actorId: admin.userId,
        reason,
      });
    });
  }

  /** An admin's signed correction of a lot's available credits. */
  async adjust(admin: Caller, lotId: string, units: number, reason: string): Promise<CreditLot> {
    if (!Number.isInteger(units) || units === 0 || Math.abs(units) > 100_000) throw errors.badInput('units must be a non-zero whole number from -100000 to 100000.', 'units');
    const why = reason.trim();
    if (!why || why.length > 500) throw errors.badInput('Give a reason (up to 500 characters): it is kept in the ledger.', 'reason');
    const id = requireUuid(lotId, 'Credit lot');
    return this.em.transactional((em) => new CreditsService(em, this.events).adjust(id, units, admin.userId, why));
  }

  /** An owner sets (or, every limit null, lifts) one member's cap. */
  async setMemberCap(owner: OrgCaller, input: MemberCreditCapInput): Promise<MemberCreditCap> {
    const limits = {
      monthlySessions: input.monthlySessions ?? null,
      monthlyMinutes: input.monthlyMinutes ?? null,
      totalSessions: input.totalSessions ?? null,
      totalMinutes: input.totalMinutes ?? null,
    };
    for (const [key, value] of Object.entries(limits)) {
      if (value !== null && (!Number.isInteger(value) || value < 0 || value > 1_000_000)) {
        throw errors.badInput(`${key} must be a whole number from 0 to 1000000, or null for no limit.`, `input.${key}`);
      }
    }
    const userId = requireUuid(input.userId, 'Member');
    return this.em.transactional(async (em) => {
      // Tenant-scoped: only members of the caller's organization are found.
      const membership = await em.findOne(Membership, { organization: owner.organizationId, user: userId });
      if (!membership) throw errors.notFound('Member', input.userId);
      const existing = await em.findOne(MemberCreditCap, { organization: owner.organizationId, member: userId }, { lockMode: LockMode.PESSIMISTIC_WRITE });
      const cap = existing ?? em.create(MemberCreditCap, { organization: owner.organizationId, member: userId });
      Object.assign(cap, limits);
      await em.flush();
      await em.populate(cap, ['member']);
      return cap;
    });
  }

  /** Caps in the caller's organization: owners see all, members their own. */
  memberCaps(caller: OrgCaller): Promise<MemberCreditCap[]> {
    const where = caller.orgRole === 'OWNER' ? { organization: caller.organizationId } : { organization: caller.organizationId, member: caller.userId };
    return this.em.find(MemberCreditCap, where, { populate: ['member'], orderBy: { createdAt: 'asc' } });
  }

  /** The organization an account read is about: the caller's own, or any one for admins. */
  private async organizationOf(caller: Caller, organizationId: string | null): Promise<string> {
    if (caller.role === UserRole.ADMIN) {
      if (!organizationId) throw errors.badInput('Admins name the organization: organizationId.', 'organizationId');
      const id = requireUuid(organizationId, 'Organization');
      if (!(await this.em.findOne(Organization, id))) throw errors.notFound('Organization', organizationId);
      return id;
    }
    const member = requireOrganization({ caller });
    if (organizationId && organizationId !== member.organizationId) {
      // Another tenant's organization is not there, as far as a client can tell.
      throw errors.notFound('Organization', organizationId);
    }
    return member.organizationId;
  }
}

/** Balances of an organization whose reader was already checked (live events: read once, then sent to each subscriber of it). */
export async function balancesOf(em: EntityManager, organization: string, now?: Date): Promise<CreditBalances<CreditLot>> {
  const at = now ?? new Date();
  const lots = await em.find(CreditLot, { organization }, { populate: ['package'], orderBy: { expiresAt: 'asc', grantedAt: 'asc' } });
  const [completed] = await query<{ n: number }>(em, completedConsultationsOf(organization));
  return summarizeCredits(lots, completed!.n, at);
}
