import { DateTimeResolver } from 'graphql-scalars';
import { buildSchema } from 'type-graphql';
import type { GraphQLSchema } from 'graphql';
import { RESOLVERS } from '../modules.js';

/** The type-graphql schema; schema.graphql at the root is emitted from it (npm run schema:emit). */
export function createSchema(): Promise<GraphQLSchema> {
  return buildSchema({
    resolvers: RESOLVERS,
    validate: { forbidUnknownValues: false },
    emitSchemaFile: false,
    // Instants are DateTime (ISO-8601, UTC on the wire), as the API contract names them.
    scalarsMap: [{ type: Date, scalar: DateTimeResolver }],
  });
}
