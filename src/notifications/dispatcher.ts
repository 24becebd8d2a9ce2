import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from '../platform/logger.js';
import type { Metrics } from '../platform/metrics.js';
import { execute, query } from '../platform/sql.js';
import { NotificationDelivery } from './delivery.entity.js';
import { afterFailure, describeFailure, isTransient } from './dispatch.rules.js';
import { claimDue, markFailed, markRetry, markSent, markSkipped, nextDue, pendingDue } from './dispatch.sql.js';
import type { Compose, DeliveryChannels, DispatchReport, Relevant, Wanted } from './dispatch.types.js';

export interface DispatcherOptions {
  /** A fresh EntityManager that sees every tenant (a delivery belongs to no request). */
  fork: () => EntityManager;
  compose: Compose;
  channels: DeliveryChannels;
  relevant: Relevant;
  wanted: Wanted;
  publicUrl: string;
  logger: Logger;
  metrics?: Metrics;
  /** How long a claim holds a delivery; a claimer that crashed is taken over after it. */
  leaseMs: number;
  /** How long a confirmation (or a move's message) waits for its meeting link while it is being made (dispatch.rules.ts's heldForMeeting); 0: never. */
  meetingWaitMs?: number;
  /** Deliveries claimed at once. */
  batchSize?: number;
  /** Of a batch, how many are sent at the same time. */
  concurrency?: number;
  /** NODE_ENV=test only: awaited after the channel accepted a message and before it is marked SENT (the crash test). */
  afterSend?: (delivery: NotificationDelivery) => Promise<void>;
}

export interface Dispatcher {
  /**
   * Sends everything due at `now` (default: the clock at each batch), batch after batch until
   * nothing due is left unclaimed. Tests pass `now` to run "at" an instant.
   */
  dispatchDue(now?: Date): Promise<DispatchReport>;
  /** The next moment something falls due after `now`, if anything is waiting. */
  nextDueAt(now?: Date): Promise<Date | null>;
}

const emptyReport = (): DispatchReport => ({ claimed: 0, sent: 0, skipped: 0, retried: 0, failed: 0, lost: 0, deferred: 0 });

/**
 * The outbox's sender (I11): claims due deliveries with a lease, asks the hooks whether each is
 * still relevant and wanted, composes and sends it, then marks it SENT — only while the claim is
 * still its own, so a sender whose lease was taken over changes nothing. A crash between the
 * channel's answer and the mark leaves the delivery SENDING; after the lease it is sent again,
 * with the same Message-ID (the one duplicate the design allows). Never runs inside a domain
 * transaction: the outbox rows it reads are committed.
 */
export function createDispatcher(options: DispatcherOptions): Dispatcher {
  const { logger, metrics } = options;
  const batchSize = options.batchSize ?? 50;
  const concurrency = Math.max(1, options.concurrency ?? 5);
  const meetingWaitMs = options.meetingWaitMs ?? 0;

  const settle = async (delivery: NotificationDelivery, leaseUntil: Date, now: () => Date, report: DispatchReport) => {
    // A claim more than half through its lease (a slow batch) is left to be claimed again after
    // it: sent now, it could still be sending when another sender takes it over (a duplicate).
    if (now().getTime() > leaseUntil.getTime() - options.leaseMs / 2) {
      report.deferred += 1;
      return;
    }
    const em = options.fork();
    const log = logger.child({ deliveryId: delivery.id, kind: delivery.kind, channel: delivery.channel });
    const mark = async (statement: Parameters<typeof execute>[1]) => {
      const changed = await execute(em, statement);
      if (changed === 0) {
        report.lost += 1;
        log.warn('delivery was taken over by another sender (its lease ran out) before it was marked');
      }
      return changed > 0;
    };
    const skip = async (reason: string) => {
      if (await mark(markSkipped(delivery.id, delivery.attempts, reason, now()))) {
        report.skipped += 1;
        metrics?.notificationDeliveries.inc({ channel: delivery.channel, outcome: 'skipped' });
      }
    };
    try {
      if (!(await options.relevant(em, delivery, now()))) return await skip('no longer relevant when its moment came');
      if (!(await options.wanted(em, delivery))) return await skip('turned off by the recipient');
      const message = await options.compose(em, delivery, { publicUrl: options.publicUrl });
      if (!message) return await skip('its subject is gone');
      await options.channels[delivery.channel](em, delivery, message);
    } catch (error) {
      const at = now();
      const reason = describeFailure(error);
      const outcome = afterFailure({ dueAt: delivery.dueAt, attempts: delivery.attempts, now: at, transient: isTransient(error) });
      if (outcome.status === 'PENDING') {
        if (await mark(markRetry(delivery.id, delivery.attempts, reason, outcome.nextAttemptAt, at))) {
          report.retried += 1;
          metrics?.notificationDeliveries.inc({ channel: delivery.channel, outcome: 'retried' });
          log.warn({ err: error, attempts: delivery.attempts, nextAttemptAt: outcome.nextAttemptAt }, 'delivery failed; it will be tried again');
        }
      } else if (await mark(markFailed(delivery.id, delivery.attempts, reason, at))) {
        report.failed += 1;
        metrics?.notificationDeliveries.inc({ channel: delivery.channel, outcome: 'failed' });
        log.error({ err: error, attempts: delivery.attempts }, 'delivery failed for good');
      }
      return;
    }
    await options.afterSend?.(delivery);
    const sentAt = now();
    if (await mark(markSent(delivery.id, delivery.attempts, sentAt))) {
      report.sent += 1;
      metrics?.notificationDeliveries.inc({ channel: delivery.channel, outcome: 'sent' });
      metrics?.notificationLag.observe({ channel: delivery.channel }, Math.max(0, sentAt.getTime() - delivery.dueAt.getTime()) / 1000);
    }
  };

  return {
    async dispatchDue(at) {
      const report = emptyReport();
      const now = () => at ?? new Date();
      for (;;) {
        const claimAt = now();
        const em = options.fork();
        const leaseUntil = new Date(claimAt.getTime() + options.leaseMs);
        const rows = await query<Record<string, unknown>>(em, claimDue(claimAt, leaseUntil, batchSize, meetingWaitMs));
        const batch = rows.map((row) => em.map(NotificationDelivery, row));
        report.claimed += batch.length;
        for (let i = 0; i < batch.length; i += concurrency) {
          await Promise.all(batch.slice(i, i + concurrency).map((delivery) => settle(delivery, leaseUntil, now, report)));
        }
        if (batch.length < batchSize) break;
      }
      if (metrics) {
        const [due] = await query<{ count: number }>(options.fork(), pendingDue(now(), meetingWaitMs));
        metrics.notificationPendingDue.set(due?.count ?? 0);
      }
      return report;
    },
    async nextDueAt(at = new Date()) {
      const [row] = await query<{ at: Date | string | null }>(options.fork(), nextDue(at, meetingWaitMs));
      return row?.at ? new Date(row.at) : null;
    },
  };
}
