/**
 * The dashboard's one live feed: the consultant's schedule over graphql-ws, and the state of the
 * connection. The only file that knows the transport — when the SDK's subscriptions land
 * (client.subscribe, onLiveStatus), this file switches to them and nothing else changes.
 *
 * graphql-ws reconnects by itself after a drop or a server's "reconnect" close (1012); the
 * server's 4401 (token expired) is fatal to it, so here it becomes a refresh and a new socket.
 */
import { ConsultationFieldsFragmentDoc, SerenityError, type ConsultationSummary, type SerenityClient } from '@serenity/sdk';
import { createClient, type Client } from 'graphql-ws';

export type LiveStatus = 'connecting' | 'live' | 'reconnecting' | 'stopped';

export interface ScheduleEvent {
  kind: string;
  at: string;
  previousStart: string | null;
  consultation: ConsultationSummary;
}

export interface ScheduleFeed {
  /** Closes the socket (sign-out). */
  stop(): void;
}

export interface FeedOptions {
  /** The signed-in client: its access token at each connect, its (single-flight) refresh on 4401. */
  client: SerenityClient;
  /** The HTTP GraphQL path or URL; the socket uses the same with ws(s):. */
  url: string;
  consultantId: string;
  onEvent(event: ScheduleEvent): void;
  /** `reconnected`: live again after a lost connection — events of the gap were not sent, reload. */
  onStatus(status: LiveStatus, reconnected: boolean): void;
  /** The feed gave up (refused: sign in again, not allowed, too many connections). */
  onFatal(error: SerenityError): void;
}

const SCHEDULE = `subscription DashboardSchedule($consultantId: ID!) {
  consultantSchedule(consultantId: $consultantId) { kind at previousStart consultation { ...ConsultationFields } }
}
${ConsultationFieldsFragmentDoc.toString()}`;

const CLOSE_MESSAGES: Record<number, [code: string, message: string]> = {
  4401: ['UNAUTHENTICATED', 'Your session has ended: sign in again.'],
  4403: ['FORBIDDEN', 'This account may not follow this schedule.'],
  4429: ['RATE_LIMITED', 'Too many open dashboards for this account: close some tabs, then reload.'],
};

const isClose = (value: unknown): value is { code: number; reason: string } => typeof (value as { code?: unknown } | null)?.code === 'number';

function wsUrl(url: string): string {
  return new URL(url, location.href).toString().replace(/^http/, 'ws');
}

export function followSchedule(options: FeedOptions): ScheduleFeed {
  let client: Client | null = null;
  let stopped = false;
  /** A connection was live before: the next one is a reconnect (reload what is shown). */
  let wasLive = false;
  let refreshedWithoutAck = false;

  const connect = () => {
    const created = createClient({
      url: wsUrl(options.url),
      connectionParams: () => {
        const token = options.client.tokens?.accessToken ?? null;
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      retryAttempts: Infinity,
      // The server's verdicts are not retried by graphql-ws (4401, 4429) or not by us (4403).
      shouldRetry: (closeOrError) => !(isClose(closeOrError) && closeOrError.code in CLOSE_MESSAGES),
      // 0.5 s, 1 s, 2 s … capped at 5 s, jittered so that a restarted server is not hit by every tab at once.
      retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(5000, 500 * 2 ** retries) * (0.5 + Math.random() / 2))),
      keepAlive: 10_000,
      on: {
        connecting: () => options.onStatus(wasLive ? 'reconnecting' : 'connecting', false),
        connected: () => {
          refreshedWithoutAck = false;
          const reconnected = wasLive;
          wasLive = true;
          options.onStatus('live', reconnected);
        },
        closed: () => {
          if (!stopped && client === created) options.onStatus(wasLive ? 'reconnecting' : 'connecting', false);
        },
      },
    });
    client = created;
    created.subscribe<{ consultantSchedule: ScheduleEvent }>(
      { query: SCHEDULE, variables: { consultantId: options.consultantId } },
      {
        next: (result) => {
          if (result.data) options.onEvent(result.data.consultantSchedule);
          else if (result.errors?.length) onRefused(created, result.errors);
        },
        error: (error) => onRefused(created, error),
        complete: () => undefined,
      },
    );
  };

  /** The subscription ended with a close code or GraphQL errors. */
  const onRefused = (owner: Client, error: unknown) => {
    if (stopped || client !== owner) return;
    const code = isClose(error) ? error.code : undefined;
    const graphqlCode = Array.isArray(error) ? (error[0] as { extensions?: { code?: string } } | undefined)?.extensions?.code : undefined;
    const unauthenticated = code === 4401 || graphqlCode === 'UNAUTHENTICATED';
    void owner.dispose();
    client = null;
    // Refreshed once and still refused before any connection got through: the new token is no better.
    if (unauthenticated && !refreshedWithoutAck) {
      refreshedWithoutAck = true;
      options.onStatus(wasLive ? 'reconnecting' : 'connecting', false);
      options.client.refresh().then(
        () => !stopped && connect(),
        (refreshError: unknown) => fail(refreshError),
      );
      return;
    }
    fail(error);
  };

  const fail = (error: unknown) => {
    stopped = true;
    options.onStatus('stopped', false);
    if (error instanceof SerenityError) return options.onFatal(error);
    const known = isClose(error) ? CLOSE_MESSAGES[error.code] : undefined;
    const first = Array.isArray(error) ? (error[0] as { message?: string; extensions?: { code?: string } } | undefined) : undefined;
    options.onFatal(
      new SerenityError(known?.[1] ?? first?.message ?? 'The live connection failed: reload the page.', {
        code: known?.[0] ?? first?.extensions?.code ?? 'NETWORK_ERROR',
      }),
    );
  };

  connect();
  return {
    stop() {
      stopped = true;
      void client?.dispose();
      client = null;
    },
  };
}
