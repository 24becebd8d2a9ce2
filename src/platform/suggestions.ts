/**
 * In production, errors keep their message but lose graphql-js's "Did you mean …?" hints, which
 * would spell out the schema that introspection is off to hide. Apollo's
 * hideSchemaDetailsFromClientErrors covers validation errors only; variables that do not coerce
 * ("… does not exist in "OrganizationType" enum. Did you mean the enum value "COMPANY"?") and
 * graphql-ws need the same, done here.
 */
import type { ApolloServerPlugin } from '@apollo/server';
import type { GraphQLError, GraphQLFormattedError } from 'graphql';
import type { ServerOptions } from 'graphql-ws';

// graphql-js's didYouMean() always ends the message (as Apollo's own plugin assumes).
const SUGGESTION = / ?Did you mean .+?\?$/s;

export function withoutSuggestions(message: string): string {
  return message.replace(SUGGESTION, '');
}

/** Apollo: every error of a response (validation, coercion, execution) before it is formatted. */
export function hideSuggestionsPlugin<TContext extends object>(): ApolloServerPlugin<TContext> {
  return {
    async requestDidStart() {
      return {
        async didEncounterErrors({ errors }) {
          for (const error of errors) error.message = withoutSuggestions(error.message);
        },
      };
    },
  };
}

function formatted(errors: readonly GraphQLError[]): GraphQLFormattedError[] {
  return errors.map((error) => ({ ...error.toJSON(), message: withoutSuggestions(error.message) }));
}

/** graphql-ws: the hooks that see every error sent, as Error messages (validation) or in results. */
export const wsHideSuggestions: Pick<ServerOptions, 'onError' | 'onNext'> = {
  onError: (_ctx, _id, _payload, errors) => formatted(errors),
  onNext: (_ctx, _id, _payload, _args, result) => (result.errors?.length ? { ...result, errors: formatted(result.errors) } : undefined),
};
