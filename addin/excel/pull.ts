import { describeRange, estimatePeriods, type ResolvedRange } from '../query/presets';
import { INTERVAL_LABELS, toReadingsRequest, type TableQuery } from '../query/table-query';
import type { ReadingsRequest } from '../api/client';
import { tableTitle } from './cells';
import { CancelledError, RowLimitError, messageOf } from './errors';
import { ROWS_ABOVE_DATA, SHEET_ROWS } from './limits';
import type { PullProgress, ReadingsSource, StagedReadings } from './stage-readings';

/** What a pull needs from outside Excel (injected, so the logic runs in tests as in the pane). */
export interface PullDeps {
  readings: ReadingsSource;
  /** The clock relative ranges resolve against. */
  now: () => Date;
  signal?: AbortSignal;
  maxBlockBytes?: number;
  onProgress?: (progress: PullProgress) => void;
}

export interface TableResult {
  table: string;
  sourceIds: string[];
  rows: number;
}

export interface TableFailure {
  /** The table's name, or the sources' ids when no table was made. */
  label: string;
  message: string;
}

/** A query resolved at one instant: the server request plus what the title says about it. */
export interface PlannedPull {
  query: TableQuery;
  request: ReadingsRequest;
  resolved: ResolvedRange;
  estimatedRows: number;
}

/** Resolves a query's range now and estimates its rows; throws when the range is empty. */
export function planPull(query: TableQuery, now: Date): PlannedPull {
  const { request, resolved } = toReadingsRequest(query, now);
  const periods = estimatePeriods(resolved, query.options.periodType);
  if (periods === 0) {
    throw new Error(
      `The range ${describeRange(query.range, resolved)} holds no whole ${INTERVAL_LABELS[query.options.periodType]} reading. Choose a longer range or a shorter Interval.`,
    );
  }
  return { query, request, resolved, estimatedRows: periods * query.sourceIds.length };
}

/** Data rows that fit in a sheet below a table whose title line is at `anchorRow`. */
export function rowsAvailableBelow(anchorRow: number): number {
  return SHEET_ROWS - anchorRow - ROWS_ABOVE_DATA;
}

/** Refuses, before anything is requested or written, a pull that clearly cannot fit. */
export function checkFits(plan: PlannedPull, available: number): void {
  if (plan.estimatedRows > available) throw new RowLimitError(plan.estimatedRows, available);
}

/** The line written above a pulled table. */
export function titleFor(plan: PlannedPull, staged: StagedReadings): string {
  const o = plan.query.options;
  return tableTitle({
    sources: staged.sources.length > 0 ? staged.sources : plan.query.sourceIds.map((id) => ({ name: id, unit: '' })),
    periodType: o.periodType,
    range: describeRange(plan.query.range, plan.resolved),
    zone: o.timeZone,
    format: o.format,
    calibrated: o.calibrated,
    interpolated: o.interpolated,
  });
}

/** The failure record for an error, rethrowing a cancel so that the whole run stops. */
export function failureOf(label: string, error: unknown): TableFailure {
  if (error instanceof CancelledError) throw error;
  return { label, message: messageOf(error) };
}
