import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';

/** An IANA zone name known to this runtime ("Europe/Berlin", "UTC"); offsets like "+02:00" are not zones. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

function timeZone(value: unknown): string {
  if (typeof value !== 'string' || !isTimeZone(value)) {
    const shown = typeof value === 'string' ? `"${value.slice(0, 64)}"` : String(value);
    throw new GraphQLError(`${shown} is not an IANA time zone such as Europe/Berlin or America/New_York.`, {
      extensions: { code: 'BAD_USER_INPUT' },
    });
  }
  return value;
}

/** The contract's TimeZone scalar: an IANA time zone name, validated on the way in. */
export const TimeZoneScalar = new GraphQLScalarType<string, string>({
  name: 'TimeZone',
  description: 'An IANA time zone name such as "Europe/Berlin" or "UTC".',
  serialize: (value) => timeZone(value),
  parseValue: (value) => timeZone(value),
  parseLiteral: (ast) => {
    if (ast.kind !== Kind.STRING) throw new GraphQLError('A time zone is a string such as "Europe/Berlin".', { extensions: { code: 'BAD_USER_INPUT' } });
    return timeZone(ast.value);
  },
});
