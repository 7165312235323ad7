/**
 * Where the demo estate's data features sit in time. They are anchored to the clock at start:
 * all fall within the previous full calendar year (so a pull of last year's half-hourly data
 * shows every one); a second gap and a second NaN spell fall within the last two months.
 */

import { DAY_MS, formatTimestamp, HALF_HOUR_MS, HOUR_MS } from './time';

export interface TimeSpell {
  /** First affected timestamp, `yyyy-MM-ddTHH:mm:ssZ`. */
  start: string;
  /** First unaffected timestamp after the spell (half-open). */
  end: string;
}

export interface DemoFeatureDates {
  /** The calendar year holding the features (the year before now's). */
  year: number;
  /** Readings missing on the gap register (Saturday evening to Tuesday morning, over a Monday). */
  gapSpell: TimeSpell;
  /** A shorter, more recent gap on the same register (within the last two months). */
  recentGapSpell: TimeSpell;
  /** The NaN register reads "NaN" throughout. */
  nanSpell: TimeSpell;
  /** A shorter, more recent NaN spell on the same register (within the last month). */
  recentNanSpell: TimeSpell;
  /** The infinity register reads "Infinity" and "-Infinity" alternately throughout. */
  infinitySpell: TimeSpell;
  /** The reset register's meter was exchanged: its total restarts at 0 here (status 2). Midnight on a Monday that is the 1st of a month, so it is a period start for every period type. */
  resetTime: string;
  /** From here the calibrated register's calibrated totals carry `calibrationOffset`. */
  calibrationTime: string;
  calibrationOffset: number;
  /** Birch Hall's boiler is left on from here (midnight on the first Monday of June): its gas rises by `boilerLeftOnKwhPerHalfHour`. */
  boilerLeftOn: string;
  boilerLeftOnKwhPerHalfHour: number;
  /** The `expired` demo account expired here. */
  accountExpiry: string;
}

function firstWeekdayOnOrAfter(ms: number, weekday: number): number {
  const day = new Date(ms).getUTCDay();
  return ms + ((weekday - day + 7) % 7) * DAY_MS;
}

function spell(startMs: number, endMs: number): TimeSpell {
  return { start: formatTimestamp(startMs), end: formatTimestamp(endMs) };
}

export const CALIBRATION_OFFSET = 1523.4;
/** 30 kWh a half-hour: a 60 kW boiler firing round the clock. */
export const BOILER_LEFT_ON_KWH_PER_HALF_HOUR = 30;

export function demoFeatureDates(now: Date): DemoFeatureDates {
  const year = now.getUTCFullYear() - 1;
  const gapStart = firstWeekdayOnOrAfter(Date.UTC(year, 2, 8), 6) + 21 * HOUR_MS + HALF_HOUR_MS;
  const nanStart = firstWeekdayOnOrAfter(Date.UTC(year, 5, 10), 3) + 12 * HOUR_MS;
  const infinityStart = Date.UTC(year, 7, 14, 10);
  let resetMonth = 0;
  while (new Date(Date.UTC(year, resetMonth, 1)).getUTCDay() !== 1) resetMonth++;
  const recentDay = Math.floor((now.getTime() - 45 * DAY_MS) / DAY_MS) * DAY_MS;
  const recentNanDay = Math.floor((now.getTime() - 20 * DAY_MS) / DAY_MS) * DAY_MS;
  return {
    year,
    gapSpell: spell(gapStart, gapStart + 2 * DAY_MS + 12 * HOUR_MS + HALF_HOUR_MS),
    recentGapSpell: spell(recentDay + 2 * HOUR_MS, recentDay + 8 * HOUR_MS),
    nanSpell: spell(nanStart, nanStart + 3 * DAY_MS),
    recentNanSpell: spell(recentNanDay + 13 * HOUR_MS, recentNanDay + 16 * HOUR_MS),
    infinitySpell: spell(infinityStart, infinityStart + 6 * HOUR_MS),
    resetTime: formatTimestamp(Date.UTC(year, resetMonth, 1)),
    calibrationTime: formatTimestamp(Date.UTC(year, 9, 1)),
    calibrationOffset: CALIBRATION_OFFSET,
    boilerLeftOn: formatTimestamp(firstWeekdayOnOrAfter(Date.UTC(year, 5, 1), 1)),
    boilerLeftOnKwhPerHalfHour: BOILER_LEFT_ON_KWH_PER_HALF_HOUR,
    accountExpiry: formatTimestamp(Date.UTC(year, 11, 31)),
  };
}
