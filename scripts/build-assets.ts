/**
 * The second step of `npm run build` (after tsc): what the built server would otherwise make at
 * run time with large tools, made once here into <out>/prebuilt/ (default dist/):
 *
 *   prebuilt/emails.json        the email templates with their MJML turned into HTML (mjml is
 *                               not loaded by the built server; a broken template fails the build)
 *   prebuilt/web/manifest.json  the web pages and the widget's loader bundled (minified) by
 *   prebuilt/web/<name>.<hash>  esbuild, which the built server then never loads
 *
 * The built server finds them from its own modules (src/platform/prebuilt.ts); `npm start`,
 * which has none, keeps compiling and bundling from the sources.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { PREBUILT_EMAILS_FILE, translateEmailSources } from '../src/platform/email-templates.js';
import { PAGES } from '../src/web/index.js';
import { buildEmbedScript, EMBED_SCRIPT_PATH } from '../src/web/embed.route.js';
import { buildPage, type BuiltAsset, type PrebuiltAsset, type PrebuiltManifest } from '../src/web/pages.js';

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? 'dist', 'prebuilt');
  rmSync(out, { recursive: true, force: true });
  mkdirSync(path.join(out, 'web'), { recursive: true });

  writeFileSync(path.join(out, PREBUILT_EMAILS_FILE), JSON.stringify(await translateEmailSources()));

  const save = (asset: BuiltAsset): PrebuiltAsset => {
    const file = path.basename(asset.path);
    writeFileSync(path.join(out, 'web', file), asset.body);
    return { path: asset.path, contentType: asset.contentType, etag: asset.etag, file };
  };
  // The loader keeps its fixed URL (EMBED_SCRIPT_PATH); its file, embed.js, sits beside the pages' hashed ones.
  const embed = await buildEmbedScript({ minify: true });
  const manifest: PrebuiltManifest = { pages: {}, embed: save({ path: EMBED_SCRIPT_PATH, contentType: 'text/javascript; charset=utf-8', ...embed }) };
  for (const { definition } of PAGES) {
    const page = await buildPage(definition, { minify: true });
    manifest.pages[definition.name] = { script: save(page.script), ...(page.style ? { style: save(page.style) } : {}) };
  }
  writeFileSync(path.join(out, 'web', 'manifest.json'), JSON.stringify(manifest, null, 2));
  console.log(`prebuilt: ${Object.keys(manifest.pages).length} pages, the widget loader and the email templates in ${path.relative(process.cwd(), out)}/`);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
