/**
 * Turns an Intervals request into the /api/intervals request it stands for: which sources,
 * which interval, zone and calculations, which span of whole intervals; plus the part of
 * `$filter` the calculation cannot answer (`Consumption gt 100`), kept as a per-row predicate.
 *
 * The span comes from `Start` bounds in `$filter` (any instant; a bound between boundaries admits
 * the intervals that start on its side of it, as the filter says) and from the custom options
 * `start=` / `end=` (local to timeZone, read as /api/intervals reads them, and meaning the same
 * as a filter on Start: the intervals that start in [start, end)). Both may be given; the narrower span wins. The final span goes through the same
 * `resolveIntervalsRequest` as /api/intervals, so both refuse and accept the same things.
 */
import type { IntervalType, Source } from '../api/types';
import { floorToInterval, nextIntervalStart, parseInterval, resolveIntervalsRequest, type IntervalsRequest } from '../intervals';
import { OffGridZoneError } from '../intervals/calendar';
import { RequestError } from '../request-errors';
import { timeZoneParameter } from '../time/parameters';
import { offsetMinutesAt, parseInZone, TimeParseError } from '../time/zones';
import { badOption } from './errors';
import { compileFilter, type RowPredicate } from './filter-eval';
import { IntervalType as IntervalEntityType } from './model';
import type { OrderItem, QueryOptions } from './options';
import { extract, optionalBoolean, propertyComparison, type Bound, type Extracted } from './readings-query';
import { conjuncts } from './filter';

export interface IntervalsPlan {
  /** The request to calculate; undefined when the filter admits no interval (an empty answer). */
  request?: IntervalsRequest;
  /** Ids in the order they are read. */
  sourceIds: string[];
  residual?: RowPredicate;
  /** An $orderby the calculation cannot follow: the page sorts the scan's best rows ($top only). */
  sortInMemory?: OrderItem[];
}

/** A 400 for a query option, from the calculation's own refusals (which name a parameter). */
function asOptionError(error: unknown): unknown {
  if (error instanceof RequestError && error.code === 'BAD_PARAMETER') {
    // The calculation's message already begins with the parameter's name, which badOption adds.
    const target = error.parameter ?? '$filter';
    const message = error.message.startsWith(`${target}: `) ? error.message.slice(target.length + 2) : error.message;
    return badOption(target, message);
  }
  if (error instanceof TimeParseError) return badOption('timeZone', error.message);
  if (error instanceof OffGridZoneError) return badOption('timeZone', `${error.message}: ask for days or longer in this zone, or for clock intervals in UTC`);
  return error;
}

/** The first interval start at or after `ms`. */
function ceilToInterval(ms: number, interval: IntervalType, zone: string): number {
  const floor = floorToInterval(ms, interval, zone);
  return floor === ms ? ms : nextIntervalStart(floor, interval, zone);
}

/**
 * `$top=N` is the first N rows of what the filter selects (see readings-query's applyTopDefaults):
 * a missing SourceId means every source the caller may read, a missing end the end of the
 * interval in progress (later intervals have not started: nothing is known of them). A missing
 * start is refused by requireSpan.
 */
function topDefaults(found: Extracted, interval: IntervalType, zone: string, now: number, catalogue: readonly Source[]): void {
  found.sources ??= catalogue.map((s) => s.id);
  if (found.upper.length === 0 && found.lower.length > 0)
    found.upper.push({ ms: nextIntervalStart(floorToInterval(now, interval, zone), interval, zone), inclusive: false });
}

function customBound(custom: Record<string, string>, name: 'start' | 'end', zone: string): Bound | undefined {
  const text = custom[name];
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return { ms: parseInZone(text.trim(), zone).getTime(), inclusive: name === 'start' };
  } catch (error) {
    if (error instanceof TimeParseError) throw badOption(name, error.message);
    throw error;
  }
}

function requireSpan(found: Extracted): void {
  const missing: string[] = [];
  if (found.sources === undefined) missing.push("a SourceId (SourceId eq 'R1', or SourceId in ('R1','VM2'))");
  if (found.lower.length === 0) missing.push('a start (Start ge ..., or start=)');
  if (found.upper.length === 0) missing.push('an end (Start lt ..., or end=)');
  if (missing.length === 0) return;
  throw badOption(
    '$filter',
    `Intervals cannot be listed whole: give ${missing.join(', ')} (with $top, a start is enough: the first rows from that start, of every source unless SourceId names some). ` +
      `In Power Query, filter SourceId and Start in the step right after the navigation, so that the filter folds. ` +
      `For example: Intervals?$filter=SourceId eq 'R1'&start=2024-01-01&end=2024-02-01&interval=day&timeZone=Europe/London`,
  );
}

/** The final [start, end) as the texts /api/intervals would be given; undefined when empty. */
function spanTexts(found: Extracted, custom: Record<string, string>, interval: IntervalType, zone: string): { start: string; end: string } | undefined {
  const aligned = (ms: number) => ({ ms, text: new Date(ms).toISOString(), given: false });
  const lower = found.lower.map((b) => aligned(ceilToInterval(b.inclusive ? b.ms : b.ms + 1, interval, zone)));
  const upper = found.upper.map((b) => aligned(ceilToInterval(b.inclusive ? b.ms + 1 : b.ms, interval, zone)));
  // start=/end= select the intervals that start in [start, end), as a filter on Start does: on
  // interval boundaries that is exactly /api/intervals' span; between them (an incremental
  // refresh's RangeStart/RangeEnd against weekly or monthly intervals) each interval belongs to
  // the one partition its start falls in. They keep their own text when on a boundary, so
  // /api/intervals' checks and messages apply to it.
  const start = customBound(custom, 'start', zone);
  const end = customBound(custom, 'end', zone);
  const option = (bound: Bound, text: string) => {
    const ms = ceilToInterval(bound.ms, interval, zone);
    return { ms, text: ms === bound.ms ? text.trim() : new Date(ms).toISOString(), given: true };
  };
  if (start) lower.push(option(start, custom.start));
  if (end) upper.push(option(end, custom.end));
  // start=/end= the wrong way round are refused (below), as /api/intervals refuses them.
  if (start && end && start.ms >= end.ms) return { start: custom.start.trim(), end: custom.end.trim() };
  const from = lower.reduce((a, b) => (b.ms > a.ms ? b : a));
  const to = upper.reduce((a, b) => (b.ms < a.ms ? b : a));
  // A filter (or a span between two boundaries) that admits no interval is an empty answer.
  return from.ms < to.ms ? { start: from.text, end: to.text } : undefined;
}

/**
 * `Interval eq 'day'` and `TimeZone eq 'Europe/London'` in $filter choose the calculation as
 * interval= and timeZone= do (a query built with filter steps alone then keeps a static URL);
 * the conditions also stay in the filter, where every row they chose satisfies them.
 */
function optionsFromFilter(options: QueryOptions): Record<string, string> {
  const custom = { ...options.custom };
  if (options.filter === undefined) return custom;
  for (const condition of conjuncts(options.filter)) {
    const cmp = propertyComparison(condition);
    if (!cmp || cmp.op !== 'eq' || cmp.literal.type !== 'string' || (cmp.property !== 'Interval' && cmp.property !== 'TimeZone')) continue;
    const name = cmp.property === 'Interval' ? 'interval' : 'timeZone';
    const given = custom[name];
    if (given !== undefined && given.trim() !== '' && given.trim() !== cmp.literal.value) {
      throw badOption('$filter', `${cmp.property} eq '${cmp.literal.value}' conflicts with ${name}=${given}; give one`);
    }
    custom[name] = cmp.literal.value;
  }
  return custom;
}

export function planIntervals(options: QueryOptions, now: number, catalogue: readonly Source[], defaultTimeZone: string): IntervalsPlan {
  try {
    const custom = optionsFromFilter(options);
    const interval = parseInterval(custom.interval);
    const zone = timeZoneParameter(custom.timeZone, defaultTimeZone);
    const found = extract(options.filter, { timeProperty: 'Start', zone, catalogue });
    const start = customBound(custom, 'start', zone);
    const end = customBound(custom, 'end', zone);
    if (options.top !== undefined) fillForTop(found, start, end, interval, zone, now, catalogue);
    requireSpan(withCustomBounds(found, start, end));
    const residual =
      found.residual.length === 0
        ? undefined
        : compileFilter(
            found.residual.reduce((left, right) => ({ kind: 'and', left, right })),
            IntervalEntityType,
            (ms) => offsetMinutesAt(zone, ms),
          );
    const sourceIds = found.sources ?? [];
    const span = spanTexts(found, custom, interval, zone);
    if (span === undefined || sourceIds.length === 0) return { sourceIds, residual };
    const request = resolveIntervalsRequest({
      ids: sourceIds,
      start: span.start,
      end: span.end,
      interval,
      timeZone: zone,
      defaultTimeZone,
      calibrated: optionalBoolean(custom, 'calibrated'),
      interpolated: optionalBoolean(custom, 'interpolated'),
      calc: custom.calc,
      occupied: custom.occupied,
      baseTemperature: custom.baseTemperature,
      compare: custom.compare,
      fuel: custom.fuel,
    });
    return { request, sourceIds, residual };
  } catch (error) {
    throw asOptionError(error);
  }
}

function withCustomBounds(found: Extracted, start: Bound | undefined, end: Bound | undefined): Extracted {
  return { ...found, lower: start ? [start, ...found.lower] : [...found.lower], upper: end ? [end, ...found.upper] : [...found.upper] };
}

/** The $top defaults, counting start=/end= as bounds already given. */
function fillForTop(
  found: Extracted,
  start: Bound | undefined,
  end: Bound | undefined,
  interval: IntervalType,
  zone: string,
  now: number,
  catalogue: readonly Source[],
): void {
  const view = withCustomBounds(found, start, end);
  const hadUpper = view.upper.length > 0;
  topDefaults(view, interval, zone, now, catalogue);
  found.sources = view.sources;
  if (!hadUpper) found.upper.push(...view.upper);
}
