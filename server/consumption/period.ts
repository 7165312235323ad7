/**
 * A billing period as users state it, turned into the half-open UTC span that is summed.
 *
 * Invoices state periods inclusive of their last day ("1 April to 30 April"), so an `end` given
 * as a plain date means the END of that day in the chosen zone (the start of the next local
 * day), and a plain-date `start` means the start of its day. A date-time is an exact instant:
 * local to the zone when written without an offset, and an `end` date-time is exclusive.
 */
import { badParameter } from '../request-errors';
import { timeParameter, timeZoneParameter } from '../time/parameters';
import { endOfLocalDay, parseInZone, startOfLocalDay } from '../time/zones';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import type { HalfHourSpan } from './tally';

export interface BillingPeriodInput {
  start: string;
  end: string;
  /** IANA zone name; default UTC. */
  timeZone?: string;
}

export interface BillingPeriod extends HalfHourSpan {
  /** The zone's canonical name. */
  timeZone: string;
}

/** The longest period one request may cover; a typo in a year should not pull a century. */
export const MAX_PERIOD_DAYS = 3700;

const PLAIN_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function resolveBillingPeriod(input: BillingPeriodInput): BillingPeriod {
  const timeZone = timeZoneParameter(input.timeZone);
  const startMs = readBound('start', input.start, timeZone);
  const endMs = readBound('end', input.end, timeZone);
  if (endMs < startMs) {
    throw badParameter('end', `'${input.end.trim()}' is before start '${input.start.trim()}'; give the period's first day as start and its last day as end`);
  }
  if (endMs === startMs) {
    throw badParameter(
      'end',
      `'${input.end.trim()}' is the same instant as start '${input.start.trim()}', so the period is empty; an end date-time is exclusive: give a later end, or a plain date (YYYY-MM-DD) to include that whole day`,
    );
  }
  if (endMs - startMs > MAX_PERIOD_DAYS * 86_400_000) {
    throw badParameter(
      'end',
      `the period from ${input.start} to ${input.end} is longer than ${MAX_PERIOD_DAYS} days; check the years, or ask for shorter periods`,
    );
  }
  return { startMs, endMs, timeZone };
}

/** One bound as epoch milliseconds, on a half-hour boundary. */
function readBound(name: 'start' | 'end', text: string, zone: string): number {
  const value = text.trim();
  if (value === '') throw badParameter(name, `missing; give a date (YYYY-MM-DD) or a date-time (YYYY-MM-DDTHH:mm)`);
  const ms = timeParameter(name, () => {
    if (!PLAIN_DATE.test(value)) return parseInZone(value, zone).getTime();
    return (name === 'start' ? startOfLocalDay(value, zone) : endOfLocalDay(value, zone)).getTime();
  });
  if (ms % HALF_HOUR_MS !== 0) {
    const what = PLAIN_DATE.test(value) ? `midnight in ${zone}` : `'${value}'`;
    throw badParameter(
      name,
      `${what} is ${new Date(ms).toISOString()}, which is not on a half-hour boundary; DCS records whole half-hours (:00 and :30 UTC), so give a time that falls on one`,
    );
  }
  return ms;
}
