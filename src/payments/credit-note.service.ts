import type { EntityManager } from '@mikro-orm/postgresql';
import { organizationScope, type Caller } from '../platform/auth.js';
import { keysetPage, type Connection } from '../platform/pagination.js';
import { nextSequenceValue } from '../platform/sequence.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { InvoiceParty } from './billing-details.entity.js';
import { CreditNote } from './credit-note.entity.js';
import type { Invoice, Purchase } from './payment.entity.js';

export interface CreditNoteInput {
  /** The invoice it credits, in full. */
  invoice: Invoice;
  purchase?: Purchase | null;
  consultationId?: string | null;
  reason: string | null;
  refundReference: string | null;
  issuedAt: Date;
}

/**
 * A refund's credit note, in the refund's transaction: numbered from its own yearly counter
 * (CN-2026-000001), locked until the transaction ends, so numbers are consecutive and a
 * rolled-back refund gives its number back (gap-free, I10). It credits the whole invoice and
 * prints the parties as that invoice did.
 */
export async function issueCreditNote(em: EntityManager, input: CreditNoteInput): Promise<CreditNote> {
  const year = input.issuedAt.getUTCFullYear();
  const sequence = await nextSequenceValue(em, `credit-note-${year}`);
  const { invoice } = input;
  const copy = (party: InvoiceParty | null) => (party ? Object.assign(new InvoiceParty(), { legalName: party.legalName, address: party.address, taxId: party.taxId, email: party.email }) : null);
  const note = em.create(CreditNote, {
    number: `CN-${year}-${String(sequence).padStart(6, '0')}`,
    organization: invoice.organization,
    invoice,
    purchase: input.purchase ?? null,
    consultationId: input.consultationId ?? null,
    reason: input.reason,
    issuedAt: input.issuedAt,
    lines: invoice.lines.map((line) => ({ ...line, description: `Refund: ${line.description}` })),
    total: { amount: invoice.total.amount, currency: invoice.total.currency },
    seller: copy(invoice.seller),
    buyer: copy(invoice.buyer) ?? Object.assign(new InvoiceParty(), { legalName: invoice.billedTo, address: null, taxId: null, email: null }),
    refundReference: input.refundReference,
    refundMethod: invoice.paymentMethod,
    createdAt: input.issuedAt,
  });
  await em.flush();
  return note;
}

/** One page of the credit notes a caller may see, newest first: its organization's (admins: all, or the one named). */
export function listCreditNotes(em: EntityManager, caller: Caller, organizationId: string | null, size: number, after: string | null): Promise<Connection<CreditNote>> {
  const where = organizationScope(caller, 'Credit notes', organizationId);
  return keysetPage(em, CreditNote, where, { field: 'issuedAt', direction: 'desc' }, size, after, ACROSS_TENANTS);
}
