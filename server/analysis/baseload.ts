/**
 * Baseload: the demand that is always there. Taken as the nearest-rank 10th percentile of an
 * interval's half-hourly demands, which is steadier than the night minimum (one quiet half-hour
 * or one missing reading does not set it).
 */

/** The share of half-hours at or below the baseload. */
export const BASELOAD_PERCENTILE = 10;

/** Hours in a half-hour: kWh in a half-hour × 2 = mean kW over it. */
export const HALF_HOURS_PER_HOUR = 2;

/**
 * Nearest-rank percentile: the smallest value with at least `p` % of the values at or below it,
 * i.e. the value of rank ⌈p/100 × n⌉ (1-based) in ascending order. Always one of the values,
 * never an interpolation. `null` for no values.
 */
export function nearestRankPercentile(values: readonly number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  const rank = Math.max(1, Math.ceil((p / 100) * sorted.length));
  return sorted[rank - 1];
}

/** Baseload in kW from the kWh of each half-hour of an interval (non-finite ones already left out). */
export function baseloadKw(halfHourKwh: readonly number[]): number | null {
  const kwh = nearestRankPercentile(halfHourKwh, BASELOAD_PERCENTILE);
  return kwh === null ? null : kwh * HALF_HOURS_PER_HOUR;
}
