import type { EntityManager } from '@mikro-orm/postgresql';
import { CreditLotKind } from '../catalog/package.entity.js';
import type { CreditBalance } from '../platform/events.js';
import { query } from '../platform/sql.js';
import { availableBalance } from './lot.sql.js';

/** What the lots leave free to book with at `at`: unexpired lots only (summary.ts counts the same way). */
export function balanceOf(lots: ReadonlyArray<{ kind: CreditLotKind; available: number; expiresAt: Date }>, at: Date): CreditBalance {
  const balance: CreditBalance = { sessions: 0, minutes: 0 };
  for (const lot of lots) {
    if (lot.available <= 0 || lot.expiresAt.getTime() <= at.getTime()) continue;
    if (lot.kind === CreditLotKind.TIME) balance.minutes += lot.available;
    else balance.sessions += lot.available;
  }
  return balance;
}

/** The organization's balance at `at`, as committed (or written earlier in this transaction): one read. */
export async function readBalance(em: EntityManager, organizationId: string, at: Date): Promise<CreditBalance> {
  const [row] = await query<{ sessions: number; minutes: number }>(em, availableBalance(organizationId, at));
  return { sessions: row?.sessions ?? 0, minutes: row?.minutes ?? 0 };
}
