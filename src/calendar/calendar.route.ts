import { createHash } from 'node:crypto';
import { Router } from 'express';
import type { HttpRoutes } from '../platform/routes.js';
import { CalendarFeedService } from './calendar-feed.service.js';
import { notModified } from './conditional.js';

/** Subscribed calendars look again often; a short life keeps a change (or a rotation) visible soon. */
const MAX_AGE_SECONDS = 300;

/**
 * GET /calendar/<secret>.ics: a user's private feed, for Google Calendar, Outlook and Apple
 * Calendar to subscribe to (no sign-in: the secret is the key). ETag (the body's hash) and
 * Last-Modified let a poll that finds nothing new get 304. Anything that is no live feed —
 * malformed, forged, rotated away — gets the same 404, so a secret reveals nothing.
 */
export const calendarRoutes: HttpRoutes = ({ orm, services, logger }) => {
  const router = Router();
  router.get('/calendar/:file', async (req, res) => {
    const secret = /^(.+)\.ics$/.exec(req.params.file)?.[1] ?? '';
    const feeds = new CalendarFeedService(orm.em.fork(), { publicUrl: services.config.publicUrl, serverSecret: services.config.jwtSecret });
    const feed = await feeds.document(secret);
    res.setHeader('referrer-policy', 'no-referrer');
    res.setHeader('x-robots-tag', 'noindex');
    res.setHeader('cache-control', `private, max-age=${MAX_AGE_SECONDS}`);
    if (!feed) {
      res.status(404).type('text/plain').send('Not found.');
      return;
    }
    const etag = `"${createHash('sha256').update(feed.body).digest('base64url')}"`;
    res.setHeader('etag', etag);
    res.setHeader('last-modified', feed.lastModified.toUTCString());
    if (notModified({ ifNoneMatch: req.header('if-none-match'), ifModifiedSince: req.header('if-modified-since') }, { etag, lastModified: feed.lastModified })) {
      res.status(304).end();
      return;
    }
    logger.debug({ bytes: feed.body.length }, 'calendar feed served');
    res.status(200).type('text/calendar; charset=utf-8').setHeader('content-disposition', 'inline; filename="serenity.ics"').send(feed.body);
  });
  return router;
};
