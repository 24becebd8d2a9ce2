import type { Request } from 'express';
import type { Config } from '../config.js';
import type { PageDefinition } from './pages.js';
import type { ServedPage } from './web.route.js';

/** The booking widget: framed by partners' sites ('*' outside production, WIDGET_EMBED_ORIGINS in production). */
const definition: PageDefinition = { name: 'book', title: 'Book a session · Serenity', entry: 'book/main.ts', frameAncestors: '*' };

export function widgetFrameAncestors(settings: Config): string {
  const origins = settings.widgetEmbedOrigins;
  return origins === '*' ? '*' : origins.length ? origins.join(' ') : "'none'";
}

function widgetConfig(req: Request, settings: Config): Record<string, unknown> {
  const code = typeof req.params['code'] === 'string' ? req.params['code'].slice(0, 100) : null;
  const skills = typeof req.query['skills'] === 'string' ? req.query['skills'].split(',').map((s) => s.trim()).filter(Boolean).slice(0, 10) : [];
  return {
    consultantCode: code,
    skills,
    bookingFee: settings.stripe.bookingFee,
    paymentsMode: settings.paymentsMode,
    embedOrigins: settings.widgetEmbedOrigins,
  };
}

/** /book/<consultant code> books that consultant; /book?skills=A,B whoever has the skills. */
export const BOOKING_PAGES: readonly ServedPage[] = [
  { definition, path: '/book/:code', config: widgetConfig, frameAncestors: widgetFrameAncestors },
  { definition, path: '/book', config: widgetConfig, frameAncestors: widgetFrameAncestors },
];
