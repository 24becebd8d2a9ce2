/**
 * Full selection sets built from the schema: every field of a type, recursively, so a test can
 * ask for all of a payload and an unloaded relation or a resolver that returns null for a
 * non-null field shows as an error instead of hiding behind a narrow hand-written selection.
 */
import {
  getNamedType,
  isAbstractType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLNamedType,
  type GraphQLObjectType,
  type GraphQLSchema,
} from 'graphql';

/**
 * How deep below the root field a selection goes (the server allows 12): today only cycles cut
 * anything at this depth, and payloads.test.ts checks that it stays so.
 */
export const SELECTION_DEPTH = 6;

/**
 * Values for required arguments of non-root fields, by `Type.field.argument` (optional ones are
 * left out, so the server's defaults apply). A new required argument must be listed here.
 */
const ARGUMENT_VALUES: Record<string, string> = {};

/**
 * `{ … }` with every field of `type` down to `depth` levels: object fields whose type is already
 * on the path (a cycle) or that would go deeper are left out; abstract types get an inline
 * fragment per possible type.
 */
export function fullSelection(schema: GraphQLSchema, type: GraphQLNamedType, depth = SELECTION_DEPTH, path: readonly string[] = []): string {
  if (isLeafType(type)) return '';
  if (isAbstractType(type)) {
    const parts = schema.getPossibleTypes(type).map((possible) => `... on ${possible.name} ${fullSelection(schema, possible, depth, path)}`);
    return `{ __typename ${parts.join(' ')} }`;
  }
  if (!isObjectType(type)) throw new Error(`Cannot select from ${String(type)}`);
  const onPath = [...path, type.name];
  const fields = Object.values(type.getFields()).flatMap((field) => {
    const named = getNamedType(field.type);
    if (isLeafType(named)) return [`${field.name}${argumentsOf(type, field)}`];
    if (depth <= 1 || onPath.includes(named.name)) return [];
    const below = fullSelection(schema, named, depth - 1, onPath);
    // A type whose every field was cut is left out as a whole.
    return below ? [`${field.name}${argumentsOf(type, field)} ${below}`] : [];
  });
  return fields.length ? `{ ${fields.join(' ')} }` : '';
}

function argumentsOf(parent: GraphQLObjectType, field: GraphQLField<unknown, unknown>): string {
  const required = field.args.filter((arg: GraphQLArgument) => isNonNullType(arg.type) && arg.defaultValue === undefined);
  if (required.length === 0) return '';
  return `(${required
    .map((arg) => {
      const key = `${parent.name}.${field.name}.${arg.name}`;
      const value = ARGUMENT_VALUES[key];
      if (value === undefined) throw new Error(`${key} is required: give it a value in ARGUMENT_VALUES (test/schema/selection.ts)`);
      return `${arg.name}: ${value}`;
    })
    .join(', ')})`;
}

/**
 * A whole operation for one root field: the variables given become its arguments (declared
 * with the schema's types), and the field's type is selected in full.
 */
export function rootOperation(schema: GraphQLSchema, kind: 'query' | 'mutation' | 'subscription', fieldName: string, variables: Record<string, unknown>): string {
  const root = kind === 'query' ? schema.getQueryType() : kind === 'mutation' ? schema.getMutationType() : schema.getSubscriptionType();
  const field = root?.getFields()[fieldName];
  if (!root || !field) throw new Error(`${kind} ${fieldName} is not in the schema`);
  const unknown = Object.keys(variables).filter((name) => !field.args.some((arg) => arg.name === name));
  if (unknown.length) throw new Error(`${fieldName} has no argument ${unknown.join(', ')}`);
  const args = field.args.filter((arg) => arg.name in variables);
  const declared = args.length ? `(${args.map((arg) => `$${arg.name}: ${String(arg.type)}`).join(', ')})` : '';
  const passed = args.length ? `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})` : '';
  const type = getNamedType(field.type);
  const selection = fullSelection(schema, type);
  if (!isLeafType(type) && !selection) throw new Error(`Nothing to select in ${type.name}`);
  return `${kind} ${fieldName[0]!.toUpperCase()}${fieldName.slice(1)}${declared} { ${fieldName}${passed} ${selection} }`;
}
