import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { startApp, type RunningApp } from '../../src/app.js';
import { loadConfig, type Config } from '../../src/config.js';
import { createLogger, type DestinationStream } from '../../src/platform/logger.js';
import { createTestDatabase } from './database.js';

export interface TestServer {
  app: RunningApp;
  config: Config;
  /** http://127.0.0.1:<port>/graphql */
  graphqlUrl: string;
  stop(): Promise<void>;
}

/** A real server on a random port over its own database; settings may be overridden as env vars, its log captured. */
export async function startTestServer(env: Record<string, string> = {}, options: { logDestination?: DestinationStream } = {}): Promise<TestServer> {
  const database = await createTestDatabase();
  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-server-'));
  const config = loadConfig({
    NODE_ENV: 'test',
    HOST: '127.0.0.1',
    PORT: '0',
    DATA_DIR: dataDir,
    DATABASE_URL: database.url,
    JWT_SECRET: 'test-secret-test-secret-test-secret-0123456789',
    LOG_LEVEL: process.env.TEST_LOG_LEVEL ?? 'silent',
    LOG_PRETTY: 'false',
    JOBS_PROCESS_EVERY_MS: '200',
    SHUTDOWN_TIMEOUT_MS: '5000',
    // Every test signs in from 127.0.0.1; the throttling tests set their own limits.
    AUTH_IP_LIMIT_PER_MINUTE: '100000',
    ...env,
  });
  const app = await startApp(config, createLogger(config, options.logDestination));
  return {
    app,
    config,
    graphqlUrl: `http://127.0.0.1:${app.port}/graphql`,
    async stop() {
      await app.stop();
      await database.drop();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** POSTs a GraphQL document without the SDK, for protocol-level checks. */
export async function postGraphQL(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  let json: { data?: unknown; errors?: Array<{ message: string; extensions?: Record<string, unknown> }> } | undefined;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, json, text };
}
