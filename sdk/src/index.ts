/**
 * @serenity/sdk: a small typed client for the Serenity GraphQL API.
 *
 * Every operation of sdk/src/operations/ is a generated, typed document (`PackagesDocument`,
 * …) that `request` accepts; results and variables are typed from it. `graphql()` is the
 * client preset's document function for those operations; the package also ships the API's
 * schema (`@serenity/sdk/schema.graphql`) so partners generate typed documents of their own.
 */
export * from './generated/graphql.js';
export { graphql } from './generated/gql.js';
export * from './errors.js';
export * from './client.js';
