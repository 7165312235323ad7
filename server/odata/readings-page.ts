/**
 * Answers `GET /odata/Readings` (one page, streamed) and `GET /odata/Readings/$count`.
 *
 * A page asks DCS only for what it sends: it starts where the `$skiptoken` says (source rank and
 * timestamp) and stops one row after the page is full; that row's position becomes the next
 * link's token. The status line goes out only once the first DCS call has answered, so a refused
 * query (unknown source, forbidden, bad span) is a proper error status; a failure after that
 * leaves the answer malformed and cut short, never a well-formed partial page.
 *
 * A query that may have to read its whole span to answer (a `$count`, a `$filter` on values, a
 * `$skip`) is refused up front when that scan would cost DCS more calls than DCS_CALL_BUDGET.
 */
import { parseGroupId } from '../groups/group';
import type { GroupStore } from '../groups/store';
import type { Request, Response } from 'express';
import { ReadingStatus, type LargeReadingsOptions } from 'dcs-client';
import { checkDcsBudget } from '../http/dcs-budget';
import type { Source } from '../api/types';
import { loadCatalogue } from '../catalogue';
import type { DcsHandle } from '../session-handle';
import type { EmissionFactors } from '../analysis/carbon';
import type { Logger } from '../http/logger';
import { MAX_SOURCES } from '../http/params';
import { sourceRow } from './collections';
import { badOption, ODataError } from './errors';
import type { Row } from './filter-eval';
import { CollectionWriter, entitySerializer } from './json-writer';
import { ReadingType } from './model';
import { parseQueryOptions, type QueryOptions } from './options';
import { decodeSkipToken, effectivePageSize, encodeSkipToken, nextLink, plannedAt, queryFingerprint, type ResumePoint } from './paging';
import { serviceRoot, wantsIeee754Compatible } from './protocol';
import { planReadings, type ReadingsPlan } from './readings-query';
import { readingRows, type ReadingRow, type ReadingsReader, type RowPosition } from './readings-rows';
import { fillPage } from './page-fill';
import { bestRows } from './ordering';
import { serveCount, servePage } from './serve';

/** What the Readings and Intervals pages need of the server's configuration. */
export interface ReadingsSettings {
  pageSize: number;
  logger: Logger;
  now: () => number;
  /** DCS_MAX_WINDOW_DAYS and DCS_CALL_BUDGET: what a scan may cost DCS. */
  maxWindowDays: number;
  dcsCallBudget: number;
  /** STALLED_READER_TIMEOUT, in ms. */
  stalledReaderMs: number;
  /** What every DCS call carries (spool settings, clock). */
  call: LargeReadingsOptions;
  /** Where a caller's readings come from: through the readings store when configured. */
  reader: (handle: DcsHandle) => ReadingsReader;
  /** DEFAULT_TIME_ZONE: Intervals' zone when timeZone= is missing or blank, as on every route. */
  defaultTimeZone: string;
  /** CARBON_FACTORS_FILE's table (or the built-in one), for Intervals' Carbon, read when first asked for. */
  emissionFactors: () => EmissionFactors;
  /** Groups of sources: a group's id in Intervals' SourceId filter is its members' sum. */
  groups: GroupStore;
}

function readingValues(plan: ReadingsPlan, row: ReadingRow): Row {
  return {
    SourceId: plan.sourceIds[row.rank],
    PeriodType: plan.periodType,
    Timestamp: row.timestamp,
    Value: row.value,
    Status: row.status,
    Interpolated: (row.status & ReadingStatus.Interpolated) !== 0,
    Reset: (row.status & ReadingStatus.Reset) !== 0,
    PeriodValue: row.periodValue,
    Unit: row.unit,
  };
}

interface PreparedQuery {
  options: QueryOptions;
  plan: ReadingsPlan;
  fingerprint: string;
  resume?: ResumePoint;
  /** The clock the plan was made at: now for a first page, the first page's for the next ones. */
  now: number;
}

/** One query reads at most MAX_SOURCES sources, as /api/readings does. */
export function checkSourceCount(count: number): void {
  if (count <= MAX_SOURCES) return;
  throw badOption(
    '$filter',
    `selects ${count} sources; ask for at most ${MAX_SOURCES} per query: name them with SourceId in (...) (split the query, or append several queries in Power Query)`,
  );
}

/**
 * Every id must be one of the caller's Sources. A source the caller may not see answers 404, the
 * same for Readings and Intervals, and before DCS is asked: a 403 would make Power Query ask for
 * credentials again, which no password can satisfy (DCS refuses the source, not the sign-in).
 */
export function checkVisible(ids: readonly string[], catalogue: readonly Source[]): void {
  const known = new Set(catalogue.map((s) => s.id));
  const unseen = ids.filter((id) => !known.has(id));
  if (unseen.length === 0) return;
  throw new ODataError(
    404,
    'not_found',
    `SourceId: there is no source ${unseen.join(', ')} that you may see in DCS; the Sources table lists the ids you may read (ask the DCS administrator for access to others)`,
    '$filter',
  );
}

/** Readings are each source's own: a group's sum is a calculation, in Intervals. */
function refuseGroups(ids: readonly string[]): void {
  const group = ids.find((id) => parseGroupId(id) !== undefined);
  if (group === undefined) return;
  throw badOption(
    '$filter',
    `SourceId: ${group} is a group; Readings has each source's own readings, so name its members (GET /api/groups/${group} lists them), or ask Intervals for the group's sum (SourceId eq '${group}')`,
  );
}

/** A sort the stream cannot follow answers one page: $skip + $top must fit in it. */
export function checkSortedTop(options: QueryOptions, pageSize: number): void {
  if (options.skip + (options.top ?? 0) <= pageSize) return;
  throw badOption(
    '$top',
    `with $orderby on ${options.orderBy.map((i) => i.property).join(', ')}, $skip + $top may be at most ${pageSize} (one page): keep fewer top rows`,
  );
}

/** The caller's sources, from the session's catalogue (as /api/sources). */
export async function callerSources(handle: DcsHandle): Promise<readonly Source[]> {
  return (await loadCatalogue(handle)).sources;
}

/**
 * The entity writer with `$expand=Source` applied: each entity carries its source, from the
 * caller's cached Sources (null for a source the caller cannot see).
 */
export async function withExpandedSource(
  options: QueryOptions,
  handle: DcsHandle,
  ieee754Compatible: boolean,
  serialize: (row: Row) => string,
): Promise<(row: Row) => string> {
  const expand = options.expand;
  if (!expand) return serialize;
  const writeSource = entitySerializer(expand.select, ieee754Compatible);
  const byId = new Map((await callerSources(handle)).map((s) => [s.id, writeSource(sourceRow(s))]));
  const name = JSON.stringify(expand.navigation.name);
  const property = expand.navigation.property;
  return (row) => `${serialize(row).slice(0, -1)},${name}:${byId.get(String(row[property])) ?? 'null'}}`;
}

async function prepare(req: Request, handle: DcsHandle, settings: ReadingsSettings): Promise<PreparedQuery> {
  const options = parseQueryOptions(req, ReadingType);
  const now = plannedAt(options.skipToken, settings.now());
  const catalogue = await callerSources(handle);
  const plan = planReadings(options, serviceRoot(req), now, catalogue);
  checkSourceCount(plan.sourceIds.length);
  refuseGroups(plan.sourceIds);
  checkVisible(plan.sourceIds, catalogue);
  const fingerprint = queryFingerprint([
    'Readings',
    options.filterText,
    options.orderByText,
    plan.periodType,
    String(plan.calibrated),
    String(plan.interpolated),
    // Planned at the first page's clock (plannedAt), so the span is the first page's too.
    plan.sourceIds.join(','),
    String(plan.startMs),
    String(plan.endMs),
  ]);
  const resume = options.skipToken === undefined ? undefined : decodeSkipToken(options.skipToken, fingerprint);
  if (resume !== undefined && (resume.r === undefined || resume.t === undefined || resume.r >= plan.sourceIds.length)) {
    throw badOption('$skiptoken', 'is not a Readings token; start again from the first page (the URL without $skiptoken)');
  }
  return { options, plan, fingerprint, resume, now };
}

/**
 * Refuses a scan over budget: the calls to read the whole span, in the pieces this order reads it
 * in (`windowRows` readings per piece; Infinity for one call per window, as counting does).
 */
function checkScanBudget(plan: ReadingsPlan, settings: ReadingsSettings, windowRows: number, now: number): void {
  if (plan.startMs >= plan.endMs || plan.sourceIds.length === 0) return;
  const sourcesPerPiece = plan.major === 'time' ? plan.sourceIds.length : 1;
  const streamed = plan.major === 'source' && !plan.descending;
  checkDcsBudget({
    sources: plan.sourceIds.length,
    startMs: plan.startMs,
    endMs: plan.endMs,
    periodType: plan.periodType,
    maxWindowDays: settings.maxWindowDays,
    periodsPerCall: streamed ? windowRows : Math.ceil(windowRows / sourcesPerPiece),
    budget: settings.dcsCallBudget,
    now,
    parameter: '$filter',
  });
}

/** Counts the rows a query matches, by streaming them (in the cheapest order) and keeping none. */
async function countRows(dcs: ReadingsReader, plan: ReadingsPlan, settings: ReadingsSettings, now: number, signal: AbortSignal): Promise<number> {
  const streamingPlan: ReadingsPlan = { ...plan, major: 'source', descending: false };
  checkScanBudget(streamingPlan, settings, Infinity, now);
  let count = 0;
  for await (const batch of readingRows(dcs, streamingPlan, { windowRows: Infinity, signal, call: settings.call })) {
    if (!plan.residual) {
      count += batch.length;
      continue;
    }
    for (const row of batch) if (plan.residual(readingValues(plan, row))) count++;
  }
  return count;
}

export async function serveReadingsCount(req: Request, res: Response, handle: DcsHandle, settings: ReadingsSettings): Promise<void> {
  const count = async (signal: AbortSignal): Promise<number> => {
    const { plan, now } = await prepare(req, handle, settings);
    return plan.startMs < plan.endMs ? await countRows(settings.reader(handle), plan, settings, now, signal) : 0;
  };
  await serveCount(res, settings, 'Readings', count, true);
}

export async function serveReadings(req: Request, res: Response, handle: DcsHandle, settings: ReadingsSettings): Promise<void> {
  await servePage(res, settings, 'Readings', (writer, signal) => writePage(req, res, handle, settings, writer, signal));
}

async function writePage(
  req: Request,
  res: Response,
  handle: DcsHandle,
  settings: ReadingsSettings,
  writer: CollectionWriter,
  signal: AbortSignal,
): Promise<void> {
  const { options, plan, fingerprint, resume, now } = await prepare(req, handle, settings);
  const dcs = settings.reader(handle);
  const root = serviceRoot(req);
  const page = effectivePageSize(req, settings.pageSize);
  const empty = plan.startMs >= plan.endMs || plan.sourceIds.length === 0;
  // A page that may have to read past its own rows to fill itself may read the whole span.
  if (!empty && (plan.residual !== undefined || options.skip > 0 || plan.sortInMemory)) checkScanBudget(plan, settings, page.size + 1, now);
  if (plan.sortInMemory) checkSortedTop(options, page.size);
  const count = options.count ? (resume?.c ?? (empty ? 0 : await countRows(dcs, plan, settings, now, signal))) : undefined;
  const head = {
    context: `${root}/$metadata#Readings${options.selected ? `(${options.select.map((p) => p.name).join(',')})` : ''}`,
    count,
    ieee754Compatible: wantsIeee754Compatible(req),
    headers: { 'Cache-Control': 'no-store', ...(page.preferenceApplied ? { 'Preference-Applied': page.preferenceApplied } : {}) },
  };
  const limit = Math.min(page.size, options.top ?? Infinity);
  if (empty || limit === 0) {
    writer.begin(head);
    await writer.end();
    return;
  }

  const serialize = await withExpandedSource(options, handle, head.ieee754Compatible, entitySerializer(options.select, head.ieee754Compatible));
  const from: RowPosition | undefined = resume ? { rank: resume.r as number, timestamp: resume.t as number } : undefined;
  const streamed = readingRows(dcs, plan, { from, windowRows: page.size + 1, signal, call: settings.call });
  const values = (row: ReadingRow) => readingValues(plan, row);
  const rows = plan.sortInMemory ? bestRows(streamed, plan.sortInMemory, options.skip + limit, values, plan.residual) : streamed;
  const next: RowPosition | undefined = await fillPage(
    writer,
    head,
    rows,
    { skip: options.skip, limit, top: options.top },
    {
      values,
      accept: plan.residual,
      serialize,
      position: (row) => ({ rank: row.rank, timestamp: row.timestamp }),
    },
  );
  const link =
    next === undefined
      ? undefined
      : nextLink(
          req,
          root,
          'Readings',
          encodeSkipToken({ r: next.rank, t: next.timestamp, n: now, ...(count !== undefined ? { c: count } : {}) }, fingerprint),
          options.top === undefined ? undefined : options.top - writer.count,
        );
  await writer.end(link);
}
