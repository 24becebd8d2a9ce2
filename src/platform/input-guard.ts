/**
 * One check for every String and ID an operation carries, written in the document or sent as a
 * variable, through input objects and lists, before anything executes (both transports call it;
 * see server.ts). Control characters have no business in names, emails, codes or tokens, and
 * PostgreSQL refuses NUL outright ("invalid message format"): the caller gets BAD_USER_INPUT
 * naming the field instead of an internal error.
 *
 * The rule, for every String and ID value:
 * - refused: C0 controls (U+0000–U+001F) except tab, line feed and carriage return; DEL
 *   (U+007F); C1 controls (U+0080–U+009F); the noncharacters U+FFFE and U+FFFF; lone surrogates;
 * - ID values (identifiers, codes) take no tab, line feed or carriage return either.
 * Custom scalars (DateTime, TimeZone …) validate their own text and are left to themselves.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import {
  GraphQLError,
  Kind,
  TypeInfo,
  getNullableType,
  getOperationAST,
  isInputObjectType,
  isListType,
  isScalarType,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type FragmentDefinitionNode,
  type GraphQLInputType,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type ValueNode,
} from 'graphql';
import { errors } from './errors.js';

// The tail of both: a lone surrogate (a high one without its low one, or a low one alone).
// eslint-disable-next-line no-control-regex -- control characters are exactly what this finds
const REFUSED_IN_TEXT = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
// eslint-disable-next-line no-control-regex -- likewise, tab, LF and CR included
const REFUSED_IN_ID = /[\u0000-\u001F\u007F-\u009F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** The message for a refused value, or null when it is fine. */
export function stringProblem(value: string, kind: 'String' | 'ID', field: string): string | null {
  const match = (kind === 'ID' ? REFUSED_IN_ID : REFUSED_IN_TEXT).exec(value);
  if (!match) return null;
  const unit = match[0].charCodeAt(0);
  const code = `U+${unit.toString(16).toUpperCase().padStart(4, '0')}`;
  const why =
    unit >= 0xd800 && unit <= 0xdfff
      ? 'a lone surrogate is not text'
      : kind === 'ID'
        ? 'an id takes no control characters at all'
        : 'text may contain tabs and line breaks, no other control characters';
  return `${field} must not contain the character ${code} (at position ${match.index + 1}): ${why}.`;
}

/** Where the operation's variables are used: each use names the field it fills. */
interface VariableUse {
  name: string;
  field: string;
  type: GraphQLInputType;
}
interface Plan {
  /** The first bad literal written in the document, if any. */
  literal: Problem | null;
  uses: VariableUse[];
  defaults: Map<string, ValueNode>;
}

const plans = new WeakMap<OperationDefinitionNode, Plan>();

/**
 * The first refused String or ID of the operation (literals first, then variables in order of
 * use), as a BAD_USER_INPUT error naming its field; null when every value is fine. Expects a
 * validated document.
 */
export function checkOperationInput(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode, variables: Record<string, unknown> | undefined | null): GraphQLError | null {
  // The walk over the document depends on the document only: done once per parsed operation.
  let plan = plans.get(operation);
  if (!plan) {
    plan = planOf(schema, document, operation);
    plans.set(operation, plan);
  }
  const problem = plan.literal ?? variableProblem(plan, variables ?? {});
  return problem ? errors.badInput(problem.message, problem.field) : null;
}

function variableProblem(plan: Plan, variables: Record<string, unknown>): Problem | null {
  for (const use of plan.uses) {
    const given = Object.hasOwn(variables, use.name) ? variables[use.name] : undefined;
    const problem = given === undefined ? literalProblem(plan.defaults.get(use.name), use.type, use.field) : valueProblem(given, use.type, use.field);
    if (problem) return problem;
  }
  return null;
}

function planOf(schema: GraphQLSchema, document: DocumentNode, operation: OperationDefinitionNode): Plan {
  const plan: Plan = { literal: null, uses: [], defaults: new Map() };
  for (const definition of operation.variableDefinitions ?? []) {
    if (definition.defaultValue) plan.defaults.set(definition.variable.name.value, definition.defaultValue);
  }
  const typeInfo = new TypeInfo(schema);
  const visitor = visitWithTypeInfo(typeInfo, {
    Argument(node) {
      const type = typeInfo.getInputType();
      if (!type || plan.literal) return false;
      plan.literal = literalProblem(node.value, type, node.name.value, plan.uses);
      return false;
    },
  });
  for (const definition of [operation, ...fragmentsOf(document, operation)]) visit(definition, visitor);
  return plan;
}

/** The fragments an operation spreads, directly or through other fragments. */
function fragmentsOf(document: DocumentNode, operation: OperationDefinitionNode): FragmentDefinitionNode[] {
  const byName = new Map(document.definitions.flatMap((d) => (d.kind === Kind.FRAGMENT_DEFINITION ? [[d.name.value, d] as const] : [])));
  const found = new Map<string, FragmentDefinitionNode>();
  const pending: Array<OperationDefinitionNode | FragmentDefinitionNode> = [operation];
  while (pending.length) {
    visit(pending.pop()!, {
      FragmentSpread(spread) {
        const fragment = byName.get(spread.name.value);
        if (fragment && !found.has(fragment.name.value)) {
          found.set(fragment.name.value, fragment);
          pending.push(fragment);
        }
      },
    });
  }
  return [...found.values()];
}

interface Problem {
  message: string;
  field: string;
}

/** Whether a (nullable, non-list) input type is the built-in String or ID. */
function scalarKind(type: GraphQLInputType): 'String' | 'ID' | null {
  if (!isScalarType(type)) return null;
  return type.name === 'String' ? 'String' : type.name === 'ID' ? 'ID' : null;
}

/** A literal of the document against its expected type; variables met on the way are recorded in `uses`. */
function literalProblem(node: ValueNode | undefined, type: GraphQLInputType, field: string, uses?: VariableUse[]): Problem | null {
  if (!node) return null;
  const nullable = getNullableType(type);
  switch (node.kind) {
    case Kind.VARIABLE:
      uses?.push({ name: node.name.value, field, type });
      return null;
    case Kind.STRING: {
      // A single value where a list is expected is coerced to a list of one.
      if (isListType(nullable)) return literalProblem(node, nullable.ofType, field, uses);
      const kind = scalarKind(nullable);
      const message = kind ? stringProblem(node.value, kind, field) : null;
      return message ? { message, field } : null;
    }
    case Kind.LIST: {
      const itemType = isListType(nullable) ? nullable.ofType : type;
      for (const [i, item] of node.values.entries()) {
        const problem = literalProblem(item, itemType, `${field}.${i}`, uses);
        if (problem) return problem;
      }
      return null;
    }
    case Kind.OBJECT: {
      if (isListType(nullable)) return literalProblem(node, nullable.ofType, field, uses);
      if (!isInputObjectType(nullable)) return null;
      const fields = nullable.getFields();
      for (const entry of node.fields) {
        const inputField = fields[entry.name.value];
        const problem = inputField ? literalProblem(entry.value, inputField.type, `${field}.${entry.name.value}`, uses) : null;
        if (problem) return problem;
      }
      return null;
    }
    case Kind.INT:
    case Kind.FLOAT:
    case Kind.BOOLEAN:
    case Kind.NULL:
    case Kind.ENUM:
      return null;
  }
}

/** A variable's JSON value against the type where it is used; values of the wrong shape are left to coercion. */
function valueProblem(value: unknown, type: GraphQLInputType, field: string): Problem | null {
  const nullable = getNullableType(type);
  if (isListType(nullable)) {
    // A single value where a list is expected is coerced to a list of one.
    if (!Array.isArray(value)) return valueProblem(value, nullable.ofType, field);
    for (const [i, item] of value.entries()) {
      const problem = valueProblem(item, nullable.ofType, `${field}.${i}`);
      if (problem) return problem;
    }
    return null;
  }
  if (typeof value === 'string') {
    const kind = scalarKind(nullable);
    const message = kind ? stringProblem(value, kind, field) : null;
    return message ? { message, field } : null;
  }
  if (isInputObjectType(nullable) && typeof value === 'object' && value !== null && !Array.isArray(value)) {
    const fields = nullable.getFields();
    for (const [key, item] of Object.entries(value)) {
      const inputField = Object.hasOwn(fields, key) ? fields[key] : undefined;
      const problem = inputField ? valueProblem(item, inputField.type, `${field}.${key}`) : null;
      if (problem) return problem;
    }
  }
  return null;
}

/** Apollo: after the operation is resolved (parsed, validated), before execution. */
export function inputGuardPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didResolveOperation({ schema, document, operation, request }) {
          const error = operation ? checkOperationInput(schema, document, operation, request.variables) : null;
          if (error) throw new GraphQLError(error.message, { extensions: { ...error.extensions, http: { status: 400 } } });
        },
      };
    },
  };
}

/**
 * graphql-ws: `execute` and `subscribe` that check the (validated) operation first; a refused
 * value is answered like a variable that does not coerce, as a result with the error.
 */
export function guardedExecution<E extends (args: ExecutionArgs) => unknown, S extends (args: ExecutionArgs) => unknown>(execute: E, subscribe: S) {
  const refusal = (args: ExecutionArgs) => {
    const operation = getOperationAST(args.document, args.operationName);
    const error = operation ? checkOperationInput(args.schema, args.document, operation, args.variableValues) : null;
    return error ? { errors: [error] } : null;
  };
  return {
    execute: ((args: ExecutionArgs) => refusal(args) ?? execute(args)) as E,
    subscribe: ((args: ExecutionArgs) => refusal(args) ?? subscribe(args)) as S,
  };
}
