/**
 * npm run emails:preview [-- <folder>]: renders every email template with its sample data
 * (scripts/email-samples.ts) into <folder> (default .data/email-preview): <sample>.html and
 * <sample>.txt for each, and index.html linking them all. Open index.html in a browser.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { compileEmailTemplates } from '../src/platform/email-templates.js';
import { EMAIL_SAMPLES } from './email-samples.js';

const esc = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

async function main(): Promise<void> {
  const out = path.resolve(process.argv[2] ?? '.data/email-preview');
  mkdirSync(out, { recursive: true });
  const templates = await compileEmailTemplates();
  const rows: string[] = [];
  for (const sample of EMAIL_SAMPLES) {
    const { html, text } = templates.render(sample.template, sample.data);
    writeFileSync(path.join(out, `${sample.name}.html`), html);
    writeFileSync(path.join(out, `${sample.name}.txt`), text);
    rows.push(`<tr><td><code>${esc(sample.template)}</code></td><td><a href="${esc(sample.name)}.html">${esc(sample.subject)}</a></td><td><a href="${esc(sample.name)}.txt">text</a></td></tr>`);
  }
  writeFileSync(
    path.join(out, 'index.html'),
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Serenity email preview</title>
<style>body{font-family:system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}td{padding:4px 12px 4px 0}</style></head>
<body><h1>Serenity email preview</h1><p>${EMAIL_SAMPLES.length} samples of ${templates.names.length} templates (emails/), rendered with scripts/email-samples.ts.</p>
<table><thead><tr><th align="left">Template</th><th align="left">Subject (HTML)</th><th align="left">Plain text</th></tr></thead><tbody>
${rows.join('\n')}
</tbody></table></body></html>
`,
  );
  console.log(`${EMAIL_SAMPLES.length} emails rendered into ${out}; open ${path.join(out, 'index.html')}`);
}

await main();
