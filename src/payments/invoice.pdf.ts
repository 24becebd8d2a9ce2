import type { InvoiceParty } from './billing-details.entity.js';
import type { CreditNote } from './credit-note.entity.js';
import type { Invoice, InvoiceLine } from './payment.entity.js';

function money(amount: number, currency: string): string {
  return new Intl.NumberFormat('en-US', { style: 'currency', currency }).format(amount / 100);
}

const day = (at: Date) => at.toISOString().slice(0, 10);

/** What both documents print: a title, the two parties, facts, the lines and a total. */
interface Printed {
  title: string;
  seller: InvoiceParty | null;
  /** Older invoices have only the name they were billed to. */
  buyer: InvoiceParty | { legalName: string; address: null; taxId: null; email: null };
  facts: Array<[label: string, value: string | null]>;
  lines: InvoiceLine[];
  currency: string;
  totalLabel: string;
  total: number;
  /** A stamp across the top right: PAID, CREDITED. */
  stamp: string | null;
  footer: string;
}

function party(doc: PDFKit.PDFDocument, heading: string, who: Printed['buyer'], x: number, y: number): number {
  doc.fontSize(9).fillColor('#555').text(heading, x, y, { width: 240 });
  doc.fontSize(10).fillColor('#000').font('Helvetica-Bold').text(who.legalName, { width: 240 }).font('Helvetica');
  if (who.address) doc.text(who.address, { width: 240 });
  if (who.taxId) doc.text(`Tax ID: ${who.taxId}`, { width: 240 });
  if (who.email) doc.text(who.email, { width: 240 });
  return doc.y;
}

// pdfkit (with fontkit, its fonts and brotli: about 8 MB of heap) is imported at the first PDF,
// not at start: most processes never print one.
async function render(p: Printed): Promise<Buffer> {
  const { default: PDFDocument } = await import('pdfkit');
  return new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 50, info: { Title: p.title, Author: p.seller?.legalName ?? 'Serenity' } });
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    doc.fontSize(20).text('Serenity', 50, 50);
    doc.fontSize(10).fillColor('#555').text('Consultations for organizations');
    if (p.stamp) {
      doc.save().rotate(-12, { origin: [470, 70] }).lineWidth(2).strokeColor('#1a7f37').rect(410, 50, 130, 40).stroke();
      doc.fillColor('#1a7f37').font('Helvetica-Bold').fontSize(22).text(p.stamp, 410, 59, { width: 130, align: 'center' }).restore();
      doc.font('Helvetica').fillColor('#000');
    }
    doc.fillColor('#000').fontSize(16).text(p.title, 50, 110);
    let y = doc.y + 4;
    doc.fontSize(10);
    for (const [label, value] of p.facts) {
      if (!value) continue;
      doc.fillColor('#555').text(label, 50, y, { width: 130 }).fillColor('#000').text(value, 180, y, { width: 370 });
      y = doc.y + 2;
    }
    y += 14;
    const sellerEnd = p.seller ? party(doc, 'From', p.seller, 50, y) : y;
    const buyerEnd = party(doc, 'Billed to', p.buyer, 310, y);
    const top = Math.max(sellerEnd, buyerEnd) + 24;
    doc.font('Helvetica-Bold').text('Description', 50, top).text('Qty', 330, top, { width: 40, align: 'right' }).text('Unit', 380, top, { width: 80, align: 'right' }).text('Amount', 470, top, { width: 80, align: 'right' });
    doc.font('Helvetica');
    for (const line of p.lines) {
      const lineY = doc.y + 6;
      doc.text(line.description, 50, lineY, { width: 270 });
      const after = doc.y;
      doc.text(String(line.quantity), 330, lineY, { width: 40, align: 'right' });
      doc.text(money(line.unitAmount, p.currency), 380, lineY, { width: 80, align: 'right' });
      doc.text(money(line.amount, p.currency), 470, lineY, { width: 80, align: 'right' });
      doc.y = Math.max(after, doc.y);
    }
    doc.moveDown(2).font('Helvetica-Bold').text(`${p.totalLabel} ${money(p.total, p.currency)}`, 50, doc.y, { width: 500, align: 'right' });
    doc.font('Helvetica').fontSize(8).fillColor('#555').moveDown(2).text(p.footer, 50);
    doc.end();
  });
}

/** The invoice as a PDF (pdfkit): seller and buyer as issued, dates, the payment, lines, total, PAID. */
export function renderInvoicePdf(invoice: Invoice): Promise<Buffer> {
  const paid = invoice.paidAt !== null || invoice.paymentReference !== null;
  return render({
    title: `Invoice ${invoice.number}`,
    seller: invoice.seller,
    buyer: invoice.buyer ?? { legalName: invoice.billedTo, address: null, taxId: null, email: null },
    facts: [
      ['Invoice number', invoice.number],
      ['Issue date', `${day(invoice.issuedAt)} (UTC)`],
      ['Payment date', invoice.paidAt ? `${day(invoice.paidAt)} (UTC)` : null],
      ['Payment method', invoice.paymentMethod],
      ['Payment reference', invoice.paymentReference],
    ],
    lines: invoice.lines,
    currency: invoice.total.currency,
    totalLabel: paid ? 'Total paid' : 'Total',
    total: invoice.total.amount,
    stamp: 'PAID',
    footer: paid ? 'Paid in full through Stripe. Thank you.' : 'Paid by card through Stripe. Thank you.',
  });
}

/** A credit note as a PDF: the invoice it credits, the refund, the amount credited. */
export function renderCreditNotePdf(note: CreditNote, invoice: Pick<Invoice, 'number' | 'issuedAt'>): Promise<Buffer> {
  return render({
    title: `Credit note ${note.number}`,
    seller: note.seller,
    buyer: note.buyer ?? { legalName: '—', address: null, taxId: null, email: null },
    facts: [
      ['Credit note number', note.number],
      ['Issue date', `${day(note.issuedAt)} (UTC)`],
      ['Credits invoice', `${invoice.number} of ${day(invoice.issuedAt)}`],
      ['Reason', note.reason],
      ['Refunded to', note.refundMethod],
      ['Refund reference', note.refundReference],
    ],
    lines: note.lines,
    currency: note.total.currency,
    totalLabel: 'Total credited',
    total: note.total.amount,
    stamp: 'REFUNDED',
    footer: `Refunded through Stripe to the payment method of invoice ${invoice.number}.`,
  });
}
