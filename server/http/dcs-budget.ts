/**
 * What a request will cost DCS, estimated before anything is asked: the number of DCS calls
 * (windows × sources), counting only periods up to now (the DCS client never asks for later
 * ones). A request over the budget (DCS_CALL_BUDGET) is refused with 400 saying the estimate
 * and how to narrow it, so that one careless URL cannot spend a shared DCS's quota.
 * Every route that reads readings calls checkDcsBudget with its own span and sources.
 */
import {
  addPeriods,
  availableEnd,
  countPeriods,
  countWindows,
  floorToPeriod,
  formatDcsTime,
  type PeriodType,
  ceilToPeriod,
  MS_PER_DAY,
  type DcsClient,
} from 'dcs-client';
import type { ServerConfig } from '../config';
import { HttpError } from './errors';

export interface DcsCostRequest {
  /** How many sources are read over the span. */
  sources: number;
  /** The span asked for, [startMs, endMs), on period boundaries. */
  startMs: number;
  endMs: number;
  periodType: PeriodType;
  /** DCS_MAX_WINDOW_DAYS: the longest span of one DCS call. */
  maxWindowDays: number;
  /** When the route itself asks in smaller pieces (OData pages), the most periods in one call. */
  periodsPerCall?: number;
  /** Epoch ms; default Date.now(). */
  now?: number;
}

export interface DcsBudgetRequest extends DcsCostRequest {
  /** DCS_CALL_BUDGET. */
  budget: number;
  /** The parameter the message points at; default 'end'. */
  parameter?: string;
}

export interface DcsCostEstimate {
  calls: number;
  /** Calls per source. */
  windows: number;
  /** Where the span ends once periods after now are left out. */
  endMs: number;
}

/** The DCS calls a request will make: per source, its windows (at least one, for the header). */
export function estimateDcsCost(request: DcsCostRequest): DcsCostEstimate {
  const now = request.now ?? Date.now();
  const endMs = Math.min(request.endMs, availableEnd(now, request.periodType));
  let windows = 1;
  if (endMs > request.startMs) {
    windows = countWindows(request.startMs, endMs, request.periodType, request.maxWindowDays);
    if (request.periodsPerCall !== undefined && Number.isFinite(request.periodsPerCall)) {
      const pieces = Math.ceil(countPeriods(request.startMs, endMs, request.periodType) / Math.max(1, request.periodsPerCall));
      windows = Math.max(windows, pieces);
    }
  }
  return { calls: windows * Math.max(1, request.sources), windows, endMs };
}

/** Throws 400 when the request's estimated DCS calls exceed the budget; otherwise returns the estimate. */
export function checkDcsBudget(request: DcsBudgetRequest): DcsCostEstimate {
  const estimate = estimateDcsCost(request);
  if (estimate.calls <= request.budget) return estimate;
  const sources = Math.max(1, request.sources);
  const what = sources === 1 ? `${estimate.windows} DCS calls` : `${sources} sources × ${estimate.windows} calls each = ${estimate.calls} DCS calls`;
  throw new HttpError(
    400,
    'bad_request',
    `${request.parameter ?? 'end'}: this request would cost about ${what} (${formatDcsTime(request.startMs)} to ${formatDcsTime(estimate.endMs)}), ` +
      `over the limit of ${request.budget} calls per request (DCS_CALL_BUDGET). Narrow it: ${narrowingHint(request, estimate)}.`,
    request.parameter ?? 'end',
  );
}

/** The server's limits on what one request may cost DCS (the span cap in force, DCS_CALL_BUDGET, its clock). */
export interface BudgetLimits {
  maxWindowDays: number;
  budget: number;
  now: number;
}

/**
 * The limits in force now: DCS_CALL_BUDGET, and windows of DCS_MAX_WINDOW_DAYS or the shorter span
 * cap the DCS client has learned from DCS's refusals (any instance's, with REDIS_URL), since that
 * is what the pull will really be cut into.
 */
export async function budgetLimits(
  ctx: { config: Pick<ServerConfig, 'dcsMaxWindowDays' | 'dcsCallBudget' | 'now'> },
  dcs: Pick<DcsClient, 'windowDaysInForce'>,
): Promise<BudgetLimits> {
  const maxWindowDays = await dcs.windowDaysInForce(ctx.config.dcsMaxWindowDays);
  return { maxWindowDays, budget: ctx.config.dcsCallBudget, now: (ctx.config.now ?? Date.now)() };
}

/**
 * The check for routes that read half-hours whatever they show (intervals, consumption, OData
 * Intervals): the span is widened to DCS's half-hour grid first, as the half-hours are asked for.
 */
export function checkHalfHourBudget(limits: BudgetLimits, sources: number, span: { startMs: number; endMs: number }, parameter?: string): DcsCostEstimate {
  return checkDcsBudget({
    ...limits,
    sources,
    startMs: ceilToPeriod(span.startMs, 'halfHour'),
    endMs: ceilToPeriod(span.endMs, 'halfHour'),
    periodType: 'halfHour',
    ...(parameter !== undefined ? { parameter } : {}),
  });
}

/**
 * The budget held during a pull: the estimate can only use the span cap known before it, so when
 * DCS refuses a span mid-pull and the client re-plans into more windows than one source's share
 * of DCS_CALL_BUDGET, the pull stops there (a 400, before anything is sent for the first source).
 */
export function budgetGuard(limits: BudgetLimits, sources: number): (window: { count: number }) => void {
  const share = Math.max(1, Math.floor(limits.budget / Math.max(1, sources)));
  return ({ count }) => {
    if (count <= share) return;
    throw new HttpError(
      400,
      'bad_request',
      `start: DCS allows a shorter span per call than this server assumed, so this request would cost about ${count} DCS calls per source, ` +
        `over the limit of ${limits.budget} calls per request (DCS_CALL_BUDGET); ask for a shorter span (the server now knows DCS's limit and will say what fits)`,
      'start',
    );
  };
}

/** Concrete ways to get under the budget: an end that fits, or fewer sources if that alone would do. */
function narrowingHint(request: DcsBudgetRequest, estimate: DcsCostEstimate): string {
  const sources = Math.max(1, request.sources);
  const hints: string[] = [];
  const windowsAllowed = Math.floor(request.budget / sources);
  if (windowsAllowed >= 1 && estimate.endMs > request.startMs) {
    hints.push(
      `ask for a shorter span (an end no later than ${formatDcsTime(fittingEnd(request, estimate, windowsAllowed)).slice(0, 10)}) and the rest in further requests`,
    );
  }
  const sourcesAllowed = Math.floor(request.budget / estimate.windows);
  if (sourcesAllowed >= 1 && sourcesAllowed < sources) hints.push(`ask for at most ${sourcesAllowed} sources at a time over this span`);
  if (hints.length === 0) hints.push('ask for a shorter span and fewer sources at a time');
  return hints.join(', or ');
}

/** An end (a day boundary, not after the estimate's) whose span costs at most `windows` calls per source. */
function fittingEnd(request: DcsBudgetRequest, estimate: DcsCostEstimate, windows: number): number {
  const spanMs = estimate.endMs - request.startMs;
  const byWindows = request.periodsPerCall === undefined ? windows * request.maxWindowDays * MS_PER_DAY : (spanMs * windows) / estimate.windows;
  const endMs = Math.min(estimate.endMs, request.startMs + byWindows);
  return Math.max(floorToPeriod(floorToPeriod(endMs, 'day'), request.periodType), addPeriods(request.startMs, request.periodType, 1));
}
