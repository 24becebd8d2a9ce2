import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { unwrapResolverError } from '@apollo/server/errors';
import type { Logger } from './logger.js';

/** The codes a client can rely on (../shared/design/api-contract.md, Conventions). */
export const ErrorCode = {
  BAD_USER_INPUT: 'BAD_USER_INPUT',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  FORBIDDEN: 'FORBIDDEN',
  NOT_FOUND: 'NOT_FOUND',
  CONFLICT: 'CONFLICT',
  PAYMENT_REQUIRED: 'PAYMENT_REQUIRED',
  RATE_LIMITED: 'RATE_LIMITED',
  /** A live subscription that fell too far behind was ended (`extensions.limit` events): subscribe again and reload. */
  SLOW_CONSUMER: 'SLOW_CONSUMER',
  /** A dependency (e.g. the payment provider) is not configured or not answering. */
  SERVICE_UNAVAILABLE: 'SERVICE_UNAVAILABLE',
  INTERNAL_SERVER_ERROR: 'INTERNAL_SERVER_ERROR',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** Codes produced by Apollo / graphql-js / type-graphql before our resolvers run. */
const PROTOCOL_CODES = new Set([
  'GRAPHQL_PARSE_FAILED',
  'GRAPHQL_VALIDATION_FAILED',
  'BAD_REQUEST',
  'OPERATION_RESOLUTION_FAILURE',
  'PERSISTED_QUERY_NOT_FOUND',
  'PERSISTED_QUERY_NOT_SUPPORTED',
]);
const DOMAIN_CODES = new Set<string>(Object.values(ErrorCode));

const HTTP_STATUS: Partial<Record<ErrorCode, number>> = {
  UNAUTHENTICATED: 401,
  RATE_LIMITED: 429,
  SERVICE_UNAVAILABLE: 503,
};

export interface DomainErrorDetails {
  /** The input field at fault, e.g. "input.start". */
  field?: string;
  /** Machine-readable reason, e.g. for PAYMENT_REQUIRED. */
  reason?: string;
  retryAfterSeconds?: number;
  [key: string]: unknown;
}

/** The one way to make an error a client sees. */
export function domainError(code: ErrorCode, message: string, details: DomainErrorDetails = {}): GraphQLError {
  const status = HTTP_STATUS[code];
  return new GraphQLError(message, {
    extensions: { code, ...details, ...(status ? { http: { status } } : {}) },
  });
}

export const errors = {
  badInput: (message: string, field?: string, details: DomainErrorDetails = {}) =>
    domainError(ErrorCode.BAD_USER_INPUT, message, { ...details, ...(field ? { field } : {}) }),
  unauthenticated: (message = 'Sign in first: send Authorization: Bearer <accessToken>.') =>
    domainError(ErrorCode.UNAUTHENTICATED, message),
  forbidden: (message: string) => domainError(ErrorCode.FORBIDDEN, message),
  notFound: (what: string, id: string) => domainError(ErrorCode.NOT_FOUND, `${what} "${id}" was not found.`, { field: 'id' }),
  conflict: (message: string, details: DomainErrorDetails = {}) => domainError(ErrorCode.CONFLICT, message, details),
  paymentRequired: (message: string, reason: string) => domainError(ErrorCode.PAYMENT_REQUIRED, message, { reason }),
  rateLimited: (message: string, retryAfterSeconds: number) =>
    domainError(ErrorCode.RATE_LIMITED, message, { retryAfterSeconds }),
  slowConsumer: (limit: number) =>
    domainError(ErrorCode.SLOW_CONSUMER, `This subscription fell more than ${limit} events behind and was ended: subscribe again, and reload what you show (events are not replayed).`, { limit }),
};

export function isDomainError(error: unknown): error is GraphQLError {
  return error instanceof GraphQLError && DOMAIN_CODES.has(String(error.extensions.code));
}

/**
 * Apollo's formatError: domain and protocol errors pass as they are; anything else is a bug
 * or an outage, logged in full and answered as INTERNAL_SERVER_ERROR without internals.
 * No answer carries a stack trace, in development either: stacks are for the log, where
 * the unexpected errors' are written (an IDE or an app would only show them to people).
 */
export function createErrorFormatter(options: { isProduction: boolean; logger: Logger }) {
  return (formatted: GraphQLFormattedError, error: unknown): GraphQLFormattedError => {
    const code = typeof formatted.extensions?.code === 'string' ? formatted.extensions.code : '';
    const original = unwrapResolverError(error);
    if (PROTOCOL_CODES.has(code) || (DOMAIN_CODES.has(code) && code !== 'INTERNAL_SERVER_ERROR')) {
      // BAD_USER_INPUT from variable coercion or type-graphql validation is safe to show.
      const shown = withoutStacktrace(formatted);
      return code === ErrorCode.BAD_USER_INPUT ? withCoercedField(shown) : shown;
    }
    if (original instanceof GraphQLError && original.extensions.code === undefined && !original.originalError) {
      // graphql-js's own complaint about an argument or a scalar value (e.g. a null for a
      // non-null argument, a malformed DateTime): the caller's input is at fault.
      return { ...withoutStacktrace(formatted), extensions: { ...withoutStacktrace(formatted).extensions, code: ErrorCode.BAD_USER_INPUT } };
    }
    options.logger.error({ err: original, path: formatted.path }, 'unexpected error while executing an operation');
    return {
      message: options.isProduction ? 'Internal server error. It has been logged; please try again later.' : formatted.message,
      locations: formatted.locations,
      path: formatted.path,
      extensions: { code: ErrorCode.INTERNAL_SERVER_ERROR },
    };
  };
}

/**
 * graphql-js names the bad variable in its coercion messages ('Variable "$input" got invalid
 * value "+02:00" at "input.timeZone"; …'): expose it as extensions.field like our own errors.
 */
function withCoercedField(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (formatted.extensions?.field !== undefined) return formatted;
  const match = /^Variable "\$(\w+)" got invalid value .*? at "([^"]+)";/s.exec(formatted.message) ?? /^Variable "\$(\w+)" got invalid value/.exec(formatted.message);
  if (!match) return formatted;
  return { ...formatted, extensions: { ...formatted.extensions, field: match[2] ?? match[1] } };
}

function withoutStacktrace(formatted: GraphQLFormattedError): GraphQLFormattedError {
  if (!formatted.extensions || !('stacktrace' in formatted.extensions)) return formatted;
  const { stacktrace: _dropped, ...extensions } = formatted.extensions;
  return { ...formatted, extensions };
}
