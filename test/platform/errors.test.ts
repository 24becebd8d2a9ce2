import { GraphQLError, type GraphQLFormattedError } from 'graphql';
import { pino } from 'pino';
import { describe, expect, it } from 'vitest';
import { createErrorFormatter, domainError, errors, isDomainError } from '../../src/platform/errors.js';

const logged: unknown[] = [];
const logger = pino({ level: 'error' }, { write: (line: string) => logged.push(JSON.parse(line)) });

/** What Apollo hands formatError for an error thrown in a resolver. */
function fromResolver(thrown: Error): [GraphQLFormattedError, unknown] {
  const located = new GraphQLError(thrown.message, { originalError: thrown, path: ['package'] });
  const extensions = thrown instanceof GraphQLError ? { ...thrown.extensions } : { code: 'INTERNAL_SERVER_ERROR' };
  return [{ message: thrown.message, path: ['package'], extensions: { ...extensions, stacktrace: ['at secret.ts:1'] } }, located];
}

describe('domain errors', () => {
  it('carry the contract code and details', () => {
    expect(errors.badInput('Start must be in the future.', 'input.start').extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'input.start' });
    expect(errors.paymentRequired('No usable credits.', 'NONE').extensions).toEqual({ code: 'PAYMENT_REQUIRED', reason: 'NONE' });
    expect(errors.rateLimited('Too many attempts.', 900).extensions).toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 900, http: { status: 429 } });
    expect(errors.unauthenticated().extensions).toMatchObject({ code: 'UNAUTHENTICATED', http: { status: 401 } });
    expect(errors.notFound('Package', 'x').message).toBe('Package "x" was not found.');
    expect(isDomainError(domainError('CONFLICT', 'Slot taken.'))).toBe(true);
    expect(isDomainError(new GraphQLError('plain'))).toBe(false);
  });
});

describe('createErrorFormatter', () => {
  it('passes domain errors through, without stack traces in production', () => {
    const format = createErrorFormatter({ isProduction: true, logger });
    const formatted = format(...fromResolver(errors.conflict('That slot was just taken.')));
    expect(formatted).toEqual({ message: 'That slot was just taken.', path: ['package'], extensions: { code: 'CONFLICT' } });
  });

  it('turns an unknown error into INTERNAL_SERVER_ERROR, logs it, and hides it in production', () => {
    logged.length = 0;
    const format = createErrorFormatter({ isProduction: true, logger });
    const formatted = format(...fromResolver(new Error('connection to 10.0.0.5 refused')));
    expect(formatted.extensions).toEqual({ code: 'INTERNAL_SERVER_ERROR' });
    expect(formatted.message).not.toContain('10.0.0.5');
    expect(logged).toHaveLength(1);
    expect(JSON.stringify(logged[0])).toContain('connection to 10.0.0.5 refused');
  });

  it('keeps the message outside production, to debug; the stack goes to the log only', () => {
    logged.length = 0;
    const format = createErrorFormatter({ isProduction: false, logger });
    const formatted = format(...fromResolver(new Error('boom')));
    expect(formatted).toEqual({ message: 'boom', path: ['package'], extensions: { code: 'INTERNAL_SERVER_ERROR' } });
    expect((logged[0] as { err: { stack: string } }).err.stack).toMatch(/^Error: boom\n\s+at /);
  });

  it('never passes a stack trace on, outside production either', () => {
    const format = createErrorFormatter({ isProduction: false, logger });
    expect(format(...fromResolver(errors.conflict('That slot was just taken.'))).extensions).toEqual({ code: 'CONFLICT' });
    const validation: GraphQLFormattedError = { message: 'Cannot query field "nope"', extensions: { code: 'GRAPHQL_VALIDATION_FAILED', stacktrace: ['at validate.js:1'] } };
    expect(format(validation, new GraphQLError(validation.message)).extensions).toEqual({ code: 'GRAPHQL_VALIDATION_FAILED' });
  });

  it('keeps protocol errors as Apollo made them', () => {
    const format = createErrorFormatter({ isProduction: true, logger });
    const parse: GraphQLFormattedError = { message: 'Syntax Error: Expected Name', extensions: { code: 'GRAPHQL_PARSE_FAILED' } };
    expect(format(parse, new GraphQLError(parse.message))).toEqual(parse);
  });
});
