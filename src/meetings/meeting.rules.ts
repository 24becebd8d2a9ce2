/** Retries: 1 min after the first failure, doubling, at most 1 h apart; FAILED after MAX_ATTEMPTS calls. */
export const MAX_ATTEMPTS = 8;
const FIRST_RETRY_MS = 60_000;
const LONGEST_RETRY_MS = 60 * 60_000;

/** When to call again after `attempts` failed calls (attempts ≥ 1); null: give up (FAILED). */
export function nextAttemptAt(attempts: number, now: Date, maxAttempts = MAX_ATTEMPTS): Date | null {
  if (attempts >= maxAttempts) return null;
  const delay = Math.min(FIRST_RETRY_MS * 2 ** Math.max(0, attempts - 1), LONGEST_RETRY_MS);
  return new Date(now.getTime() + delay);
}
