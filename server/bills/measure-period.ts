/**
 * What a billing period's half-hours add up to, for a bill: units per unit rate (each half-hour
 * in the first rate whose times hold its local start), peak kW and kVA with their times, reactive
 * energy beyond the allowance, and the counts that say how far to trust them. Pure arithmetic
 * over series already pulled (series.ts); no I/O.
 */
import { HALF_HOUR_MS } from '../time/wall-calendar';
import { bandMatcher, type BandMatcher } from '../time/bands';
import type { BillRequest } from './request';
import type { HalfHourSeries } from './series';

export interface PeriodMeasures {
  /** Units per unit rate, in the import register's unit (m³ of gas before conversion). */
  units: number[];
  unbanded: { periods: number; quantity: number };
  /** Σ of every usable half-hour of the import register. */
  total: number;
  periods: number;
  missing: number;
  estimated: number;
  resets: number;
  perSource: Map<string, { missing: number; estimated: number; resets: number }>;
  maxKw: { value: number; atMs: number } | null;
  maxKva: { value: number; atMs: number } | null;
  /** Σ kWh and Σ kVArh over half-hours where both are usable (power factor). */
  pairedKwh: number;
  pairedKvarh: number;
  kvarh: number;
  excessKvarh: number;
}

/** Index of `ms` in a series (whole half-hours from its start). */
function indexIn(series: HalfHourSeries, ms: number): number {
  return Math.round((ms - series.startMs) / HALF_HOUR_MS);
}

export function measurePeriod(request: BillRequest, active: HalfHourSeries, reactive: HalfHourSeries | undefined): PeriodMeasures {
  const { period, tariff } = request;
  const matchers: BandMatcher[] = tariff.units.map((u) => bandMatcher(u.band, period.timeZone));
  const allowance = tariff.reactive?.allowance ?? 0.33;
  const m = emptyMeasures(tariff.units.length);
  const first = Math.ceil(period.startMs / HALF_HOUR_MS) * HALF_HOUR_MS;
  const from = indexIn(active, first);
  const count = Math.round((Math.ceil(period.endMs / HALF_HOUR_MS) * HALF_HOUR_MS - first) / HALF_HOUR_MS);
  const reactiveFrom = reactive ? indexIn(reactive, first) : 0;
  m.periods = count;
  for (let n = 0; n < count; n++) {
    const t = first + n * HALF_HOUR_MS;
    const p = active.values[from + n];
    const q = reactive ? reactive.values[reactiveFrom + n] : NaN;
    countQuality(m, active, from + n, reactive, reactiveFrom + n);
    if (Number.isNaN(p)) continue;
    m.total += p;
    const band = matchers.findIndex((inBand) => inBand(t));
    if (band < 0) {
      m.unbanded.periods++;
      m.unbanded.quantity += p;
    } else m.units[band] += p;
    if (m.maxKw === null || 2 * p > m.maxKw.value) m.maxKw = { value: 2 * p, atMs: t };
    if (Number.isNaN(q)) continue;
    m.pairedKwh += p;
    m.pairedKvarh += q;
    m.kvarh += q;
    m.excessKvarh += Math.max(0, q - allowance * p);
    const kva = 2 * Math.hypot(p, q);
    if (m.maxKva === null || kva > m.maxKva.value) m.maxKva = { value: kva, atMs: t };
  }
  return m;
}

function emptyMeasures(rates: number): PeriodMeasures {
  return {
    units: new Array<number>(rates).fill(0),
    unbanded: { periods: 0, quantity: 0 },
    total: 0,
    periods: 0,
    missing: 0,
    estimated: 0,
    resets: 0,
    perSource: new Map(),
    maxKw: null,
    maxKva: null,
    pairedKwh: 0,
    pairedKvarh: 0,
    kvarh: 0,
    excessKvarh: 0,
  };
}

/** A half-hour counts as missing (or estimated) once, whichever register lacks it. */
function countQuality(m: PeriodMeasures, active: HalfHourSeries, i: number, reactive: HalfHourSeries | undefined, j: number): void {
  const missing = Number.isNaN(active.values[i]) || (reactive !== undefined && Number.isNaN(reactive.values[j]));
  const estimated = active.estimated[i] === 1 || (reactive !== undefined && reactive.estimated[j] === 1);
  const reset = active.resets[i] === 1 || (reactive !== undefined && reactive.resets[j] === 1);
  if (missing) m.missing++;
  if (estimated) m.estimated++;
  if (reset) m.resets++;
  tallySource(m, active, i);
  if (reactive) tallySource(m, reactive, j);
}

function tallySource(m: PeriodMeasures, series: HalfHourSeries, i: number): void {
  let counts = m.perSource.get(series.id);
  if (counts === undefined) {
    counts = { missing: 0, estimated: 0, resets: 0 };
    m.perSource.set(series.id, counts);
  }
  if (Number.isNaN(series.values[i])) counts.missing++;
  if (series.estimated[i] === 1) counts.estimated++;
  if (series.resets[i] === 1) counts.resets++;
}
