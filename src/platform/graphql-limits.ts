import type { ApolloServerPlugin } from '@apollo/server';
import { maxAliasesRule } from '@escape.tech/graphql-armor-max-aliases';
import { maxDepthRule } from '@escape.tech/graphql-armor-max-depth';
import {
  getOperationAST,
  getVariableValues,
  GraphQLError,
  Kind,
  parse,
  specifiedRules,
  TypeInfo,
  validate,
  visit,
  visitWithTypeInfo,
  type DocumentNode,
  type ExecutionArgs,
  type GraphQLSchema,
  type SelectionSetNode,
  type ValueNode,
  type ValidationContext,
  type ValidationRule,
} from 'graphql';
import { fieldExtensionsEstimator, getComplexity, simpleEstimator, type ComplexityEstimator, type ComplexityEstimatorArgs } from 'graphql-query-complexity';
import type { ConnectionInitMessage, Context, SubscribePayload } from 'graphql-ws';
import type { Extra } from 'graphql-ws/use/ws';
import { Extensions } from 'type-graphql';
import type { Config } from '../config.js';
import type { RequestContext } from './context.js';
import { errors } from './errors.js';
import { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './pagination.js';
import { takeRateLimit } from './rate-limit.js';
import { DAY_MS } from './time.js';

/**
 * The limits every GraphQL operation passes before it executes, on HTTP (Apollo) and on the
 * WebSocket (graphql-ws) alike:
 * 1. validation rules, on the document alone: depth, aliases, root fields;
 * 2. cost, on the document and its variables: each field costs 1, fields that do real work
 *    declare more (`complexity` in @Query/@Field: searches by range and consultants,
 *    connections by page size);
 * 3. a per-caller allowance of searches (queries marked with @CountsAsSearch), counted in
 *    PostgreSQL so every instance agrees.
 */

export type LimitSettings = Pick<Config['graphql'], 'maxDepth' | 'maxComplexity' | 'maxAliases' | 'maxRootFields' | 'searchLimitPerMinute'>;

const SEARCH = 'countsAsSearch';
type SearchWhen = true | ((args: Record<string, unknown>) => boolean);

/** Marks a query as a search: each time an operation asks for it (alias by alias), it takes one from the caller's allowance. */
export function CountsAsSearch(when: SearchWhen = true) {
  return Extensions({ [SEARCH]: when });
}

/** A connection's cost: one, plus what one node asks for times the page size (`first`, default 20, at most 100). */
export const connectionComplexity: ComplexityEstimator = ({ args, childComplexity }) => 1 + pageSizeOf(args.first) * childComplexity;

/** The page size a connection will use; out-of-range values are the resolver's to refuse. */
export function pageSizeOf(first: unknown): number {
  return typeof first === 'number' && Number.isInteger(first) ? Math.min(Math.max(first, 1), MAX_PAGE_SIZE) : DEFAULT_PAGE_SIZE;
}

/**
 * Whole days from `from` to `to`, at least 1 and at most `maxDays + 1` (a longer range is the
 * resolver's to refuse with a BAD_USER_INPUT naming the field, not the cost's).
 */
export function daysInRange(from: unknown, to: unknown, maxDays: number): number {
  if (!(from instanceof Date) || !(to instanceof Date) || !(to.getTime() > from.getTime())) return 1;
  return Math.min(Math.ceil((to.getTime() - from.getTime()) / DAY_MS), maxDays + 1);
}

interface Estimate {
  cost: number;
  /** Fields of the operation that count as searches. */
  searches: number;
  /** Their names, for the message. */
  searched: string[];
}

type WsContext = Context<ConnectionInitMessage['payload'], Extra>;

export interface GraphQLLimits {
  /** Apollo's `validationRules`; graphql-ws runs them in `onSubscribe`. */
  validationRules: ValidationRule[];
  apolloPlugin(): ApolloServerPlugin<RequestContext>;
  /** graphql-ws `onSubscribe`: parses, validates, checks cost and allowance, and makes the context with `contextFor`. */
  graphqlWsOnSubscribe(contextFor: (ctx: WsContext) => Promise<RequestContext>): (ctx: WsContext, id: string, payload: SubscribePayload) => Promise<ExecutionArgs | readonly GraphQLError[]>;
}

/** `rules`: further validation rules, run with these on both transports. */
export function createGraphQLLimits(schema: GraphQLSchema, settings: LimitSettings, rules: readonly ValidationRule[] = []): GraphQLLimits {
  const validationRules = [
    ...rules,
    maxDepthRule({ n: settings.maxDepth, exposeLimits: true, flattenFragments: true, ignoreIntrospection: true, propagateOnRejection: false, onReject: [reportAsValidationError] }),
    maxAliasesRule({ n: settings.maxAliases, exposeLimits: true, propagateOnRejection: false, onReject: [reportAsValidationError] }),
    maxRootFieldsRule(settings.maxRootFields),
  ];

  // Costs may depend on the variables (a range, a page size), so they are remembered per document
  // (Apollo reuses the parsed document of the same text) and per operation name — and per
  // variables only when the document feeds them to a cost or search rule: a booking or a
  // purchase costs the same whatever its variables, and is estimated once.
  const estimates = new WeakMap<DocumentNode, Map<string, Estimate | null>>();
  const variablesMatter = new WeakMap<DocumentNode, boolean>();
  const estimate = (document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): Estimate | null => {
    let matter = variablesMatter.get(document);
    if (matter === undefined) variablesMatter.set(document, (matter = costUsesVariables(schema, document)));
    const key = matter ? `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}` : (operationName ?? '');
    let known = estimates.get(document);
    if (known?.has(key)) return known.get(key)!;
    const found = estimateOf(schema, document, operationName, variables);
    // Variables that do not coerce give no estimate: never keep that one for every variable set.
    if (!matter && !found) return found;
    // Bounded: a few dozen short variable sets per document (large ones are not worth keeping).
    if (key.length > 2048) return found;
    if (!known || known.size >= 64) estimates.set(document, (known = new Map()));
    known.set(key, found);
    return found;
  };

  /** What refuses the operation before it executes, if anything. */
  const refusal = async (context: RequestContext, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined) => {
    const found = estimate(document, operationName, variables);
    // Variables that do not coerce: execution reports them as BAD_USER_INPUT next.
    if (!found) return null;
    if (found.cost > settings.maxComplexity) {
      return new GraphQLError(
        `Query complexity limit of ${settings.maxComplexity} exceeded: this operation costs ${found.cost}. Ask for fewer fields, smaller pages or shorter date ranges.`,
        { extensions: { code: 'GRAPHQL_VALIDATION_FAILED', complexity: found.cost, maxComplexity: settings.maxComplexity, http: { status: 400 } } },
      );
    }
    if (found.searches === 0) return null;
    const caller = context.caller ? `user:${context.caller.userId}` : `ip:${context.ip}`;
    const outcome = await takeRateLimit(context.em, `search:${caller}`, found.searches, settings.searchLimitPerMinute);
    if (outcome.allowed) return null;
    return errors.rateLimited(
      `Too many searches (${found.searched.join(', ')}): at most ${settings.searchLimitPerMinute} a minute per caller; try again in ${outcome.retryAfterSeconds} s.`,
      outcome.retryAfterSeconds,
    );
  };

  return {
    validationRules,
    apolloPlugin: () => ({
      async requestDidStart() {
        return {
          async didResolveOperation({ request, document, contextValue, response }) {
            const error = await refusal(contextValue, document, request.operationName, request.variables);
            if (!error) return;
            const retryAfter = error.extensions.retryAfterSeconds;
            if (typeof retryAfter === 'number') response.http.headers.set('retry-after', String(retryAfter));
            throw error;
          },
        };
      },
    }),
    graphqlWsOnSubscribe: (contextFor) => async (ctx, _id, payload) => {
      let document: DocumentNode;
      try {
        document = parse(payload.query);
      } catch (error) {
        return [withCode(error as GraphQLError, 'GRAPHQL_PARSE_FAILED')];
      }
      const invalid = validate(schema, document, [...specifiedRules, ...validationRules]);
      if (invalid.length) return invalid.map((error) => withCode(error, 'GRAPHQL_VALIDATION_FAILED'));
      const contextValue = await contextFor(ctx);
      const error = await refusal(contextValue, document, payload.operationName, payload.variables);
      if (error) return [withoutHttp(error)];
      return { schema, document, operationName: payload.operationName, variableValues: payload.variables, contextValue };
    },
  };
}

/**
 * Whether the cost or the searches of the document may depend on its variables: a variable in
 * a directive (@skip, @include) or in the arguments of a field whose cost or search rule reads
 * its arguments (a function in its extensions).
 */
export function costUsesVariables(schema: GraphQLSchema, document: DocumentNode): boolean {
  const usesVariable = (value: ValueNode): boolean =>
    value.kind === Kind.VARIABLE ||
    (value.kind === Kind.LIST && value.values.some(usesVariable)) ||
    (value.kind === Kind.OBJECT && value.fields.some((f) => usesVariable(f.value)));
  const typeInfo = new TypeInfo(schema);
  let uses = false;
  visit(
    document,
    visitWithTypeInfo(typeInfo, {
      Directive(node) {
        if (node.arguments?.some((a) => usesVariable(a.value))) uses = true;
      },
      Field(node) {
        const extensions = typeInfo.getFieldDef()?.extensions;
        const readsArgs = typeof extensions?.complexity === 'function' || typeof extensions?.[SEARCH] === 'function';
        if (readsArgs && node.arguments?.some((a) => usesVariable(a.value))) uses = true;
      },
    }),
  );
  return uses;
}

/** The operation's cost and searches; null when its variables do not coerce. */
export function estimateOf(schema: GraphQLSchema, document: DocumentNode, operationName: string | null | undefined, variables: Record<string, unknown> | null | undefined): Estimate | null {
  const operation = getOperationAST(document, operationName);
  if (!operation) return null;
  if ('errors' in getVariableValues(schema, operation.variableDefinitions ?? [], variables ?? {})) return null;
  let searches = 0;
  const searched = new Set<string>();
  const rootType = schema.getRootType(operation.operation);
  // Runs first for every field and gives no cost: it only counts the searches among the root fields.
  const countSearches: ComplexityEstimator = ({ type, field, args }: ComplexityEstimatorArgs) => {
    const when = type === rootType ? (field.extensions?.[SEARCH] as SearchWhen | undefined) : undefined;
    if (when === true || (typeof when === 'function' && when(args))) {
      searches++;
      searched.add(field.name);
    }
    return undefined;
  };
  try {
    const cost = getComplexity({
      schema,
      query: document,
      operationName: operationName ?? undefined,
      variables: variables ?? {},
      estimators: [countSearches, fieldExtensionsEstimator(), simpleEstimator({ defaultComplexity: 1 })],
    });
    return { cost, searches, searched: [...searched] };
  } catch (error) {
    // Too many fields to count (fragments are counted each time they are spread): over any limit.
    if (error instanceof GraphQLError && /maximum allowed number of nodes/.test(error.message)) return { cost: Number.MAX_SAFE_INTEGER, searches, searched: [...searched] };
    // An argument that execution will refuse (e.g. a null for a non-null argument).
    return null;
  }
}

/** Refuses operations with more than `max` root fields (aliases and fragments included; __typename aside). */
function maxRootFieldsRule(max: number): ValidationRule {
  return (context) => ({
    OperationDefinition(operation) {
      const found = countRootFields(context, operation.selectionSet, new Set());
      if (found > max) {
        context.reportError(new GraphQLError(`Root fields limit of ${max} exceeded, found ${found}: split the operation, or ask for fewer fields at its top level.`, { nodes: [operation] }));
      }
    },
  });
}

function countRootFields(context: ValidationContext, selectionSet: SelectionSetNode, spread: Set<string>): number {
  let count = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) count += selection.name.value === '__typename' ? 0 : 1;
    else if (selection.kind === Kind.INLINE_FRAGMENT) count += countRootFields(context, selection.selectionSet, spread);
    else if (!spread.has(selection.name.value)) {
      spread.add(selection.name.value);
      const fragment = context.getFragment(selection.name.value);
      if (fragment) count += countRootFields(context, fragment.selectionSet, spread);
    }
  }
  return count;
}

/** graphql-armor's rejections as validation errors (GRAPHQL_VALIDATION_FAILED), not thrown out of validation. */
function reportAsValidationError(context: ValidationContext | null, error: GraphQLError): void {
  context?.reportError(new GraphQLError(error.message.replace(/^Syntax Error: /, '')));
}

/** graphql-ws sends errors as they are: give them the code Apollo gives on HTTP. */
function withCode(error: GraphQLError, code: string): GraphQLError {
  return new GraphQLError(error.message, { nodes: error.nodes, source: error.source, positions: error.positions, extensions: { ...error.extensions, code } });
}

function withoutHttp(error: GraphQLError): GraphQLError {
  const { http: _http, ...extensions } = error.extensions;
  return new GraphQLError(error.message, { extensions });
}
