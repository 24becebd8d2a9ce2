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

const reasonOf = (error: unknown) => (error instanceof Error ? error.message : String(error)).slice(0, 120);

/**
 * The signed-in WebSocket connections of this process: authenticated at connect, capped per
 * user, and checked again every `recheckMs`, so that logout, an expired token (4401) or removal
 * from the organization (4403) ends a connection that is only listening.
 */
export function liveConnections(options: {
  limits: Config['live'];
  authenticate: (authorization: string) => Promise<Caller | null>;
  /** Many at once, in order: a Caller, or the UNAUTHENTICATED error of a token no longer good. */
  authenticateAll: (authorizations: readonly string[]) => Promise<Array<Caller | Error | null | undefined>>;
  logger: Logger;
  registry: Registry;
}) {
  const { limits, authenticate, authenticateAll, logger } = options;
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
      // One check per token (a user's tabs share one), all of them in a statement per thousand.
      const byToken = new Map<string, Array<[WebSocket, Signed]>>();
      for (const entry of open) {
        const group = byToken.get(entry[1].authorization);
        if (group) group.push(entry);
        else byToken.set(entry[1].authorization, [entry]);
      }
      const tokens = [...byToken.keys()];
      const outcomes = await authenticateAll(tokens);
      tokens.forEach((authorization, i) => {
        const outcome = outcomes[i];
        for (const [socket, signed] of byToken.get(authorization)!) {
          if (outcome instanceof Error) close(socket, CloseCodes.UNAUTHENTICATED, reasonOf(outcome));
          else if (!outcome) close(socket, CloseCodes.UNAUTHENTICATED, 'Signed out.');
          else if (signed.organizationId && outcome.organizationId !== signed.organizationId) close(socket, CloseCodes.FORBIDDEN, 'No longer a member of the organization.');
        }
      });
    } catch (error) {
      // The database away a moment: every connection is checked again next time.
      logger.warn({ err: error }, 'live connection re-check failed');
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
