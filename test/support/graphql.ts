/** The tests' GraphQL calls against a test server, and the checks of their answers. */
import { expect } from 'vitest';
import { postGraphQL, type TestServer } from './server.js';

/** One error of a GraphQL response, as the wire shows it. */
export interface GraphQLErrorJson {
  message: string;
  path?: Array<string | number>;
  extensions?: Record<string, unknown>;
}

export interface GraphQLResult<T> {
  status: number;
  data: T | null | undefined;
  errors: GraphQLErrorJson[];
}

/** Runs a document against the test server, as `token`'s bearer when given. */
export async function gql<T = any>(
  server: TestServer,
  query: string,
  variables: Record<string, unknown> = {},
  token?: string,
  headers: Record<string, string> = {},
): Promise<GraphQLResult<T>> {
  const response = await postGraphQL(server.graphqlUrl, { query, variables }, { ...(token ? { authorization: `Bearer ${token}` } : {}), ...headers });
  if (!response.json) throw new Error(`Not a GraphQL response (HTTP ${response.status}): ${response.text.slice(0, 500)}`);
  return { status: response.status, data: response.json.data as T | null | undefined, errors: response.json.errors ?? [] };
}

/** The data of a document that must succeed; fails the test with the errors otherwise. */
export async function gqlOk<T = any>(server: TestServer, query: string, variables: Record<string, unknown> = {}, token?: string): Promise<T> {
  const result = await gql<T>(server, query, variables, token);
  expect(result.errors, `errors of ${query.trim().split('\n')[0]}`).toEqual([]);
  return result.data as T;
}

/** The first error, asserting its code (and message / field when given). */
export function expectError(
  result: GraphQLResult<unknown>,
  code: string,
  message?: RegExp | string,
  field?: string,
): GraphQLErrorJson {
  const error = result.errors[0];
  expect(error, `expected a ${code} error, got data ${JSON.stringify(result.data)}`).toBeDefined();
  expect(error!.extensions?.code, `code of "${error!.message}"`).toBe(code);
  if (message !== undefined) expect(error!.message).toMatch(message);
  if (field !== undefined) expect(error!.extensions?.field).toBe(field);
  return error!;
}
