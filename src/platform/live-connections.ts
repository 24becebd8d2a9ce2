import type { ConnectionInitMessage, Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { Counter, Gauge, type Registry } from 'prom-client';
import type { WebSocket, WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import type { Caller } from './auth.js';
import type { Logger } from './logger.js';

/** WebSocket close codes a client can act on (api-contract.md, Live status). */
export const CloseCodes = {
  /** Token missing, invalid or expired: refresh and reconnect. */
  UNAUTHENTICATED: 4401,
  /** No longer allowed (e.g. removed from the organization). */
  FORBIDDEN: 4403,
  /** Too many subscriptions on the connection, or connections of the user. */
  TOO_MANY: 4429,
  /** WebSocket's "Service Restart": live updates were interrupted on this instance; reconnect and reload what you show. */
  RELOAD: 1012,
} as const;

type WsContext = Context<ConnectionInitMessage['payload'], Extra>;

interface Signed {
  authorization: string;
  userId: string;
  organizationId: string | null;
}

export function wsAuthorization(params: Readonly<Record<string, unknown>> | undefined): string | undefined {
  const value = params?.authorization ?? params?.Authorization;
  return typeof value === 'string' ? value : undefined;
}

export function isUnauthenticated(error: unknown): boolean {
  return (error as { extensions?: { code?: unknown } } | null)?.extensions?.code === 'UNAUTHENTICATED';
}

/** Re-checks in flight at once: enough to get through 10,000 connections in seconds, few enough to leave the pool to requests. */
const RECHECK_CONCURRENCY = 4;

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 120);

/**
 * The signed-in WebSocket connections of this process: authenticated at connect, capped per
 * user, and checked again every `recheckMs`, so that logout, an expired token (4401) or removal
 * from the organization (4403) ends a connection that is only listening.
 */
export function liveConnections(options: { limits: Config['live']; authenticate: (authorization: string) => Promise<Caller | null>; logger: Logger; registry: Registry }) {
  const { limits, authenticate, logger } = options;
  const open = new Map<WebSocket, Signed>();
  new Gauge({
    name: 'serenity_live_connections',
    help: 'Signed-in WebSocket connections of this process.',
    registers: [options.registry],
    collect() {
      this.set(open.size);
    },
  });
  const close = (socket: WebSocket, code: number, reason: string) => {
    open.delete(socket);
    socket.close(code, reason);
  };

  let checking = false;
  const recheck = async () => {
    if (checking) return;
    checking = true;
    try {
      // One check per token, not per connection (a user's tabs share one), a few at a time.
      const byToken = new Map<string, Array<[WebSocket, Signed]>>();
      for (const entry of open) {
        const group = byToken.get(entry[1].authorization);
        if (group) group.push(entry);
        else byToken.set(entry[1].authorization, [entry]);
      }
      const tokens = [...byToken.keys()];
      const next = async (): Promise<void> => {
        const authorization = tokens.pop();
        if (authorization === undefined) return;
        const sockets = byToken.get(authorization)!;
        try {
          const caller = await authenticate(authorization);
          for (const [socket, signed] of sockets) {
            if (!caller) close(socket, CloseCodes.UNAUTHENTICATED, 'Signed out.');
            else if (signed.organizationId && caller.organizationId !== signed.organizationId) close(socket, CloseCodes.FORBIDDEN, 'No longer a member of the organization.');
          }
        } catch (error) {
          if (isUnauthenticated(error)) for (const [socket] of sockets) close(socket, CloseCodes.UNAUTHENTICATED, reasonOf(error));
          // Anything else (the database away a moment): checked again next time.
          else logger.warn({ err: error }, 'live connection re-check failed');
        }
        return next();
      };
      await Promise.all(Array.from({ length: RECHECK_CONCURRENCY }, next));
    } finally {
      checking = false;
    }
  };
  const timer = setInterval(() => void recheck(), limits.recheckMs);
  timer.unref();

  return {
    /** graphql-ws onConnect: false refuses (the socket is already closed with its code). */
    async onConnect(ctx: WsContext): Promise<boolean> {
      const authorization = wsAuthorization(ctx.connectionParams);
      // Every subscription needs a caller: a connection without one is refused at once (4401),
      // so a client knows to sign in rather than learn it operation by operation.
      let caller: Caller | null = null;
      try {
        if (authorization !== undefined) caller = await authenticate(authorization);
      } catch (error) {
        if (!isUnauthenticated(error)) throw error;
        close(ctx.extra.socket, CloseCodes.UNAUTHENTICATED, reasonOf(error));
        return false;
      }
      if (!caller || authorization === undefined) {
        close(ctx.extra.socket, CloseCodes.UNAUTHENTICATED, 'Sign in: send connectionParams.authorization = "Bearer <accessToken>".');
        return false;
      }
      const mine = [...open.values()].filter((s) => s.userId === caller.userId).length;
      if (mine >= limits.maxConnectionsPerUser) {
        close(ctx.extra.socket, CloseCodes.TOO_MANY, `At most ${limits.maxConnectionsPerUser} connections per user.`);
        return false;
      }
      open.set(ctx.extra.socket, { authorization, userId: caller.userId, organizationId: caller.organizationId });
      return true;
    },
    /** Before each operation: false when the connection already has as many as it may (closed with 4429). */
    mayStart(ctx: WsContext): boolean {
      // graphql-ws counts the starting operation in already.
      if (Object.keys(ctx.subscriptions).length <= limits.maxSubscriptionsPerConnection) return true;
      close(ctx.extra.socket, CloseCodes.TOO_MANY, `At most ${limits.maxSubscriptionsPerConnection} subscriptions per connection.`);
      return false;
    },
    /** An operation's sign-in failed (token expired since connect): 4401. */
    unauthenticated(ctx: WsContext, error: unknown): void {
      close(ctx.extra.socket, CloseCodes.UNAUTHENTICATED, reasonOf(error));
    },
    onClose(ctx: WsContext): void {
      open.delete(ctx.extra.socket);
    },
    get count(): number {
      return open.size;
    },
    dispose(): void {
      clearInterval(timer);
    },
  };
}

/**
 * WebSocket pings every `intervalMs`; a socket that has not answered the previous one is gone
 * (a sleeping laptop, a dropped mobile network, a proxy that kept only its half) and is
 * terminated, so its subscriptions end instead of being fed for ever. The pings also keep idle
 * connections open through proxies and load balancers that cut silent ones (often at 60 s).
 * Browsers and `ws` answer pings by themselves.
 */
export function keepAlive(wsServer: WebSocketServer, intervalMs: number, registry: Registry): () => void {
  const awaitingPong = new WeakSet<WebSocket>();
  const dead = new Counter({ name: 'serenity_live_dead_connections_total', help: 'WebSocket connections terminated for not answering a ping.', registers: [registry] });
  const onConnection = (socket: WebSocket) => socket.on('pong', () => awaitingPong.delete(socket));
  wsServer.on('connection', onConnection);
  const timer = setInterval(() => {
    for (const socket of wsServer.clients) {
      if (awaitingPong.has(socket)) {
        dead.inc();
        socket.terminate();
        continue;
      }
      awaitingPong.add(socket);
      socket.ping();
    }
  }, intervalMs);
  timer.unref();
  return () => {
    clearInterval(timer);
    wsServer.off('connection', onConnection);
  };
}
