/**
 * Reproducible randomness for tests that pick moments and choices: the same seed gives the same
 * sequence, so a failing run is replayed from its printed seed. pure-rand (fast-check's own
 * generators) rather than a hand-written one.
 */
import { uniformFloat64 } from 'pure-rand/distribution/uniformFloat64';
import { mersenne } from 'pure-rand/generator/mersenne';

/** A Math.random-like function over [0, 1), seeded. */
export function seededRandom(seed: number): () => number {
  const generator = mersenne(seed);
  return () => uniformFloat64(generator);
}
