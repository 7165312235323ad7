/**
 * Reading values are held as integers in "scaled units" (value × 10^decimals), so that totals
 * and period values stay exactly consistent and the stream can write digits without
 * floating-point formatting (see json-bytes.ts).
 */
export class Scaling {
  readonly factor: number;

  constructor(readonly decimals: number) {
    this.factor = 10 ** decimals;
  }

  /** Rounds a plain value to scaled units; NaN and infinities pass through. */
  scale(value: number): number {
    return Number.isFinite(value) ? Math.round(value * this.factor) : value;
  }
}
