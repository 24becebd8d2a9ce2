import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { escapeHtml } from '../platform/html.js';
import { PACKAGE_ROOT } from '../platform/package-root.js';
import { PREBUILT_DIR, readPrebuiltJson } from '../platform/prebuilt.js';

/** The browser code's folder (its own tsconfig: DOM types, bundler resolution). */
// Bundled from their sources at run time under npm start; the built server serves what
// `npm run build` bundled into dist/prebuilt/web/ (scripts/build-assets.ts) and needs no sources.
export const BROWSER_DIR = path.join(PACKAGE_ROOT, 'src/web/browser/');
const SDK_ENTRY = path.join(PACKAGE_ROOT, 'sdk/src/index.ts');

/** A page the API serves: one TypeScript entry (which may import CSS and the SDK) bundled for browsers. */
export interface PageDefinition {
  /** Its asset names: /assets/<name>.<hash>.js and .css. */
  name: string;
  title: string;
  /** The entry, relative to src/web/browser/ (or absolute). */
  entry: string;
  /** Who may frame it: 'none' (the dashboard) or '*' (the embeddable widget). */
  frameAncestors: "'none'" | '*';
}

export interface BuiltAsset {
  /** /assets/<name>.<hash>.<ext> */
  path: string;
  contentType: string;
  body: Buffer;
  etag: string;
}

export interface BuiltPage {
  definition: PageDefinition;
  script: BuiltAsset;
  style: BuiltAsset | undefined;
}

/**
 * Bundles a page with esbuild, in memory: its code, the SDK's source and graphql-ws in one ES
 * module (and its CSS in one file), named by content hash so browsers may keep them for good.
 */
export async function buildPage(definition: PageDefinition, options: { minify: boolean }): Promise<BuiltPage> {
  // Imported at the first bundle: esbuild keeps a service child process and its bundles' strings.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: { [definition.name]: path.resolve(BROWSER_DIR, definition.entry) },
    bundle: true,
    format: 'esm',
    platform: 'browser',
    target: ['chrome111', 'firefox114', 'safari16.4'],
    outdir: '/assets',
    write: false,
    minify: options.minify,
    sourcemap: options.minify ? false : 'inline',
    legalComments: 'none',
    alias: { '@serenity/sdk': SDK_ENTRY },
    logLevel: 'silent',
  });
  const asset = (ext: string, contentType: string): BuiltAsset | undefined => {
    const file = result.outputFiles.find((f) => f.path.endsWith(ext));
    if (!file) return undefined;
    const body = Buffer.from(file.contents);
    const hash = createHash('sha256').update(body).digest('base64url').slice(0, 16);
    return { path: `/assets/${definition.name}.${hash}${ext}`, contentType, body, etag: `"${hash}"` };
  };
  const script = asset('.js', 'text/javascript; charset=utf-8');
  if (!script) throw new Error(`The page ${definition.name} built no script.`);
  return { definition, script, style: asset('.css', 'text/css; charset=utf-8') };
}

/** dist/prebuilt/web/: the bundles `npm run build` made, and manifest.json naming them. */
export const PREBUILT_WEB_DIR = path.join(PREBUILT_DIR, 'web');

/** An asset as the manifest records it: `path` is what it is served as, `file` where it lies in PREBUILT_WEB_DIR. */
export type PrebuiltAsset = Omit<BuiltAsset, 'body'> & { file: string };

export interface PrebuiltManifest {
  pages: Record<string, { script: PrebuiltAsset; style?: PrebuiltAsset }>;
  /** The widget's loader (embed.route.ts). */
  embed: PrebuiltAsset;
}

let manifest: PrebuiltManifest | null | undefined;
/** The prebuilt bundles' manifest, or undefined when the code runs from its sources (npm start). */
export function prebuiltManifest(): PrebuiltManifest | undefined {
  manifest ??= readPrebuiltJson<PrebuiltManifest>('web/manifest.json') ?? null;
  return manifest ?? undefined;
}

export async function readPrebuiltAsset(asset: PrebuiltAsset): Promise<BuiltAsset> {
  const { file, ...served } = asset;
  return { ...served, body: await readFile(path.join(PREBUILT_WEB_DIR, file)) };
}

/** A page from dist/prebuilt/web/ if the build made it, else bundled now from its sources. */
export async function loadPage(definition: PageDefinition, options: { minify: boolean }): Promise<BuiltPage> {
  const prebuilt = prebuiltManifest()?.pages[definition.name];
  if (!prebuilt) return buildPage(definition, options);
  return {
    definition,
    script: await readPrebuiltAsset(prebuilt.script),
    style: prebuilt.style ? await readPrebuiltAsset(prebuilt.style) : undefined,
  };
}

/** What the page reads at start, from a JSON block (data, not script: the CSP allows it). */
export interface PageConfig {
  graphqlPath: string;
  [key: string]: unknown;
}

// JSON inside <script>: "</script>" or "<!--" in a value must not end or change the block.
const scriptSafeJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');

/** The HTML shell of a built page: its stylesheet, its module and its config. */
export function pageHtml(page: BuiltPage, config: PageConfig): string {
  return [
    '<!doctype html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(page.definition.title)}</title>`,
    // No /favicon.ico request (a 404 in every console).
    '<link rel="icon" href="data:,">',
    page.style ? `<link rel="stylesheet" href="${page.style.path}">` : '',
    `<script type="application/json" id="serenity-config">${scriptSafeJson(config)}</script>`,
    `<script type="module" src="${page.script.path}"></script>`,
    '</head>',
    '<body>',
    '<noscript>This page needs JavaScript.</noscript>',
    '<div id="app"></div>',
    '</body>',
    '</html>',
  ]
    .filter(Boolean)
    .join('\n');
}

/** Origins a page may use beyond its own (the widget's Stripe.js with real Stripe). */
export interface ExtraSources {
  script?: readonly string[];
  frame?: readonly string[];
  connect?: readonly string[];
}

/**
 * The pages' Content-Security-Policy: their own scripts, styles and API only — no inline code,
 * nothing from elsewhere ('self' covers ws:/wss: of the same host for the subscriptions) but
 * the `extra` origins a page is given.
 */
export function pageCsp(frameAncestors: string, extra: ExtraSources = {}): string {
  const plus = (list: readonly string[] | undefined) => (list?.length ? ` ${list.join(' ')}` : '');
  return [
    "default-src 'none'",
    `script-src 'self'${plus(extra.script)}`,
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src 'self'${plus(extra.connect)}`,
    extra.frame?.length ? `frame-src ${extra.frame.join(' ')}` : '',
    "base-uri 'none'",
    "form-action 'none'",
    `frame-ancestors ${frameAncestors}`,
  ]
    .filter(Boolean)
    .join('; ');
}
