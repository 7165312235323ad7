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
import { PERIOD_TYPES, parsePeriodType, type PeriodType, availableEnd, ceilToPeriod, parseSourceId, formatDcsTime } from 'dcs-client';
import { parseGroupId } from '../groups/group';
import { badOption } from './errors';
import { compileFilter, type RowPredicate } from './filter-eval';
import { conjuncts, disjuncts, type CompareOp, type FilterExpr, type Literal } from './filter';
import { ReadingType, SourceType, type EntityTypeDef } from './model';
import { sourceRow } from './collections';
import { addDays, startOfLocalDay } from '../time/zones';
import type { OrderItem, QueryOptions } from './options';

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
  /** An $orderby the stream cannot follow (Value, PeriodValue...): the page sorts the scan's best rows ($top only). */
  sortInMemory?: OrderItem[];
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
export function propertyComparison(expr: FilterExpr): { property: string; op: CompareOp; literal: Literal } | undefined {
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
  // A group's id names its members' sum (Intervals); Readings refuses it by name (readings-page.ts).
  const group = parseGroupId(literal.value);
  if (group !== undefined) return group === literal.value ? group : undefined;
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

/** How a set's filter is sorted: its time property, PeriodType (Readings only), and the context of both. */
export interface ExtractOptions {
  timeProperty: string;
  periodTypeProperty?: string;
  /** The zone whose local dates `date(<time property>)` compares (Readings: UTC). */
  zone: string;
  /** The caller's sources, which `Source/<property>` conditions are decided against. */
  catalogue: readonly Source[];
}

const READINGS_EXTRACT = { timeProperty: 'Timestamp', periodTypeProperty: 'PeriodType', zone: 'UTC' };

/** `date(<time>) op <date>` as bounds on the time property: local midnights in the zone. */
function dateBounds(expr: FilterExpr, options: ExtractOptions): { lower?: Bound; upper?: Bound } | undefined {
  if (expr.kind !== 'compare' || expr.op === 'ne') return undefined;
  const [call, literal, op] = expr.left.kind === 'call' ? [expr.left, expr.right, expr.op] : [expr.right, expr.left, FLIPPED[expr.op]];
  if (call.kind !== 'call' || call.name !== 'date' || literal.kind !== 'literal' || literal.type !== 'date') return undefined;
  const arg = call.args[0];
  if (call.args.length !== 1 || arg.kind !== 'property' || arg.name !== options.timeProperty) return undefined;
  const day = startOfLocalDay(literal.value, options.zone).getTime();
  const next = startOfLocalDay(addDays(literal.value, 1), options.zone).getTime();
  return {
    lower: op === 'eq' || op === 'ge' ? { ms: day, inclusive: true } : op === 'gt' ? { ms: next, inclusive: true } : undefined,
    upper: op === 'eq' || op === 'le' ? { ms: next, inclusive: false } : op === 'lt' ? { ms: day, inclusive: false } : undefined,
  };
}

/** Whether every property a condition reads is a Source/<property> path. */
function onSourceOnly(expr: FilterExpr): boolean {
  const names: string[] = [];
  const visit = (e: FilterExpr): void => {
    if (e.kind === 'property') names.push(e.name);
    else if (e.kind === 'call') e.args.forEach(visit);
    else if (e.kind === 'compare' || e.kind === 'and' || e.kind === 'or') [e.left, e.right].forEach(visit);
    else if (e.kind === 'in') visit(e.left);
    else if (e.kind === 'not') visit(e.operand);
  };
  visit(expr);
  return names.length > 0 && names.every((name) => name.startsWith('Source/'));
}

/** The caller's sources a `Source/...` condition admits, decided on the Sources table's rows. */
function sourcesMatching(expr: FilterExpr, catalogue: readonly Source[]): string[] {
  const pathType: EntityTypeDef = { ...SourceType, properties: SourceType.properties.map((p) => ({ ...p, name: `Source/${p.name}` })) };
  const accept = compileFilter(expr, pathType);
  return catalogue.filter((source) => accept(Object.fromEntries(Object.entries(sourceRow(source)).map(([k, v]) => [`Source/${k}`, v])))).map((s) => s.id);
}

/**
 * Sorts the top-level `and` conditions: SourceId lists and Source/<property> conditions (both
 * narrow the sources), bounds on the time property (`Timestamp` of Readings, `Start` of
 * Intervals; also `date(...)` compared with a date), PeriodType lists (Readings only), and the residual.
 */
export function extract(filter: FilterExpr | undefined, options: ExtractOptions): Extracted {
  const found: Extracted = { lower: [], upper: [], periodTypes: [], residual: [] };
  if (filter === undefined) return found;
  const narrow = (ids: string[]) => (found.sources = found.sources === undefined ? ids : found.sources.filter((id) => ids.includes(id)));
  for (const condition of conjuncts(filter)) {
    const ids = sourceIdsOf(condition) ?? (onSourceOnly(condition) ? sourcesMatching(condition, options.catalogue) : undefined);
    if (ids !== undefined) {
      narrow(ids);
      continue;
    }
    const timeProperty = options.timeProperty;
    const cmp = propertyComparison(condition);
    if (cmp && cmp.property === timeProperty && cmp.op !== 'ne') {
      if (cmp.literal.type !== 'datetime') {
        throw badOption(
          '$filter',
          `${timeProperty} is a date-time: compare it with a value such as 2024-01-01T00:00:00Z (no quotes), or compare date(${timeProperty}) with a date, not ${cmp.literal.text}`,
        );
      }
      const ms = cmp.literal.value;
      if (cmp.op === 'ge' || cmp.op === 'eq') found.lower.push({ ms, inclusive: true });
      if (cmp.op === 'gt') found.lower.push({ ms, inclusive: false });
      if (cmp.op === 'le' || cmp.op === 'eq') found.upper.push({ ms, inclusive: true });
      if (cmp.op === 'lt') found.upper.push({ ms, inclusive: false });
      continue;
    }
    const dates = dateBounds(condition, options);
    if (dates !== undefined) {
      if (dates.lower) found.lower.push(dates.lower);
      if (dates.upper) found.upper.push(dates.upper);
      continue;
    }
    const periodTypes = options.periodTypeProperty === undefined ? undefined : periodTypesOf(condition);
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

/**
 * `$top=N` is the first N rows of what the filter selects (OData Part 2 §5.1.4), and rows are
 * read lazily (source by source, oldest first), so a bounded read may leave open what it need not
 * read to the end: a missing SourceId means every source the caller may read that can give the
 * period type, and a missing end means up to what DCS holds now. A missing start is never filled
 * in: the first rows would then be the oldest DCS holds, which nothing short of reading back to
 * the start of time could find; requireBoth refuses it and says how to bound it.
 */
function applyTopDefaults(found: Extracted, periodType: PeriodType, now: number, catalogue: readonly Source[]): void {
  found.sources ??= catalogue.filter((s) => periodType === 'halfHour' || !s.isInstantaneous).map((s) => s.id);
  if (found.upper.length === 0 && found.lower.length > 0) found.upper.push({ ms: availableEnd(now, periodType), inclusive: false });
}

function requireBoth(found: Extracted, root: string, now: number): void {
  const missing: string[] = [];
  if (found.sources === undefined) missing.push("a SourceId (SourceId eq 'R1', or SourceId in ('R1','VM2'))");
  if (found.lower.length === 0) missing.push('a start (Timestamp ge ...)');
  if (found.upper.length === 0) missing.push('an end (Timestamp lt ...)');
  if (missing.length === 0) return;
  throw badOption(
    '$filter',
    `Readings cannot be listed whole: the filter needs ${missing.join(', ')}, joined with 'and' ` +
      `(with $top, a start is enough: the first rows from that start, of every source unless SourceId names some). ` +
      `In Power Query, filter SourceId and Timestamp in the step right after the navigation, so that the filter folds. ` +
      `For example: ${exampleUrl(root, found.sources?.[0], now)} — source ids are listed at ${root}/Sources.`,
  );
}

function sortSources(ids: string[], descending: boolean): string[] {
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return descending ? sorted.reverse() : sorted;
}

/** Decides order: by source then time (streams), or by time across sources (windowed). */
function planOrder(options: QueryOptions, ids: string[]): Pick<ReadingsPlan, 'sourceIds' | 'major' | 'descending' | 'sortInMemory'> {
  const items = options.orderBy.filter((i) => i.property !== 'PeriodType');
  const unsupported = items.find((i) => i.property !== 'SourceId' && i.property !== 'Timestamp');
  if (unsupported) {
    if (options.top !== undefined) return { sourceIds: ids, descending: false, major: 'source', sortInMemory: options.orderBy };
    throw badOption(
      '$orderby',
      `Readings are ordered by ${unsupported.property} only with $top (Sort, then Keep top rows: e.g. $orderby=${unsupported.property} desc&$top=10); ` +
        `without it they come by SourceId and Timestamp only (asc or desc), as they stream from DCS. Sort by ${unsupported.property} in Power Query after loading.`,
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
 * The plan of a Readings request, as at `now`. `catalogue` (the caller's Sources) supplies the
 * sources when $top is given without a SourceId condition.
 */
export function planReadings(options: QueryOptions, root: string, now: number, catalogue: readonly Source[] = []): ReadingsPlan {
  const found = extract(options.filter, { ...READINGS_EXTRACT, catalogue });
  const { periodType, matchesNothing } = choosePeriodType(options.custom.periodType, found.periodTypes);
  if (options.top !== undefined) applyTopDefaults(found, periodType, now, catalogue);
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
