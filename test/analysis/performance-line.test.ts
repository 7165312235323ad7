/**
 * The performance line against the textbook closed form (slope = (nΣxy − ΣxΣy) / (nΣx² − (Σx)²),
 * intercept = (Σy − slope Σx) / n, r = (nΣxy − ΣxΣy) / √((nΣx² − (Σx)²)(nΣy² − (Σy)²))), and CUSUM.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { cusum, fitPerformanceLine, PerformanceLineError } from '../../server/analysis/performance-line';

function closeTo(actual: number | null, expected: number, message?: string): void {
  assert.ok(actual !== null && Math.abs(actual - expected) < 1e-9 * Math.max(1, Math.abs(expected)), `${message ?? ''} ${actual} ≠ ${expected}`);
}

describe('performance line', () => {
  it('equals the closed-form least-squares fit and its r²', () => {
    const x = [320, 280, 250, 190, 120, 60, 30, 40, 90, 170, 260, 310];
    const y = [41200, 37100, 33900, 27800, 20500, 14900, 12100, 13300, 17600, 25400, 34800, 40100];
    const n = x.length;
    const sx = x.reduce((a, b) => a + b);
    const sy = y.reduce((a, b) => a + b);
    const sxy = x.reduce((a, xi, i) => a + xi * y[i], 0);
    const sxx = x.reduce((a, xi) => a + xi * xi, 0);
    const syy = y.reduce((a, yi) => a + yi * yi, 0);
    const slope = (n * sxy - sx * sy) / (n * sxx - sx * sx);
    const intercept = (sy - slope * sx) / n;
    const r = (n * sxy - sx * sy) / Math.sqrt((n * sxx - sx * sx) * (n * syy - sy * sy));
    const line = fitPerformanceLine(x, y);
    closeTo(line.slope, slope, 'slope');
    closeTo(line.intercept, intercept, 'intercept');
    closeTo(line.r2, r * r, 'r²');
    assert.equal(line.points, 12);
  });

  it('is exact on points on a line (r² = 1) and refuses a baseline without spread', () => {
    const line = fitPerformanceLine([0, 10, 20], [100, 150, 200]);
    assert.deepEqual([line.intercept, line.slope, line.r2], [100, 5, 1]);
    assert.throws(() => fitPerformanceLine([5, 5, 5], [1, 2, 3]), PerformanceLineError);
    assert.throws(() => fitPerformanceLine([5], [1]), PerformanceLineError);
  });

  it('CUSUM is the running sum of actual − expected, and turns where consumption rises above the line', () => {
    const line = { intercept: 100, slope: 5, r2: 1, points: 3 };
    const rows = [
      { startMs: 0, consumption: 150, degreeDays: 10 },
      { startMs: 1, consumption: 148, degreeDays: 10 },
      { startMs: 2, consumption: null, degreeDays: 10 },
      { startMs: 3, consumption: 170, degreeDays: 10 },
      { startMs: 4, consumption: 120, degreeDays: null },
    ];
    const result = cusum(line, rows);
    assert.deepEqual(
      result.map((r) => [r.expected, r.difference, r.cusum]),
      [
        [150, 0, 0],
        [150, -2, -2],
        [150, null, -2],
        [150, 20, 18],
        [null, null, 18],
      ],
    );
  });
});
