import { createHash } from 'node:crypto';
import path from 'node:path';
import { Router } from 'express';
import type { HttpRoutes } from '../platform/routes.js';
import { BROWSER_DIR, prebuiltManifest, readPrebuiltAsset } from './pages.js';

/** Where partners load the booking widget's loader from: a URL that never changes. */
export const EMBED_SCRIPT_PATH = '/book/embed.js';

/**
 * The loader partners put on their pages with one <script> tag: it inserts the widget's iframe and
 * relays its messages. Its URL is stable (it is in partners' HTML), so it cannot be cached for
 * good like the hashed assets: a day, then revalidated by its ETag — a new loader reaches every
 * site within a day, and it must keep understanding the widget's message version it was built for.
 */
export const embedRoutes: HttpRoutes = ({ services, logger }) => {
  const router = Router();
  let built: Promise<{ body: Buffer; etag: string }> | undefined;
  const loader = () => {
    const prebuilt = prebuiltManifest()?.embed;
    built ??= prebuilt ? readPrebuiltAsset(prebuilt) : buildEmbedScript({ minify: services.config.isProduction });
    built.catch((error: unknown) => {
      built = undefined;
      logger.error({ err: error }, 'embed script build failed');
    });
    return built;
  };

  router.get(EMBED_SCRIPT_PATH, async (req, res) => {
    const { body, etag } = await loader();
    res.set({
      'content-type': 'text/javascript; charset=utf-8',
      etag,
      'cache-control': 'public, max-age=86400',
      'x-content-type-options': 'nosniff',
      // It runs on partners' pages.
      'cross-origin-resource-policy': 'cross-origin',
    });
    if (req.headers['if-none-match'] === etag) {
      res.status(304).end();
      return;
    }
    res.send(body);
  });
  return router;
};

/** The loader bundled by esbuild (imported here, at the first bundle), ETag by content. */
export async function buildEmbedScript(options: { minify: boolean }): Promise<{ body: Buffer; etag: string }> {
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [path.join(BROWSER_DIR, 'book/embed.ts')],
    bundle: true,
    format: 'iife',
    platform: 'browser',
    target: ['chrome111', 'firefox114', 'safari16.4'],
    write: false,
    minify: options.minify,
    legalComments: 'none',
    logLevel: 'silent',
  });
  const body = Buffer.from(result.outputFiles[0]!.contents);
  return { body, etag: `"${createHash('sha256').update(body).digest('base64url').slice(0, 16)}"` };
}
