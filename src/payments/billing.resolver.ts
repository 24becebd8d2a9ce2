import { Arg, Ctx, FieldResolver, ID, Int, Mutation, Query, Resolver, Root } from 'type-graphql';
import { Organization } from '../identity/organization.entity.js';
import { requireCaller } from '../platform/auth.js';
import type { RequestContext } from '../platform/context.js';
import { connectionComplexity } from '../platform/graphql-limits.js';
import { pageSize, type Connection } from '../platform/pagination.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { BillingDetails } from './billing-details.entity.js';
import { getBillingDetails, updateBillingDetails } from './billing-details.service.js';
import { CreditNote } from './credit-note.entity.js';
import { listCreditNotes } from './credit-note.service.js';
import { Invoice, Purchase } from './payment.entity.js';
import { BillingDetailsInput, CreditNoteConnection } from './payments.types.js';

@Resolver(() => BillingDetails)
export class BillingDetailsResolver {
  @Query(() => BillingDetails, { nullable: true, description: 'What your organization’s invoices print as the buyer (null until an owner sets it). Admins name the organization.' })
  billingDetails(@Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null, @Ctx() ctx: RequestContext): Promise<BillingDetails | null> {
    return getBillingDetails(ctx.em, requireCaller(ctx), organizationId);
  }

  @Mutation(() => BillingDetails, { description: 'Owners set the organization’s billing details (admins: any organization’s, by organizationId); invoices issued from then on print them.' })
  updateBillingDetails(
    @Arg('input', () => BillingDetailsInput) input: BillingDetailsInput,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<BillingDetails> {
    return updateBillingDetails(ctx.em, requireCaller(ctx), input, organizationId);
  }
}

/** Organization.billingDetails: for its members and admins (others, e.g. a consultant seeing a client's organization, get null). */
@Resolver(() => Organization)
export class OrganizationBillingResolver {
  @FieldResolver(() => BillingDetails, { nullable: true, description: 'Its billing details: members and admins only (null for others, and until set).' })
  async billingDetails(@Root() organization: Organization, @Ctx() ctx: RequestContext): Promise<BillingDetails | null> {
    const caller = ctx.caller;
    const mine = caller?.role === 'ADMIN' || (caller?.role === 'CLIENT' && caller.organizationId === organization.id);
    return mine ? ctx.em.findOne(BillingDetails, { organization: organization.id }, ACROSS_TENANTS) : null;
  }
}

@Resolver(() => CreditNote)
export class CreditNotesResolver {
  @Query(() => CreditNoteConnection, { description: 'Credit notes of the caller’s organization (one per refund), newest first (admins: all, or organizationId’s).', complexity: connectionComplexity })
  creditNotes(
    @Arg('first', () => Int, { nullable: true }) first: number | null,
    @Arg('after', () => String, { nullable: true }) after: string | null,
    @Arg('organizationId', () => ID, { nullable: true }) organizationId: string | null,
    @Ctx() ctx: RequestContext,
  ): Promise<Connection<CreditNote>> {
    return listCreditNotes(ctx.em, requireCaller(ctx), organizationId, pageSize(first), after);
  }

  @FieldResolver(() => Invoice, { description: 'The invoice it credits.' })
  invoice(@Root() note: CreditNote, @Ctx() ctx: RequestContext): Promise<Invoice> {
    return ctx.em.findOneOrFail(Invoice, note.invoice.id, ACROSS_TENANTS);
  }

  @FieldResolver(() => String, { description: 'GET it with the same Authorization header.' })
  pdfUrl(@Root() note: CreditNote, @Ctx() ctx: RequestContext): string {
    return `${ctx.services.config.publicUrl}/credit-notes/${note.id}.pdf`;
  }
}

/** The credit notes of an invoice and of a purchase. */
@Resolver(() => Invoice)
export class InvoiceCreditNotesResolver {
  @FieldResolver(() => [CreditNote], { description: 'Credit notes issued against it (its refund), oldest first.' })
  creditNotes(@Root() invoice: Invoice, @Ctx() ctx: RequestContext): Promise<CreditNote[]> {
    return ctx.em.find(CreditNote, { invoice: invoice.id }, { ...ACROSS_TENANTS, orderBy: { issuedAt: 'asc', id: 'asc' } });
  }
}

@Resolver(() => Purchase)
export class PurchaseCreditNoteResolver {
  @FieldResolver(() => CreditNote, { nullable: true, description: 'Issued when it was refunded.' })
  creditNote(@Root() purchase: Purchase, @Ctx() ctx: RequestContext): Promise<CreditNote | null> {
    return ctx.em.findOne(CreditNote, { purchase: purchase.id }, ACROSS_TENANTS);
  }
}
