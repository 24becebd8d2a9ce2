/**
 * The read path's baseline (bench/read-path.bench.ts): bare graphql-js on node:http, in its own
 * process, resolving `packages` and `openSlots` with `pg` directly. The schema is built by hand
 * with the same fields, arguments and output as ours; the rows come from the same SQL the
 * catalog and scheduling reads send (openSlots: availability.sql.ts's planOfConsultant, and the
 * same pure slots.ts functions), so what differs is only what our server adds around them:
 * Express, Apollo and its plugins, type-graphql, the ORM, auth, limits, logging and metrics.
 * No auth: openSlots is answered for anyone (ours needs a signed-in caller).
 *
 * Run: node --import @swc-node/register/esm-register bench/lib/bare-graphql-server.ts
 * with DATABASE_URL and PORT; prints "listening <port>" once it accepts requests.
 */
import http from 'node:http';
import {
  graphql,
  GraphQLBoolean,
  GraphQLEnumType,
  GraphQLID,
  GraphQLInputObjectType,
  GraphQLInt,
  GraphQLList,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLScalarType,
  GraphQLSchema,
  GraphQLString,
  Kind,
} from 'graphql';
import pg from 'pg';
import { busyFromJson, planOfConsultant, scheduleFromRow, type BusyJson, type ScheduleRow } from '../../src/scheduling/availability.sql.js';
import { generateSlots, localStarts } from '../../src/scheduling/slots.js';
import type { Sql } from '../../src/platform/sql.js';

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: 10 });

/** Our fragments use `?` placeholders (the ORM's); pg wants $1, $2 … */
const pgText = (statement: Sql) => {
  let n = 0;
  return statement.text.replace(/\?/g, () => `$${++n}`);
};

const nonNull = <T extends import('graphql').GraphQLType>(type: T) => new GraphQLNonNull(type);
const list = <T extends import('graphql').GraphQLType>(type: T) => new GraphQLNonNull(new GraphQLList(new GraphQLNonNull(type)));
const enumOf = (name: string, values: string[]) => new GraphQLEnumType({ name, values: Object.fromEntries(values.map((v) => [v, { value: v }])) });

const DateTime = new GraphQLScalarType<Date, string>({
  name: 'DateTime',
  serialize: (value) => (value as Date).toISOString(),
  parseValue: (value) => new Date(value as string),
  parseLiteral: (node) => (node.kind === Kind.STRING ? new Date(node.value) : null!),
});

const Money = new GraphQLObjectType({ name: 'Money', fields: { amount: { type: nonNull(GraphQLInt) }, currency: { type: nonNull(GraphQLString) } } });

const Package = new GraphQLObjectType({
  name: 'Package',
  fields: {
    id: { type: nonNull(GraphQLID) },
    code: { type: nonNull(GraphQLString) },
    name: { type: nonNull(GraphQLString) },
    type: { type: nonNull(enumOf('PackageType', ['FREE_TRIAL', 'CONSULTATION_BUNDLE', 'SUBSCRIPTION', 'PAY_PER_USE'])) },
    lotKind: { type: nonNull(enumOf('CreditLotKind', ['SESSION', 'TIME'])) },
    description: { type: nonNull(GraphQLString) },
    features: { type: list(GraphQLString) },
    targetAudience: { type: list(GraphQLString) },
    credits: { type: nonNull(GraphQLInt) },
    sessionMinutes: { type: nonNull(GraphQLInt) },
    allowedBlockMinutes: { type: list(GraphQLInt) },
    validityDays: { type: nonNull(GraphQLInt) },
    price: { type: nonNull(Money) },
    billingCycle: { type: enumOf('BillingCycle', ['QUARTERLY', 'ANNUAL']) },
    badge: { type: GraphQLString },
    displayOrder: { type: nonNull(GraphQLInt) },
    maxPurchasesPerClient: { type: GraphQLInt },
    priority: { type: nonNull(GraphQLInt) },
    lateCancelConsumes: { type: nonNull(GraphQLBoolean) },
    purchasable: { type: nonNull(GraphQLBoolean) },
    active: { type: nonNull(GraphQLBoolean) },
  },
});

const Slot = new GraphQLObjectType({
  name: 'Slot',
  fields: { start: { type: nonNull(DateTime) }, end: { type: nonNull(DateTime) }, consultantId: { type: nonNull(GraphQLID) }, localStart: { type: nonNull(GraphQLString) } },
});

const OpenSlotsInput = new GraphQLInputObjectType({
  name: 'OpenSlotsInput',
  fields: {
    consultantId: { type: GraphQLID },
    skills: { type: new GraphQLList(new GraphQLNonNull(GraphQLString)) },
    from: { type: nonNull(DateTime) },
    to: { type: nonNull(DateTime) },
    durationMinutes: { type: nonNull(GraphQLInt) },
    timeZone: { type: nonNull(GraphQLString) },
  },
});

/** What CatalogService.list sends (the ORM's select of every column, active only, in display order). */
const PACKAGES = `SELECT id, code, name, type, lot_kind, description, features, target_audience, credits, session_minutes, allowed_block_minutes, validity_days,
                         price_amount, price_currency, billing_cycle, badge, display_order, max_purchases_per_client, priority, late_cancel_consumes, purchasable, active, created_at, updated_at
                    FROM package WHERE ($1::boolean OR active) ORDER BY display_order ASC, code ASC`;

interface PackageRow {
  [column: string]: unknown;
  price_amount: number;
  price_currency: string;
}

const camel = (column: string) => column.replace(/_(\w)/g, (_m, c: string) => c.toUpperCase());

const schema = new GraphQLSchema({
  query: new GraphQLObjectType({
    name: 'Query',
    fields: {
      packages: {
        type: list(Package),
        args: { includeInactive: { type: GraphQLBoolean, defaultValue: false } },
        async resolve(_root, args: { includeInactive: boolean | null }) {
          const { rows } = await pool.query<PackageRow>(PACKAGES, [args.includeInactive ?? false]);
          return rows.map((row) => {
            const pkg: Record<string, unknown> = {};
            for (const [column, value] of Object.entries(row)) pkg[camel(column)] = value;
            pkg.price = { amount: row.price_amount, currency: row.price_currency };
            return pkg;
          });
        },
      },
      openSlots: {
        type: list(Slot),
        args: { input: { type: nonNull(OpenSlotsInput) } },
        async resolve(_root, { input }: { input: { consultantId: string; from: Date; to: Date; durationMinutes: number; timeZone: string } }) {
          const statement = planOfConsultant(input.consultantId, { from: input.from, to: input.to });
          const { rows } = await pool.query<ScheduleRow & { id: string; has_schedule: boolean; busy: BusyJson | null }>(pgText(statement), [...statement.params]);
          const row = rows[0];
          if (!row?.has_schedule) return [];
          const query = { from: input.from, to: input.to, durationMinutes: input.durationMinutes, now: new Date() };
          const slots = generateSlots(scheduleFromRow(row), busyFromJson(row.busy ?? []), query);
          const local = localStarts(slots.map((s) => s.start), input.timeZone);
          return slots.map((slot, i) => ({ ...slot, consultantId: row.id, localStart: local[i] }));
        },
      },
    },
  }),
});

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on('data', (chunk: Buffer) => chunks.push(chunk));
  req.on('end', () => {
    void (async () => {
      const body = JSON.parse(Buffer.concat(chunks).toString()) as { query: string; variables?: Record<string, unknown> };
      const result = await graphql({ schema, source: body.query, variableValues: body.variables ?? {} });
      const text = JSON.stringify(result);
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text) });
      res.end(text);
    })();
  });
});
server.keepAliveTimeout = 60_000;
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  console.log(`listening ${(server.address() as { port: number }).port}`);
});
process.on('SIGTERM', () => {
  server.close();
  server.closeAllConnections();
  void pool.end().then(() => process.exit(0));
});
