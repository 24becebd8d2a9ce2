import { GraphQLError, GraphQLScalarType, Kind } from 'graphql';
import { DateTimeResolver } from 'graphql-scalars';

/** Zone names that checked out (the runtime's zone data does not change while it runs). */
const knownZones = new Set<string>();

/** An IANA zone name known to this runtime ("Europe/Berlin", "UTC"); offsets like "+02:00" are not zones. */
export function isTimeZone(zone: string): boolean {
  if (!zone || zone.length > 64 || !/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  // Checking builds an Intl.DateTimeFormat (about 0.3 ms): known zones are remembered.
  if (knownZones.has(zone)) return true;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
  } catch {
    return false;
  }
  if (knownZones.size < 2000) knownZones.add(zone);
  return true;
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

/**
 * The contract's DateTime (graphql-scalars' DateTime), serialized to its ISO-8601 text right
 * away: the same bytes on the wire as the Date it returns, but JSON.stringify of a response
 * full of Date objects (each through its toJSON) is several times slower than of strings.
 */
export const DateTimeScalar = new GraphQLScalarType({
  ...DateTimeResolver.toConfig(),
  serialize: (value) => {
    const serialized = DateTimeResolver.serialize(value);
    return serialized instanceof Date ? serialized.toISOString() : serialized;
  },
  parseValue: (value) => storable(DateTimeResolver.parseValue(value)),
  parseLiteral: (ast, variables) => storable(DateTimeResolver.parseLiteral(ast, variables)),
});

/**
 * RFC 3339 allows years 0000 to 9999 with any offset, but PostgreSQL stores neither year 0 nor
 * the six-digit years an offset can lead to: refused here rather than failing in the database.
 */
function storable(value: unknown): unknown {
  const year = value instanceof Date ? value.getUTCFullYear() : undefined;
  if (year !== undefined && (year < 1 || year > 9999)) {
    throw new GraphQLError('A DateTime must be between 0001-01-01 and 9999-12-31 (UTC).', { extensions: { code: 'BAD_USER_INPUT' } });
  }
  return value;
}
