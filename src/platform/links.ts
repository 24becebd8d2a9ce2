/**
 * A link from stored data (a meeting link, a deliverable's file) that may be shown or put into an
 * email or a calendar: only an http(s) URL, normalized; anything else (javascript:, data:, junk)
 * is null.
 */
export function httpLink(url: string | null | undefined): string | null {
  if (!url) return null;
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed.href : null;
  } catch {
    return null;
  }
}
