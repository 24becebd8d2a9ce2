/**
 * The email templates of emails/: MJML for the HTML part, a .txt for the plain-text part, both
 * filled with Handlebars (escaping in the HTML, none in the text). Every template is compiled
 * once per process — MJML under strict validation, so a broken template stops the start, not a
 * send — and then rendered per message (a few hundred microseconds). The built server takes
 * them from dist/prebuilt/, turned from MJML into HTML by `npm run build` (which then fails on a
 * broken template instead).
 *
 *   emails/layout.mjml      the shared HTML layout; its `<!-- @content -->` line takes a template's body
 *   emails/layout.txt       the shared text layout; `{{> content}}` takes a template's text
 *   emails/<name>.mjml      a template's body: mj-section elements (no <mjml>, <mj-body>)
 *   emails/<name>.txt       its plain-text alternative
 *   emails/partials/<p>.html | <p>.txt   pieces both kinds share, `{{> p}}` (the .html goes inside an mj-text)
 *
 * Handlebars runs in strict mode: a template naming a field the data lacks throws, so a typo
 * cannot send an email with a hole in it (optional facts are passed as null, not left out).
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import Handlebars from 'handlebars';
import { PACKAGE_ROOT } from './package-root.js';
import { readPrebuiltJson } from './prebuilt.js';

// From the package root: emails/ is not compiled, so dist/src/ reads the same folder src/ does.
export const EMAILS_DIR = path.join(PACKAGE_ROOT, 'emails');

const CONTENT_MARK = '<!-- @content -->';

export interface RenderedEmail {
  html: string;
  text: string;
}

export interface EmailTemplates {
  /** The template names, e.g. 'verify-email', 'booking-confirmed.client'. */
  readonly names: readonly string[];
  /** Fills template `name` with `data`; throws on an unknown name or a field the data lacks. */
  render(name: string, data: object): RenderedEmail;
}

/** Thrown at compile time: which template, and MJML's own messages. */
export class EmailTemplateError extends Error {
  constructor(name: string, detail: string) {
    super(`Email template ${name}: ${detail}`);
    this.name = 'EmailTemplateError';
  }
}

/**
 * The templates of `dir` with their MJML already turned into HTML (still Handlebars): what
 * `npm run build` saves in dist/prebuilt/ (scripts/build-assets.ts), so the built server never
 * loads mjml and its large dependency tree (html-minifier, juice, cheerio, undici…).
 */
export interface EmailSources {
  partials: { html: Record<string, string>; text: Record<string, string> };
  textLayout: string;
  templates: Record<string, { html: string; text: string }>;
}

export const PREBUILT_EMAILS_FILE = 'emails.json';

/** Reads every template of `dir` and turns its MJML into HTML (strict validation). */
export async function translateEmailSources(dir: string = EMAILS_DIR): Promise<EmailSources> {
  // Imported here, not at the top: only this step needs mjml.
  const { default: mjml2html } = await import('mjml');
  const read = (file: string) => readFileSync(path.join(dir, file), 'utf8');
  const files = readdirSync(dir);
  const layout = read('layout.mjml');
  if (!layout.includes(CONTENT_MARK)) throw new EmailTemplateError('layout', `layout.mjml has no ${CONTENT_MARK} line for the content.`);
  const names = files
    .filter((f) => f.endsWith('.mjml') && f !== 'layout.mjml')
    .map((f) => f.slice(0, -'.mjml'.length))
    .sort();

  const sources: EmailSources = { partials: { html: {}, text: {} }, textLayout: read('layout.txt'), templates: {} };
  for (const file of readdirSync(path.join(dir, 'partials'))) {
    const { name: partial, ext } = path.parse(file);
    const source = read(path.join('partials', file));
    if (ext === '.html') sources.partials.html[partial] = source;
    else if (ext === '.txt') sources.partials.text[partial] = source;
  }
  for (const name of names) {
    const body = read(`${name}.mjml`);
    if (!files.includes(`${name}.txt`)) throw new EmailTemplateError(name, `${name}.txt, its plain-text alternative, is missing.`);
    let result: { html: string };
    try {
      result = await mjml2html(layout.replace(CONTENT_MARK, body), { validationLevel: 'strict', filePath: dir, keepComments: false, fonts: {} });
    } catch (error) {
      throw new EmailTemplateError(name, error instanceof Error ? error.message : String(error));
    }
    sources.templates[name] = { html: result.html, text: read(`${name}.txt`) };
  }
  return sources;
}

/** Compiles every template of `dir` (MJML strict validation, Handlebars strict mode). */
export async function compileEmailTemplates(dir: string = EMAILS_DIR): Promise<EmailTemplates> {
  return templatesOf(await translateEmailSources(dir));
}

/** Handlebars over translated sources (strict mode: a field the data lacks throws). */
export function templatesOf(sources: EmailSources): EmailTemplates {
  const html = Handlebars.create();
  const text = Handlebars.create();
  for (const [partial, source] of Object.entries(sources.partials.html)) html.registerPartial(partial, source);
  for (const [partial, source] of Object.entries(sources.partials.text)) text.registerPartial(partial, source);
  const textLayout = text.compile(sources.textLayout, { strict: true, noEscape: true });

  const names = Object.keys(sources.templates).sort();
  const compiled = new Map<string, { html: Handlebars.TemplateDelegate; text: Handlebars.TemplateDelegate }>();
  for (const name of names) {
    const template = sources.templates[name]!;
    const textBody = text.compile(template.text, { strict: true, noEscape: true });
    compiled.set(name, {
      html: html.compile(template.html, { strict: true }),
      text: (data) => textLayout(data, { partials: { content: textBody } }),
    });
  }

  return {
    names,
    render(name, data) {
      const template = compiled.get(name);
      if (!template) throw new EmailTemplateError(name, `no such template (there are: ${names.join(', ')}).`);
      return { html: template.html(data), text: tidyText(template.text(data)) };
    },
  };
}

let shared: Promise<EmailTemplates> | undefined;

/**
 * emails/ compiled once per process (the API awaits it at start, so a broken template fails the
 * start): from dist/prebuilt/ in the built server (a broken template failed the build), else
 * from emails/ through MJML.
 */
export function emailTemplates(): Promise<EmailTemplates> {
  shared ??= (async () => {
    const prebuilt = readPrebuiltJson<EmailSources>(PREBUILT_EMAILS_FILE);
    return prebuilt ? templatesOf(prebuilt) : compileEmailTemplates();
  })().catch((error: unknown) => {
    shared = undefined;
    throw error;
  });
  return shared;
}

/** Blocks that rendered empty leave blank lines: at most one empty line in a row, none at the ends. */
function tidyText(text: string): string {
  return `${text
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim()}\n`;
}
