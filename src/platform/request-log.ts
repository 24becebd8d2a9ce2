import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type OperationDefinitionNode } from 'graphql';
import { pinoHttp } from 'pino-http';
import type { Logger } from './logger.js';

/**
 * One log line per HTTP request, written when the response is done:
 *   POST /graphql 200 12 ms query Catalog {packages} ok
 * with the same facts under `request` for log tools. No headers (cookies, tokens, and ~27
 * lines a request in a terminal) and no query string (verification links carry tokens).
 */
export interface RequestSummary {
  method: string;
  path: string;
  status: number;
  ms: number;
  /** GraphQL only: the operation's name as the client sent it, its type, root fields and outcome. */
  operation?: string;
  type?: string;
  fields?: string[];
  /** 'ok', or the error codes of the answer. */
  outcome?: string;
}

type GraphQLSummary = Pick<RequestSummary, 'operation' | 'type' | 'fields' | 'outcome'>;

/** Probes and scrapes would drown the log. */
const QUIET_PATHS = new Set(['/healthz', '/readyz', '/metrics']);

const graphqlOf = new WeakMap<ServerResponse, GraphQLSummary>();
/** A property, not a WeakMap key: Apollo hands plugins a shallow copy of the context. */
const RESPONSE = Symbol('http response');

/** Lets the GraphQL plugin add the operation to `res`'s line; called with each operation's context. */
export function linkGraphQLResponse(context: object, res: ServerResponse): void {
  Object.defineProperty(context, RESPONSE, { value: res, enumerable: true });
}

export function requestLogger(logger: Logger) {
  const summary = (req: IncomingMessage, res: ServerResponse, ms: number): RequestSummary => ({
    method: req.method ?? 'GET',
    path: ((req as { originalUrl?: string }).originalUrl ?? req.url ?? '/').split('?')[0]!,
    status: res.statusCode,
    ms,
    ...graphqlOf.get(res),
  });
  const message = (s: RequestSummary) => {
    const graphql = s.outcome === undefined ? '' : ` ${s.type ?? 'unknown'} ${s.operation ?? '(anonymous)'} {${s.fields?.join(',') ?? ''}} ${s.outcome}`;
    return `${s.method} ${s.path} ${s.status} ${s.ms} ms${graphql}`;
  };
  return pinoHttp({
    logger,
    genReqId: (req, res) => {
      const given = req.headers['x-request-id'];
      const id = typeof given === 'string' && /^[\w.-]{1,128}$/.test(given) ? given : randomUUID();
      res.setHeader('x-request-id', id);
      return id;
    },
    // Lines written during a request carry its id only, not the whole request.
    quietReqLogger: true,
    quietResLogger: true,
    customLogLevel: (_req, res, error) => (error || res.statusCode >= 500 ? 'error' : res.statusCode >= 400 ? 'warn' : 'info'),
    customSuccessObject: (req, res, fields: { responseTime: number }) => ({ request: summary(req, res, fields.responseTime) }),
    customSuccessMessage: (req, res, ms) => message(summary(req, res, ms)),
    customErrorObject: (req, res, error, fields: { responseTime: number }) => ({
      request: summary(req, res, fields.responseTime),
      // pino-http's stand-in for a plain 5xx says nothing the line does not; a real error stays.
      ...(error.message.startsWith('failed with status code') ? {} : { err: error }),
    }),
    // pino-http passes the response time as a 4th argument its types do not list.
    customErrorMessage: ((req: IncomingMessage, res: ServerResponse, _error: Error, ms: number) => message(summary(req, res, ms))) as (req: IncomingMessage, res: ServerResponse, error: Error) => string,
    autoLogging: { ignore: (req) => QUIET_PATHS.has(req.url ?? '') },
  });
}

/** The root fields of an operation, deduplicated and sorted (aliases do not count). */
export function rootFields(operation: OperationDefinitionNode | undefined): string[] {
  const fields = operation?.selectionSet.selections.flatMap((s) => (s.kind === Kind.FIELD ? [s.name.value] : [])) ?? [];
  return [...new Set(fields)].sort();
}

/** 'ok', or each distinct error code of the answer. */
export function outcomeOf(errors: ReadonlyArray<{ extensions?: Record<string, unknown> }> | undefined): string {
  if (!errors?.length) return 'ok';
  return [...new Set(errors.map((e) => (typeof e.extensions?.code === 'string' ? e.extensions.code : 'INTERNAL_SERVER_ERROR')))].join(',');
}

/** Puts the operation, its root fields and outcome on the request's log line. */
export function requestLogPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async willSendResponse({ contextValue, request, document, operation, errors }) {
          const res = (contextValue as { [RESPONSE]?: ServerResponse })[RESPONSE];
          if (!res) return;
          // An invalid document has no resolved operation; its first one still says what was meant.
          const meant = operation ?? document?.definitions.find((d): d is OperationDefinitionNode => d.kind === Kind.OPERATION_DEFINITION);
          const name = request.operationName ?? meant?.name?.value;
          graphqlOf.set(res, {
            ...(name ? { operation: name } : {}),
            type: meant?.operation ?? 'unknown',
            fields: rootFields(meant),
            outcome: outcomeOf(errors),
          });
        },
      };
    },
  };
}
