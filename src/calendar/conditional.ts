/**
 * Whether a conditional GET may be answered 304 (RFC 9110 §13.2.2): If-None-Match, when sent,
 * decides (weak comparison, `*` matches); otherwise If-Modified-Since against Last-Modified (whole
 * seconds). Unlike Express's req.fresh, a request's `Cache-Control: no-cache` does not make it
 * 200: that asks caches to check with the origin, and this is the origin checking (fetch() adds
 * it to every request with a validator).
 */
export function notModified(request: { ifNoneMatch?: string | undefined; ifModifiedSince?: string | undefined }, current: { etag: string; lastModified: Date }): boolean {
  if (request.ifNoneMatch !== undefined) {
    const opaque = (tag: string) => tag.trim().replace(/^W\//, '');
    const tags = request.ifNoneMatch.split(',').map((t) => t.trim());
    return tags.includes('*') || tags.some((t) => opaque(t) === opaque(current.etag));
  }
  if (request.ifModifiedSince !== undefined) {
    const since = Date.parse(request.ifModifiedSince);
    return !Number.isNaN(since) && Math.floor(current.lastModified.getTime() / 1000) <= Math.floor(since / 1000);
  }
  return false;
}
