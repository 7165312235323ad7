/**
 * Answers `GET /odata/Intervals` (one page, streamed) and `GET /odata/Intervals/$count`, from the
 * same calculation as /api/intervals (server/intervals): a row per source and interval, in source
 * order, then time. A page stops one row after it is full; that row's source rank and interval
 * start are the next link's token, and the next page recalculates from that interval on.
 *
 * As for Readings, the status line goes out only once the calculation has produced its first
 * figures, so a refused query is a proper error status; a failure after that cuts the answer.
 */
import type { Request, Response } from 'express';
import type { IntervalCalc } from '../api/types';
import { checkHalfHourBudget } from '../http/dcs-budget';
import type { DcsHandle } from '../session-handle';
import { calcNumber, formatIntervalTime, streamSourceIntervals, type IntervalFigures, type IntervalsRequest } from '../intervals';
import { loadCatalogue } from '../catalogue';
import { parseGroupId } from '../groups/group';
import { isGroupSum, resolveTargets, type Target } from '../groups/resolve';
import { badOption } from './errors';
import type { Row } from './filter-eval';
import { CollectionWriter, entitySerializer } from './json-writer';
import { IntervalType } from './model';
import { parseQueryOptions, type OrderItem, type QueryOptions } from './options';
import { bestRows } from './ordering';
import { decodeSkipToken, effectivePageSize, encodeSkipToken, nextLink, plannedAt, queryFingerprint, type ResumePoint } from './paging';
import { serviceRoot, wantsIeee754Compatible } from './protocol';
import { planIntervals, type IntervalsPlan } from './intervals-query';
import { callerSources, checkSortedTop, checkSourceCount, checkVisible, withExpandedSource, type ReadingsSettings } from './readings-page';
import { fillPage } from './page-fill';
import { serveCount, servePage } from './serve';

interface PreparedIntervals {
  options: QueryOptions;
  plan: IntervalsPlan;
  fingerprint: string;
  resume?: ResumePoint;
  /** The clock the plan was made at (see plannedAt). */
  now: number;
}

/** One interval as an entity: the figures the source's calculations produce, the others empty. */
function intervalRow(figures: IntervalFigures, request: IntervalsRequest, unit: string, calcs: readonly IntervalCalc[]): Row {
  const has = (calc: IntervalCalc) => calcs.includes(calc);
  return {
    SourceId: figures.id,
    Interval: request.interval,
    TimeZone: request.timeZone,
    Start: figures.startMs,
    End: figures.endMs,
    Consumption: has('consumption') ? figures.consumption : null,
    Mean: has('mean') ? figures.mean : null,
    Min: has('min') ? figures.min : null,
    Max: has('max') ? figures.max : null,
    MaxAt: has('maxAt') ? figures.maxAtMs : null,
    MaxDemand: has('maxDemand') ? calcNumber(figures, 'maxDemand') : null,
    MaxDemandAt: has('maxDemandAt') ? figures.maxAtMs : null,
    LoadFactor: has('loadFactor') ? calcNumber(figures, 'loadFactor') : null,
    Baseload: has('baseload') ? figures.baseload : null,
    OutOfHours: has('outOfHours') ? figures.outOfHours : null,
    HeatingDegreeDays: has('heatingDegreeDays') ? figures.heatingDegreeDays : null,
    CoolingDegreeDays: has('coolingDegreeDays') ? figures.coolingDegreeDays : null,
    Carbon: has('carbon') ? figures.carbon : null,
    Previous: figures.comparison?.previous ?? null,
    Change: figures.comparison?.change ?? null,
    ChangePercent: figures.comparison?.changePercent ?? null,
    Periods: figures.periods,
    Interpolated: figures.interpolated,
    Resets: figures.resets,
    Missing: figures.missing,
    Invalid: figures.invalid,
    Unit: unit,
  };
}

/**
 * Intervals come source by source, each in time order: that order (or sources reversed) streams.
 * Any other ($orderby=Start desc, Consumption desc...) is served for $top only, from the whole
 * scan's best rows (`sortInMemory`).
 */
function orderSources(options: QueryOptions, ids: string[]): { ids: string[]; sortInMemory?: OrderItem[] } {
  const unsupported = options.orderBy.find((i) => !(i.property === 'SourceId' || (i.property === 'Start' && !i.descending)));
  if (unsupported || (options.orderBy.length === 2 && options.orderBy[0].property === 'Start')) {
    if (options.top !== undefined) return { ids, sortInMemory: options.orderBy };
    throw badOption(
      '$orderby',
      'without $top, Intervals can be ordered by SourceId (asc or desc), then Start ascending, only: they are calculated source by source in time order. ' +
        'Any other order needs $top (Sort, then Keep top rows: e.g. $orderby=Consumption desc&$top=10); or sort in Power Query after loading.',
    );
  }
  const bySource = options.orderBy.find((i) => i.property === 'SourceId');
  if (!bySource) return { ids };
  const sorted = [...ids].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  return { ids: bySource.descending ? sorted.reverse() : sorted };
}

async function prepare(req: Request, handle: DcsHandle, settings: ReadingsSettings): Promise<PreparedIntervals> {
  const options = parseQueryOptions(req, IntervalType);
  const now = plannedAt(options.skipToken, settings.now());
  const catalogue = await callerSources(handle);
  const planned = planIntervals(options, now, catalogue, settings.defaultTimeZone);
  const { ids: sourceIds, sortInMemory } = orderSources(options, planned.sourceIds);
  checkSourceCount(sourceIds.length);
  checkVisible(
    sourceIds.filter((id) => parseGroupId(id) === undefined),
    catalogue,
  );
  const plan: IntervalsPlan = { ...planned, sourceIds, sortInMemory, request: planned.request && { ...planned.request, ids: sourceIds } };
  const fingerprint = queryFingerprint(['Intervals', options.filterText, options.orderByText, JSON.stringify(plan.request ?? null)]);
  const resume = options.skipToken === undefined ? undefined : decodeSkipToken(options.skipToken, fingerprint);
  if (resume !== undefined && (resume.r === undefined || resume.t === undefined || resume.r >= sourceIds.length)) {
    throw badOption('$skiptoken', 'is not an Intervals token; start again from the first page (the URL without $skiptoken)');
  }
  if (plan.request) {
    const pulls = (await intervalTargets(handle, plan.request.ids, settings)).reduce((n, t) => n + (isGroupSum(t) ? t.members.length : 1), 0);
    checkIntervalsCost(plan.request, pulls, settings, now);
  }
  return { options, plan, fingerprint, resume, now };
}

/**
 * What the ids stand for: a source itself, a group (SourceId eq 'group:x') its members' sum, whose
 * rows carry the group's id, as the filter asks (every member readable, one unit; else refused).
 */
async function intervalTargets(handle: DcsHandle, ids: readonly string[], settings: ReadingsSettings): Promise<Target[]> {
  const combine = ids.some((id) => parseGroupId(id) !== undefined) ? 'sum' : 'members';
  return resolveTargets(settings.groups, await loadCatalogue(handle), ids, combine, Infinity);
}

/** What calculating the whole plan would cost DCS (a page may read to the end of its sources), against DCS_CALL_BUDGET. */
function checkIntervalsCost(request: IntervalsRequest, pulls: number, settings: ReadingsSettings, now: number): void {
  // compare=previousYear pulls each source's year-earlier span too.
  const all = pulls * (request.compare ? 2 : 1);
  checkHalfHourBudget({ maxWindowDays: settings.maxWindowDays, budget: settings.dcsCallBudget, now }, all, request, '$filter');
}

interface PositionedRow {
  rank: number;
  startMs: number;
  row: Row;
}

/** Every row of the plan from the resume point on, as the calculation produces them. */
async function* intervalRows(
  handle: DcsHandle,
  request: IntervalsRequest,
  resume: ResumePoint | undefined,
  settings: ReadingsSettings,
  signal: AbortSignal,
): AsyncGenerator<PositionedRow[]> {
  const sources = await intervalTargets(handle, request.ids, settings);
  const first = resume?.r ?? 0;
  for (let rank = first; rank < sources.length; rank++) {
    const startMs = rank === first && resume?.t !== undefined ? resume.t : request.startMs;
    if (startMs >= request.endMs) continue;
    let unit = '';
    let calcs: IntervalCalc[] = [];
    const events = streamSourceIntervals(
      handle,
      [sources[rank]],
      { ...request, startMs },
      {
        calls: settings.call,
        signal,
        maxWindowDays: settings.maxWindowDays,
        reader: settings.reader(handle),
        emissionFactors: request.calcs?.includes('carbon') ? settings.emissionFactors() : undefined,
      },
    );
    for await (const event of events) {
      if (event.type === 'source') {
        unit = event.source.unit;
        calcs = event.source.calcs;
        continue;
      }
      yield event.intervals.map((figures) => ({ rank, startMs: figures.startMs, row: intervalRow(figures, request, unit, calcs) }));
    }
  }
}

async function countIntervals(handle: DcsHandle, plan: IntervalsPlan, settings: ReadingsSettings, signal: AbortSignal): Promise<number> {
  if (plan.request === undefined) return 0;
  let count = 0;
  for await (const batch of intervalRows(handle, plan.request, undefined, settings, signal)) {
    for (const item of batch) if (!plan.residual || plan.residual(item.row)) count++;
  }
  return count;
}

export async function serveIntervalsCount(req: Request, res: Response, handle: DcsHandle, settings: ReadingsSettings): Promise<void> {
  const count = async (signal: AbortSignal): Promise<number> => {
    const { plan } = await prepare(req, handle, settings);
    return countIntervals(handle, plan, settings, signal);
  };
  await serveCount(res, settings, 'Intervals', count);
}

export async function serveIntervals(req: Request, res: Response, handle: DcsHandle, settings: ReadingsSettings): Promise<void> {
  await servePage(res, settings, 'Intervals', (writer, signal) => writeIntervalsPage(req, handle, settings, writer, signal));
}

async function writeIntervalsPage(req: Request, handle: DcsHandle, settings: ReadingsSettings, writer: CollectionWriter, signal: AbortSignal): Promise<void> {
  const { options, plan, fingerprint, resume, now } = await prepare(req, handle, settings);
  const root = serviceRoot(req);
  const page = effectivePageSize(req, settings.pageSize);
  const count = options.count ? (resume?.c ?? (await countIntervals(handle, plan, settings, signal))) : undefined;
  const ieee754Compatible = wantsIeee754Compatible(req);
  const head = {
    context: `${root}/$metadata#Intervals${options.selected ? `(${options.select.map((p) => p.name).join(',')})` : ''}`,
    count,
    ieee754Compatible,
    headers: { 'Cache-Control': 'no-store', ...(page.preferenceApplied ? { 'Preference-Applied': page.preferenceApplied } : {}) },
  };
  const limit = Math.min(page.size, options.top ?? Infinity);
  const request = plan.request;
  if (request === undefined || limit === 0) {
    writer.begin(head);
    return writer.end();
  }
  const serialize = await withExpandedSource(
    options,
    handle,
    ieee754Compatible,
    entitySerializer(options.select, ieee754Compatible, (ms) => formatIntervalTime(ms, request.timeZone)),
  );
  if (plan.sortInMemory) checkSortedTop(options, page.size);
  const streamed = intervalRows(handle, request, resume, settings, signal);
  const rows = plan.sortInMemory ? bestRows(streamed, plan.sortInMemory, options.skip + limit, (item) => item.row, plan.residual) : streamed;
  const next = await fillPage(
    writer,
    head,
    rows,
    { skip: options.skip, limit, top: options.top },
    {
      values: (item) => item.row,
      accept: plan.residual,
      serialize,
      position: (item) => ({ r: item.rank, t: item.startMs }),
    },
  );
  const token = next && encodeSkipToken({ ...next, n: now, ...(count !== undefined ? { c: count } : {}) }, fingerprint);
  await writer.end(token && nextLink(req, root, 'Intervals', token, options.top === undefined ? undefined : options.top - writer.count));
}
