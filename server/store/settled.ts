/**
 * When a reading is settled, and so may be served from the store instead of asking DCS: a real
 * reading (status 0) whose whole period ended at least the settle age ago. DCS replaces estimated
 * readings (status 1) when late data arrives, and recent periods can still change, so neither is
 * ever stored; a period DCS sent no reading for is never covered either.
 */
import { addPeriods, floorToPeriod, type AnyReading, type PeriodType } from 'dcs-client';

export const DEFAULT_SETTLE_AGE_MS = 7 * 86_400_000;

/** The first period start after which nothing is settled yet: readings of periods ending by then may be. */
export function settledUntil(nowMs: number, settleAgeMs: number, periodType: PeriodType): number {
  return floorToPeriod(nowMs - settleAgeMs, periodType);
}

export function isSettled(reading: AnyReading, periodType: PeriodType, untilMs: number): boolean {
  return reading.status === 0 && addPeriods(reading.timestamp.getTime(), periodType, 1) <= untilMs;
}
