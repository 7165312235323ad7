import type { PeriodType, ReadingsFormat } from '../../server/api/types';
import { describeRange, resolveRange, type RangePreset, type TimeRange } from '../query/presets';
import type { ReadingsOptions } from '../query/table-query';
import { byId, radioValue, show } from './dom';

/** Zones offered first; the computer's own zone is added when it is not among them. */
const COMMON_ZONES = ['UTC', 'Europe/London', 'Europe/Dublin', 'Europe/Paris', 'America/New_York', 'Australia/Sydney'];

/** The time range, period type, zone and reading options of the pane. */
export class RangePicker {
  readonly #preset = byId<HTMLSelectElement>('preset');
  readonly #period = byId<HTMLSelectElement>('period-type');
  readonly #zone = byId<HTMLSelectElement>('time-zone');
  readonly #start = byId<HTMLInputElement>('start-date');
  readonly #end = byId<HTMLInputElement>('end-date');
  readonly #preview = byId('range-preview');

  constructor() {
    const local = Intl.DateTimeFormat().resolvedOptions().timeZone;
    const zones = local && !COMMON_ZONES.includes(local) ? [...COMMON_ZONES, local] : COMMON_ZONES;
    for (const zone of zones) {
      const option = document.createElement('option');
      option.value = zone;
      option.textContent = zone === local ? `${zone} (this computer)` : zone;
      this.#zone.append(option);
    }
    this.#zone.value = 'Europe/London';
    for (const input of [this.#preset, this.#period, this.#zone, this.#start, this.#end]) {
      input.addEventListener('change', () => this.#update());
    }
    this.#update();
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

  options(): ReadingsOptions {
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
      const options = this.options();
      const resolved = resolveRange(range, new Date(), options.timeZone, options.periodType);
      const moves = range.kind === 'relative' ? ' — moves forward when refreshed' : '';
      // DCS's day, week and month periods begin at midnight UTC; other zones only line up in winter (or never).
      const utcOnly = options.periodType !== 'halfHour' && options.periodType !== 'hour' && options.timeZone !== 'UTC'
        ? ` Note: DCS counts ${options.periodType}s from midnight UTC, so choose UTC as the time zone for ${options.periodType} periods.`
        : '';
      this.#preview.textContent = `${describeRange(range, resolved)} (${options.timeZone})${moves}.${utcOnly}`;
    } catch (error) {
      this.#preview.textContent = error instanceof Error ? error.message : String(error);
    }
  }
}
