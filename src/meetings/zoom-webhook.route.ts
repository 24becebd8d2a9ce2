import express, { Router } from 'express';
import type { HttpRoutes } from '../platform/routes.js';
import { query } from '../platform/sql.js';
import { answerUrlValidation, checkZoomSignature, parseZoomEvent, type ZoomEvent } from './zoom-webhook.js';
import { recordZoomEnd, recordZoomRecording, recordZoomStart, type ZoomEventOutcomeRow } from './zoom-webhook.sql.js';

const EVENT_NAME = { started: 'meeting.started', ended: 'meeting.ended', recording: 'recording.completed' } as const;

/**
 * POST /webhooks/zoom (the Zoom app's event notification endpoint). Zoom signs the exact bytes
 * it sent, so the body is read raw. Unsigned, forged or stale: 401, nothing written; signed but
 * not a Zoom event: 400. An event for a meeting this platform does not hold is still 200, or
 * Zoom would deliver it again and again. Off (404) until ZOOM_WEBHOOK_SECRET_TOKEN is set.
 */
export const zoomWebhookRoutes: HttpRoutes = ({ orm, services, logger }) => {
  const router = Router();
  const log = logger.child({ component: 'zoom-webhook' });
  const secret = services.config.meetings.zoomWebhookSecret;
  if (!secret) {
    // Nothing could verify a delivery: answered before the body is read.
    router.post('/webhooks/zoom', (_req, res) => {
      res.status(404).json({ error: 'Zoom webhooks are off on this server: set ZOOM_WEBHOOK_SECRET_TOKEN to the secret token of the Zoom app.' });
    });
    return router;
  }
  router.post('/webhooks/zoom', express.raw({ type: () => true, limit: services.config.bodyLimitBytes }), async (req, res) => {
    const body = Buffer.isBuffer(req.body) ? req.body : Buffer.alloc(0);
    const signed = checkZoomSignature({ secret, signature: req.header('x-zm-signature'), timestamp: req.header('x-zm-request-timestamp'), body, now: new Date() });
    if (!signed.ok) {
      log.warn({ reason: signed.reason }, 'Zoom webhook refused');
      res.status(401).json({ error: signed.reason });
      return;
    }
    const event = parseZoomEvent(body);
    if (event.kind === 'invalid') {
      log.warn({ reason: event.reason }, 'Zoom webhook not understood');
      res.status(400).json({ error: event.reason });
      return;
    }
    if (event.kind === 'url_validation') {
      res.json(answerUrlValidation(secret, event.plainToken));
      return;
    }
    if (event.kind === 'ignored') {
      log.debug({ event: event.event }, 'Zoom event ignored');
      res.json({ received: true, outcome: 'ignored' });
      return;
    }
    const fields = { event: EVENT_NAME[event.kind], zoomMeetingId: event.meetingId };
    try {
      const [row] = await query<ZoomEventOutcomeRow>(orm.em.fork(), statementFor(event, new Date()));
      const outcome = !row?.found ? 'unknown meeting' : row.changed ? 'recorded' : 'unchanged';
      if (outcome === 'unknown meeting') log.debug(fields, 'Zoom event for a meeting this platform does not hold');
      else log.info({ ...fields, outcome }, 'Zoom event');
      res.json({ received: true, outcome });
    } catch (error) {
      log.error({ err: error, ...fields }, 'Zoom event failed; Zoom will deliver it again');
      res.status(500).json({ error: 'The event could not be processed; it will be retried.' });
    }
  });
  return router;
};

function statementFor(event: Extract<ZoomEvent, { kind: 'started' | 'ended' | 'recording' }>, now: Date) {
  switch (event.kind) {
    case 'started':
      return recordZoomStart(event.meetingId, event.at, now);
    case 'ended':
      return recordZoomEnd(event.meetingId, event.at, now);
    case 'recording':
      return recordZoomRecording(event.meetingId, event.recordingUrl, now);
  }
}
