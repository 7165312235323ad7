/**
 * Turns an Intervals request into the /api/intervals request it stands for: which sources,
 * which interval, zone and calculations, which span of whole intervals; plus the part of
 * `$filter` the calculation cannot answer (`Consumption gt 100`), kept as a per-row predicate.
 *
 * The span comes from `Start` bounds in `$filter` (any instant; a bound between boundaries admits
 * the intervals that start on its side of it, as the filter says) and from the custom options
 * `start=` / `end=` (local to timeZone and on interval boundaries, exactly as /api/intervals reads
 * them). Both may be given; the narrower span wins. The final span goes through the same
 * `resolveIntervalsRequest` as /api/intervals, so both refuse and accept the same things.
 */
import type { IntervalType, Source } from '../api/types';
import { floorToInterval, nextIntervalStart, parseInterval, resolveIntervalsRequest, type IntervalsRequest } from '../intervals';
import { OffGridZoneError } from '../intervals/calendar';
import { RequestError } from '../request-errors';
import { checkTimeZone, parseInZone, TimeParseError } from '../time/zones';
import { badOption } from './errors';
import { compileFilter, type RowPredicate } from './filter-eval';
import { IntervalType as IntervalEntityType } from './model';
import type { QueryOptions } from './options';
import { extract, optionalBoolean, PREVIEW_SOURCES, type Bound, type Extracted } from './readings-query';

export interface IntervalsPlan {
  /** The request to calculate; undefined when the filter admits no interval (an empty answer). */
  request?: IntervalsRequest;
  /** Ids in the order they are read. */
  sourceIds: string[];
  residual?: RowPredicate;
}

/** A 400 for a query option, from the calculation's own refusals (which name a parameter). */
function asOptionError(error: unknown): unknown {
  if (error instanceof RequestError && error.code === 'BAD_PARAMETER') return badOption(error.parameter ?? '$filter', error.message);
  if (error instanceof TimeParseError) return badOption('timeZone', error.message);
  if (error instanceof OffGridZoneError) return badOption('timeZone', `${error.message}: ask for days or longer in this zone, or for clock intervals in UTC`);
  return error;
}

/** The first interval start at or after `ms`. */
function ceilToInterval(ms: number, interval: IntervalType, zone: string): number {
  const floor = floorToInterval(ms, interval, zone);
  return floor === ms ? ms : nextIntervalStart(floor, interval, zone);
}

/** The span a preview fills in: whole days for intervals of a day or less, else one interval. */
function previewUnit(interval: IntervalType): IntervalType {
  return interval === 'halfHour' || interval === 'hour' ? 'day' : interval;
}

function previewDefaults(found: Extracted, interval: IntervalType, zone: string, now: number, catalogue: readonly Source[]): void {
  found.sources ??= catalogue.slice(0, PREVIEW_SOURCES).map((s) => s.id);
  const unit = previewUnit(interval);
  const previous = (ms: number) => floorToInterval(floorToInterval(ms, unit, zone) - 1, unit, zone);
  if (found.lower.length === 0 && found.upper.length === 0) {
    const end = floorToInterval(now, unit, zone);
    found.lower.push({ ms: previous(end), inclusive: true });
    found.upper.push({ ms: end, inclusive: false });
  } else if (found.lower.length === 0) {
    found.lower.push({ ms: previous(Math.min(...found.upper.map((b) => b.ms))), inclusive: true });
  } else if (found.upper.length === 0) {
    const lower = Math.max(...found.lower.map((b) => b.ms));
    found.upper.push({ ms: nextIntervalStart(ceilToInterval(lower, unit, zone), unit, zone), inclusive: false });
  }
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
    `Intervals cannot be listed whole: give ${missing.join(', ')} (or $top for a preview of the latest day). ` +
      `For example: Intervals?$filter=SourceId eq 'R1'&start=2024-01-01&end=2024-02-01&interval=day&timeZone=Europe/London`,
  );
}

/** The final [start, end) as the texts /api/intervals would be given; undefined when empty. */
function spanTexts(found: Extracted, custom: Record<string, string>, interval: IntervalType, zone: string): { start: string; end: string } | undefined {
  const aligned = (ms: number) => ({ ms, text: new Date(ms).toISOString(), given: false });
  const lower = found.lower.map((b) => aligned(ceilToInterval(b.inclusive ? b.ms : b.ms + 1, interval, zone)));
  const upper = found.upper.map((b) => aligned(ceilToInterval(b.inclusive ? b.ms + 1 : b.ms, interval, zone)));
  // The custom options keep their own text, so /api/intervals' checks and messages apply to it.
  const start = customBound(custom, 'start', zone);
  const end = customBound(custom, 'end', zone);
  if (start) lower.push({ ms: start.ms, text: custom.start.trim(), given: true });
  if (end) upper.push({ ms: end.ms, text: custom.end.trim(), given: true });
  const from = lower.reduce((a, b) => (b.ms > a.ms ? b : a));
  const to = upper.reduce((a, b) => (b.ms < a.ms ? b : a));
  // A filter that admits no interval is an empty answer; start=/end= the wrong way round are
  // refused, as /api/intervals refuses them.
  return from.ms < to.ms || (from.given && to.given) ? { start: from.text, end: to.text } : undefined;
}

export function planIntervals(options: QueryOptions, now: number, catalogue: readonly Source[]): IntervalsPlan {
  try {
    const custom = options.custom;
    const interval = parseInterval(custom.interval);
    const zone = checkTimeZone((custom.timeZone ?? 'UTC').trim() || 'UTC');
    const found = extract(options.filter, 'Start', undefined);
    const start = customBound(custom, 'start', zone);
    const end = customBound(custom, 'end', zone);
    if (options.top !== undefined) fillFromPreview(found, start, end, interval, zone, now, catalogue);
    requireSpan(withCustomBounds(found, start, end));
    const residual =
      found.residual.length === 0
        ? undefined
        : compileFilter(
            found.residual.reduce((left, right) => ({ kind: 'and', left, right })),
            IntervalEntityType,
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
      calibrated: optionalBoolean(custom, 'calibrated'),
      interpolated: optionalBoolean(custom, 'interpolated'),
      calc: custom.calc,
    });
    return { request, sourceIds, residual };
  } catch (error) {
    throw asOptionError(error);
  }
}

function withCustomBounds(found: Extracted, start: Bound | undefined, end: Bound | undefined): Extracted {
  return { ...found, lower: start ? [start, ...found.lower] : [...found.lower], upper: end ? [end, ...found.upper] : [...found.upper] };
}

/** Preview defaults, counting start=/end= as bounds already given. */
function fillFromPreview(
  found: Extracted,
  start: Bound | undefined,
  end: Bound | undefined,
  interval: IntervalType,
  zone: string,
  now: number,
  catalogue: readonly Source[],
): void {
  const view = withCustomBounds(found, start, end);
  const hadLower = view.lower.length > 0;
  const hadUpper = view.upper.length > 0;
  previewDefaults(view, interval, zone, now, catalogue);
  found.sources = view.sources;
  if (!hadLower) found.lower.push(...view.lower);
  if (!hadUpper) found.upper.push(...view.upper);
}
