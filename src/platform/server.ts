import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { ApolloServer, type ApolloServerPlugin } from '@apollo/server';
import { ApolloServerPluginDrainHttpServer } from '@apollo/server/plugin/drainHttpServer';
import { ApolloServerPluginCacheControlDisabled, ApolloServerPluginLandingPageDisabled } from '@apollo/server/plugin/disabled';
import { expressMiddleware } from '@as-integrations/express5';
import type { MikroORM } from '@mikro-orm/postgresql';
import express, { type ErrorRequestHandler } from 'express';
import { execute, GraphQLError, NoSchemaIntrospectionCustomRule, subscribe, type GraphQLSchema } from 'graphql';
import { useServer } from 'graphql-ws/use/ws';
import { WebSocketServer } from 'ws';
import type { Config } from '../config.js';
import { tenantScopeOf, type Caller } from './auth.js';
import type { AppServices, RequestContext } from './context.js';
import { devMailRouter } from './dev-mail.route.js';
import { createErrorFormatter } from './errors.js';
import { createGraphQLLimits } from './graphql-limits.js';
import { httpBasics } from './http-middleware.js';
import { CloseCodes, isUnauthenticated, keepAlive, liveConnections, wsAuthorization } from './live-connections.js';
import { graphiqlPage } from './ide.js';
import { guardedExecution, inputGuardPlugin } from './input-guard.js';
import type { Logger } from './logger.js';
import type { Metrics } from './metrics.js';
import { metricsAccess } from './metrics-access.js';
import { linkGraphQLResponse, outcomeOf, requestLogger, requestLogPlugin, rootFields } from './request-log.js';
import { hideSuggestionsPlugin, wsHideSuggestions } from './suggestions.js';
import { listenFailure } from './startup-error.js';
import { scopeToTenant } from './tenant.js';
import type { HttpRoutes } from './routes.js';
import type { ReadinessCheckState } from './readiness-checks.js';
import type { EntityManager } from '@mikro-orm/postgresql';

export interface HttpServerDeps {
  config: Config;
  logger: Logger;
  orm: MikroORM;
  schema: GraphQLSchema;
  metrics: Metrics;
  services: AppServices;
  /** The caller named by an Authorization header value (identity domain); throws UNAUTHENTICATED on a bad token. */
  authenticate(em: EntityManager, authorization: string | undefined): Promise<Caller | null>;
  /** The same for many values at once, in order: each its Caller or its UNAUTHENTICATED error (the live connections' re-check). */
  authenticateAll(em: EntityManager, authorizations: readonly string[]): Promise<Array<Caller | Error>>;
  /** Domains' plain HTTP routes (see src/modules.ts). */
  routes: readonly HttpRoutes[];
  /**
   * Readiness beyond "the process is up": database reachable, migrations applied, not stopping;
   * `checks`: outside dependencies' last outcomes, reported in the body without making it 503.
   */
  readiness(): Promise<{ ok: boolean; reason?: string; checks?: ReadinessCheckState[] }>;
}

export interface HttpServer {
  server: http.Server;
  listen(port: number, host: string): Promise<number>;
  /** Stops accepting, lets in-flight requests finish, closes WebSockets. */
  stop(): Promise<void>;
}

const GRAPHQL_PATH = '/graphql';
export async function createHttpServer(deps: HttpServerDeps): Promise<HttpServer> {
  const { config, logger, orm, schema, metrics, services } = deps;

  /** One EntityManager per operation, scoped to the caller's tenant before any resolver runs. */
  const buildContext = async (input: { authorization: string | undefined; ip: string; requestId: string; logger: Logger }): Promise<RequestContext> => {
    const em = orm.em.fork();
    const caller = await deps.authenticate(em, input.authorization);
    scopeToTenant(em, tenantScopeOf(caller));
    return { requestId: input.requestId, logger: input.logger, em, caller, ip: input.ip, services };
  };
  const app = express();
  app.disable('x-powered-by');
  // Only these proxies may tell the client IP (per-IP limits); others could forge X-Forwarded-For.
  app.set('trust proxy', config.trustProxy);
  const server = http.createServer(app);

  app.use(requestLogger(logger));
  app.use((req, res, next) => {
    res.on('finish', () => {
      const route = req.route?.path ?? (req.path.startsWith(GRAPHQL_PATH) ? GRAPHQL_PATH : 'other');
      metrics.httpRequests.inc({ method: req.method, route: String(route), status: String(res.statusCode) });
    });
    next();
  });

  // Compression, CORS (CORS_ORIGINS) and GET /, before every route.
  app.use(httpBasics({ corsOrigins: config.corsOrigins, ide: config.graphql.ide, graphqlPath: GRAPHQL_PATH }));

  app.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get('/readyz', async (_req, res) => {
    const state = await deps.readiness();
    const checks = state.checks?.length ? { checks: state.checks } : {};
    res.status(state.ok ? 200 : 503).json(state.ok ? { status: 'ready', ...checks } : { status: 'not ready', reason: state.reason, ...checks });
  });
  app.get('/metrics', metricsAccess({ token: config.metricsToken, isProduction: config.isProduction }), async (_req, res) => {
    res.type(metrics.registry.contentType).send(await metrics.registry.metrics());
  });

  for (const routes of deps.routes) app.use(routes({ orm, services, logger }));

  // Development only: the captured outgoing mail, to follow verification and invitation links.
  if (services.mailer.capture && !config.isProduction) app.use(devMailRouter(services.mailer.capture));

  if (config.graphql.ide) app.get(GRAPHQL_PATH, graphiqlPage(GRAPHQL_PATH));

  // Depth, aliases, root fields, cost and the search allowance, the same on HTTP and WebSocket.
  // Without introspection on HTTP, none on WebSocket either (graphql-ws has no such switch of its own).
  const limits = createGraphQLLimits(schema, config.graphql, config.graphql.introspection ? [] : [NoSchemaIntrospectionCustomRule]);

  const connections = liveConnections({
    limits: config.live,
    authenticate: (authorization) => deps.authenticate(orm.em.fork(), authorization),
    authenticateAll: (authorizations) => deps.authenticateAll(orm.em.fork(), authorizations),
    logger,
    registry: metrics.registry,
  });
  const subscribeGuarded = limits.graphqlWsOnSubscribe(async (ctx) => {
    const requestId = randomUUID();
    try {
      // Each operation checks the caller again: a token that expired since connect ends it here.
      return await buildContext({ authorization: wsAuthorization(ctx.connectionParams), ip: ctx.extra.request.socket.remoteAddress ?? 'unknown', requestId, logger: logger.child({ transport: 'ws', requestId }) });
    } catch (error) {
      if (isUnauthenticated(error)) connections.unauthenticated(ctx, error);
      throw error;
    }
  });
  // noServer: attached to the HTTP server, ws would re-emit its listen errors (a busy PORT) as a
  // second, misleading "internal error" through graphql-ws.
  const wsServer = new WebSocketServer({ noServer: true, path: GRAPHQL_PATH });
  server.on('upgrade', (req, socket, head) => wsServer.handleUpgrade(req, socket, head, (ws) => wsServer.emit('connection', ws, req)));
  const stopPings = keepAlive(wsServer, config.live.pingMs, metrics.registry);
  // Events published while this instance could not hear them are gone: rather than leave its
  // subscribers showing a stale state, make them reconnect (1012) and reload.
  services.live.onResumed(() => {
    for (const socket of wsServer.clients) socket.close(CloseCodes.RELOAD, 'Live updates were interrupted: reconnect and reload what you show.');
  });
  const wsCleanup = useServer(
    {
      schema,
      ...guardedExecution(execute, subscribe),
      ...(config.isProduction ? wsHideSuggestions : {}),
      // Authenticated at connect (an invalid or expired token closes 4401), capped per user and
      // per connection (4429), and re-checked while open (live-connections.ts).
      onConnect: (ctx) => connections.onConnect(ctx),
      onClose: (ctx) => connections.onClose(ctx),
      onSubscribe: (ctx, id, payload) => (connections.mayStart(ctx) ? subscribeGuarded(ctx, id, payload) : [new GraphQLError('Too many subscriptions on this connection.')]),
    },
    wsServer,
  );

  const apollo = new ApolloServer<RequestContext>({
    schema,
    csrfPrevention: true,
    // main.ts owns the signals and stops everything in order.
    stopOnTerminationSignals: false,
    // Switched off (production) by the validation rules shared with WebSocket: see `limits` above.
    introspection: true,
    // Stacks go to the log only (errors.ts), in development too.
    includeStacktraceInErrorResponses: false,
    hideSchemaDetailsFromClientErrors: config.isProduction,
    formatError: createErrorFormatter({ isProduction: config.isProduction, logger }),
    validationRules: limits.validationRules,
    plugins: [
      ApolloServerPluginDrainHttpServer({ httpServer: server, stopGracePeriodMillis: config.shutdownTimeoutMs }),
      {
        async serverWillStart() {
          return {
            async drainServer() {
              connections.dispose();
              stopPings();
              await wsCleanup.dispose();
            },
          };
        },
      },
      ApolloServerPluginLandingPageDisabled(),
      // No cache hints are set; the default plugin would still visit every resolved field.
      ApolloServerPluginCacheControlDisabled(),
      inputGuardPlugin(),
      ...(config.isProduction ? [hideSuggestionsPlugin<RequestContext>()] : []),
      limits.apolloPlugin(),
      metricsPlugin(metrics),
      requestLogPlugin(),
    ],
  });
  await apollo.start();

  // Its own Express app only for its settings: GraphQL answers carry no ETag, which Express
  // would hash from every body while no POST is ever revalidated with it.
  const graphqlApp = express();
  graphqlApp.disable('x-powered-by');
  graphqlApp.set('etag', false);
  app.use(GRAPHQL_PATH, graphqlApp);
  graphqlApp.use(
    express.json({ limit: config.bodyLimitBytes }),
    expressMiddleware(apollo, {
      context: async ({ req, res }) => {
        const context = await buildContext({ authorization: req.header('authorization'), ip: req.ip ?? req.socket.remoteAddress ?? 'unknown', requestId: req.id as string, logger: req.log });
        linkGraphQLResponse(context, res);
        return context;
      },
    }),
  );

  app.use((_req, res) => {
    res.status(404).json({ error: 'Not found.' });
  });
  const errorHandler: ErrorRequestHandler = (error: { status?: number; type?: string; message?: string }, req, res, _next) => {
    if (error.type === 'entity.too.large') {
      res.status(413).json({ error: `Request body is larger than the limit of ${config.bodyLimitBytes} bytes.` });
      return;
    }
    if (error.status && error.status < 500) {
      res.status(error.status).json({ error: error.message ?? 'Bad request.' });
      return;
    }
    req.log.error({ err: error }, 'unhandled HTTP error');
    res.status(500).json({ error: 'Internal server error.' });
  };
  app.use(errorHandler);

  let stopped: Promise<void> | undefined;
  return {
    server,
    listen(port, host) {
      return new Promise((resolve, reject) => {
        const failed = (error: Error) => reject(listenFailure(error, port, host));
        server.once('error', failed);
        server.listen(port, host, () => {
          server.off('error', failed);
          resolve((server.address() as { port: number }).port);
        });
      });
    },
    stop() {
      stopped ??= server.listening ? apollo.stop() : Promise.resolve();
      return stopped;
    },
  };
}

function metricsPlugin(metrics: Metrics): ApolloServerPlugin<RequestContext> {
  return {
    async requestDidStart() {
      const started = process.hrtime.bigint();
      return {
        async willSendResponse({ operation, errors }) {
          // Root field names, not the client-chosen operation name: the label set stays bounded by the schema.
          const fields = rootFields(operation);
          const labels = { operation: fields.length ? fields.join(',') : 'unknown', type: operation?.operation ?? 'unknown' };
          const outcome = errors?.length ? outcomeOf(errors.slice(0, 1)) : 'ok';
          metrics.graphqlRequests.inc({ ...labels, outcome });
          metrics.graphqlDuration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
        },
      };
    },
  };
}
