import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import type { TestProject } from 'vitest/node';
import { ENTITIES } from '../../src/modules.js';
import { connectOrm, migrate } from '../../src/platform/db.js';
import { ensureDatabase, startEmbeddedPostgres, type EmbeddedPostgres } from '../../src/platform/embedded-postgres.js';

declare module 'vitest' {
  export interface ProvidedContext {
    /** A connection URL with the right to create databases. */
    databaseAdminUrl: string;
    /** A database with every migration applied; each test file copies it. */
    templateDatabase: string;
  }
}

/**
 * Starts one real PostgreSQL for the whole run — embedded in a temporary folder, or the server
 * named by TEST_DATABASE_URL — and prepares a migrated template database.
 */
export default async function setup(project: TestProject) {
  let embedded: EmbeddedPostgres | undefined;
  let dataDir: string | undefined;
  let adminUrl = process.env.TEST_DATABASE_URL;
  if (!adminUrl) {
    dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-test-'));
    await chmod(dataDir, 0o755); // reachable by the postgres user when tests run as root
    embedded = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'warn' }) });
    adminUrl = embedded.url('postgres');
  }

  const templateDatabase = `serenity_template_${process.pid}`;
  await ensureDatabase(adminUrl, templateDatabase);
  const templateUrl = new URL(adminUrl);
  templateUrl.pathname = `/${templateDatabase}`;
  const orm = await connectOrm(templateUrl.toString(), ENTITIES);
  try {
    await migrate(orm);
  } finally {
    await orm.close(true);
  }

  project.provide('databaseAdminUrl', adminUrl);
  project.provide('templateDatabase', templateDatabase);

  return async () => {
    if (embedded) {
      await embedded.stop();
      await rm(dataDir!, { recursive: true, force: true });
      return;
    }
    const client = new pg.Client({ connectionString: adminUrl });
    await client.connect();
    await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(templateDatabase)} WITH (FORCE)`);
    await client.end();
  };
}
