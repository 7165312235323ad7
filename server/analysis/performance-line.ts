/**
 * Monitoring and targeting: the performance line and CUSUM. Over a baseline, ordinary least
 * squares of consumption against degree days per interval (consumption = intercept + slope × dd);
 * for a later period, the consumption the line expects, the difference (actual − expected) and
 * its running sum, the CUSUM. A CUSUM that turns upward shows when waste began; downward, savings.
 */

export interface PerformanceLine {
  intercept: number;
  slope: number;
  /** Coefficient of determination over the baseline; null when consumption does not vary. */
  r2: number | null;
  /** Baseline intervals the line was fitted to. */
  points: number;
}

export class PerformanceLineError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'PerformanceLineError';
  }
}

/** Least-squares line through (x, y); needs two points with different x. */
export function fitPerformanceLine(x: readonly number[], y: readonly number[]): PerformanceLine {
  const n = x.length;
  if (n !== y.length) throw new Error('fitPerformanceLine: x and y differ in length');
  if (n < 2) throw new PerformanceLineError(`the baseline holds ${n} usable interval${n === 1 ? '' : 's'}; a line needs at least two`);
  const meanX = x.reduce((a, b) => a + b, 0) / n;
  const meanY = y.reduce((a, b) => a + b, 0) / n;
  let sxx = 0;
  let sxy = 0;
  let syy = 0;
  for (let i = 0; i < n; i++) {
    const dx = x[i] - meanX;
    const dy = y[i] - meanY;
    sxx += dx * dx;
    sxy += dx * dy;
    syy += dy * dy;
  }
  if (sxx === 0) throw new PerformanceLineError('every baseline interval has the same degree days, so no line can be fitted; choose a baseline across seasons');
  const slope = sxy / sxx;
  const intercept = meanY - slope * meanX;
  let sse = 0;
  for (let i = 0; i < n; i++) sse += (y[i] - (intercept + slope * x[i])) ** 2;
  return { intercept: clean(intercept), slope: clean(slope), r2: syy === 0 ? null : clean(1 - sse / syy), points: n };
}

export interface CusumInput {
  startMs: number;
  consumption: number | null;
  degreeDays: number | null;
}

export interface CusumRow extends CusumInput {
  expected: number | null;
  difference: number | null;
  /** Running sum of differences so far; an interval without data adds nothing. */
  cusum: number;
}

export function cusum(line: PerformanceLine, rows: readonly CusumInput[]): CusumRow[] {
  let running = 0;
  return rows.map((row) => {
    const expected = row.degreeDays === null ? null : clean(line.intercept + line.slope * row.degreeDays);
    const difference = expected === null || row.consumption === null ? null : clean(row.consumption - expected);
    if (difference !== null) running += difference;
    return { ...row, expected, difference, cusum: clean(running) };
  });
}

function clean(value: number): number {
  return Number(value.toPrecision(12));
}
