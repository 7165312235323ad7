/**
 * Reading query parameters the same way on every route, so that a caller who learns one route's
 * rules (a parameter given once, ids repeated or comma-separated) can rely on them everywhere.
 */
import { parseSourceId } from 'dcs-client';
import { badParameter } from '../request-errors';
import { looksLikeGroupId, parseGroupId } from '../groups/group';
import { timeParameter } from '../time/parameters';
import { addDays, isPlainDate } from '../time/zones';

/** A query parameter given at most once, as text. */
export function singleText(value: unknown, name: string): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw badParameter(name, 'give it once, as plain text');
  return value;
}

/**
 * Refuses a query string holding a parameter the route does not take: a misspelt one
 * (`lastday`, `band`) would otherwise be ignored and silently change the answer.
 */
export function refuseUnknownParameters(query: Record<string, unknown>, known: readonly string[], route: string): void {
  const unknown = Object.keys(query).filter((name) => !known.includes(name));
  if (unknown.length === 0) return;
  const named = unknown.map((name) => `'${name}'`).join(', ');
  const takes = known.length === 0 ? 'takes no parameters' : `takes ${known.join(', ')}`;
  throw badParameter(
    unknown[0],
    `${named} ${unknown.length === 1 ? 'is not a parameter' : 'are not parameters'} of ${route}, which ${takes} (names are case-sensitive)`,
  );
}

/** A span's end as the first instant NOT included, and the parameter it was given as. */
export interface SpanEnd {
  /** `end`'s text, or the day after `lastDay` (a plain date: the start of that day). */
  text: string;
  parameter: 'end' | 'lastDay';
}

/**
 * The span's end, given either as `end` (the first instant NOT included, on every route) or as
 * `lastDay` (a date whose whole day is included, as invoices state periods). Both at once is
 * ambiguous, so refused; neither gives an empty `end`, which the caller refuses as missing.
 */
export function spanEndParameter(end: string | undefined, lastDay: string | undefined): SpanEnd {
  if (end !== undefined && lastDay !== undefined) {
    throw badParameter(
      'lastDay',
      `give end (the first instant not included, e.g. end=${EXAMPLE_END}) or lastDay (the last day included, e.g. lastDay=${EXAMPLE_LAST_DAY}), not both`,
    );
  }
  if (lastDay === undefined) return { text: end ?? '', parameter: 'end' };
  const day = lastDay.trim();
  if (!isPlainDate(day)) {
    throw badParameter(
      'lastDay',
      `'${day}' is not a date; lastDay is the last whole day included, as YYYY-MM-DD (e.g. ${EXAMPLE_LAST_DAY}); for a time, give end (exclusive) instead`,
    );
  }
  return { text: timeParameter('lastDay', () => addDays(day, 1)), parameter: 'lastDay' };
}

const EXAMPLE_END = '2024-05-01';
const EXAMPLE_LAST_DAY = '2024-04-30';

/**
 * Source ids from a repeatable `id` parameter whose values may each be comma-separated:
 * normalised (`r0733` → `R733`, `Group:Plant` → `group:plant`), duplicates dropped, in the order
 * asked. Group ids pass here as they are; the route expands them (server/groups/resolve.ts).
 */
export function sourceIdsParameter(value: unknown, maxIds: number): string[] {
  const values = Array.isArray(value) ? value : value === undefined ? [] : [value];
  const ids: string[] = [];
  for (const entry of values) {
    if (typeof entry !== 'string') throw badParameter('id', 'must be plain text, not a structured value');
    for (const part of entry.split(',')) {
      const text = part.trim();
      if (text === '') continue;
      const id = idOf(text);
      if (!ids.includes(id)) ids.push(id);
    }
  }
  if (ids.length === 0) {
    throw badParameter('id', 'missing; give one or more source ids, e.g. id=R733 or id=R733,VM9 (GET /api/sources lists them)');
  }
  if (ids.length > maxIds) throw badParameter('id', `${ids.length} sources in one call; ask for at most ${maxIds} at a time`);
  return ids;
}

/** One id, normalised: a source id (the client's grammar, `parseSourceId`) or a group id (`parseGroupId`). */
function idOf(text: string): string {
  if (looksLikeGroupId(text)) {
    const group = parseGroupId(text);
    if (group === undefined) {
      throw badParameter(
        'id',
        `'${text}' is not a group id; a group id is group: then lower-case letters, digits and single hyphens, e.g. group:engineering-elec (GET /api/groups lists them)`,
      );
    }
    return group;
  }
  const parsed = parseSourceId(text);
  if (!parsed) {
    throw badParameter(
      'id',
      `'${text}' is not a source id; use R<register id> or VM<virtual meter id>, e.g. R733 or VM9, or a group id such as group:engineering-elec (GET /api/sources and GET /api/groups list them)`,
    );
  }
  return parsed.id;
}
