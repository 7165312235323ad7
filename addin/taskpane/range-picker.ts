import type { IntervalType, PeriodType, ReadingsFormat } from '../../server/api/types';
import { alignToIntervals, describeIntervalSpan, type WhatToGet } from '../query/intervals-query';
import { describeRange, resolveRange, type RangePreset, type TimeRange } from '../query/presets';
import { isClockInterval, readingsMisfitAdvice, type ReadingsOptions } from '../query/table-query';
import { byId, radioValue, show } from './dom';

/** Zones offered first; the computer's own zone is added when it is not among them. */
const COMMON_ZONES = ['UTC', 'Europe/London', 'Europe/Dublin', 'Europe/Paris', 'America/New_York', 'Australia/Sydney'];

const READING_PERIODS: readonly string[] = ['halfHour', 'hour', 'day', 'week', 'month'];

/** The time range, interval, zone and reading options of the pane. */
export class RangePicker {
  #what: WhatToGet = 'consumption';

  readonly #preset = byId<HTMLSelectElement>('preset');
  readonly #period = byId<HTMLSelectElement>('period-type');
  readonly #zone = byId<HTMLSelectElement>('time-zone');
  readonly #start = byId<HTMLInputElement>('start-date');
  readonly #end = byId<HTMLInputElement>('end-date');
  readonly #preview = byId('range-preview');
  readonly #switch = byId('use-consumption');

  constructor() {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = local && !COMMON_ZONES.includes(local) ? [...COMMON_ZONES, local] : COMMON_ZONES;
    for (const zone of zones) {
      const option = document.createElement('option');
      option.value = zone;
      option.textContent = zone === local ? `${zone} (this computer)` : zone;
      this.#zone.append(option);
    }
    // The workbook's zone is set by useZone once it is read; until then, and for a new workbook, the computer's.
    this.#zone.value = zones.includes(local) ? local : 'UTC';
    for (const input of [this.#preset, this.#period, this.#zone, this.#start, this.#end]) {
      input.addEventListener('change', () => this.#update());
    }
    this.#update();
  }

  /** Shows a zone (the workbook's), adding it to the list when it is not offered. */
  useZone(zone: string): void {
    if (![...this.#zone.options].some((o) => o.value === zone)) {
      const option = document.createElement('option');
      option.value = zone;
      option.textContent = zone;
      this.#zone.append(option);
    }
    this.#zone.value = zone;
    this.#update();
  }

  /** Calls `listener` with the zone the user picks. */
  onZoneChange(listener: (zone: string) => void): void {
    this.#zone.addEventListener('change', () => listener(this.#zone.value));
  }

  /** The chosen range: a preset (stays relative on refresh) or fixed dates. */
  range(): TimeRange {
    if (this.#preset.value === 'custom') {
      if (!this.#start.value || !this.#end.value) throw new Error('Choose both dates of the custom range.');
      // The end date is included: the range runs to midnight after it.
      const end = new Date(`${this.#end.value}T00:00:00Z`);
      if (Number.isNaN(end.getTime())) throw new Error('The "To" date is not a date.');
      end.setUTCDate(end.getUTCDate() + 1);
      return { kind: 'fixed', start: `${this.#start.value}T00:00:00`, end: end.toISOString().slice(0, 19) };
    }
    return { kind: 'relative', preset: this.#preset.value as RangePreset };
  }

  /** Consumption and statistics, or readings: readings have their own options and periods. */
  setWhat(what: WhatToGet): void {
    this.#what = what;
    show(byId('reading-options'), what === 'readings');
    for (const option of [...this.#period.options]) option.disabled = what === 'readings' && !READING_PERIODS.includes(option.value);
    if (what === 'readings' && !READING_PERIODS.includes(this.#period.value)) this.#period.value = 'month';
    this.#update();
  }

  /**
   * Why DCS has no readings for the chosen range, interval and zone (its day, week and month
   * readings start at UTC boundaries), in the pane's words; undefined when it has.
   */
  readingsAdvice(): string | undefined {
    if (this.#what !== 'readings' || !READING_PERIODS.includes(this.#period.value)) return undefined;
    const periodType = this.#period.value as PeriodType;
    const resolved = resolveRange(this.range(), new Date(), this.#zone.value, periodType);
    return readingsMisfitAdvice(resolved, this.#zone.value, periodType);
  }

  /** True when readings do not fit and the same interval calculated by the zone's calendar would (days and longer). */
  readingsSwitchHelps(): boolean {
    return this.readingsAdvice() !== undefined && !isClockInterval(this.#period.value as PeriodType);
  }

  interval(): IntervalType {
    return this.#period.value as IntervalType;
  }

  timeZone(): string {
    return this.#zone.value;
  }

  options(): ReadingsOptions {
    if (!READING_PERIODS.includes(this.#period.value)) throw new Error('Readings come per half-hour, hour, day, week or month: choose one of those intervals.');
    return {
      periodType: this.#period.value as PeriodType,
      calibrated: byId<HTMLInputElement>('calibrated').checked,
      interpolated: byId<HTMLInputElement>('interpolated').checked,
      format: radioValue('format') as ReadingsFormat,
      timeZone: this.#zone.value,
    };
  }

  #update(): void {
    const custom = this.#preset.value === 'custom';
    show(byId('custom-dates'), custom);
    try {
      const range = this.range();
      const interval = this.interval();
      const zone = this.timeZone();
      const short = interval === 'halfHour' || interval === 'hour' ? interval : 'day';
      let resolved = resolveRange(range, new Date(), zone, short);
      if (this.#what !== 'readings') resolved = alignToIntervals(resolved, interval);
      const moves = range.kind === 'relative' ? ' — moves forward when refreshed' : '';
      // DCS's own day, week and month readings begin at UTC boundaries; calculated intervals follow the zone.
      const advice = this.readingsAdvice();
      const span = this.#what === 'readings' ? describeRange(range, resolved) : describeIntervalSpan(range, interval, resolved);
      this.#preview.textContent = `${span} (${zone})${moves}.${advice ? ` ${advice}` : ''}`;
      show(this.#switch, this.readingsSwitchHelps());
    } catch (error) {
      this.#preview.textContent = error instanceof Error ? error.message : String(error);
      show(this.#switch, false);
    }
  }
}
