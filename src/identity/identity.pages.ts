import express, { type Request, type Response, type Router } from 'express';
import { GraphQLError } from 'graphql';
import type { HttpRouteDeps } from '../platform/routes.js';
import { escapeHtml } from '../platform/html.js';
import { scopeToTenant } from '../platform/tenant.js';
import { AuthService } from './auth.service.js';
import { OrganizationService } from './organization.service.js';


/**
 * The pages behind the links in identity emails, so a person can act on them without an app:
 * GET shows a small form (mail scanners that prefetch links change nothing), POST does it
 * through the same services as the GraphQL mutations.
 */
export function identityPages({ orm, services, logger }: HttpRouteDeps): Router {
  const router = express.Router();
  const form = express.urlencoded({ extended: false, limit: '16kb' });
  const tools = (req: Request) => {
    // Nobody is signed in on these pages: no tenant is visible.
    const em = scopeToTenant(orm.em.fork(), { none: true });
    const log = req.log ?? logger;
    return { auth: new AuthService(em, services, log), organizations: new OrganizationService(em, services, log) };
  };
  const ip = (req: Request) => req.ip ?? req.socket.remoteAddress ?? 'unknown';

  router.get('/verify-email', (req, res) => {
    page(res, 'Confirm your email address', tokenForm('/verify-email', queryToken(req), [], 'Confirm my email address'));
  });
  router.post('/verify-email', form, async (req, res) => {
    await act(res, async () => {
      const { auth } = tools(req);
      await auth.hitIpLimit(ip(req));
      const user = await auth.verifyEmail(field(req, 'token'));
      return `Thank you, ${user.firstName}: ${user.email} is confirmed. You can book and buy now.`;
    });
  });

  router.get('/reset-password', (req, res) => {
    page(
      res,
      'Choose a new password',
      tokenForm('/reset-password', queryToken(req), [input('newPassword', 'New password', 'password', 'new-password')], 'Set password'),
    );
  });
  router.post('/reset-password', form, async (req, res) => {
    await act(res, async () => {
      const { auth } = tools(req);
      await auth.hitIpLimit(ip(req));
      await auth.resetPassword(field(req, 'token'), field(req, 'newPassword'));
      return 'Your password is changed and every device was signed out. Sign in again with the new password.';
    });
  });

  router.get('/accept-invitation', (req, res) => {
    page(
      res,
      'Join your organization',
      `<p>New to Serenity? Give your name and choose a password. Already have an account for this email? Just enter its password.</p>` +
        tokenForm(
          '/accept-invitation',
          queryToken(req),
          [input('firstName', 'First name (new accounts)', 'text', 'given-name', false), input('lastName', 'Last name (new accounts)', 'text', 'family-name', false), input('password', 'Password', 'password', 'current-password')],
          'Join',
        ),
    );
  });
  router.post('/accept-invitation', form, async (req, res) => {
    await act(res, async () => {
      const { auth, organizations } = tools(req);
      await auth.hitIpLimit(ip(req));
      const firstName = field(req, 'firstName');
      const lastName = field(req, 'lastName');
      const result = await organizations.accept(null, field(req, 'token'), {
        password: field(req, 'password') || null,
        profile: firstName || lastName ? { firstName, lastName } : null,
      });
      return `Welcome, ${result.user.firstName}: you are now a member. Sign in to book consultations.`;
    });
  });

  return router;
}

async function act(res: Response, run: () => Promise<string>): Promise<void> {
  try {
    page(res, 'Done', `<p>${escapeHtml(await run())}</p>`);
  } catch (error) {
    if (!(error instanceof GraphQLError)) throw error;
    const status = error.extensions.code === 'RATE_LIMITED' ? 429 : error.extensions.code === 'UNAUTHENTICATED' ? 401 : 400;
    page(res.status(status), 'That did not work', `<p>${escapeHtml(error.message)}</p>`);
  }
}

function queryToken(req: Request): string {
  return typeof req.query.token === 'string' ? req.query.token : '';
}

function field(req: Request, name: string): string {
  const body = req.body as Record<string, unknown> | undefined;
  const value = body?.[name];
  return typeof value === 'string' ? value.trim() : '';
}

function input(name: string, label: string, type: string, autocomplete: string, required = true): string {
  return `<label>${escapeHtml(label)}<br><input name="${name}" type="${type}" autocomplete="${autocomplete}"${required ? ' required' : ''}></label><br>`;
}

function tokenForm(action: string, token: string, fields: string[], submit: string): string {
  if (!token) return '<p>This link is missing its token: open the link from the email again.</p>';
  return `<form method="post" action="${action}"><input type="hidden" name="token" value="${escapeHtml(token)}">${fields.join('')}<button type="submit">${escapeHtml(submit)}</button></form>`;
}

function page(res: Response, title: string, body: string): void {
  res
    .set('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'")
    .set('Cache-Control', 'no-store')
    .set('Referrer-Policy', 'no-referrer')
    .type('html')
    .send(
      `<!doctype html><html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(title)} · Serenity</title>` +
        `<style>body{font-family:system-ui,sans-serif;max-width:32rem;margin:3rem auto;padding:0 1rem}input{margin:.25rem 0 .75rem;padding:.4rem;width:100%}button{padding:.5rem 1rem}</style></head>` +
        `<body><h1>${escapeHtml(title)}</h1>${body}</body></html>`,
    );
}
