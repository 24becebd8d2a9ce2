/** Closed-loop load: `workers` concurrent loops, each calling `op` back to back until time is up. */
export interface LoadResult {
  /** Operations that resolved. */
  ok: number;
  /** From the start until the last in-flight operation settled. */
  elapsedMs: number;
}

export async function runLoad(workers: number, durationMs: number, op: () => Promise<unknown>): Promise<LoadResult> {
  const started = performance.now();
  const deadline = started + durationMs;
  let ok = 0;
  const errors: unknown[] = [];
  await Promise.all(
    Array.from({ length: workers }, async () => {
      while (performance.now() < deadline && errors.length === 0) {
        try {
          await op();
          ok += 1;
        } catch (error) {
          errors.push(error);
        }
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  // Any failure stops the load: a benchmark whose operations fail measures nothing useful.
  if (errors.length > 0) throw new Error(`${errors.length} operation(s) failed after ${ok} succeeded`, { cause: errors[0] });
  return { ok, elapsedMs };
}

/** Interleaves baseline and candidate rounds (baseline first) so warm-up and table growth hit both alike. */
export async function alternate(
  rounds: number,
  variants: { baseline: () => Promise<LoadResult>; candidate: () => Promise<LoadResult> },
  onRound: (variant: 'baseline' | 'candidate', round: number, result: LoadResult) => void,
): Promise<{ baseline: LoadResult; candidate: LoadResult }> {
  const total = { baseline: { ok: 0, elapsedMs: 0 }, candidate: { ok: 0, elapsedMs: 0 } };
  for (let round = 1; round <= rounds; round++) {
    for (const variant of ['baseline', 'candidate'] as const) {
      const result = await variants[variant]();
      total[variant].ok += result.ok;
      total[variant].elapsedMs += result.elapsedMs;
      onRound(variant, round, result);
    }
  }
  return total;
}

export const perSecond = (result: LoadResult) => (result.ok * 1000) / result.elapsedMs;
