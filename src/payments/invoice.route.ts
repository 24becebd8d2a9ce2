import { Router, type Request, type Response } from 'express';
import { GraphQLError } from 'graphql';
import type { EntityManager } from '@mikro-orm/postgresql';
import { resolveCaller } from '../identity/caller.js';
import { isUuid } from '../platform/ids.js';
import type { HttpRoutes } from '../platform/routes.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { CreditNote } from './credit-note.entity.js';
import { checkDocumentLink } from './document-links.js';
import { renderCreditNotePdf, renderInvoicePdf } from './invoice.pdf.js';
import { Invoice } from './payment.entity.js';

interface Served {
  id: string;
  number: string;
  downloadKey: string;
  organization: { id: string };
}

/**
 * GET /invoices/:id.pdf and /credit-notes/:id.pdf: with the API's bearer token, the document's
 * organization and admins only (anyone else gets 404: an id reveals nothing); or, without one,
 * with the signed, expiring link of an email (?expires=…&signature=…, document-links.ts):
 * a forged link is 404, an expired one 410.
 */
export const invoiceRoutes: HttpRoutes = ({ orm, services, logger }) => {
  const router = Router();
  const serve = <T extends Served>(path: string, load: (em: EntityManager, id: string) => Promise<T | null>, render: (em: EntityManager, doc: T) => Promise<Buffer>) =>
    router.get(`/${path}/:file`, async (req: Request<{ file: string }>, res: Response) => {
      const id = /^(.+)\.pdf$/.exec(req.params.file)?.[1];
      if (!id || !isUuid(id)) {
        res.status(404).json({ error: 'Not found.' });
        return;
      }
      const em = orm.em.fork();
      const signed = req.query.signature !== undefined || req.query.expires !== undefined;
      let allowed: (doc: T) => boolean;
      if (signed && !req.header('authorization')) {
        allowed = (doc) => {
          const check = checkDocumentLink(doc, req.query.expires, req.query.signature, new Date());
          if (check === 'expired') res.status(410).json({ error: 'This download link has expired: sign in to download the document, or use a newer email.' });
          return check === 'valid';
        };
      } else {
        let caller;
        try {
          caller = await resolveCaller(em, req.header('authorization'), services.config.jwtSecret);
        } catch (error) {
          if (error instanceof GraphQLError) {
            res.status(401).json({ error: error.message });
            return;
          }
          throw error;
        }
        if (!caller) {
          res.status(401).json({ error: 'Sign in first: send Authorization: Bearer <accessToken>.' });
          return;
        }
        allowed = (doc) => caller.role === 'ADMIN' || (caller.role === 'CLIENT' && caller.organizationId === doc.organization.id);
      }
      const doc = await load(em, id.toLowerCase());
      if (!doc || !allowed(doc)) {
        if (!res.headersSent) res.status(404).json({ error: 'Not found.' });
        return;
      }
      const pdf = await render(em, doc);
      logger.debug({ path, id: doc.id }, 'document PDF served');
      res
        .type('application/pdf')
        .setHeader('cache-control', 'private, no-store')
        .setHeader('content-disposition', `inline; filename="${doc.number}.pdf"`)
        .send(pdf);
    });
  serve('invoices', (em, id) => em.findOne(Invoice, id, ACROSS_TENANTS), (_em, invoice) => renderInvoicePdf(invoice));
  serve(
    'credit-notes',
    (em, id) => em.findOne(CreditNote, id, { ...ACROSS_TENANTS, populate: ['invoice'] }),
    (_em, note) => renderCreditNotePdf(note, note.invoice),
  );
  return router;
};
