/**
 * The pane's monitoring-and-targeting tables, as rows of cells (DOM- and Excel-free, so they are
 * unit-tested): a typical day (48 local half-hours, weekday and weekend demand side by side) and
 * a CUSUM report (the baseline's intervals, then the report period's). The Excel side
 * (excel/analysis-charts.ts) writes them and charts them; the column positions it charts are here.
 */
import type { CusumJson, TypicalDayJson } from '../../server/api/types';
import { wallClockSerial, type DateSystem } from '../excel/dates';

export type AnalysisCell = string | number;

export interface AnalysisTable {
  title: string;
  headers: string[];
  rows: AnalysisCell[][];
  /** Number formats per column ('' for Excel's General). */
  formats: string[];
}

/** Weekday and weekend mean demand per half-hour: Time, Weekday, Weekend, then how many half-hours each mean is over. */
export function typicalDayTable(json: TypicalDayJson): AnalysisTable {
  const demand = (value: number | null): AnalysisCell => value ?? '';
  return {
    title: `Typical day: ${json.id} ${json.name}, mean demand (${json.unit}) per half-hour, ${json.timeZone}`,
    headers: ['Time', `Weekday (${json.unit})`, `Weekend (${json.unit})`, 'Weekday half-hours', 'Weekend half-hours'],
    rows: json.weekday.map((slot, i) => [slot.time, demand(slot.demandKw), demand(json.weekend[i].demandKw), slot.samples, json.weekend[i].samples]),
    formats: ['@', '0.00', '0.00', '0', '0'],
  };
}

/** Columns of the CUSUM table, zero-based: what its charts plot. */
export const CUSUM_COLUMNS = { period: 0, start: 1, degreeDays: 2, consumption: 3, expected: 4, difference: 5, cusum: 6 } as const;

/** The CUSUM report: one row per interval, the baseline's first; blank where a figure is unknown. */
export function cusumReportTable(json: CusumJson, system: DateSystem): AnalysisTable & { baselineRows: number } {
  const unit = json.source.unit;
  const blank = (value: number | null): AnalysisCell => value ?? '';
  const { intercept, slope, r2 } = json.model;
  return {
    title:
      `CUSUM: ${json.source.id} ${json.source.name} against ${json.degreeDays} degree days (base ${json.baseTemperature} °C) of ${json.temperature.id}; ` +
      `expected = ${intercept} + ${slope} × degree days, r² ${r2 ?? 'unknown'}`,
    headers: ['Period', `Start (${json.timeZone})`, 'Degree days', `Consumption (${unit})`, `Expected (${unit})`, `Difference (${unit})`, `CUSUM (${unit})`],
    rows: json.intervals.map((row) => [
      row.period,
      wallClockSerial(row.start, system),
      blank(row.degreeDays),
      blank(row.consumption),
      blank(row.expected),
      blank(row.difference),
      row.cusum,
    ]),
    formats: ['@', 'yyyy-mm-dd', '0.0', '0', '0', '0', '0'],
    baselineRows: json.intervals.filter((row) => row.period === 'baseline').length,
  };
}
