/**
 * From schema.graphql to fuzz cases: for a root field, arguments generated from their types
 * (scalars, custom scalars, enums, input objects recursively, lists, nullability — including
 * values graphql-js must refuse), a shallow selection of the payload's scalar fields, and the
 * document that sends the arguments as variables (mostly) or as literals.
 */
import fc from 'fast-check';
import {
  GraphQLEnumType,
  GraphQLInputObjectType,
  GraphQLList,
  GraphQLNonNull,
  GraphQLScalarType,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLNamedType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql';
import {
  anyBoolean,
  anyDateTime,
  anyFloat,
  anyString,
  anyTimeZone,
  idFor,
  intFor,
  plausibleDateTime,
  plausibleId,
  plausibleInt,
  plausibleString,
  plausibleTimeZone,
  stringFor,
  wrongKind,
} from './values.js';

/** An argument or input field left out (distinct from an explicit null). */
const OMIT = Symbol('omit');
type Generated = unknown;

/**
 * How a case's values are made: 'hostile' anywhere (nulls, wrong kinds, missing fields…);
 * 'plausible' valid-looking only, to get past the checks into the resolvers' deeper paths;
 * 'mixed' valid-looking with the odd hostile leaf — the bad value deep inside a good input.
 */
export type Mode = 'hostile' | 'plausible' | 'mixed';

export interface FuzzCase {
  kind: 'query' | 'mutation';
  mode: Mode;
  field: string;
  /** Argument values with markers (see values.ts); absent arguments are left out. */
  args: Record<string, Generated>;
  literals: boolean;
}

/** How deep input objects nest before only required fields are generated. */
const MAX_INPUT_DEPTH = 3;

function hostileScalar(type: GraphQLScalarType, name: string, parent: string, root: string): fc.Arbitrary<Generated> {
  const base = (() => {
    switch (type.name) {
      case 'String':
        return stringFor(name, parent);
      case 'ID':
        return idFor(name, root);
      case 'Int':
        return intFor(name);
      case 'Float':
        return anyFloat;
      case 'Boolean':
        return anyBoolean;
      case 'DateTime':
        return anyDateTime;
      case 'TimeZone':
        return anyTimeZone;
      default:
        return anyString;
    }
  })();
  return fc.oneof({ weight: 30, arbitrary: base }, { weight: 1, arbitrary: wrongKind });
}

function plausibleScalar(type: GraphQLScalarType, name: string, parent: string, root: string): fc.Arbitrary<Generated> {
  switch (type.name) {
    case 'ID':
      return plausibleId(name, root);
    case 'Int':
      return plausibleInt(name);
    case 'Float':
      return fc.double({ min: 0, max: 100, noNaN: true });
    case 'Boolean':
      return fc.boolean();
    case 'DateTime':
      return plausibleDateTime;
    case 'TimeZone':
      return plausibleTimeZone;
    default:
      return plausibleString(name, parent);
  }
}

function enumArb(type: GraphQLEnumType, mode: Mode): fc.Arbitrary<Generated> {
  const values = fc.constantFrom(...type.getValues().map((v) => v.name));
  if (mode !== 'hostile') return values;
  return fc.oneof({ weight: 12, arbitrary: values }, { weight: 1, arbitrary: fc.constantFrom('NOT_A_VALUE', type.getValues()[0]!.name.toLowerCase(), '', 7) });
}

function inputObjectArb(type: GraphQLInputObjectType, root: string, depth: number, mode: Mode): fc.Arbitrary<Generated> {
  const fields = Object.values(type.getFields());
  const model: Record<string, fc.Arbitrary<Generated>> = {};
  for (const field of fields) {
    const required = isNonNullType(field.type) && field.defaultValue === undefined;
    if (!required && depth >= MAX_INPUT_DEPTH) continue;
    const value = valueArb(field.type, field.name, type.name, root, mode, depth + 1);
    // Required fields are rarely left out (a coercion error), never in plausible cases; optional ones often.
    if (required) model[field.name] = mode === 'hostile' ? fc.oneof({ weight: 40, arbitrary: value }, { weight: 1, arbitrary: fc.constant(OMIT) }) : value;
    // Plausible cases leave most optional fields out: each one is another chance to be refused.
    else model[field.name] = fc.oneof({ weight: mode === 'plausible' ? 1 : 3, arbitrary: value }, { weight: 2, arbitrary: fc.constant(OMIT) });
  }
  const object = fc.record(model).map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== OMIT)));
  if (mode !== 'hostile') return object;
  // An unknown field, too, must be refused as bad input.
  return fc.oneof({ weight: 30, arbitrary: object }, { weight: 1, arbitrary: object.map((o) => ({ ...o, notAField: 1 })) });
}

/** A value for `type` as the mode says; in hostile cases null for a non-null type occasionally. */
export function valueArb(type: GraphQLInputType, name: string, parent: string, root: string, mode: Mode, depth = 0): fc.Arbitrary<Generated> {
  if (isNonNullType(type)) {
    const inner = nullableValueArb(type.ofType, name, parent, root, mode, depth);
    return mode === 'hostile' ? fc.oneof({ weight: 40, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) }) : inner;
  }
  const inner = nullableValueArb(type, name, parent, root, mode, depth);
  return fc.oneof({ weight: 8, arbitrary: inner }, { weight: 1, arbitrary: fc.constant(null) });
}

function nullableValueArb(type: GraphQLInputType, name: string, parent: string, root: string, mode: Mode, depth: number): fc.Arbitrary<Generated> {
  if (isListType(type)) {
    const item = valueArb(type.ofType, name, parent, root, mode, depth);
    if (mode !== 'hostile') return fc.array(item, { maxLength: 3 });
    return fc.oneof(
      { weight: 3, arbitrary: fc.constant([]) },
      { weight: 8, arbitrary: fc.array(item, { minLength: 1, maxLength: 4 }) },
      // A single value where a list is expected: graphql-js coerces it to a list of one.
      { weight: 1, arbitrary: item },
      { weight: 1, arbitrary: item.map((v) => Array.from({ length: 120 }, () => v)) },
    );
  }
  if (isInputObjectType(type)) return inputObjectArb(type, root, depth, mode);
  if (isEnumType(type)) return enumArb(type, mode);
  const scalar = type;
  if (mode === 'hostile') return hostileScalar(scalar, name, parent, root);
  if (mode === 'plausible') return plausibleScalar(scalar, name, parent, root);
  return fc.oneof({ weight: 10, arbitrary: plausibleScalar(scalar, name, parent, root) }, { weight: 1, arbitrary: hostileScalar(scalar, name, parent, root) });
}

/** Arguments of a root field: required ones almost always, optional ones often left out. */
function argsArb(field: GraphQLField<unknown, unknown>, mode: Mode): fc.Arbitrary<Record<string, Generated>> {
  const model: Record<string, fc.Arbitrary<Generated>> = {};
  for (const arg of field.args) {
    const value = valueArb(arg.type, arg.name, field.name, field.name, mode);
    const required = isNonNullType(arg.type) && arg.defaultValue === undefined;
    if (required) model[arg.name] = mode === 'hostile' ? fc.oneof({ weight: 40, arbitrary: value }, { weight: 1, arbitrary: fc.constant(OMIT) }) : value;
    else model[arg.name] = fc.oneof({ weight: 3, arbitrary: value }, { weight: 1, arbitrary: fc.constant(OMIT) });
  }
  return fc.record(model).map((record) => Object.fromEntries(Object.entries(record).filter(([, v]) => v !== OMIT)));
}

/** Every root Query and Mutation field as a fast-check arbitrary of cases. */
export function caseArb(schema: GraphQLSchema): fc.Arbitrary<FuzzCase> {
  const roots = [
    ...Object.values(schema.getQueryType()!.getFields()).map((f) => ({ kind: 'query' as const, f })),
    ...Object.values(schema.getMutationType()!.getFields()).map((f) => ({ kind: 'mutation' as const, f })),
  ];
  const modes = fc.constantFrom<Mode>('hostile', 'hostile', 'mixed', 'mixed', 'plausible');
  return fc.oneof(
    ...roots.map(({ kind, f }) =>
      modes.chain((mode) =>
        fc.record({
          kind: fc.constant(kind),
          mode: fc.constant(mode),
          field: fc.constant(f.name),
          args: argsArb(f, mode),
          literals: fc.oneof({ weight: 4, arbitrary: fc.constant(false) }, { weight: 1, arbitrary: fc.constant(true) }),
        }),
      ),
    ),
  );
}

// ----- Documents -----

/**
 * Shallow selections: the scalar fields of the payload and of the objects it holds, one level
 * down (connections and edges do not count as a level, so nodes are selected too).
 * `skip` names fields left out on purpose (see the test for why).
 */
export function selectionOf(type: GraphQLOutputType, depth: number, skip: ReadonlySet<string> = new Set()): string {
  const named = getNamedType(type) as GraphQLNamedType;
  if (isLeafType(named) || !isObjectType(named)) return '';
  const parts: string[] = [];
  for (const field of Object.values(named.getFields())) {
    if (skip.has(`${named.name}.${field.name}`)) continue;
    if (field.args.some((a) => isNonNullType(a.type) && a.defaultValue === undefined)) continue;
    const inner = getNamedType(field.type);
    if (isLeafType(inner)) parts.push(field.name);
    else if (isObjectType(inner)) {
      const structural = /(Connection|Edge)$/.test(inner.name) || /(Connection|Edge)$/.test(named.name);
      const nextDepth = structural ? depth : depth - 1;
      if (nextDepth < 0) continue;
      parts.push(`${field.name} { ${selectionOf(field.type, nextDepth, skip)} }`);
    }
  }
  return parts.length ? parts.join(' ') : '__typename';
}

function typeString(type: GraphQLInputType): string {
  return type.toString();
}

/** A GraphQL literal for `value` of `type` (enum values bare, everything else as JSON would). */
export function literalOf(value: unknown, type: GraphQLInputType): string {
  if (value === null || value === undefined) return 'null';
  const unwrapped = type instanceof GraphQLNonNull ? (type.ofType) : type;
  if (Array.isArray(value)) {
    const item = unwrapped instanceof GraphQLList ? (unwrapped.ofType) : unwrapped;
    return `[${value.map((v) => literalOf(v, item)).join(', ')}]`;
  }
  if (unwrapped instanceof GraphQLList) return literalOf(value, unwrapped.ofType);
  if (typeof value === 'object') {
    const fields = unwrapped instanceof GraphQLInputObjectType ? unwrapped.getFields() : {};
    const entries = Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k}: ${literalOf(v, fields[k]?.type ?? unwrapped)}`);
    return `{${entries.join(', ')}}`;
  }
  if (unwrapped instanceof GraphQLEnumType && typeof value === 'string' && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value)) return value;
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : 'null';
  return JSON.stringify(value);
}

/** The document (and variables) of a case whose markers are already resolved. */
export function documentOf(schema: GraphQLSchema, c: FuzzCase, args: Record<string, unknown>, skip: ReadonlySet<string>): { query: string; variables: Record<string, unknown> } {
  const root = c.kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
  const field = root.getFields()[c.field]!;
  const selection = selectionOf(field.type, 1, skip);
  const selected = selection ? ` { ${selection} }` : '';
  const given = field.args.filter((a) => a.name in args);
  if (c.literals) {
    const list = given.map((a) => `${a.name}: ${literalOf(args[a.name], a.type)}`).join(', ');
    return { query: `${c.kind} Fuzz { ${c.field}${list ? `(${list})` : ''}${selected} }`, variables: {} };
  }
  const declared = given.map((a) => `$${a.name}: ${typeString(a.type)}`).join(', ');
  const passed = given.map((a) => `${a.name}: $${a.name}`).join(', ');
  return {
    query: `${c.kind} Fuzz${declared ? `(${declared})` : ''} { ${c.field}${passed ? `(${passed})` : ''}${selected} }`,
    variables: Object.fromEntries(given.map((a) => [a.name, args[a.name]])),
  };
}
