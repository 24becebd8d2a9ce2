import type { EntityManager } from '@mikro-orm/postgresql';
import type { Config } from '../config.js';
import { Organization } from '../identity/organization.entity.js';
import type { Caller } from '../platform/auth.js';
import { errors } from '../platform/errors.js';
import { requireUuid } from '../platform/ids.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { BillingDetails, InvoiceParty } from './billing-details.entity.js';
import { checkBillingDetails, type BillingDetailsData } from './billing-details.rules.js';

/**
 * The organization whose billing details a caller reads or sets: a client's active one; an
 * admin names one (required). Owners set, members read; FORBIDDEN otherwise.
 */
function organizationOf(caller: Caller, named: string | null | undefined, setting: boolean): string {
  if (caller.role === 'ADMIN') {
    if (!named) throw errors.badInput('Admins name the organization: organizationId.', 'organizationId');
    return requireUuid(named, 'Organization');
  }
  if (caller.role !== 'CLIENT' || !caller.organizationId) throw errors.forbidden('Billing details belong to client organizations.');
  if (named && named !== caller.organizationId) throw errors.forbidden('Only admins name an organization; yours is implied.');
  if (setting && caller.orgRole !== 'OWNER') throw errors.forbidden('Only an owner of the organization may change its billing details.');
  return caller.organizationId;
}

export async function getBillingDetails(em: EntityManager, caller: Caller, organizationId?: string | null): Promise<BillingDetails | null> {
  const id = organizationOf(caller, organizationId, false);
  return em.findOne(BillingDetails, { organization: id }, ACROSS_TENANTS);
}

/** Owners (or admins) replace the organization's billing details; invoices issued before keep theirs. */
export async function updateBillingDetails(em: EntityManager, caller: Caller, data: BillingDetailsData, organizationId?: string | null, now = new Date()): Promise<BillingDetails> {
  const id = organizationOf(caller, organizationId, true);
  const checked = checkBillingDetails(data);
  if (!checked.ok) throw errors.badInput(checked.message, checked.field);
  return em.transactional(async (tx) => {
    const organization = await tx.findOne(Organization, id);
    if (!organization) throw errors.notFound('Organization', id);
    // One row per organization: concurrent first writes meet on the unique key, the second updates.
    await tx
      .getConnection()
      .execute(
        `INSERT INTO billing_details (id, organization_id, legal_name, address, tax_id, email, updated_by_id, created_at, updated_at)
         VALUES (gen_random_uuid(), ?, ?, ?, ?, ?, ?, ?, ?)
         ON CONFLICT (organization_id) DO UPDATE SET legal_name = EXCLUDED.legal_name, address = EXCLUDED.address, tax_id = EXCLUDED.tax_id,
           email = EXCLUDED.email, updated_by_id = EXCLUDED.updated_by_id, updated_at = EXCLUDED.updated_at`,
        [id, checked.value.legalName, checked.value.address, checked.value.taxId, checked.value.email, caller.userId, now, now],
        'run',
        tx.getTransactionContext(),
      );
    return tx.findOneOrFail(BillingDetails, { organization: id }, { ...ACROSS_TENANTS, refresh: true });
  });
}

/** The buyer an invoice prints now: the billing details, else the organization's name alone. */
export async function buyerParty(em: EntityManager, organization: Organization): Promise<InvoiceParty> {
  const details = await em.findOne(BillingDetails, { organization: organization.id }, ACROSS_TENANTS);
  return Object.assign(new InvoiceParty(), details
    ? { legalName: details.legalName, address: details.address, taxId: details.taxId, email: details.email }
    : { legalName: organization.name, address: null, taxId: null, email: null });
}

/** The seller an invoice prints now (SELLER_* settings). */
export function sellerParty(seller: Config['seller']): InvoiceParty {
  return Object.assign(new InvoiceParty(), { legalName: seller.legalName, address: seller.address, taxId: seller.taxId, email: seller.email });
}
