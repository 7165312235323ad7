/**
 * The period types, listed for the add-in. The add-in may import only types from the server, so
 * the list is tied to the wire type instead: adding a period type to PeriodType in
 * server/api/types.ts does not compile until it is added here too.
 */
import type { PeriodType } from '../../server/api/types';

const EVERY_PERIOD_TYPE: Record<PeriodType, true> = { halfHour: true, hour: true, day: true, week: true, month: true };

export const PERIOD_TYPES = Object.keys(EVERY_PERIOD_TYPE) as readonly PeriodType[];
