/**
 * A typical day: the mean demand (kW) in each local half-hour of the day, weekdays and weekends
 * apart. A half-hour is placed by its LOCAL start, so "08:00" means 08:00 on the wall clock on
 * every day: on the spring clock-change day 01:00–02:00 does not happen (those slots get no
 * sample that day), and on the autumn one 01:00–02:00 happens twice (both samples count, each
 * as one observation of its slot).
 */
import { offsetMinutesAt } from '../time/zones';
import { HALF_HOURS_PER_HOUR } from './baseload';

export const SLOTS_PER_DAY = 48;
const MINUTE_MS = 60_000;
const DAY_MS = 86_400_000;

/** One slot: `demandKw` the mean over `samples` half-hours, `null` when there were none. */
export interface TypicalSlot {
  /** Local time of day the slot starts, `HH:MM`. */
  time: string;
  demandKw: number | null;
  samples: number;
}

export interface TypicalDay {
  weekday: TypicalSlot[];
  weekend: TypicalSlot[];
}

/** Where a half-hour falls in its local day: weekday or weekend, and slot 0–47. */
export function localSlot(halfHourStartMs: number, timeZone: string): { weekend: boolean; slot: number } {
  const wallMs = halfHourStartMs + offsetMinutesAt(timeZone, halfHourStartMs) * MINUTE_MS;
  const dayStart = Math.floor(wallMs / DAY_MS) * DAY_MS;
  const slot = Math.floor((wallMs - dayStart) / (30 * MINUTE_MS));
  // 1970-01-01 was a Thursday: day number 0 → Thursday; Saturday and Sunday are 2 and 3 after.
  const weekday = (((dayStart / DAY_MS + 3) % 7) + 7) % 7; // 0 = Monday
  return { weekend: weekday >= 5, slot };
}

/** Accumulates half-hours (kWh each) into the two 48-slot profiles. */
export class TypicalDayAccumulator {
  private readonly sums = [new Float64Array(SLOTS_PER_DAY), new Float64Array(SLOTS_PER_DAY)];
  private readonly counts = [new Uint32Array(SLOTS_PER_DAY), new Uint32Array(SLOTS_PER_DAY)];

  constructor(private readonly timeZone: string) {}

  add(halfHourStartMs: number, kwh: number): void {
    if (!Number.isFinite(kwh)) return;
    const { weekend, slot } = localSlot(halfHourStartMs, this.timeZone);
    const kind = weekend ? 1 : 0;
    this.sums[kind][slot] += kwh * HALF_HOURS_PER_HOUR;
    this.counts[kind][slot]++;
  }

  result(): TypicalDay {
    const slots = (kind: number): TypicalSlot[] =>
      Array.from({ length: SLOTS_PER_DAY }, (_, slot) => {
        const samples = this.counts[kind][slot];
        return { time: slotTime(slot), demandKw: samples === 0 ? null : Number((this.sums[kind][slot] / samples).toPrecision(12)), samples };
      });
    return { weekday: slots(0), weekend: slots(1) };
  }
}

function slotTime(slot: number): string {
  const minutes = slot * 30;
  return `${String(Math.floor(minutes / 60)).padStart(2, '0')}:${String(minutes % 60).padStart(2, '0')}`;
}
