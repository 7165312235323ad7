/**
 * Reading a request's dates, times, time-of-day bands and zone the same way everywhere (routes and calculations):
 * a TimeParseError becomes a RequestError that names the parameter at fault.
 */
import { badParameter } from '../request-errors';
import { BandSyntaxError, parseBand, type Band } from './bands';
import { checkTimeZone, TimeParseError } from './zones';

/** Runs a reader of dates, times or zones; a TimeParseError becomes a BAD_PARAMETER naming the parameter. */
export function timeParameter<T>(name: string, read: () => T): T {
  try {
    return read();
  } catch (error) {
    if (error instanceof TimeParseError) throw badParameter(name, error.message);
    throw error;
  }
}

/**
 * An optional `timeZone`, read by one rule on every route: absent or blank means the server's
 * default (the setting DEFAULT_TIME_ZONE, UTC unless set); otherwise the zone's canonical IANA name.
 */
export function timeZoneParameter(text: string | undefined, serverDefault: string): string {
  if (text === undefined || text.trim() === '') return serverDefault;
  return timeParameter('timeZone', () => checkTimeZone(text.trim()));
}

/** An optional time-of-day band (`band=`); undefined when absent or blank. A BandSyntaxError becomes a BAD_PARAMETER naming it. */
export function bandParameter(text: string | undefined, name = 'band'): Band | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseBand(text);
  } catch (error) {
    if (error instanceof BandSyntaxError) throw badParameter(name, error.message);
    throw error;
  }
}
