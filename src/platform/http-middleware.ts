import type { ServerResponse } from 'node:http';
import zlib from 'node:zlib';
import compression from 'compression';
import cors from 'cors';
import { Router } from 'express';

export interface HttpBasicsOptions {
  /** '*': any origin; a list: only those; empty: no cross-origin access (see Config.corsOrigins). */
  corsOrigins: '*' | readonly string[];
  /** The IDE is served at graphqlPath: GET / sends browsers there. */
  ide: boolean;
  graphqlPath: string;
}

/** Request headers a browser app may send (the preflight names them). */
const ALLOWED_HEADERS = ['content-type', 'authorization', 'apollo-require-preflight', 'x-apollo-operation-name', 'x-request-id'];
/** Response headers its scripts may read. */
const EXPOSED_HEADERS = ['x-request-id', 'retry-after'];

/**
 * Compression, CORS and GET /, mounted at the root before every route. Compression acts on
 * responses only (request bodies, e.g. the Stripe webhook's raw bytes, are untouched) and
 * WebSocket upgrades never pass through Express.
 */
export function httpBasics(options: HttpBasicsOptions): Router {
  const router = Router();
  // gzip or brotli (compression ≥ 1.8) for answers over 1 kB: the IDE page is ~9 MB as it is.
  // JSON answers (GraphQL's, made anew for each request) at the fastest levels: at the default
  // ones compressing a 5 kB catalog cost more CPU than answering it; pages and scripts (made
  // once, large) keep the defaults, which shrink them most. Exactly one of the two acts.
  const json = (res: ServerResponse) => /^application\/(?:[\w.+-]+\+)?json\b/i.test(String(res.getHeader('content-type') ?? ''));
  router.use(compression({ threshold: 1024, filter: (req, res) => !json(res) && compression.filter(req, res) }));
  router.use(
    compression({
      threshold: 1024,
      level: 1,
      brotli: { params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 1 } },
      filter: (req, res) => json(res) && compression.filter(req, res),
    }),
  );
  if (options.corsOrigins === '*' || options.corsOrigins.length > 0) {
    router.use(
      cors({
        // A list: the request's Origin is echoed when listed, no Access-Control-Allow-Origin otherwise.
        origin: options.corsOrigins === '*' ? '*' : [...options.corsOrigins],
        methods: ['GET', 'POST', 'OPTIONS'],
        allowedHeaders: ALLOWED_HEADERS,
        exposedHeaders: EXPOSED_HEADERS,
        // Bearer tokens, not cookies: browsers need not (and must not) send credentials.
        credentials: false,
        maxAge: 600,
      }),
    );
  }
  router.get('/', (req, res) => {
    const wantsHtml = req.accepts(['application/json', 'text/html']) === 'text/html';
    if (wantsHtml && options.ide) return res.redirect(302, options.graphqlPath);
    const links = {
      graphql: options.graphqlPath,
      ...(options.ide ? { ide: options.graphqlPath } : {}),
      healthz: '/healthz',
      readyz: '/readyz',
      metrics: '/metrics',
    };
    if (!wantsHtml) return res.json({ name: 'Serenity GraphQL API', ...links, docs: 'README.md in the repository' });
    const items = Object.entries(links).map(([name, href]) => `<li><a href="${href}">${href}</a> ${name}</li>`);
    res
      .type('html')
      .send(`<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Serenity GraphQL API</title></head><body><h1>Serenity GraphQL API</h1><ul>${items.join('')}</ul><p>POST GraphQL to ${options.graphqlPath}; see README.md in the repository.</p></body></html>`);
  });
  return router;
}
