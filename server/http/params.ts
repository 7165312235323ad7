/**
 * Reading query parameters the same way on every route, so that a caller who learns one route's
 * rules (a parameter given once, ids repeated or comma-separated) can rely on them everywhere.
 */
import { parseSourceId } from 'dcs-client';
import { BandSyntaxError, parseBand, type Band } from '../time/bands';
import { checkTimeZone, TimeParseError } from '../time/zones';
import { badParameter } from './errors';

/** A query parameter given at most once, as text. */
export function singleText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badParameter(name, 'give it once, as plain text');
  return value;
}

/** Runs a reader of dates, times or zones; a TimeParseError becomes a 400 that names the parameter. */
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

/**
 * Source ids from a repeatable `id` parameter whose values may each be comma-separated:
 * normalised (`r0733` → `R733`), duplicates dropped, in the order asked.
 */
export function sourceIdsParameter(value: unknown, maxIds: number): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const ids: string[] = [];
  for (const entry of values) {
    if (typeof entry !== 'string') throw badParameter('id', 'must be plain text, not a structured value');
    for (const part of entry.split(',')) {
      const text = part.trim();
      if (text === '') continue;
      const parsed = parseSourceId(text);
      if (!parsed) {
        throw badParameter('id', `'${text}' is not a source id; use R<register id> or VM<virtual meter id>, e.g. R733 or VM9 (GET /api/sources lists them)`);
      }
      if (!ids.includes(parsed.id)) ids.push(parsed.id);
    }
  }
  if (ids.length === 0) {
    throw badParameter('id', 'missing; give one or more source ids, e.g. id=R733 or id=R733,VM9 (GET /api/sources lists them)');
  }
  if (ids.length > maxIds) throw badParameter('id', `${ids.length} sources in one call; ask for at most ${maxIds} at a time`);
  return ids;
}

/** An optional time-of-use band (`band=`, syntax in server/time/bands.ts); blank means none. */
export function bandParameter(text: string | undefined, name = 'band'): Band | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  try {
    return parseBand(text);
  } catch (error) {
    if (error instanceof BandSyntaxError) throw badParameter(name, error.message);
    throw error;
  }
}
