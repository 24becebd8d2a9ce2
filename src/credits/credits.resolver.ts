import { LockMode, wrap } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Arg, Ctx, Field, FieldResolver, ID, InputType, Int, Mutation, ObjectType, Query, Resolver, Root } from 'type-graphql';
import { CreditLotKind, Package } from '../catalog/package.entity.js';
import { UserRole } from '../identity/identity.enums.js';
import { Membership, Organization } from '../identity/organization.entity.js';
import { requireCaller, requireOrganization, requireOrgOwner, requireRole } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { ConnectionType, decodeCursor, pageSize, toConnection, type Connection } from '../platform/pagination.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credit-lot.entity.js';
import { CreditSource } from './credits.enums.js';
import { CreditsService } from './credits.service.js';
import { connectionComplexity } from '../platform/graphql-limits.js';

const EXPIRING_SOON_DAYS = 14;

@ObjectType({ description: "The organization's free-trial consultation." })
export class FreeTrialStatus {
  @Field({ description: 'Whether the organization ever received it (once, on verification).' })
  granted!: boolean;

  @Field({ description: 'Whether it can still be booked.' })
  available!: boolean;

  @Field({ description: 'Whether a session used it.' })
  used!: boolean;

  @Field(() => Date, { nullable: true })
  expiresAt!: Date | null;
}

@ObjectType({ description: 'Totals over every lot the organization ever had.' })
export class LifetimeCredits {
  @Field(() => Int)
  grantedCredits!: number;

  @Field(() => Int)
  usedCredits!: number;

  @Field(() => Int)
  grantedMinutes!: number;

  @Field(() => Int)
  usedMinutes!: number;

  @Field(() => Int, { description: 'Consultations completed, ever (their credits are the used ones).' })
  completedConsultations!: number;
}

@ObjectType({ description: 'Balances derived from the ledger: sessions for SESSION lots, minutes for TIME lots.' })
export class CreditSummary {
  @Field(() => Int)
  availableCredits!: number;

  @Field(() => Int)
  reservedCredits!: number;

  @Field(() => Int)
  availableMinutes!: number;

  @Field(() => Int)
  reservedMinutes!: number;

  @Field(() => [CreditLot], { description: 'Lots with credits left or held, soonest expiry first.' })
  lots!: CreditLot[];

  @Field(() => [CreditLot], { description: `Lots with credits left that expire within ${EXPIRING_SOON_DAYS} days.` })
  expiringSoon!: CreditLot[];

  @Field(() => FreeTrialStatus)
  freeTrial!: FreeTrialStatus;

  @Field(() => LifetimeCredits)
  lifetime!: LifetimeCredits;
}

const CreditLedgerConnection = ConnectionType('CreditLedger', CreditLedgerEntry);

@InputType({ description: 'Credits an admin grants outside a purchase (promotion or correction).' })
export class GrantCreditsInput {
  @Field(() => ID)
  organizationId!: string;

  @Field(() => CreditSource, { description: 'PROMOTIONAL (burns first) or ADJUSTMENT.' })
  source!: CreditSource;

  @Field(() => ID, { nullable: true, description: 'Take kind, session length and validity from this package.' })
  packageId?: string | null;

  @Field(() => CreditLotKind, { nullable: true })
  kind?: CreditLotKind | null;

  @Field(() => Int, { description: 'Sessions (SESSION) or minutes (TIME).' })
  units!: number;

  @Field(() => Int, { nullable: true })
  sessionMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  validityDays?: number | null;

  @Field()
  reason!: string;
}

@InputType({ description: "An owner's cap on one member's use of the organization's credits; null removes a limit." })
export class MemberCreditCapInput {
  @Field(() => ID)
  userId!: string;

  @Field(() => Int, { nullable: true, description: 'Sessions (SESSION lots) reserved or used per UTC calendar month of the session start.' })
  monthlySessions?: number | null;

  @Field(() => Int, { nullable: true, description: 'Minutes (TIME lots) per UTC calendar month.' })
  monthlyMinutes?: number | null;

  @Field(() => Int, { nullable: true })
  totalSessions?: number | null;

  @Field(() => Int, { nullable: true })
  totalMinutes?: number | null;
}

/** Balances of an organization from its lots (whose counters move only with ledger entries); `em` is tenant-scoped. */
export async function creditSummary(em: EntityManager, organizationId: string, now = new Date()): Promise<CreditSummary> {
  const lots = await em.find(CreditLot, { organization: organizationId }, { populate: ['package'], orderBy: { expiresAt: 'asc', grantedAt: 'asc' } });
  const live = lots.filter((lot) => lot.expiresAt > now);
  const sum = (kind: CreditLotKind, pick: (lot: CreditLot) => number, from = live) => from.filter((l) => l.kind === kind).reduce((n, l) => n + pick(l), 0);
  const soon = new Date(now.getTime() + EXPIRING_SOON_DAYS * 86_400_000);
  const trial = lots.find((lot) => lot.source === CreditSource.FREE_TRIAL);
  const [completed] = await em
    .getConnection()
    .execute<{ n: number }[]>("SELECT COUNT(*)::int AS n FROM consultation WHERE organization_id = ? AND status = 'COMPLETED'", [organizationId], 'all', em.getTransactionContext());
  return {
    availableCredits: sum(CreditLotKind.SESSION, (l) => l.available),
    reservedCredits: sum(CreditLotKind.SESSION, (l) => l.reserved, lots),
    availableMinutes: sum(CreditLotKind.TIME, (l) => l.available),
    reservedMinutes: sum(CreditLotKind.TIME, (l) => l.reserved, lots),
    lots: lots.filter((l) => (l.available > 0 && l.expiresAt > now) || l.reserved > 0),
    expiringSoon: live.filter((l) => l.available > 0 && l.expiresAt <= soon),
    freeTrial: {
      granted: !!trial,
      available: !!trial && trial.available > 0 && trial.expiresAt > now,
      used: !!trial && trial.consumed > 0,
      expiresAt: trial?.expiresAt ?? null,
    },
    lifetime: {
      grantedCredits: sum(CreditLotKind.SESSION, (l) => l.granted + l.adjusted, lots),
      usedCredits: sum(CreditLotKind.SESSION, (l) => l.consumed, lots),
      grantedMinutes: sum(CreditLotKind.TIME, (l) => l.granted + l.adjusted, lots),
      usedMinutes: sum(CreditLotKind.TIME, (l) => l.consumed, lots),
      completedConsultations: completed!.n,
    },
  };
}

@Resolver()
export class CreditsResolver {
  @Query(() => CreditSummary, { description: "The caller's organization's credits; admins may name any organization." })
  async creditSummary(
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CreditSummary> {
    return creditSummary(ctx.em, await scopedOrganization(ctx, organizationId));
  }

  @Query(() => CreditLedgerConnection, { description: "Movements of the caller's organization's credits, newest first.", complexity: connectionComplexity })
  async creditLedger(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('organizationId', () => ID, { nullable: true, description: 'Admins only.' }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<CreditLedgerEntry>> {
    const organization = await scopedOrganization(ctx, organizationId);
    const size = pageSize(first);
    const afterId = decodeCursor(after);
    if (afterId !== null && !/^\d+$/.test(afterId)) throw errors.badInput('This cursor is not valid: use pageInfo.endCursor of a previous page.', 'after');
    const where = { organization, ...(afterId ? { id: { $lt: afterId } } : {}) };
    const [rows, totalCount] = await Promise.all([
      ctx.em.find(CreditLedgerEntry, where, { orderBy: { id: 'desc' }, limit: size + 1, populate: ['lot'] }),
      ctx.em.count(CreditLedgerEntry, { organization }),
    ]);
    return toConnection(rows, size, totalCount, (row) => row.id);
  }

  @Mutation(() => CreditLot, { description: 'Admins: grants promotional or corrective credits to an organization.' })
  async grantCredits(@Arg('input', () => GrantCreditsInput) input: GrantCreditsInput, @Ctx() ctx: RequestContext): Promise<CreditLot> {
    const admin = requireRole(ctx, UserRole.ADMIN);
    if (input.source !== CreditSource.PROMOTIONAL && input.source !== CreditSource.ADJUSTMENT) {
      throw errors.badInput('Admins grant PROMOTIONAL or ADJUSTMENT credits; purchases and trials have their own flows.', 'input.source');
    }
    if (!Number.isInteger(input.units) || input.units < 1 || input.units > 100_000) throw errors.badInput('units must be a whole number from 1 to 100000.', 'input.units');
    const reason = input.reason.trim();
    if (!reason || reason.length > 500) throw errors.badInput('Give a reason (up to 500 characters): it is kept in the ledger.', 'input.reason');
    const organizationId = requireUuid(input.organizationId, 'Organization');
    return ctx.em.transactional(async (em) => {
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
      return new CreditsService(em).grant({
        organizationId,
        source: input.source,
        kind,
        units: input.units,
        sessionMinutes,
        allowedBlockMinutes: pkg?.allowedBlockMinutes ?? [sessionMinutes],
        expiresAt: new Date(Date.now() + validityDays * 86_400_000),
        packageId: pkg?.id ?? null,
        actorId: admin.userId,
        reason,
      });
    });
  }
}

@Resolver()
export class MemberCreditCapResolver {
  @Mutation(() => MemberCreditCap, { description: 'Owners cap what one member may spend; every limit null removes the cap.' })
  async setMemberCreditCap(@Arg('input', () => MemberCreditCapInput) input: MemberCreditCapInput, @Ctx() ctx: RequestContext): Promise<MemberCreditCap> {
    const owner = requireOrgOwner(ctx);
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
    return ctx.em.transactional(async (em) => {
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

  @Query(() => [MemberCreditCap], { description: "Caps in the caller's organization: owners see all, members their own." })
  memberCreditCaps(@Ctx() ctx: RequestContext): Promise<MemberCreditCap[]> {
    const caller = requireOrganization(ctx);
    const where = caller.orgRole === 'OWNER' ? { organization: caller.organizationId } : { organization: caller.organizationId, member: caller.userId };
    return ctx.em.find(MemberCreditCap, where, { populate: ['member'], orderBy: { createdAt: 'asc' } });
  }
}

@Resolver()
export class CreditAdjustmentResolver {
  @Mutation(() => CreditLot, { description: "Admins: a signed correction of a lot's available credits, kept in the ledger as ADJUST." })
  async adjustCredits(
    @Arg('lotId', () => ID) lotId: string,
    @Arg('units', () => Int, { description: 'Positive adds, negative removes (at most what is available).' }) units: number,
    @Arg('reason') reason: string,
    @Ctx() ctx: RequestContext,
  ): Promise<CreditLot> {
    const admin = requireRole(ctx, UserRole.ADMIN);
    if (!Number.isInteger(units) || units === 0 || Math.abs(units) > 100_000) throw errors.badInput('units must be a non-zero whole number from -100000 to 100000.', 'units');
    const why = reason.trim();
    if (!why || why.length > 500) throw errors.badInput('Give a reason (up to 500 characters): it is kept in the ledger.', 'reason');
    const id = requireUuid(lotId, 'Credit lot');
    return ctx.em.transactional((em) => new CreditsService(em).adjust(id, units, admin.userId, why));
  }
}

@Resolver(() => CreditLot)
export class CreditLotFieldsResolver {
  /**
   * Loaded on demand: lots come back from services (adjust, grant, the ledger, purchases) with
   * the package as a mere reference, whose fields but id are unset.
   */
  @FieldResolver(() => Package, { nullable: true })
  package(@Root() lot: CreditLot, @Ctx() ctx: RequestContext): Package | Promise<Package> | null {
    if (!lot.package) return null;
    // Packages are platform rows (no tenant filter); one load per package per request (identity map).
    return wrap(lot.package).isInitialized() ? lot.package : ctx.em.findOneOrFail(Package, lot.package.id);
  }
}

/** The organization a credits query is about: the caller's own, or any one for admins. */
async function scopedOrganization(ctx: RequestContext, organizationId: string | null): Promise<string> {
  const caller = requireCaller(ctx);
  if (caller.role === UserRole.ADMIN) {
    if (!organizationId) throw errors.badInput('Admins name the organization: organizationId.', 'organizationId');
    const id = requireUuid(organizationId, 'Organization');
    if (!(await ctx.em.findOne(Organization, id))) throw errors.notFound('Organization', organizationId);
    return id;
  }
  const member = requireOrganization(ctx);
  if (organizationId && organizationId !== member.organizationId) {
    // Another tenant's organization is not there, as far as a client can tell.
    throw errors.notFound('Organization', organizationId);
  }
  return member.organizationId;
}
