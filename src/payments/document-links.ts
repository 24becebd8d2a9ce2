import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Download links that work from an email, without a bearer token: the document's path with an
 * expiry and an HMAC of both under the document's own key (kept on its row, never shown). A
 * link cannot be altered or extended, and it stops working when it expires.
 */
export const DOCUMENT_LINK_DAYS = 30;

function signature(key: string, id: string, expires: number): string {
  return createHmac('sha256', key).update(`${id}.${expires}`).digest('base64url');
}

/** `${publicUrl}/<kind>/<id>.pdf?expires=…&signature=…`, valid DOCUMENT_LINK_DAYS from `now`. */
export function signedDocumentUrl(publicUrl: string, path: 'invoices' | 'credit-notes', doc: { id: string; downloadKey: string }, now: Date): string {
  const expires = Math.floor(now.getTime() / 1000) + DOCUMENT_LINK_DAYS * 86_400;
  return `${publicUrl}/${path}/${doc.id}.pdf?expires=${expires}&signature=${signature(doc.downloadKey, doc.id, expires)}`;
}

/** 'valid', 'expired' or 'invalid' (a forged or altered link). */
export function checkDocumentLink(doc: { id: string; downloadKey: string }, expires: unknown, given: unknown, now: Date): 'valid' | 'expired' | 'invalid' {
  if (typeof expires !== 'string' || typeof given !== 'string' || !/^\d{1,12}$/.test(expires)) return 'invalid';
  const expected = Buffer.from(signature(doc.downloadKey, doc.id, Number(expires)));
  const actual = Buffer.from(given);
  if (expected.length !== actual.length || !timingSafeEqual(expected, actual)) return 'invalid';
  return Number(expires) * 1000 <= now.getTime() ? 'expired' : 'valid';
}
