/**
 * A billing period, turned into the half-open UTC span that is summed.
 *
 * `end` is the first instant NOT included, as on every route: a plain date means the start of
 * that day in the chosen zone. Invoices state periods inclusive of their last day ("1 April to
 * 30 April"); that form is `lastDay` (http/params.ts `spanEndParameter` turns it into the start
 * of the next local day). A plain-date `start` means the start of its day; a date-time is an exact
 * instant, local to the zone when written without an offset.
 */
import { badParameter } from '../request-errors';
import { timeParameter, timeZoneParameter } from '../time/parameters';
import { isPlainDate, parseInZone, startOfLocalDay } from '../time/zones';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import type { HalfHourSpan } from './tally';

export interface BillingPeriodInput {
  start: string;
  /** The first instant not included (a `lastDay` already turned into the day after it). */
  end: string;
  /** The parameter `end` came as, for refusals; default `end`. */
  endParameter?: 'end' | 'lastDay';
  /** IANA zone name; missing or blank: `defaultTimeZone`. */
  timeZone?: string;
  /** The server's DEFAULT_TIME_ZONE. */
  defaultTimeZone: string;
}

export interface BillingPeriod extends HalfHourSpan {
  /** The zone's canonical name. */
  timeZone: string;
}

/** The longest period one request may cover; a typo in a year should not pull a century. */
export const MAX_PERIOD_DAYS = 3700;

export function resolveBillingPeriod(input: BillingPeriodInput): BillingPeriod {
  const timeZone = timeZoneParameter(input.timeZone, input.defaultTimeZone);
  const endName = input.endParameter ?? 'end';
  const startMs = readBound('start', input.start, timeZone);
  const endMs = readBound(endName, input.end, timeZone);
  if (endMs < startMs) {
    throw badParameter(endName, `the period ends before start '${input.start.trim()}'; give the period's first day as start and its last day as lastDay`);
  }
  if (endMs === startMs) {
    throw badParameter(
      endName,
      `'${input.end.trim()}' is the same instant as start '${input.start.trim()}', so the period is empty; end is the first instant NOT included: give a later end, or lastDay=YYYY-MM-DD to include that whole day`,
    );
  }
  if (endMs - startMs > MAX_PERIOD_DAYS * 86_400_000) {
    throw badParameter(
      endName,
      `the period from ${input.start} to ${input.end} is longer than ${MAX_PERIOD_DAYS} days; check the years, or ask for shorter periods`,
    );
  }
  return { startMs, endMs, timeZone };
}

/** One bound as epoch milliseconds, on a half-hour boundary. */
function readBound(name: 'start' | 'end' | 'lastDay', text: string, zone: string): number {
  const value = text.trim();
  if (value === '') {
    const hint = name === 'start' ? 'the first day included' : 'the first instant NOT included, or lastDay=YYYY-MM-DD (the last day included)';
    throw badParameter(name, `missing; give a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:mm), ${hint}`);
  }
  const ms = timeParameter(name, () => (isPlainDate(value) ? startOfLocalDay(value, zone) : parseInZone(value, zone)).getTime());
  if (ms % HALF_HOUR_MS !== 0) {
    const what = isPlainDate(value) ? `midnight in ${zone}` : `'${value}'`;
    throw badParameter(
      name,
      `${what} is ${new Date(ms).toISOString()}, which is not on a half-hour boundary; DCS records whole half-hours (:00 and :30 UTC), so give a time that falls on one`,
    );
  }
  return ms;
}
