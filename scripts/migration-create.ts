/**
 * npm run migration:create -- [name] [--blank]
 *
 * Diffs the entities against a throwaway database that has every existing migration applied,
 * and writes the difference as a new migration in migrations/. Review it before committing;
 * migrations are never edited once landed.
 */
import 'reflect-metadata';
import { chmod, mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { connectOrm, migrate } from '../src/platform/db.js';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres.js';

const args = process.argv.slice(2);
const blank = args.includes('--blank');
const name = args.find((a) => !a.startsWith('--'));

const logger = pino({ level: 'warn' });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-migration-'));
await chmod(dataDir, 0o755); // the postgres user must reach it when we run as root
const postgres = await startEmbeddedPostgres({ dataDir, logger });
try {
  await ensureDatabase(postgres.url('postgres'), 'scratch');
  const orm = await connectOrm(postgres.url('scratch'));
  try {
    await migrate(orm);
    const result = await orm.migrator.create(undefined, blank, false, name);
    if (!result.fileName) {
      console.log('No changes: the entities match the migrations.');
    } else {
      console.log(`Created migrations/${result.fileName}`);
      for (const statement of result.diff.up) console.log(`  ${statement}`);
    }
  } finally {
    await orm.close(true);
  }
} finally {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
