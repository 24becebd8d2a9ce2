import type { ConnectionInitMessage, Context } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { Gauge, type Registry } from 'prom-client';
import type { WebSocket } from 'ws';
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
      for (const [socket, signed] of [...open]) {
        try {
          const caller = await authenticate(signed.authorization);
          if (!caller) close(socket, CloseCodes.UNAUTHENTICATED, 'Signed out.');
          else if (signed.organizationId && caller.organizationId !== signed.organizationId) close(socket, CloseCodes.FORBIDDEN, 'No longer a member of the organization.');
        } catch (error) {
          if (isUnauthenticated(error)) close(socket, CloseCodes.UNAUTHENTICATED, reasonOf(error));
          // Anything else (the database away a moment): checked again next time.
          else logger.warn({ err: error }, 'live connection re-check failed');
        }
      }
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
      // No token: anonymous, public operations only (subscriptions answer UNAUTHENTICATED).
      if (authorization === undefined) return true;
      let caller: Caller | null;
      try {
        caller = await authenticate(authorization);
      } catch (error) {
        if (!isUnauthenticated(error)) throw error;
        close(ctx.extra.socket, CloseCodes.UNAUTHENTICATED, reasonOf(error));
        return false;
      }
      if (!caller) return true;
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
