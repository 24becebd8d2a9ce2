import { randomBytes } from 'node:crypto';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { pino } from 'pino';
import { ensureDatabase, startEmbeddedPostgres } from '../../src/platform/embedded-postgres.js';

/**
 * Runs `fn` against an empty, throwaway database and removes it afterwards (also when `fn`
 * throws): a scratch database on the server named by BENCH_DATABASE_URL when set, else a
 * whole embedded PostgreSQL cluster in a temporary folder.
 */
export async function withScratchDatabase<T>(fn: (url: string) => Promise<T>): Promise<T> {
  const adminUrl = process.env.BENCH_DATABASE_URL;
  if (adminUrl) {
    const database = `serenity_bench_${randomBytes(4).toString('hex')}`;
    await ensureDatabase(adminUrl, database);
    const url = new URL(adminUrl);
    url.pathname = `/${database}`;
    try {
      return await fn(url.toString());
    } finally {
      const client = new pg.Client({ connectionString: adminUrl });
      await client.connect();
      try {
        await client.query(`DROP DATABASE IF EXISTS ${client.escapeIdentifier(database)} WITH (FORCE)`);
      } finally {
        await client.end();
      }
    }
  }

  const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-bench-'));
  try {
    await chmod(dataDir, 0o755); // the postgres user must reach it when we run as root
    const postgres = await startEmbeddedPostgres({ dataDir, logger: pino({ level: 'warn' }) });
    try {
      await ensureDatabase(postgres.url('postgres'), 'bench');
      return await fn(postgres.url('bench'));
    } finally {
      await postgres.stop();
    }
  } finally {
    await rm(dataDir, { recursive: true, force: true });
  }
}
