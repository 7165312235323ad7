/**
 * Monitoring-and-targeting figures per interval, gathered as the half-hours stream past beside
 * the accumulator's own: baseload (analysis/baseload.ts), consumption outside occupied hours,
 * and heating/cooling degree days of a temperature source (analysis/degree-days.ts: each local
 * day's mean of its half-hourly temperatures, summed per interval). Only what was asked is kept:
 * baseload holds one interval's half-hour values, the rest a few running sums.
 */
import { baseloadKw } from '../analysis/baseload';
import { dayDegreeDays } from '../analysis/degree-days';
import type { BandMatcher } from '../time/bands';
import { cleanNumber } from './accumulator';
import { floorToInterval } from './calendar';

export interface ProfileOptions {
  baseload?: boolean;
  /** Occupied hours: outOfHours sums the half-hours NOT in this band. */
  occupied?: BandMatcher;
  /** Degree days of a temperature source, days being local to `timeZone`. */
  degreeDays?: { baseTemperature: number; timeZone: string };
  /** kgCO2e per kWh for a half-hour starting at `t` (analysis/carbon.ts). */
  carbonFactor?: (t: number) => number;
}

export interface ProfileValues {
  baseload: number | null;
  outOfHours: number | null;
  heatingDegreeDays: number | null;
  coolingDegreeDays: number | null;
  carbon: number | null;
}

export const NO_PROFILE: ProfileValues = { baseload: null, outOfHours: null, heatingDegreeDays: null, coolingDegreeDays: null, carbon: null };

export class ProfileFigures {
  private values: number[] = [];
  private outOfHours = 0;
  private usable = 0;
  private day = NaN;
  private daySum = 0;
  private dayCount = 0;
  private heating = 0;
  private cooling = 0;
  private days = 0;
  private carbon = 0;

  constructor(private readonly options: ProfileOptions) {}

  /** One usable (finite) half-hour. */
  add(t: number, q: number): void {
    this.usable++;
    if (this.options.baseload) this.values.push(q);
    if (this.options.carbonFactor) this.carbon += q * this.options.carbonFactor(t);
    if (this.options.occupied !== undefined && !this.options.occupied(t)) this.outOfHours += q;
    const dd = this.options.degreeDays;
    if (dd !== undefined) {
      const day = floorToInterval(t, 'day', dd.timeZone);
      if (day !== this.day) this.closeDay();
      this.day = day;
      this.daySum += q;
      this.dayCount++;
    }
  }

  /** The interval's figures; starts the next interval afresh. */
  take(): ProfileValues {
    this.closeDay();
    const some = this.usable > 0;
    const base = this.options.degreeDays?.baseTemperature;
    const result: ProfileValues = {
      baseload: this.options.baseload ? baseloadKw(this.values) : null,
      outOfHours: this.options.occupied !== undefined && some ? cleanNumber(this.outOfHours) : null,
      heatingDegreeDays: base !== undefined && this.days > 0 ? cleanNumber(this.heating) : null,
      coolingDegreeDays: base !== undefined && this.days > 0 ? cleanNumber(this.cooling) : null,
      carbon: this.options.carbonFactor && some ? cleanNumber(this.carbon) : null,
    };
    this.carbon = 0;
    this.values = [];
    this.outOfHours = 0;
    this.usable = 0;
    this.heating = 0;
    this.cooling = 0;
    this.days = 0;
    this.day = NaN;
    return result;
  }

  private closeDay(): void {
    const base = this.options.degreeDays?.baseTemperature;
    if (base === undefined || this.dayCount === 0) return;
    const mean = this.daySum / this.dayCount;
    this.heating += dayDegreeDays(mean, base, 'heating');
    this.cooling += dayDegreeDays(mean, base, 'cooling');
    this.days++;
    this.daySum = 0;
    this.dayCount = 0;
  }
}
