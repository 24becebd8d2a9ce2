import type { EntityManager } from '@mikro-orm/postgresql';
import { lotsLock } from '../../src/credits/lot.sql.js';

export interface HeldLots {
  /** Resolves once another session waits for a lock this transaction holds. */
  waitedFor(): Promise<void>;
  /** Commits the holding transaction. */
  release(): Promise<void>;
}

/**
 * Holds an organization's lots locked, as another transaction of the organization does until it
 * commits (its booking with another consultant, a cancellation, a reschedule): the very lock a
 * reservation takes (lot.sql.ts's lotsLock). `em`: any EntityManager of the app's
 * database (a fork is taken); nothing is written.
 */
export async function holdLots(em: EntityManager, organizationId: string): Promise<HeldLots> {
  let letGo!: () => void;
  const gate = new Promise<void>((resolve) => (letGo = resolve));
  let locked!: (pid: number) => void;
  const held = new Promise<number>((resolve) => (locked = resolve));
  const done = em.fork().transactional(async (tx) => {
    const lock = lotsLock(organizationId);
    const [row] = await tx.getConnection().execute<Array<{ pid: number }>>(`SELECT ${lock.text} AS locked, pg_backend_pid() AS pid`, [...lock.params], 'all', tx.getTransactionContext());
    locked(row!.pid);
    await gate;
  });
  const pid = await Promise.race([held, done.then(() => Promise.reject(new Error('the holding transaction ended early')))]);
  const release = async () => {
    letGo();
    await done;
  };
  return {
    release,
    async waitedFor() {
      // Generous: on a loaded machine the request may take a while to reach the lock.
      for (const deadline = Date.now() + 15_000; Date.now() < deadline; ) {
        const [row] = await em.getConnection().execute<Array<{ waiting: number }>>('SELECT count(*)::int AS waiting FROM pg_stat_activity WHERE ? = ANY(pg_blocking_pids(pid))', [pid]);
        if (row!.waiting > 0) return;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await release();
      throw new Error('nothing waited for the held lots');
    },
  };
}
