/**
 * =DCS.DEMAND(id, reactiveId, firstDay, lastDay, measure, [timeZone], [allowance]): a supply's
 * maximum demand and power quality over whole local days, as a shadow bill measures them
 * (`POST /api/bills`, demand-api.ts): the figures behind the invoice sheet's Maximum demand,
 * Excess capacity and Reactive power lines, and the half-hours behind them that were estimated or
 * missing (the sheet's DATA QUALITY test).
 */
import type { BillDemandJson, BillQualityJson } from '../../server/api/types';
import { isOmitted, plainArgument, readSourceId, readTime, readTimeZone, type CellArgument } from './arguments';
import { dateSystemOf, guard, type FunctionsContext } from './cell-functions';
import type { DemandRequest } from './demand-api';
import { badArgument, FunctionFailure, notSignedIn, toFailure } from './failure';

/** The measures, by the name a formula gives, and what they need. */
const MEASURES = {
  kwh: { from: 'demand', key: 'kwh' },
  maxkw: { from: 'demand', key: 'maxDemandKw' },
  maxkva: { from: 'demand', key: 'maxDemandKva', reactive: true },
  powerfactor: { from: 'demand', key: 'powerFactor', reactive: true },
  kvarh: { from: 'demand', key: 'kvarh', reactive: true },
  excesskvarh: { from: 'demand', key: 'excessKvarh', reactive: true },
  loadfactor: { from: 'demand', key: 'loadFactor' },
  missing: { from: 'quality', key: 'missing' },
  estimated: { from: 'quality', key: 'estimated' },
  resets: { from: 'quality', key: 'resets' },
  periods: { from: 'quality', key: 'periods' },
} as const satisfies Record<string, { from: 'demand'; key: keyof BillDemandJson; reactive?: true } | { from: 'quality'; key: keyof BillQualityJson }>;

type MeasureName = keyof typeof MEASURES;
const MEASURE_LIST = '"maxKw", "maxKva", "powerFactor", "excessKvarh", "kvarh", "kwh", "loadFactor", "missing", "estimated", "resets" or "periods"';
/** The UK distributors' reactive allowance (server/bills/tariff.ts REACTIVE_ALLOWANCE). */
const DEFAULT_ALLOWANCE = 0.33;

export interface DemandArguments {
  id: CellArgument;
  reactive: CellArgument;
  start: CellArgument;
  end: CellArgument;
  measure: CellArgument;
  timeZone: CellArgument;
  allowance: CellArgument;
}

export async function demand(ctx: FunctionsContext, args: DemandArguments, signal?: AbortSignal): Promise<number> {
  const system = await dateSystemOf(ctx);
  const fallbackZone = await ctx.defaultTimeZone();
  const { request, measure } = guard(() => readDemandArguments(args, system, fallbackZone));
  if (!ctx.session.isSignedIn) throw notSignedIn();
  if (!ctx.demand)
    throw new FunctionFailure('notAvailable', 'This add-in runtime cannot ask for demand. Close and reopen the DCS pane (or the workbook), then recalculate.');
  let answer;
  try {
    answer = await ctx.demand.get(request);
  } catch (error) {
    throw toFailure(error);
  }
  if (signal?.aborted) throw new DOMException('The formula was cancelled.', 'AbortError');
  const wanted = MEASURES[measure];
  const value = wanted.from === 'demand' ? answer.demand[wanted.key] : answer.quality[wanted.key];
  if (typeof value !== 'number') throw new FunctionFailure('notAvailable', `${measure}: DCS has no usable half-hour in this period, so there is no figure`);
  return value;
}

export function readDemandArguments(args: DemandArguments, system: 1900 | 1904, fallbackZone: string): { request: DemandRequest; measure: MeasureName } {
  const measure = readMeasure(args.measure);
  const reactiveValue = plainArgument(args.reactive);
  const reactive = isOmitted(reactiveValue) ? undefined : readSourceId(args.reactive, 'reactiveId');
  if (reactive === undefined && 'reactive' in MEASURES[measure])
    throw badArgument('reactiveId', `is empty; ${String(plainArgument(args.measure))} needs the supply's reactive energy register (kVArh), e.g. "R1147"`);
  const firstDay = readTime(args.start, 'firstDay', system);
  const lastDay = readTime(args.end, 'lastDay', system);
  if (!firstDay.dateOnly) throw badArgument('firstDay', `${firstDay.text} has a time; DCS.DEMAND measures whole days: give a date`);
  if (!lastDay.dateOnly) throw badArgument('lastDay', `${lastDay.text} has a time; DCS.DEMAND measures whole days: give the last day included`);
  const request: DemandRequest = {
    import: readSourceId(args.id),
    ...(reactive !== undefined && { reactive }),
    firstDay: firstDay.text,
    lastDay: lastDay.text,
    timeZone: readTimeZone(args.timeZone, fallbackZone),
    allowance: readAllowance(args.allowance),
  };
  return { request, measure };
}

function readMeasure(cell: CellArgument): MeasureName {
  const value = plainArgument(cell);
  if (isOmitted(value)) throw badArgument('measure', `is empty; use ${MEASURE_LIST}`);
  const key = String(value).trim().toLowerCase();
  if (!(key in MEASURES)) throw badArgument('measure', `"${String(value)}" is not a measure; use ${MEASURE_LIST}`);
  return key as MeasureName;
}

function readAllowance(cell: CellArgument): number {
  const value = plainArgument(cell);
  if (isOmitted(value)) return DEFAULT_ALLOWANCE;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > 10)
    throw badArgument('allowance', `${String(value)} is not an allowance; give kVArh allowed per kWh, e.g. 0.33 (the UK's)`);
  return value;
}
