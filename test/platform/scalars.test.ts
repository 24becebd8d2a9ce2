import { GraphQLError, Kind } from 'graphql';
import { describe, expect, it } from 'vitest';
import { DateTimeScalar } from '../../src/platform/scalars.js';

function refusal(run: () => unknown): GraphQLError {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(GraphQLError);
    return error as GraphQLError;
  }
  throw new Error('expected the value to be refused');
}

describe('DateTime scalar', () => {
  it('takes RFC 3339 date-times of years 1 to 9999 (UTC)', () => {
    expect((DateTimeScalar.parseValue('2026-12-01T10:00:00Z') as Date).toISOString()).toBe('2026-12-01T10:00:00.000Z');
    expect((DateTimeScalar.parseValue('0001-01-01T00:00:00Z') as Date).toISOString()).toBe('0001-01-01T00:00:00.000Z');
    expect((DateTimeScalar.parseValue('9999-12-31T23:59:59Z') as Date).toISOString()).toBe('9999-12-31T23:59:59.000Z');
  });

  // Found by the schema fuzz: RFC 3339 allows year 0000, which PostgreSQL cannot store
  // ("date/time field value out of range"), and an offset can push a date past either end.
  it.each(['0000-01-01T00:00:00Z', '0001-01-01T00:00:00+01:00', '9999-12-31T23:59:59-01:00'])('refuses %s as bad input', (value) => {
    const error = refusal(() => DateTimeScalar.parseValue(value));
    expect(error.extensions.code).toBe('BAD_USER_INPUT');
    expect(error.message).toMatch(/between 0001-01-01 and 9999-12-31/);
    const literal = refusal(() => DateTimeScalar.parseLiteral({ kind: Kind.STRING, value }, {}));
    expect(literal.extensions.code).toBe('BAD_USER_INPUT');
  });
});
