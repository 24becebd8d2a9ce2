import { Router, type Request, type Response } from 'express';
import type { Config } from '../config.js';
import type { HttpRoutes } from '../platform/routes.js';
import { loadPage, pageCsp, pageHtml, type BuiltAsset, type BuiltPage, type ExtraSources, type PageConfig, type PageDefinition } from './pages.js';

/** A page and where it is served: `path` is an Express route; `config` gives what the page reads at start. */
export interface ServedPage {
  definition: PageDefinition;
  path: string;
  config?: (req: Request, settings: Config) => Record<string, unknown>;
  /** frame-ancestors from the settings (e.g. the widget's partner sites), instead of the definition's. */
  frameAncestors?: (settings: Config) => string;
  /** Origins beyond its own the page may load from or call (its CSP), from the settings. */
  sources?: (settings: Config) => ExtraSources;
}

/**
 * The pages and their hashed assets. Each page is bundled once per process, at its first
 * request (a few hundred milliseconds), so starting the API costs nothing for pages nobody opens;
 * the built server reads what `npm run build` bundled instead (pages.ts loadPage).
 */
export function pageRoutes(pages: readonly ServedPage[]): HttpRoutes {
  return ({ services, logger }) => {
    const router = Router();
    const minify = services.config.isProduction;
    const assets = new Map<string, BuiltAsset>();
    const built = new Map<string, Promise<BuiltPage>>();
    const pageOf = (definition: PageDefinition): Promise<BuiltPage> => {
      let promise = built.get(definition.name);
      if (!promise) {
        promise = loadPage(definition, { minify }).then((page) => {
          for (const asset of [page.script, page.style]) if (asset) assets.set(asset.path, asset);
          return page;
        });
        // A failed build is tried again at the next request (and logged), not cached.
        promise.catch((error: unknown) => {
          built.delete(definition.name);
          logger.error({ err: error, page: definition.name }, 'page build failed');
        });
        built.set(definition.name, promise);
      }
      return promise;
    };

    for (const served of pages) {
      router.get(served.path, async (req, res) => {
        const page = await pageOf(served.definition);
        const config: PageConfig = { graphqlPath: '/graphql', ...served.config?.(req, services.config) };
        res.set({
          'content-security-policy': pageCsp(served.frameAncestors?.(services.config) ?? served.definition.frameAncestors, served.sources?.(services.config)),
          'cache-control': 'no-cache',
          'referrer-policy': 'no-referrer',
          'x-content-type-options': 'nosniff',
          'cross-origin-opener-policy': 'same-origin',
        });
        res.type('html').send(pageHtml(page, config));
      });
    }

    router.get('/assets/:file', (req: Request, res: Response, next) => {
      const asset = assets.get(req.path);
      if (!asset) return next();
      res.set({
        'content-type': asset.contentType,
        etag: asset.etag,
        // Named by their content: a new build has a new name.
        'cache-control': 'public, max-age=31536000, immutable',
        'x-content-type-options': 'nosniff',
        // The widget's script runs on partners' pages too.
        'cross-origin-resource-policy': 'cross-origin',
      });
      if (req.headers['if-none-match'] === asset.etag) {
        res.status(304).end();
        return;
      }
      res.send(asset.body);
    });
    return router;
  };
}
