/**
 * Turns a Readings request into what to ask DCS: which sources, which period type, which
 * half-open span of whole periods, in which order; plus whatever part of `$filter` DCS cannot
 * answer (`Value gt 10`, `not Interpolated`), kept as a predicate applied to each reading.
 *
 * The top-level `and` conditions of `$filter` are sorted into:
 * - SourceId: `SourceId eq 'R1'`, `SourceId in ('R1','VM2')`, or `or` of those;
 * - Timestamp bounds: `Timestamp ge|gt|le|lt|eq <date-time>` (both ends required);
 * - PeriodType: `PeriodType eq 'day'`, or `in`/`or` naming one type (or the custom option `periodType=day`);
 * - anything else: the per-reading predicate.
 */
import type { Source } from '../api/types';
import {
  PERIOD_TYPES,
  parsePeriodType,
  type PeriodType,
  addPeriods,
  availableEnd,
  ceilToPeriod,
  floorToPeriod,
  parseSourceId,
  formatDcsTime,
} from 'dcs-client';
import { badOption } from './errors';
import { compileFilter, type RowPredicate } from './filter-eval';
import { conjuncts, disjuncts, type CompareOp, type FilterExpr, type Literal } from './filter';
import { ReadingType } from './model';
import type { QueryOptions } from './options';

export interface ReadingsPlan {
  /** Normalised ids, in the order they are read (rank = index). */
  sourceIds: string[];
  periodType: PeriodType;
  /** Aligned to the period type; half-open [startMs, endMs). Empty when startMs >= endMs. */
  startMs: number;
  endMs: number;
  /** 'source': all of one source, then the next; 'time': interleaved by timestamp. */
  major: 'source' | 'time';
  descending: boolean;
  /** Conditions DCS cannot apply; undefined when there are none. */
  residual?: RowPredicate;
  /** Passed to DCS as /api/readings does; undefined = the client's default (true). */
  calibrated?: boolean;
  interpolated?: boolean;
  /** The caller's sources by id: which are cumulative registers (read with period values). */
  known?: ReadonlyMap<string, Source>;
}

/** `r0733` → `R733`, as the rest of the server normalises ids; undefined when not a source id. */
export function normaliseSourceId(text: string): string | undefined {
  return parseSourceId(text)?.id;
}

export interface Bound {
  ms: number;
  inclusive: boolean;
}

/** A filter sorted into what the server can answer itself and the rest (the residual). */
export interface Extracted {
  sources?: string[];
  lower: Bound[];
  upper: Bound[];
  /** Per PeriodType condition, the spellings it admits. */
  periodTypes: string[][];
  residual: FilterExpr[];
}

const FLIPPED: Record<CompareOp, CompareOp> = { eq: 'eq', ne: 'ne', gt: 'lt', ge: 'le', lt: 'gt', le: 'ge' };

/** `Property op literal` in either order, as [property, op, literal]; undefined for anything else. */
function propertyComparison(expr: FilterExpr): { property: string; op: CompareOp; literal: Literal } | undefined {
  if (expr.kind !== 'compare') return undefined;
  if (expr.left.kind === 'property' && expr.right.kind === 'literal') return { property: expr.left.name, op: expr.op, literal: expr.right };
  if (expr.right.kind === 'property' && expr.left.kind === 'literal') return { property: expr.right.name, op: FLIPPED[expr.op], literal: expr.left };
  return undefined;
}

/**
 * The id a SourceId literal matches. `eq` on text is exact, as M's `=` is: a spelling that is a
 * source id but not the one Readings carries (`r5`, `R05`) matches no row, so it gives undefined.
 */
function sourceIdLiteral(literal: Literal): string | undefined {
  if (literal.type !== 'string') throw badOption('$filter', `SourceId is text: write SourceId eq 'R1', not ${literal.text}`);
  const id = normaliseSourceId(literal.value);
  if (id === undefined) {
    throw badOption('$filter', `'${literal.value}' is not a source id; use R<register id> or VM<virtual meter id> as listed in Sources, e.g. 'R101' or 'VM3'`);
  }
  return id === literal.value ? id : undefined;
}

/** The text literals of `Prop eq 'a'`, `Prop in ('a','b')` or an `or` of those; undefined for anything else. */
function textAlternatives(expr: FilterExpr, property: string): Literal[] | undefined {
  const values: Literal[] = [];
  for (const alternative of disjuncts(expr)) {
    if (alternative.kind === 'in' && alternative.left.kind === 'property' && alternative.left.name === property) {
      values.push(...alternative.list);
      continue;
    }
    const cmp = propertyComparison(alternative);
    if (cmp && cmp.property === property && cmp.op === 'eq') {
      values.push(cmp.literal);
      continue;
    }
    return undefined;
  }
  return values;
}

/** The ids a condition restricts SourceId to, if it is purely a SourceId condition. */
function sourceIdsOf(expr: FilterExpr): string[] | undefined {
  const literals = textAlternatives(expr, 'SourceId');
  if (literals === undefined) return undefined;
  return [...new Set(literals.map(sourceIdLiteral).filter((id): id is string => id !== undefined))];
}

/** The period types a pure PeriodType condition admits (exact spelling, as M's `=`). */
function periodTypesOf(expr: FilterExpr): string[] | undefined {
  const literals = textAlternatives(expr, 'PeriodType');
  if (literals === undefined || literals.some((l) => l.type !== 'string')) return undefined;
  return [...new Set(literals.map((l) => l.value as string))];
}

/**
 * Sorts the top-level `and` conditions: SourceId lists, bounds on the time property (`Timestamp`
 * of Readings, `Start` of Intervals), PeriodType lists (Readings only), and the residual.
 */
export function extract(filter: FilterExpr | undefined, timeProperty = 'Timestamp', periodTypeProperty: string | undefined = 'PeriodType'): Extracted {
  const found: Extracted = { lower: [], upper: [], periodTypes: [], residual: [] };
  if (filter === undefined) return found;
  for (const condition of conjuncts(filter)) {
    const ids = sourceIdsOf(condition);
    if (ids !== undefined) {
      found.sources = found.sources === undefined ? ids : found.sources.filter((id) => ids.includes(id));
      continue;
    }
    const cmp = propertyComparison(condition);
    if (cmp && cmp.property === timeProperty && cmp.op !== 'ne') {
      if (cmp.literal.type !== 'datetime') {
        throw badOption('$filter', `${timeProperty} is a date-time: compare it with a value such as 2024-01-01T00:00:00Z (no quotes), not ${cmp.literal.text}`);
      }
      const ms = cmp.literal.value;
      if (cmp.op === 'ge' || cmp.op === 'eq') found.lower.push({ ms, inclusive: true });
      if (cmp.op === 'gt') found.lower.push({ ms, inclusive: false });
      if (cmp.op === 'le' || cmp.op === 'eq') found.upper.push({ ms, inclusive: true });
      if (cmp.op === 'lt') found.upper.push({ ms, inclusive: false });
      continue;
    }
    const periodTypes = periodTypeProperty === undefined ? undefined : periodTypesOf(condition);
    if (periodTypes !== undefined) {
      found.periodTypes.push(periodTypes);
      continue;
    }
    found.residual.push(condition);
  }
  return found;
}

function checkPeriodType(text: string, where: string): PeriodType {
  const match = parsePeriodType(text.trim());
  if (match) return match;
  throw badOption(where, `'${text}' is not a period type; use one of ${PERIOD_TYPES.join(', ')}`);
}

interface PeriodChoice {
  periodType: PeriodType;
  /** True when the filter's PeriodType conditions admit no period type: no rows at all. */
  matchesNothing: boolean;
}

/**
 * The period type from periodType= and the filter's PeriodType conditions. A filter spelling is
 * exact (`'Day'` matches nothing, as in M); a filter that admits several types is refused,
 * because one query reads one period type, and an empty answer would load an empty table.
 */
function choosePeriodType(option: string | undefined, conditions: string[][]): PeriodChoice {
  const fromOption = option === undefined ? undefined : checkPeriodType(option, 'periodType');
  if (conditions.length === 0) return { periodType: fromOption ?? 'halfHour', matchesNothing: false };
  for (const value of conditions.flat()) checkPeriodType(value, '$filter');
  let admitted = PERIOD_TYPES.filter((p) => conditions.every((c) => c.includes(p)));
  if (fromOption !== undefined) {
    if (admitted.length === 1 && admitted[0] !== fromOption) {
      throw badOption('periodType', `conflicting period types (${fromOption}, ${admitted[0]}) in periodType= and $filter; give one`);
    }
    admitted = admitted.filter((p) => p === fromOption);
  }
  if (admitted.length > 1) {
    throw badOption(
      '$filter',
      `PeriodType asks for ${admitted.join(' and ')}, but one Readings query reads one period type: filter PeriodType to a single value ` +
        `(or use periodType=${admitted[0]}), and load each other period type in its own query (Table.Combine appends them)`,
    );
  }
  return { periodType: admitted[0] ?? fromOption ?? 'halfHour', matchesNothing: admitted.length === 0 };
}

/** The first period start the bound admits (lower) or excludes (upper). */
function alignLower(bound: Bound, periodType: PeriodType): number {
  return ceilToPeriod(bound.inclusive ? bound.ms : bound.ms + 1, periodType);
}

function alignUpper(bound: Bound, periodType: PeriodType): number {
  return ceilToPeriod(bound.inclusive ? bound.ms + 1 : bound.ms, periodType);
}

/** A URL that works, for error messages: the caller's source if it gave one, last month. */
export function exampleUrl(root: string, sourceId: string | undefined, now: number): string {
  const today = new Date(now);
  const thisMonth = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
  const lastMonth = Date.UTC(today.getUTCFullYear(), today.getUTCMonth() - 1, 1);
  return (
    `${root}/Readings?$filter=SourceId eq '${sourceId ?? 'R1'}' and Timestamp ge ${formatDcsTime(lastMonth)} ` +
    `and Timestamp lt ${formatDcsTime(thisMonth)}&periodType=halfHour`
  );
}

/** How many sources the Navigator's preview shows when the filter names none. */
export const PREVIEW_SOURCES = 10;

/**
 * What a bounded read ($top given, as the Navigator's preview and Table.FirstN send) leaves out
 * is filled in: the first Sources that can give the period type, and the latest whole day (week,
 * month) or one such span next to the bound given. Without $top nothing is assumed, so a refresh
 * never pulls an open-ended span.
 */
function applyPreviewDefaults(found: Extracted, periodType: PeriodType, now: number, catalogue: readonly Source[]): void {
  if (found.sources === undefined) {
    found.sources = catalogue
      .filter((s) => periodType === 'halfHour' || !s.isInstantaneous)
      .slice(0, PREVIEW_SOURCES)
      .map((s) => s.id);
  }
  const span: PeriodType = periodType === 'week' || periodType === 'month' ? periodType : 'day';
  if (found.lower.length === 0 && found.upper.length === 0) {
    const end = floorToPeriod(now, span);
    found.lower.push({ ms: addPeriods(end, span, -1), inclusive: true });
    found.upper.push({ ms: end, inclusive: false });
  } else if (found.lower.length === 0) {
    const upper = Math.min(...found.upper.map((b) => b.ms));
    found.lower.push({ ms: addPeriods(floorToPeriod(upper, span), span, -1), inclusive: true });
  } else if (found.upper.length === 0) {
    const lower = Math.max(...found.lower.map((b) => b.ms));
    found.upper.push({ ms: addPeriods(ceilToPeriod(lower, span), span, 1), inclusive: false });
  }
}

function requireBoth(found: Extracted, root: string, now: number): void {
  const missing: string[] = [];
  if (found.sources === undefined) missing.push("a SourceId (SourceId eq 'R1', or SourceId in ('R1','VM2'))");
  if (found.lower.length === 0) missing.push('a start (Timestamp ge ...)');
  if (found.upper.length === 0) missing.push('an end (Timestamp lt ...)');
  if (missing.length === 0) return;
  throw badOption(
    '$filter',
    `Readings cannot be listed whole: the filter needs ${missing.join(', ')}, joined with 'and' (or give $top for a preview of the latest day). ` +
      `For example: ${exampleUrl(root, found.sources?.[0], now)} — source ids are listed at ${root}/Sources.`,
  );
}

function sortSources(ids: string[], descending: boolean): string[] {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}

/** Decides order: by source then time (streams), or by time across sources (windowed). */
function planOrder(options: QueryOptions, ids: string[]): Pick<ReadingsPlan, 'sourceIds' | 'major' | 'descending'> {
  const items = options.orderBy.filter((i) => i.property !== 'PeriodType');
  const unsupported = items.find((i) => i.property !== 'SourceId' && i.property !== 'Timestamp');
  if (unsupported) {
    throw badOption(
      '$orderby',
      `Readings can be ordered by SourceId and Timestamp only (asc or desc), not ${unsupported.property}: readings stream from DCS in time order. Sort by ${unsupported.property} in Power Query after loading.`,
    );
  }
  const bySource = items.find((i) => i.property === 'SourceId');
  const byTime = items.find((i) => i.property === 'Timestamp');
  const sourceIds = bySource ? sortSources(ids, bySource.descending) : ids;
  const descending = byTime?.descending ?? false;
  const timeFirst = items[0]?.property === 'Timestamp';
  return { sourceIds, descending, major: timeFirst && sourceIds.length > 1 ? 'time' : 'source' };
}

/**
 * The plan of a Readings request. `catalogue` (the caller's Sources) supplies the preview's
 * default sources when $top is given without a SourceId condition.
 */
export function planReadings(options: QueryOptions, root: string, now: number, catalogue: readonly Source[] = []): ReadingsPlan {
  const found = extract(options.filter);
  const { periodType, matchesNothing } = choosePeriodType(options.custom.periodType, found.periodTypes);
  if (options.top !== undefined) applyPreviewDefaults(found, periodType, now, catalogue);
  requireBoth(found, root, now);
  if (matchesNothing) found.sources = [];
  const startMs = Math.max(...found.lower.map((b) => alignLower(b, periodType)));
  // DCS has no readings after the period in progress: a later end reads (and costs) nothing more.
  const endMs = Math.min(...found.upper.map((b) => alignUpper(b, periodType)), availableEnd(now, periodType));
  const residual =
    found.residual.length === 0
      ? undefined
      : compileFilter(
          found.residual.reduce((left, right) => ({ kind: 'and', left, right })),
          ReadingType,
        );
  return {
    ...planOrder(options, found.sources ?? []),
    periodType,
    startMs,
    endMs,
    residual,
    calibrated: optionalBoolean(options.custom, 'calibrated'),
    interpolated: optionalBoolean(options.custom, 'interpolated'),
    known: new Map(catalogue.map((s) => [s.id, s])),
  };
}

/** The custom options calibrated= and interpolated=, as /api/readings reads them. */
export function optionalBoolean(custom: Record<string, string>, name: string): boolean | undefined {
  const text = custom[name];
  if (text === undefined) return undefined;
  const lower = text.trim().toLowerCase();
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  throw badOption(name, `'${text}' is not true or false`);
}
