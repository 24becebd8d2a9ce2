import { wrap } from '@mikro-orm/core';
import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Package } from '../catalog/package.entity.js';
import { UserRole } from '../identity/identity.enums.js';
import { requireCaller, requireOrganization, requireOrgOwner, requireRole } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { connectionComplexity } from '../platform/graphql-limits.js';
import type { Connection } from '../platform/pagination.js';
import { CreditAccountService } from './credit-account.service.js';
import { CreditLedgerEntry, CreditLot, MemberCreditCap } from './credit-lot.entity.js';
import { CreditLedgerConnection, CreditSummary, GrantCreditsInput, MemberCreditCapInput } from './credits.types.js';

@Resolver()
export class CreditsResolver {
  @Query(() => CreditSummary, { description: "The caller's organization's credits; admins may name any organization." })
  async creditSummary(
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<CreditSummary> {
    return account(ctx).summary(requireCaller(ctx), organizationId);
  }

  @Query(() => CreditLedgerConnection, { description: "Movements of the caller's organization's credits, newest first.", complexity: connectionComplexity })
  async creditLedger(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('organizationId', () => ID, { nullable: true, description: 'Admins only.' }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<CreditLedgerEntry>> {
    return account(ctx).ledger(requireCaller(ctx), organizationId, first, after);
  }

  @Mutation(() => CreditLot, { description: 'Admins: grants promotional or corrective credits to an organization.' })
  async grantCredits(@Arg('input', () => GrantCreditsInput) input: GrantCreditsInput, @Ctx() ctx: RequestContext): Promise<CreditLot> {
    return account(ctx).grant(requireRole(ctx, UserRole.ADMIN), input);
  }
}

@Resolver()
export class MemberCreditCapResolver {
  @Mutation(() => MemberCreditCap, { description: 'Owners cap what one member may spend; every limit null removes the cap.' })
  async setMemberCreditCap(@Arg('input', () => MemberCreditCapInput) input: MemberCreditCapInput, @Ctx() ctx: RequestContext): Promise<MemberCreditCap> {
    return account(ctx).setMemberCap(requireOrgOwner(ctx), input);
  }

  @Query(() => [MemberCreditCap], { description: "Caps in the caller's organization: owners see all, members their own." })
  memberCreditCaps(@Ctx() ctx: RequestContext): Promise<MemberCreditCap[]> {
    return account(ctx).memberCaps(requireOrganization(ctx));
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
    return account(ctx).adjust(requireRole(ctx, UserRole.ADMIN), lotId, units, reason);
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

function account(ctx: RequestContext): CreditAccountService {
  return new CreditAccountService(ctx.em, ctx.services.events);
}
