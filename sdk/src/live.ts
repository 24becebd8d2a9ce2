/**
 * Subscriptions over graphql-ws: one lazy WebSocket per client, typed async iterators on it.
 *
 * graphql-ws reconnects by itself after a network drop (we give it capped, jittered backoff and
 * resubscribe there), but treats the server's 4401 and 4429 as fatal and retries 4403: the
 * iterators below turn those into a refresh (4401) or a typed SerenityError, and a refreshed
 * token reaches the next connection because `connectionParams` is read at every connect.
 */
import { createClient, type Client } from 'graphql-ws/client';
import { SerenityError, fromGraphQLErrors, type GraphQLErrorEntry } from './errors.js';

/** Where the live connection is: `reconnected` on `live` means events were missed meanwhile. */
export type LiveStatus = 'idle' | 'connecting' | 'live' | 'reconnecting';

export interface LiveStatusEvent {
  status: LiveStatus;
  /**
   * On `live`: true when an earlier connection was lost while subscribed. Events of the gap are
   * not replayed, so reload what you show (e.g. refetch the dashboard's consultations).
   */
  reconnected: boolean;
  /** On `reconnecting`/`idle` after a close: the WebSocket close code and reason. */
  closeCode?: number | undefined;
  reason?: string | undefined;
}

export interface LiveOptions {
  /** The graphql-ws URL; defaults to `url` with http→ws and https→wss. */
  wsUrl?: string | undefined;
  /**
   * A WebSocket constructor where there is no global one (Node 20: the `ws` package's
   * default export). Node ≥ 22, browsers, Deno and Bun have a global WebSocket.
   */
  webSocketImpl?: unknown;
  /** Reconnects after a drop before the iterators throw NETWORK_ERROR; default Infinity. */
  reconnectAttempts?: number | undefined;
  /** Backoff between reconnects: min(maxMs, initialMs·2^attempt), jittered to 50–100 %. */
  reconnectDelay?: { initialMs?: number | undefined; maxMs?: number | undefined } | undefined;
  /** A ping every this many ms; no pong within as long again ends the socket (reconnect). 0 turns it off. Default 12 000. */
  keepAliveMs?: number | undefined;
  /** Called at every change of the live connection's status. */
  onLiveStatus?: ((event: LiveStatusEvent) => void) | undefined;
}

/** An event stream: `for await` it; `break` or `return()` ends the server's subscription at once. */
export interface LiveSubscription<T> extends AsyncIterableIterator<T> {
  return(): Promise<IteratorResult<T, undefined>>;
}

/** What the transport needs of the client's sign-in state (client.ts). */
export interface LiveAuth {
  accessToken(): string | null;
  /**
   * The server refused `stale` (4401): resolves once a newer token is there (another request
   * may already have refreshed, else one shared refresh); throws UNAUTHENTICATED otherwise.
   */
  reauthenticate(stale: string | null): Promise<void>;
}

export interface LiveTransport {
  subscribe<T>(query: string, variables: unknown, pick: (data: unknown) => T): LiveSubscription<T>;
  readonly status: LiveStatus;
  onStatus(listener: (event: LiveStatusEvent) => void): () => void;
  /** Closes the socket; open iterators end (done). A later subscribe connects anew. */
  dispose(): Promise<void>;
}

// The timers and URL every runtime has, typed here: the SDK builds without DOM or Node types.
type TimerId = number | { unref?(): void };
const runtime = globalThis as unknown as {
  setTimeout(callback: () => void, ms: number): TimerId;
  clearTimeout(id: TimerId | undefined): void;
  URL: new (url: string, base: string) => { toString(): string };
  location?: { href?: string };
  queueMicrotask(callback: () => void): void;
};
const queueMicrotask = (callback: () => void): void => runtime.queueMicrotask(callback);
const setTimeout = (callback: () => void, ms: number): TimerId => runtime.setTimeout(callback, ms);
const clearTimeout = (id: TimerId | undefined): void => runtime.clearTimeout(id);

interface CloseLike {
  code: number;
  reason: string;
}
const isCloseLike = (value: unknown): value is CloseLike =>
  typeof value === 'object' && value !== null && typeof (value as { code?: unknown }).code === 'number' && 'reason' in value;
const isGraphQLErrors = (value: unknown): value is GraphQLErrorEntry[] =>
  Array.isArray(value) && value.length > 0 && value.every((e) => typeof e === 'object' && e !== null && typeof (e as { message?: unknown }).message === 'string');

/** Closes the SDK does not retry (the server's, api-contract.md "Live status (details)"). */
const FATAL = new Set([4401, 4403, 4429]);

export function liveUrl(url: string): string {
  let absolute = url;
  const href = runtime.location?.href;
  // A relative endpoint ("/graphql", a browser app on the API's origin): resolved against the page.
  if (!/^[a-z][a-z0-9+.-]*:/i.test(url) && href) absolute = new runtime.URL(url, href).toString();
  return absolute.replace(/^http(s?):/i, 'ws$1:');
}

export function createLiveTransport(url: string, options: LiveOptions, auth: LiveAuth): LiveTransport {
  const keepAliveMs = options.keepAliveMs ?? 12_000;
  const initialMs = options.reconnectDelay?.initialMs ?? 500;
  const maxMs = options.reconnectDelay?.maxMs ?? 30_000;
  const listeners = new Set<(event: LiveStatusEvent) => void>();
  if (options.onLiveStatus) listeners.add(options.onLiveStatus);

  let client: Client | null = null;
  let status: LiveStatus = 'idle';
  /** Iterators not yet ended. */
  let active = 0;
  /** A connection was live and is being replaced while subscribed: the next `live` is a reconnect. */
  let lost = false;
  /** Acknowledged connections so far: a refresh that saw none after it did not help. */
  let acknowledged = 0;
  /** The token the current (or last) socket was opened with. */
  let socketToken: string | null = null;
  let pongTimer: TimerId | undefined;
  /** Ends each open iterator (done), for dispose. */
  const closers = new Set<() => void>();

  const emit = (next: LiveStatus, extra: Omit<LiveStatusEvent, 'status' | 'reconnected'> & { reconnected?: boolean } = {}) => {
    if (next === status && next !== 'live') return;
    status = next;
    const event: LiveStatusEvent = { status: next, reconnected: extra.reconnected ?? false, ...(extra.closeCode === undefined ? {} : { closeCode: extra.closeCode, reason: extra.reason }) };
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        // Called from graphql-ws's socket handlers: a listener's bug must not break the
        // connection, yet must not vanish either (reported as an uncaught error).
        queueMicrotask(() => {
          throw error;
        });
      }
    }
  };

  function gql(): Client {
    if (client) return client;
    let created: Client;
    try {
      created = createClient({
        url: options.wsUrl ?? liveUrl(url),
        ...(options.webSocketImpl === undefined ? {} : { webSocketImpl: options.webSocketImpl }),
        // Read at every connect: a reconnect after a refresh signs in with the new token.
        connectionParams: () => {
          socketToken = auth.accessToken();
          return socketToken ? { authorization: `Bearer ${socketToken}` } : {};
        },
        keepAlive: keepAliveMs,
        retryAttempts: options.reconnectAttempts ?? Infinity,
        // Anything but the server's verdicts is worth a retry: a refused connection (server
        // restarting) arrives as an error event, not as a close.
        shouldRetry: (errOrClose) => !(isCloseLike(errOrClose) && FATAL.has(errOrClose.code)),
        retryWait: (retries) => new Promise((resolve) => setTimeout(resolve, Math.min(maxMs, initialMs * 2 ** retries) * (0.5 + Math.random() / 2))),
        on: {
          // Only the current socket's events: one of a disposed client may still close late.
          connecting: () => {
            if (client === created) emit(lost ? 'reconnecting' : 'connecting');
          },
          connected: () => {
            acknowledged++;
            // Connected after the last iterator ended: graphql-ws closes it at once.
            if (client !== created || active === 0) return;
            const reconnected = lost;
            lost = true;
            emit('live', { reconnected });
          },
          // Our own pings: a pong must come back, or the socket is dead (no close ever arrives).
          ping: (received) => {
            if (received || keepAliveMs <= 0) return;
            clearTimeout(pongTimer);
            pongTimer = setTimeout(() => created.terminate(), keepAliveMs);
          },
          pong: (received) => {
            if (received) clearTimeout(pongTimer);
          },
          closed: (event) => {
            if (client !== created) return;
            clearTimeout(pongTimer);
            const close = isCloseLike(event) ? { closeCode: event.code, reason: String(event.reason) } : {};
            if (active > 0) emit('reconnecting', close);
            else {
              lost = false;
              emit('idle', close);
            }
          },
        },
      });
    } catch (error) {
      throw new SerenityError(`Cannot open a WebSocket: ${error instanceof Error ? error.message : String(error)} (pass webSocketImpl, e.g. the ws package on Node 20).`, { code: 'NETWORK_ERROR', cause: error });
    }
    client = created;
    return created;
  }

  function subscribe<T>(query: string, variables: unknown, pick: (data: unknown) => T): LiveSubscription<T> {
    const payload = variables === undefined ? { query } : { query, variables: variables as Record<string, unknown> };
    const queue: T[] = [];
    /** next() calls waiting, in order (for-await has one at a time; the protocol allows more). */
    const waiters: Array<{ resolve: (r: IteratorResult<T, undefined>) => void; reject: (e: unknown) => void }> = [];
    let failure: SerenityError | null = null;
    let ended = false;
    let stop: (() => void) | null = null;
    /** `acknowledged` when this subscription last refreshed, or -1. */
    let refreshedAt = -1;
    /** Between a refusal and the resubscribe: what the refused inner subscription still says is stale. */
    let refusing = false;
    const owner = gql();
    active++;

    const end = () => {
      if (ended) return;
      ended = true;
      active--;
      closers.delete(close);
      const inner = stop;
      stop = null;
      inner?.(); // sends Complete: the server ends the subscription now
      if (active === 0 && status !== 'live') {
        lost = false;
        emit('idle');
      }
    };
    const settle = () => {
      for (;;) {
        const waiter = waiters[0];
        if (!waiter) return;
        if (queue.length > 0) waiter.resolve({ value: queue.shift()!, done: false });
        else if (failure) {
          waiter.reject(failure);
          failure = null;
        } else if (ended) waiter.resolve({ value: undefined, done: true });
        else return;
        waiters.shift();
      }
    };
    const close = () => {
      end();
      settle();
    };
    closers.add(close);
    const fail = (error: SerenityError) => {
      if (ended) return;
      failure = error;
      end();
      settle();
    };

    /** The inner subscription ended with an error (a close code, or GraphQL errors). */
    const onRefused = async (error: unknown, data: unknown) => {
      const stale = socketToken;
      const unauthenticated = (isCloseLike(error) && error.code === 4401) || (isGraphQLErrors(error) && error[0]?.extensions?.['code'] === 'UNAUTHENTICATED');
      // Refreshed already and no connection got through since: the new token is refused too.
      if (!unauthenticated || refreshedAt === acknowledged) return fail(toSerenityError(error, data));
      refusing = true;
      const inner = stop;
      stop = null;
      inner?.();
      try {
        await auth.reauthenticate(stale);
      } catch (refreshError) {
        return fail(refreshError instanceof SerenityError ? refreshError : toSerenityError(refreshError, undefined));
      } finally {
        refusing = false;
      }
      if (ended) return;
      if (client !== owner) {
        // Disposed meanwhile (logout): end as dispose ends the others.
        end();
        return settle();
      }
      refreshedAt = acknowledged;
      // Refused on an open socket (an operation error, no close): that socket keeps the old
      // token, so replace it; the others on it resubscribe through graphql-ws's retry.
      if (!isCloseLike(error) && socketToken !== auth.accessToken()) owner.terminate();
      start();
    };

    function start() {
      stop = owner.subscribe<unknown>(payload, {
        next: (result) => {
          if (ended || refusing) return;
          // A refused subscription is a result with errors (then complete), like an event's errors.
          if (result.errors?.length) return void onRefused(result.errors, result.data);
          queue.push(pick(result.data));
          settle();
        },
        error: (error) => {
          if (!ended && !refusing) void onRefused(error, undefined);
        },
        complete: () => {
          if (ended || refusing) return;
          end();
          settle();
        },
      });
    }
    start();

    const iterator: LiveSubscription<T> = {
      next() {
        return new Promise((resolve, reject) => {
          waiters.push({ resolve, reject });
          settle();
        });
      },
      return() {
        queue.length = 0;
        failure = null;
        end();
        settle(); // a next() waiting meanwhile ends too
        return Promise.resolve({ value: undefined, done: true });
      },
      [Symbol.asyncIterator]() {
        return this;
      },
    };
    return iterator;
  }

  return {
    subscribe,
    get status() {
      return status;
    },
    onStatus(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async dispose() {
      const current = client;
      client = null;
      clearTimeout(pongTimer);
      // Ended here rather than by graphql-ws's dispose, which waits for a connection attempt
      // (up to a whole backoff delay while the server is away).
      for (const close of [...closers]) close();
      if (current) {
        const closing = Promise.resolve(current.dispose()).catch(() => undefined);
        if (status === 'live') await closing;
        else current.terminate();
      }
      lost = false;
      emit('idle');
    },
  };
}

/** The typed error for what ended a subscription. */
function toSerenityError(error: unknown, data: unknown): SerenityError {
  if (error instanceof SerenityError) return error;
  if (isGraphQLErrors(error)) return fromGraphQLErrors(error, null, data ?? undefined);
  if (isCloseLike(error)) {
    const reason = String(error.reason || '');
    const init = { closeCode: error.code, reason: reason || undefined, cause: error };
    switch (error.code) {
      case 4401:
        return new SerenityError(reason || 'The live connection was refused: sign in again.', { ...init, code: 'UNAUTHENTICATED' });
      case 4403:
        return new SerenityError(reason || 'No longer allowed to follow this.', { ...init, code: 'FORBIDDEN' });
      case 4429:
        return new SerenityError(reason || 'Too many subscriptions or connections.', { ...init, code: 'TOO_MANY_SUBSCRIPTIONS' });
      default:
        return new SerenityError(`The live connection closed (${error.code}${reason ? `: ${reason}` : ''}).`, { ...init, code: error.code === 1006 ? 'NETWORK_ERROR' : 'CONNECTION_CLOSED' });
    }
  }
  return new SerenityError(`The live connection failed: ${error instanceof Error ? error.message : 'network error'}.`, { code: 'NETWORK_ERROR', cause: error });
}
