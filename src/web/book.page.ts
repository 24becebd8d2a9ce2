import type { Request } from 'express';
import type { Config } from '../config.js';
import type { ExtraSources, PageDefinition } from './pages.js';
import type { ServedPage } from './web.route.js';

/** The booking widget: framed by partners' sites ('*' outside production, WIDGET_EMBED_ORIGINS in production). */
const definition: PageDefinition = { name: 'book', title: 'Book a session · Serenity', entry: 'book/main.ts', frameAncestors: '*' };

export function widgetFrameAncestors(settings: Config): string {
  const origins = settings.widgetEmbedOrigins;
  return origins === '*' ? '*' : origins.length ? origins.join(' ') : "'none'";
}

/** Stripe.js: loaded by the widget for the booking fee's card field (never bundled: Stripe requires its own URL). */
export const STRIPE_JS_URL = 'https://js.stripe.com/v3/';

/** Takes cards: real Stripe and a publishable key for Stripe.js (else the widget says it cannot). */
const takesCards = (settings: Config) => settings.paymentsMode === 'stripe' && settings.stripe.publishableKey !== null;

/**
 * Only the /book pages, and only when they take cards, may load Stripe.js, show its frames (the
 * card field, 3-D Secure) and call its API: the origins Stripe documents for Stripe.js.
 */
export function widgetSources(settings: Config): ExtraSources {
  if (!takesCards(settings)) return {};
  return { script: ['https://js.stripe.com'], frame: ['https://js.stripe.com', 'https://hooks.stripe.com'], connect: ['https://api.stripe.com'] };
}

function widgetConfig(req: Request, settings: Config): Record<string, unknown> {
  const code = typeof req.params['code'] === 'string' ? req.params['code'].slice(0, 100) : null;
  const skills = typeof req.query['skills'] === 'string' ? req.query['skills'].split(',').map((s) => s.trim()).filter(Boolean).slice(0, 10) : [];
  return {
    consultantCode: code,
    skills,
    bookingFee: settings.stripe.bookingFee,
    paymentsMode: settings.paymentsMode,
    stripePublishableKey: takesCards(settings) ? settings.stripe.publishableKey : null,
    stripeJsUrl: STRIPE_JS_URL,
    embedOrigins: settings.widgetEmbedOrigins,
  };
}

/** /book/<consultant code> books that consultant; /book?skills=A,B whoever has the skills. */
export const BOOKING_PAGES: readonly ServedPage[] = [
  { definition, path: '/book/:code', config: widgetConfig, frameAncestors: widgetFrameAncestors, sources: widgetSources },
  { definition, path: '/book', config: widgetConfig, frameAncestors: widgetFrameAncestors, sources: widgetSources },
];
