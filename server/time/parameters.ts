/**
 * Reading a request's dates, times and zone the same way everywhere (routes and calculations):
 * a TimeParseError becomes a RequestError that names the parameter at fault.
 */
import { badParameter } from '../request-errors';
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

/** An optional `timeZone`: UTC when absent or blank, else the zone's canonical IANA name. */
export function timeZoneParameter(text: string | undefined): string {
  if (text === undefined || text.trim() === '') return 'UTC';
  return timeParameter('timeZone', () => checkTimeZone(text.trim()));
}
