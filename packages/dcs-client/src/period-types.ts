/**
 * The period types DCS knows, listed once for the client, the server's routes, the OData feed and
 * the simulator. The wire type in server/api/types.ts names the same five; the add-in ties its
 * own list to that type (addin/query/period-types.ts).
 */

export type PeriodType = 'halfHour' | 'hour' | 'day' | 'week' | 'month';

export const PERIOD_TYPES: readonly PeriodType[] = ['halfHour', 'hour', 'day', 'week', 'month'];

/** The period type `text` names, in any case (DCS accepts `halfhour`, and pythondcs sends it); undefined if none. */
export function parsePeriodType(text: string): PeriodType | undefined {
  const lower = text.toLowerCase();
  return PERIOD_TYPES.find((p) => p.toLowerCase() === lower);
}
