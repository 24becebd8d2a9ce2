import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

/**
 * Who may scrape /metrics. With METRICS_TOKEN: only `Authorization: Bearer <METRICS_TOKEN>`
 * (Prometheus: `authorization: { credentials: … }`). Without it: anyone outside production,
 * nobody in production — the metrics name operations, error codes and load, which is not for
 * the public internet, and a forgotten setting should fail closed.
 */
export function metricsAccess(options: { token: string | undefined; isProduction: boolean }): RequestHandler {
  const { token, isProduction } = options;
  if (token === undefined) {
    return (_req, res, next) => {
      if (!isProduction) return next();
      res.status(403).json({ error: 'Metrics are off in production until METRICS_TOKEN is set; scrape them with Authorization: Bearer <METRICS_TOKEN>.' });
    };
  }
  const expected = digest(token);
  return (req, res, next) => {
    const match = /^Bearer (\S+)$/.exec(req.header('authorization') ?? '');
    // Digests have one length, so the comparison takes as long whatever was sent.
    if (match && timingSafeEqual(digest(match[1]!), expected)) return next();
    res.setHeader('www-authenticate', 'Bearer realm="metrics"');
    res.status(401).json({ error: 'Send Authorization: Bearer <METRICS_TOKEN> to read the metrics.' });
  };
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}
