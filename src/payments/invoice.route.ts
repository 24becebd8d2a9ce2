import { Router } from 'express';
import { GraphQLError } from 'graphql';
import { resolveCaller } from '../identity/caller.js';
import { isUuid } from '../platform/ids.js';
import type { HttpRoutes } from '../platform/routes.js';
import { ACROSS_TENANTS } from '../platform/tenant.js';
import { renderInvoicePdf } from './invoice.service.js';
import { Invoice } from './payment.entity.js';

/**
 * GET /invoices/:id.pdf with the API's bearer token: the invoice's organization and admins
 * only; anyone else gets 404 (an invoice id reveals nothing).
 */
export const invoiceRoutes: HttpRoutes = ({ orm, services, logger }) => {
  const router = Router();
  router.get('/invoices/:file', async (req, res) => {
    const match = /^(.+)\.pdf$/.exec(req.params.file);
    const id = match?.[1];
    if (!id || !isUuid(id)) {
      res.status(404).json({ error: 'Not found.' });
      return;
    }
    const em = orm.em.fork();
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
    const invoice = await em.findOne(Invoice, id.toLowerCase(), ACROSS_TENANTS);
    const allowed = invoice && (caller.role === 'ADMIN' || (caller.role === 'CLIENT' && caller.organizationId === invoice.organization.id));
    if (!invoice || !allowed) {
      res.status(404).json({ error: 'Not found.' });
      return;
    }
    const pdf = await renderInvoicePdf(invoice);
    logger.debug({ invoiceId: invoice.id }, 'invoice PDF served');
    res.type('application/pdf').setHeader('content-disposition', `inline; filename="${invoice.number}.pdf"`).send(pdf);
  });
  return router;
};
