import { createClient, type Client } from 'graphql-ws';
import { WebSocket } from 'ws';
import { expect } from 'vitest';

/** A graphql-ws client of the server at `httpUrl` (…/graphql), signed in as `token` when given. */
export function liveClient(httpUrl: string, token?: string): { client: Client; closed: Promise<{ code: number; reason: string }> } {
  let closed!: (event: { code: number; reason: string }) => void;
  const closedPromise = new Promise<{ code: number; reason: string }>((resolve) => (closed = resolve));
  const client = createClient({
    url: httpUrl.replace(/^http/, 'ws'),
    webSocketImpl: WebSocket,
    retryAttempts: 0,
    connectionParams: token ? { authorization: `Bearer ${token}` } : {},
    on: { closed: (event) => closed({ code: (event as { code: number }).code, reason: String((event as { reason: unknown }).reason) }) },
  });
  return { client, closed: closedPromise };
}

export interface LiveSubscription<T> {
  events: T[];
  errors: unknown[];
  /** Resolves with the event number `n` (0-based) once it has arrived. */
  event(n: number, timeoutMs?: number): Promise<T>;
  /** Resolves with the first error (a refusal arrives as one). */
  error(timeoutMs?: number): Promise<unknown>;
  stop(): void;
}

/** What the contract's close codes mean, as the codes of an operation's error would say it. */
const CLOSE_CODES: Record<number, string> = { 4401: 'UNAUTHENTICATED', 4403: 'FORBIDDEN', 4429: 'TOO_MANY' };

/** A connection the server closed, as an error entry: `{ closeCode: 4401, code: 'UNAUTHENTICATED', reason }`. */
function closeEventOf(error: unknown): { closeCode: number; code: string; reason: string } | undefined {
  // ws's CloseEvent keeps code and reason behind getters: JSON.stringify would show nothing.
  const event = error as { type?: unknown; code?: unknown; reason?: unknown } | null;
  if (event?.type !== 'close' || typeof event.code !== 'number') return undefined;
  return { closeCode: event.code, code: CLOSE_CODES[event.code] ?? `CLOSE_${event.code}`, reason: String(event.reason) };
}

/** Subscribes and collects what arrives. */
export function subscribe<T = Record<string, unknown>>(client: Client, query: string, variables: Record<string, unknown> = {}): LiveSubscription<T> {
  const events: T[] = [];
  const errors: unknown[] = [];
  const stop = client.subscribe<T>(
    { query, variables },
    {
      next: (value) => {
        if (value.errors?.length) errors.push(value.errors);
        else events.push(value.data as T);
      },
      error: (error) => errors.push(closeEventOf(error) ?? error),
      complete: () => undefined,
    },
  );
  return {
    events,
    errors,
    event: async (n, timeoutMs = 5000) => {
      await expect.poll(() => events.length, { timeout: timeoutMs, interval: 10 }).toBeGreaterThan(n);
      return events[n]!;
    },
    error: async (timeoutMs = 5000) => {
      await expect.poll(() => errors.length, { timeout: timeoutMs, interval: 10 }).toBeGreaterThan(0);
      return errors[0];
    },
    stop,
  };
}

/** A gauge of the server's /metrics (…/graphql's origin). */
export async function metric(httpUrl: string, name: string): Promise<number> {
  const text = await (await fetch(new URL('/metrics', httpUrl))).text();
  const line = text.split('\n').find((l) => l.startsWith(`${name} `));
  return line ? Number(line.split(' ')[1]) : NaN;
}

/** Waits until the server serves at least `n` live subscriptions: events published from then on reach them. */
export async function subscribersAtLeast(httpUrl: string, n: number): Promise<void> {
  await expect.poll(() => metric(httpUrl, 'serenity_live_subscriptions'), { timeout: 5000, interval: 20 }).toBeGreaterThanOrEqual(n);
}
