/**
 * npm run migration:create -- [name] [--blank]
 *
 * Diffs the entities against a throwaway database that has every existing migration applied,
 * and writes the difference as a new migration in migrations/. Review it before committing;
 * migrations are never edited once landed.
 */
import 'reflect-metadata';
import { chmod, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pino } from 'pino';
import { ENTITIES } from '../src/modules.js';
import { connectOrm, migrate } from '../src/platform/db.js';
import { ensureDatabase, startEmbeddedPostgres } from '../src/platform/embedded-postgres.js';

/**
 * Constraints written by hand in migrations because MikroORM cannot declare them (an exclusion
 * constraint; a CHECK whose normalized text it misreads): the diff would drop them every time.
 */
const HAND_WRITTEN_CONSTRAINTS = ['consultation_no_overlap', 'consultation_times_check'];

const args = process.argv.slice(2);
const blank = args.includes('--blank');
const name = args.find((a) => !a.startsWith('--'));

const logger = pino({ level: 'warn' });
const dataDir = await mkdtemp(path.join(os.tmpdir(), 'serenity-migration-'));
await chmod(dataDir, 0o755); // the postgres user must reach it when we run as root
const postgres = await startEmbeddedPostgres({ dataDir, logger });
try {
  await ensureDatabase(postgres.url('postgres'), 'scratch');
  const orm = await connectOrm(postgres.url('scratch'), ENTITIES);
  try {
    await migrate(orm);
    const result = await orm.migrator.create(undefined, blank, false, name);
    const up = result.diff.up.filter((statement) => !HAND_WRITTEN_CONSTRAINTS.some((name) => statement.includes(`"${name}"`)));
    if (result.fileName && !blank) {
      const file = path.join('migrations', result.fileName);
      const kept = (await readFile(file, 'utf8'))
        .split('\n')
        .filter((line) => !HAND_WRITTEN_CONSTRAINTS.some((name) => line.includes(`"${name}"`)))
        .join('\n');
      if (up.every((statement) => statement.trim() === '')) await rm(file);
      else await writeFile(file, kept);
    }
    if (!result.fileName || (!blank && up.every((statement) => statement.trim() === ''))) {
      console.log('No changes: the entities match the migrations.');
    } else {
      console.log(`Created migrations/${result.fileName}`);
      for (const statement of up) console.log(`  ${statement}`);
    }
  } finally {
    await orm.close(true);
  }
} finally {
  await postgres.stop();
  await rm(dataDir, { recursive: true, force: true });
}
