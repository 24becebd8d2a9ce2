import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import type { ResolverClass } from './module.js';
import { DateTimeScalar } from './scalars.js';

/** The type-graphql schema of the modules' resolvers (src/modules.ts); schema.graphql at the root is emitted from it (npm run schema:emit). */
export function createSchema(resolvers: readonly ResolverClass[]): Promise<GraphQLSchema> {
  const [first, ...rest] = resolvers;
  if (!first) throw new Error('createSchema needs at least one resolver');
  return buildSchema({
    resolvers: [first, ...rest],
    // Inputs are checked by the services' rules (typed errors naming the field), not by
    // class-validator decorators; off, type-graphql skips a dynamic import per argument.
    validate: false,
    emitSchemaFile: false,
    // Instants are DateTime (ISO-8601, UTC on the wire), as the API contract names them.
    scalarsMap: [{ type: Date, scalar: DateTimeScalar }],
    // Every @Subscription brings its own `subscribe` over the live bus (live.ts), which needs the
    // subscriber's context; type-graphql still asks for a pubSub, and this one says so if used.
    pubSub: {
      publish() {
        throw new Error('Publish with platform/live.ts publish(em, topic, payload), inside the transaction.');
      },
      subscribe() {
        throw new Error('A @Subscription needs its own subscribe function over the live bus (platform/live.ts).');
      },
    },
  });
}
