import type { EntityManager } from '@mikro-orm/postgresql';
import type { DomainEvents, MeetingChange } from '../platform/events.js';
import type { JobDefinition } from '../platform/jobs.js';
import type { Logger } from '../platform/logger.js';
import { execute, query, type Sql } from '../platform/sql.js';
import { MeetingAction } from './meeting.enums.js';
import { nextAttemptAt } from './meeting.rules.js';
import { claimDue, markDeleted, markFailed, markReady, markRetry, MEETINGS_CHANNEL, nextDue, type ClaimedMeeting } from './meeting.sql.js';
import { configuredProviders, type MeetingProvider } from './providers.js';

export interface MeetingSyncOptions {
  providers: Partial<Record<string, MeetingProvider>>;
  /** meeting.changed is emitted with each outcome, in its transaction (absent: nobody listens, as in a unit test). */
  events?: DomainEvents;
  now?: () => Date;
  leaseMs?: number;
  batch?: number;
  maxAttempts?: number;
  logger?: Logger;
}

/**
 * Asks the providers for every meeting whose action is due, after the booking committed: each
 * claim is its own short statement and each outcome another, so no transaction waits on a
 * provider. Repeats are safe: a claim is a token, a stale one changes nothing.
 */
export async function syncDueMeetings(em: EntityManager, options: MeetingSyncOptions): Promise<{ claimed: number; wakeAt: Date | null }> {
  const now = options.now ?? (() => new Date());
  const started = now();
  const rows = await query<ClaimedMeeting>(em, claimDue(started, new Date(started.getTime() + (options.leaseMs ?? 60_000)), options.batch ?? 20));
  for (const row of rows) await syncOne(em, row, options, now);
  const [next] = await query<{ at: Date | null }>(em, nextDue(now()));
  return { claimed: rows.length, wakeAt: next?.at ? new Date(next.at) : null };
}

async function syncOne(em: EntityManager, row: ClaimedMeeting, options: MeetingSyncOptions, now: () => Date): Promise<void> {
  const id = row.consultation_id;
  const claim = { id, attempts: row.attempts, leaseUntil: row.lease_until };
  const facts = {
    consultationId: id,
    title: `Serenity consultation ${row.title}`,
    start: new Date(row.start_at),
    end: new Date(row.end_at),
    consultantPhone: row.consultant_phone,
    consultantEmail: row.consultant_email,
    consultantName: row.consultant_name,
    timeZone: row.time_zone,
  };
  // Set once the provider has answered: a failure after it is ours (storing the outcome, a
  // meeting.changed handler), logged as an error; the retry's find or idempotent create adopts what was made.
  let answered = false;
  try {
    const provider = options.providers[row.provider];
    if (!provider) throw new Error(`the ${row.provider} meeting provider is not configured`);
    if (row.action === MeetingAction.DELETE) {
      if (row.external_id) await provider.delete(row.external_id);
      answered = true;
      await settle(em, options, markDeleted(claim, now()), (at) => ({ consultationId: id, provider: row.provider, status: 'DELETED', joinUrlChanged: false, error: null, at }), now);
    } else {
      const place =
        row.action === MeetingAction.UPDATE && row.external_id
          ? await provider.update(row.external_id, facts)
          : // A repeated create first looks for what an earlier, unanswered one made.
            ((row.attempts > 1 && (await provider.find?.(facts))) || (await provider.create(facts)));
      answered = true;
      await em.transactional(async (tx) => {
        const [ready] = await query<{ join_url_changed: boolean }>(tx, markReady(claim, place, now()));
        if (ready) await options.events?.emit('meeting.changed', { consultationId: id, provider: row.provider, status: 'READY', joinUrlChanged: ready.join_url_changed, error: null, at: now() }, tx);
      });
    }
  } catch (error) {
    const message = (error instanceof Error ? error.message : String(error)).slice(0, 1000);
    const at = now();
    const retryAt = nextAttemptAt(row.attempts, at, options.maxAttempts);
    const context = { consultationId: id, provider: row.provider, attempts: row.attempts, err: error };
    if (answered) options.logger?.error(context, retryAt ? 'meeting made but its outcome could not be stored; retrying' : 'meeting made but its outcome could not be stored; giving up');
    else options.logger?.warn(context, retryAt ? 'meeting call failed; retrying' : 'meeting call failed; giving up');
    if (retryAt) await execute(em, markRetry(claim, message, retryAt, at));
    else await settle(em, options, markFailed(claim, message, at), () => ({ consultationId: id, provider: row.provider, status: 'FAILED', joinUrlChanged: false, error: message, at }), now);
  }
}

/** An outcome and its meeting.changed in one transaction: the event only when the claim still held. */
async function settle(em: EntityManager, options: MeetingSyncOptions, outcome: Sql, change: (at: Date) => MeetingChange, now: () => Date): Promise<void> {
  await em.transactional(async (tx) => {
    if ((await execute(tx, outcome)) > 0) await options.events?.emit('meeting.changed', change(now()), tx);
  });
}

/** The job in every process that runs jobs: woken at commit of a meeting write, at the next retry, and swept every minute. */
export function meetingsJob(options: Partial<MeetingSyncOptions> = {}): JobDefinition<Record<string, never>> {
  return {
    name: 'meetings.sync',
    every: '1 minute',
    wakeOn: MEETINGS_CHANNEL,
    async handler(_data, { em, logger, services, events }) {
      const providers = options.providers ?? configuredProviders(services.config.meetings);
      const report = await syncDueMeetings(em, { events, ...options, providers, logger });
      if (report.claimed > 0) logger.info({ claimed: report.claimed }, 'meetings synced');
      return { wakeAt: report.wakeAt };
    },
  };
}
