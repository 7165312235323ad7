/**
 * Reading and checking GET /api/readings' query string. Every refusal names the parameter,
 * says what is wrong with the value given and what to send instead.
 */
import type { Request } from 'express';
import type { OutputFormat, PeriodType, ReadingsFormat } from '../api/types';
import { addPeriods, isPeriodStart, parsePeriodType, PERIOD_TYPES } from 'dcs-client';
import { MAX_SOURCES, refuseUnknownParameters, singleText, sourceIdsParameter, spanEndParameter } from '../http/params';
import { badParameter } from '../request-errors';
import { timeParameter, timeZoneParameter } from '../time/parameters';
import { isUtcZone, parseInZone } from '../time/zones';

export const OUTPUT_FORMATS: readonly OutputFormat[] = ['json', 'ndjson', 'csv'];
const SPAN_HINT = 'give start and end (YYYY-MM-DD or YYYY-MM-DDTHH:mm), or start and periodCount';

export interface ReadingsRequest {
  ids: string[];
  start: Date;
  end: Date;
  periodType: PeriodType;
  calibrated?: boolean;
  interpolated?: boolean;
  format: ReadingsFormat;
  /** Canonical IANA name (timeZone=, else the server's default); naive start/end were read in it, csv times are written in it. */
  timeZone: string;
  /** From ?output=; undefined means "decide by the Accept header". */
  output?: OutputFormat;
}

type Query = Request['query'];

/** Every parameter GET /api/readings takes (startTime/endTime: DCS's own names for start/end); any other is refused. */
const READINGS_PARAMETERS = [
  'id',
  'start',
  'end',
  'lastDay',
  'periodCount',
  'startTime',
  'endTime',
  'periodType',
  'timeZone',
  'calibrated',
  'interpolated',
  'format',
  'output',
];

export function parseReadingsQuery(query: Query, defaultTimeZone: string): ReadingsRequest {
  refuseUnknownParameters(query, READINGS_PARAMETERS, 'GET /api/readings');
  const ids = sourceIdsParameter(query.id, MAX_SOURCES);
  const periodType = checkPeriodType(one(query, 'periodType'));
  const timeZone = timeZoneParameter(one(query, 'timeZone'), defaultTimeZone);
  const zone = timeZone;

  const startText = one(query, 'start') ?? one(query, 'startTime');
  const lastDay = one(query, 'lastDay');
  const endGiven = one(query, 'end') ?? one(query, 'endTime');
  const endText = endGiven === undefined && lastDay === undefined ? undefined : spanEndParameter(endGiven, lastDay).text;
  const countText = one(query, 'periodCount');
  if (startText === undefined) throw badParameter('start', `missing; ${SPAN_HINT}`);
  const start = parseTime('start', startText, zone);
  checkBoundary('start', startText, start, periodType, timeZone);

  let end: Date;
  if (endText !== undefined && countText !== undefined) {
    throw badParameter('periodCount', 'give either end or periodCount, not both');
  } else if (endText !== undefined) {
    end = parseTime('end', endText, zone);
    checkBoundary('end', endText, end, periodType, timeZone);
    if (end.getTime() <= start.getTime()) {
      throw badParameter('end', `'${endText}' is not after start '${startText}'; the span is [start, end) and must not be empty`);
    }
  } else if (countText !== undefined) {
    if (!/^\d+$/.test(countText) || Number(countText) < 1 || Number(countText) > 10_000_000) {
      throw badParameter('periodCount', `'${countText}' is not a whole number of periods from 1 to 10000000`);
    }
    end = new Date(addPeriods(start.getTime(), periodType, Number(countText)));
  } else {
    throw badParameter('end', `missing; ${SPAN_HINT}`);
  }

  return {
    ids,
    start,
    end,
    periodType,
    calibrated: parseBoolean('calibrated', one(query, 'calibrated')),
    interpolated: parseBoolean('interpolated', one(query, 'interpolated')),
    format: parseFormat(one(query, 'format')),
    timeZone,
    output: parseOutput(one(query, 'output')),
  };
}

/** A parameter given at most once, trimmed. */
function one(query: Query, name: string): string | undefined {
  return singleText(query[name], name)?.trim();
}

function parseTime(name: string, text: string, zone: string): Date {
  return timeParameter(name, () => parseInZone(text, zone));
}

/** DCS refuses spans that do not start and end on period boundaries; say so in our terms. */
function checkBoundary(name: string, text: string, instant: Date, periodType: PeriodType, timeZone: string): void {
  if (isPeriodStart(instant.getTime(), periodType)) return;
  const utc = instant.toISOString().replace('.000Z', 'Z');
  const given = isUtcZone(timeZone) ? `'${text}' (${utc})` : `'${text}' in ${timeZone} is ${utc}, which`;
  const local =
    !isUtcZone(timeZone) && periodType !== 'halfHour' && periodType !== 'hour'
      ? `; for ${periodType}s in local time (${timeZone}) use /api/intervals?interval=${periodType}&timeZone=${encodeURIComponent(timeZone)}, which sums DCS's half-hours by the local calendar`
      : '';
  throw badParameter(name, `${given} is not ${describeBoundary(periodType)}; DCS ${periodType} periods start and end there${local}`);
}

/** What a boundary of this period type looks like, for error messages. */
function describeBoundary(periodType: PeriodType): string {
  switch (periodType) {
    case 'halfHour':
      return 'on the hour or half-hour (UTC)';
    case 'hour':
      return 'on the hour (UTC)';
    case 'day':
      return 'at 00:00 UTC';
    case 'week':
      return 'on a Monday at 00:00 UTC';
    case 'month':
      return 'on the 1st of a month at 00:00 UTC';
  }
}

function checkPeriodType(text: string | undefined): PeriodType {
  if (text === undefined) return 'halfHour';
  const match = parsePeriodType(text);
  if (!match) throw badParameter('periodType', `'${text}' is not a period type; use one of ${PERIOD_TYPES.join(', ')}`);
  return match;
}

function parseFormat(text: string | undefined): ReadingsFormat {
  if (text === undefined) return 'standard';
  const lower = text.toLowerCase();
  if (lower === 'standard' || lower === 'complete') return lower;
  throw badParameter('format', `'${text}' is not a readings format; use standard (value) or complete (totalValue and periodValue)`);
}

export function parseOutput(text: string | undefined): OutputFormat | undefined {
  if (text === undefined) return undefined;
  const match = OUTPUT_FORMATS.find((o) => o === text.toLowerCase());
  if (!match) throw badParameter('output', `'${text}' is not an output format; use json, ndjson or csv (or an Accept header)`);
  return match;
}

export function parseBoolean(name: string, text: string | undefined): boolean | undefined {
  if (text === undefined) return undefined;
  const lower = text.toLowerCase();
  if (lower === 'true' || lower === '1' || lower === 'yes') return true;
  if (lower === 'false' || lower === '0' || lower === 'no') return false;
  throw badParameter(name, `'${text}' is not true or false`);
}
