/**
 * The dashboard's one live feed: the consultant's schedule through the SDK's subscriptions
 * (graphql-ws underneath: reconnects after a drop or the server's 1012, refreshes the token on
 * 4401 and resubscribes), and the state of the connection. The only file that knows the transport.
 */
import { SerenityError, type LiveStatusEvent, type ScheduleUpdate, type SerenityClient } from '@serenity/sdk';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export type ScheduleEvent = ScheduleUpdate;

export interface ScheduleFeed {
  /** Ends the subscription (sign-out). */
  stop(): void;
}

export interface FeedOptions {
  /** The signed-in client: it holds the socket, the token and its refresh. */
  client: SerenityClient;
  consultantId: string;
  onEvent(event: ScheduleEvent): void;
  /** `reconnected`: live again after a lost connection — events of the gap were not sent, reload. */
  onStatus(status: LiveStatus, reconnected: boolean): void;
  /** The feed gave up (no refresh helps: sign in again; not allowed; too many connections). */
  onFatal(error: SerenityError): void;
}

export function followSchedule(options: FeedOptions): ScheduleFeed {
  let stopped = false;
  const off = options.client.onLiveStatus((event: LiveStatusEvent) => {
    // 'idle' is the SDK's "no subscription": after stop(), or after the feed failed (below).
    if (stopped || event.status === 'idle') return;
    options.onStatus(event.status, event.status === 'live' && event.reconnected);
  });
  const events = options.client.consultantSchedule({ consultantId: options.consultantId });
  void (async () => {
    try {
      for await (const event of events) options.onEvent(event);
    } catch (error) {
      if (stopped) return;
      stopped = true;
      off();
      options.onStatus('stopped', false);
      options.onFatal(error instanceof SerenityError ? error : new SerenityError(`The live connection failed: ${String(error)}. Reload the page.`, { code: 'NETWORK_ERROR', cause: error }));
    }
  })();
  return {
    stop() {
      stopped = true;
      off();
      void events.return();
    },
  };
}
