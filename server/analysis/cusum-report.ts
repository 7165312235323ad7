/**
 * The performance line and CUSUM of a consumption source against an outside air temperature
 * source, from DCS's half-hours: one pull of each source over the whole span (baseline and report
 * period together), consumption per interval, the temperature's daily means turned into degree
 * days and summed per interval; then performance-line.ts. No HTTP here.
 */
import type { IntervalType } from '../api/types';
import { badParameter } from '../request-errors';
import type { DcsHandle } from '../session-handle';
import {
  intervalBoundaries,
  resolveSources,
  streamSourceIntervals,
  type IntervalFigures,
  type IntervalsRequest,
  type StreamIntervalsOptions,
} from '../intervals';
import type { CatalogueSource } from '../catalogue';
import { degreeDaysPerInterval, type DegreeDayKind } from './degree-days';
import { cusum, fitPerformanceLine, PerformanceLineError, type CusumRow, type PerformanceLine } from './performance-line';

/** Intervals a performance line is drawn over: whole days or longer (degree days are per day). */
export const CUSUM_INTERVALS: readonly IntervalType[] = ['day', 'week', 'month'];

export interface CusumRequest {
  id: string;
  temperatureId: string;
  baseline: { startMs: number; endMs: number };
  report: { startMs: number; endMs: number };
  interval: IntervalType;
  timeZone: string;
  baseTemperature: number;
  kind: DegreeDayKind;
}

export interface CusumReportRow extends CusumRow {
  endMs: number;
  period: 'baseline' | 'report';
  /** Days of the interval without any temperature reading (its degree days are then unknown). */
  daysWithoutTemperature: number;
  /** Half-hours of consumption DCS estimated or did not send. */
  interpolated: number;
  missing: number;
}

export interface CusumReport {
  source: CatalogueSource;
  temperature: CatalogueSource;
  model: PerformanceLine;
  rows: CusumReportRow[];
}

/** Everything of one source, in time order. */
async function collect(handle: DcsHandle, source: CatalogueSource, request: IntervalsRequest, options: StreamIntervalsOptions): Promise<IntervalFigures[]> {
  const figures: IntervalFigures[] = [];
  for await (const event of streamSourceIntervals(handle, [source], request, options)) if (event.type === 'intervals') figures.push(...event.intervals);
  return figures;
}

export async function cusumReport(handle: DcsHandle, request: CusumRequest, options: StreamIntervalsOptions = {}): Promise<CusumReport> {
  const [report] = await cusumReports(handle, [request.id], request, options);
  return report;
}

/**
 * The reports of several consuming sources against one temperature source: the temperature is
 * pulled once for them all, each source once over the whole span. In the order of `ids`.
 */
export async function cusumReports(
  handle: DcsHandle,
  ids: string[],
  request: Omit<CusumRequest, 'id'>,
  options: StreamIntervalsOptions = {},
): Promise<CusumReport[]> {
  const [temperature, ...sources] = await resolveSources(handle, [request.temperatureId, ...ids]);
  if (!temperature.isInstantaneous) {
    throw badParameter(
      'temperature',
      `${temperature.id} (${temperature.name}) is not a temperature; give an instantaneous register of outside air temperature in °C`,
    );
  }
  for (const source of sources) {
    if (source.isInstantaneous)
      throw badParameter(
        'id',
        `${source.id} (${source.name}) is instantaneous (${source.unit}); give a register or virtual meter that consumes, e.g. gas in kWh`,
      );
  }
  const startMs = Math.min(request.baseline.startMs, request.report.startMs);
  const endMs = Math.max(request.baseline.endMs, request.report.endMs);
  const span = { ids: [], startMs, endMs, timeZone: request.timeZone };
  const boundaries = intervalBoundaries(startMs, endMs, request.interval, request.timeZone);
  const days = await collect(handle, temperature, { ...span, interval: 'day', calcs: ['mean'] }, options);
  const weather = degreeDaysPerInterval(
    days.map((d) => ({ startMs: d.startMs, mean: d.mean })),
    boundaries,
    request.baseTemperature,
    request.kind,
  );
  const reports: CusumReport[] = [];
  for (const source of sources) {
    const consumption = await collect(handle, source, { ...span, interval: request.interval, calcs: ['consumption'] }, { ...options, boundaries });
    reports.push({ source, temperature, ...performanceAgainst(source, consumption, weather, request) });
  }
  return reports;
}

/** The line over the baseline and the rows of both periods, from one source's intervals and the degree days of each. */
function performanceAgainst(
  source: CatalogueSource,
  consumption: IntervalFigures[],
  weather: { degreeDays: number[]; daysWithoutTemperature: number[] },
  request: Omit<CusumRequest, 'id'>,
): { model: PerformanceLine; rows: CusumReportRow[] } {
  const { degreeDays, daysWithoutTemperature } = weather;
  const inputs = consumption.map((figures, i) => ({
    startMs: figures.startMs,
    consumption: figures.consumption,
    degreeDays: daysWithoutTemperature[i] > 0 ? null : degreeDays[i],
  }));
  const within = (p: { startMs: number; endMs: number }) => (i: number) => consumption[i].startMs >= p.startMs && consumption[i].endMs <= p.endMs;
  const indices = consumption.map((_, i) => i);
  const baseline = indices.filter(within(request.baseline)).filter((i) => inputs[i].consumption !== null && inputs[i].degreeDays !== null);
  const model = fitOrRefuse(
    source,
    baseline.map((i) => inputs[i].degreeDays as number),
    baseline.map((i) => inputs[i].consumption as number),
  );
  const rows: CusumReportRow[] = [];
  for (const period of ['baseline', 'report'] as const) {
    const chosen = indices.filter(within(request[period]));
    // The running sum restarts with each period: over the baseline it ends near zero by construction.
    cusum(
      model,
      chosen.map((i) => inputs[i]),
    ).forEach((row, n) => {
      const figures = consumption[chosen[n]];
      rows.push({
        ...row,
        endMs: figures.endMs,
        period,
        daysWithoutTemperature: daysWithoutTemperature[chosen[n]],
        interpolated: figures.interpolated,
        missing: figures.missing,
      });
    });
  }
  return { model, rows };
}

function fitOrRefuse(source: CatalogueSource, x: number[], y: number[]): PerformanceLine {
  try {
    return fitPerformanceLine(x, y);
  } catch (error) {
    if (error instanceof PerformanceLineError)
      throw badParameter('baselineStart', `${source.id} (${source.name}): ${error.message}; choose a longer baseline (a year is usual)`);
    throw error;
  }
}
