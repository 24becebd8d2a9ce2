/**
 * Revenue rules (pure): what a consumed credit is worth and how it splits between the platform
 * (15 %) and the consultant. Integer minor units throughout (I10); rounding favours neither
 * side systematically (half away from zero on the platform's share, the rest to the consultant,
 * so the two always add up to the value).
 */

/** The platform's share in basis points (15 %). */
export const PLATFORM_FEE_BASIS_POINTS = 1500;

export function splitRevenue(value: number): { platformFee: number; consultantEarnings: number } {
  if (!Number.isSafeInteger(value) || value < 0) throw new RangeError(`value must be a whole, non-negative number of minor units, got ${value}`);
  const platformFee = Math.round((value * PLATFORM_FEE_BASIS_POINTS) / 10_000);
  return { platformFee, consultantEarnings: value - platformFee };
}

/**
 * The value of `units` of a lot bought for `price` minor units that granted `lotUnits` units
 * (sessions, or minutes for TIME lots): the price per unit times the units, rounded.
 */
export function creditValue(price: number, lotUnits: number, units: number): number {
  if (!Number.isSafeInteger(price) || price < 0) throw new RangeError(`price must be whole minor units, got ${price}`);
  if (!Number.isSafeInteger(lotUnits) || lotUnits <= 0) throw new RangeError(`lotUnits must be positive, got ${lotUnits}`);
  if (!Number.isSafeInteger(units) || units < 0 || units > lotUnits) throw new RangeError(`units must be 0..${lotUnits}, got ${units}`);
  return Math.round((price * units) / lotUnits);
}
