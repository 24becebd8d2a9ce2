import express, { type Request } from 'express';
import type { CapturedMail, MailCapture, MailFilter } from './mail-capture.js';
import { escapeHtml } from './html.js';

/**
 * Development only (mount it only when mail is captured, i.e. without SMTP_URL):
 * GET /dev/mail       an HTML page of the captured mails, newest first, with clickable links;
 * GET /dev/mail.json  the same as JSON: [{ id, kind, to, from, subject, text, html, links,
 *   attachments: [{ filename, contentType, size, method, url }], receivedAt }].
 * Both take optional ?to= (case-insensitive) and ?kind= filters.
 * GET /dev/mail/<id>.html  one mail's HTML part as sent, under a CSP sandbox (no script, no
 * same origin, nothing fetched): the list page shows it in a sandboxed iframe.
 * GET /dev/mail/<id>/attachments/<n>  the n-th file (from 0) as sent, always as a download.
 */
export function devMailRouter(capture: MailCapture): express.Router {
  const router = express.Router();

  router.get('/dev/mail.json', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(capture.list(filterOf(req)).map(toJson));
  });

  router.get('/dev/mail/:id.html', (req, res) => {
    const mail = capture.list().find((m) => m.id === req.params.id);
    res.set({
      'Cache-Control': 'no-store',
      // Mail HTML is untrusted: a sandbox of its own even when opened outside the iframe.
      'Content-Security-Policy': "sandbox allow-popups allow-popups-to-escape-sandbox; default-src 'none'; style-src 'unsafe-inline'; img-src data:",
      'X-Content-Type-Options': 'nosniff',
    });
    if (!mail?.html) {
      res.status(404).type('text').send(mail ? 'This mail has no HTML part.' : 'No captured mail has this id.');
      return;
    }
    res.type('html').send(mail.html);
  });

  router.get('/dev/mail/:id/attachments/:index', (req, res) => {
    const mail = capture.list().find((m) => m.id === req.params.id);
    const index = /^\d{1,4}$/.test(req.params.index) ? Number(req.params.index) : -1;
    const file = mail?.attachments[index];
    res.set({ 'Cache-Control': 'no-store', 'X-Content-Type-Options': 'nosniff', 'Content-Security-Policy': "sandbox; default-src 'none'" });
    if (!file) {
      res.status(404).type('text').send(mail ? 'This mail has no attachment with this number.' : 'No captured mail has this id.');
      return;
    }
    // A download, never shown inline: the file came from outside this page.
    res.attachment(file.filename ?? `attachment-${index}`).type(file.contentType).send(file.content);
  });

  router.get('/dev/mail', (req, res) => {
    const filter = filterOf(req);
    res.set({
      'Cache-Control': 'no-store',
      // Mail content is shown as text, and HTML parts only inside sandboxed frames of /dev/mail/<id>.html; nothing here runs.
      'Content-Security-Policy': "default-src 'none'; style-src 'unsafe-inline'; frame-src 'self'",
    });
    res.type('html').send(renderPage(capture.list(filter), filter));
  });

  return router;
}

function filterOf(req: Request): MailFilter {
  const filter: MailFilter = {};
  const { to, kind } = req.query;
  if (typeof to === 'string' && to !== '') filter.to = to;
  if (typeof kind === 'string' && kind !== '') filter.kind = kind;
  return filter;
}

function attachmentUrl(mail: CapturedMail, index: number): string {
  return `/dev/mail/${encodeURIComponent(mail.id)}/attachments/${index}`;
}

function toJson(mail: CapturedMail) {
  const { id, kind, to, from, subject, text, html, links, receivedAt } = mail;
  const attachments = mail.attachments.map((a, index) => ({ filename: a.filename, contentType: a.contentType, size: a.size, method: a.method, url: attachmentUrl(mail, index) }));
  return { id, kind, to, from, subject, text, html, links, attachments, receivedAt };
}

function renderPage(mails: CapturedMail[], filter: MailFilter): string {
  const filterText = [filter.to ? `to ${filter.to}` : '', filter.kind ? `kind ${filter.kind}` : ''].filter(Boolean).join(', ');
  const items = mails
    .map((mail) => {
      const links = mail.links.length
        ? `<ul class="links">${mail.links
            .map((link) => `<li><a href="${escapeHtml(link)}" rel="noreferrer">${escapeHtml(link)}</a></li>`)
            .join('')}</ul>`
        : '';
      const files = mail.attachments.length
        ? `<ul class="files">${mail.attachments
            .map(
              (a, index) =>
                `<li><a href="${attachmentUrl(mail, index)}">${escapeHtml(a.filename ?? `attachment ${index}`)}</a> <span class="meta">${escapeHtml(a.contentType)}${a.method ? ` · METHOD ${escapeHtml(a.method)}` : ''} · ${a.size.toLocaleString('en-US')} bytes</span></li>`,
            )
            .join('')}</ul>`
        : '';
      return `<article>
<h2>${escapeHtml(mail.subject || '(no subject)')}</h2>
<p class="meta">To <b>${escapeHtml(mail.to.join(', '))}</b> · from ${escapeHtml(mail.from)} · <time datetime="${escapeHtml(mail.receivedAt)}">${escapeHtml(mail.receivedAt)}</time>${mail.kind ? ` · <code>${escapeHtml(mail.kind)}</code>` : ''}</p>
${links}
${files}
${mail.html ? `<details open><summary>HTML part (<a href="/dev/mail/${encodeURIComponent(mail.id)}.html" target="_blank" rel="noreferrer">open alone</a>)</summary><iframe src="/dev/mail/${encodeURIComponent(mail.id)}.html" sandbox="allow-popups allow-popups-to-escape-sandbox" title="${escapeHtml(mail.subject || 'mail')}" loading="lazy"></iframe></details>` : ''}
<details${mail.html ? '' : ' open'}><summary>Plain text</summary><pre>${escapeHtml(mail.text)}</pre></details>
</article>`;
    })
    .join('\n');
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Captured mail · Serenity</title>
<style>
body { font-family: system-ui, sans-serif; max-width: 60rem; margin: 2rem auto; padding: 0 1rem; color: #222; }
article { border: 1px solid #ddd; border-radius: 6px; padding: 0.75rem 1rem; margin: 1rem 0; }
h2 { font-size: 1.1rem; margin: 0 0 0.25rem; }
.meta { color: #555; font-size: 0.9rem; margin: 0 0 0.5rem; }
pre { white-space: pre-wrap; background: #f7f7f7; padding: 0.5rem; border-radius: 4px; }
.files { margin: 0.25rem 0; padding-left: 1.25rem; }
.links { margin: 0.25rem 0; padding-left: 1.25rem; word-break: break-all; }
iframe { width: 100%; height: 36rem; border: 1px solid #ddd; border-radius: 4px; background: #fff; }
summary { cursor: pointer; color: #555; margin: 0.25rem 0; }
</style>
</head>
<body>
<h1>Captured mail</h1>
<p>Development only: mail is captured in-process because SMTP_URL is unset. Newest first${filterText ? `, ${escapeHtml(filterText)}` : ''}; ${mails.length} shown. The same list as JSON: <a href="/dev/mail.json">/dev/mail.json</a>.</p>
${items || '<p>No mail captured yet.</p>'}
</body>
</html>
`;
}
