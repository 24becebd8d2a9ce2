/** The race bench's credit check (bench/race.bench.ts), pure so that a test can show it catches what it should. */

/** An organization's credit and bookings, as the ledger check reads them. */
export interface Balance {
  available: number;
  reserved: number;
  bookings: number;
  reserves: number;
  unbalancedLots: number;
}

/** What is wrong with the balances after a round: a winner moved one unit to reserved, a loser nothing. */
export function creditCheck(organizationIds: string[], before: Map<string, Balance>, after: Map<string, Balance>, winners: Set<string>): string[] {
  const problems: string[] = [];
  for (const id of organizationIds) {
    const was = before.get(id);
    const now = after.get(id);
    if (!was || !now) {
      problems.push(`organization ${id} missing`);
      continue;
    }
    const won = winners.has(id) ? 1 : 0;
    if (now.available !== was.available - won || now.reserved !== was.reserved + won || now.bookings !== was.bookings + won) {
      problems.push(`${id} (${won ? 'winner' : 'loser'}): available ${was.available} → ${now.available}, reserved ${was.reserved} → ${now.reserved}, bookings ${was.bookings} → ${now.bookings}`);
    }
    if (now.reserved !== now.bookings || now.reserves !== now.bookings) problems.push(`${id}: ${now.reserved} reserved units, ${now.reserves} RESERVE units for ${now.bookings} bookings`);
    if (now.unbalancedLots !== 0) problems.push(`${id}: ${now.unbalancedLots} lot(s) do not add up`);
  }
  return problems;
}
