/**
 * Degree days from an outside air temperature source. Method: for each local day, the mean of
 * its half-hourly temperatures (the "mean of half-hourly readings" method); heating degree days
 * = max(0, base − mean), cooling degree days = max(0, mean − base); an interval's degree days are
 * the sum over its days. The UK convention is a base of 15.5 °C.
 */

export const DEFAULT_BASE_TEMPERATURE = 15.5;

export type DegreeDayKind = 'heating' | 'cooling';

/** One day's degree days from its mean temperature (°C). */
export function dayDegreeDays(meanTemperature: number, baseTemperature: number, kind: DegreeDayKind): number {
  return Math.max(0, kind === 'heating' ? baseTemperature - meanTemperature : meanTemperature - baseTemperature);
}

/** A day's mean temperature (`null`: no reading that day) and where it starts. */
export interface DayTemperature {
  startMs: number;
  mean: number | null;
}

/**
 * Degree days per interval: each day's degree days added to the interval its start falls in.
 * `boundaries` are the `n + 1` interval starts; the result has `n` sums and, per interval, how
 * many of its days had no temperature at all (their degree days are unknown, not zero).
 */
export function degreeDaysPerInterval(
  days: readonly DayTemperature[],
  boundaries: ArrayLike<number>,
  baseTemperature: number,
  kind: DegreeDayKind,
): { degreeDays: number[]; daysWithoutTemperature: number[] } {
  const n = boundaries.length - 1;
  const degreeDays = new Array<number>(n).fill(0);
  const daysWithoutTemperature = new Array<number>(n).fill(0);
  let index = 0;
  for (const day of days) {
    while (index < n && day.startMs >= boundaries[index + 1]) index++;
    if (index >= n) break;
    if (day.startMs < boundaries[index]) continue;
    if (day.mean === null) daysWithoutTemperature[index]++;
    else degreeDays[index] += dayDegreeDays(day.mean, baseTemperature, kind);
  }
  return { degreeDays: degreeDays.map((d) => Number(d.toPrecision(12))), daysWithoutTemperature };
}
