import type { PeriodType, ReadingJson, ReadingsFormat, SourceHeader } from '../../server/api/types';
import type { TableLayout } from '../query/table-query';
import { ZonedSerials, type DateSystem } from './dates';

/** What an Excel cell can hold here. "" leaves the cell empty. */
export type CellValue = number | string | boolean;

/** How timestamps look: ISO-like order, readable in every locale, sortable as text too. */
export const DATE_TIME_FORMAT = 'yyyy-mm-dd hh:mm';

/** DCS status bits. */
const STATUS_INTERPOLATED = 1;
const STATUS_RESET = 2;

/**
 * The columns of a readings table.
 *
 * NaN and ±Infinity (which DCS sends as the strings "NaN", "Infinity", "-Infinity") cannot be
 * held by an Excel cell. The value cell is left EMPTY, so sums and charts skip it rather than
 * count a made-up 0, and the Note column says what DCS sent ("NaN", "Infinity", ...).
 */
export interface Columns {
  headers: string[];
  /** Index of the timestamp column, which gets DATE_TIME_FORMAT. */
  timestampIndex: number;
  /**
   * Columns of text (ids, names, units, notes). Excel parses text written through Range.values:
   * "-Infinity" would become a formula showing #NAME?, "0123" the number 123. These columns get
   * the Text number format (TEXT_FORMAT) before any value is written.
   */
  textIndexes: number[];
}

/** Excel's Text number format: what is written stays exactly the text written. */
export const TEXT_FORMAT = '@';

export function columnsFor(format: ReadingsFormat, layout: TableLayout, zone: string, unit: string): Columns {
  const withUnit = (name: string) => (layout === 'long' || unit === '' ? name : `${name} (${unit})`);
  const values = format === 'complete' ? [withUnit('Total'), withUnit('Period value')] : [withUnit('Value')];
  const readingColumns = [`Timestamp (${zone})`, ...values, 'Status', 'Interpolated', 'Reset', 'Note'];
  const prefix = layout === 'long' ? ['Source id', 'Source', 'Unit'] : [];
  const headers = [...prefix, ...readingColumns];
  return { headers, timestampIndex: prefix.length, textIndexes: [...prefix.keys(), headers.length - 1] };
}

/** A number for a cell, or an empty cell plus the note that says why. */
function valueCell(raw: unknown, label: string | undefined, notes: string[]): CellValue {
  if (typeof raw === 'number' && Number.isFinite(raw)) return raw;
  if (typeof raw === 'string' && raw.trim() !== '') {
    const parsed = Number(raw);
    if (Number.isFinite(parsed)) return parsed;
    notes.push(label ? `${label}: ${raw}` : raw);
    return '';
  }
  notes.push(label ? `${label}: no value` : 'no value');
  return '';
}

/** Turns readings into table rows for one layout and format, timestamps in one zone. */
export class RowMaker {
  readonly #serials: ZonedSerials;

  constructor(
    readonly format: ReadingsFormat,
    readonly layout: TableLayout,
    zone: string,
    dateSystem: DateSystem = 1900,
  ) {
    this.#serials = new ZonedSerials(zone, dateSystem);
  }

  row(reading: ReadingJson, source: SourceHeader): CellValue[] {
    const notes: string[] = [];
    const values: CellValue[] = [];
    const r = reading as unknown as Record<string, unknown>;
    if (this.format === 'complete') {
      values.push(valueCell(r.totalValue, 'Total', notes), valueCell(r.periodValue, 'Period value', notes));
    } else {
      // One sample in DCS's own specification spells the key "Value": accept both.
      values.push(valueCell(r.value !== undefined ? r.value : r.Value, undefined, notes));
    }
    const status = typeof reading.status === 'number' ? reading.status : Number(reading.status) || 0;
    const cells: CellValue[] = [
      this.#serials.serialOfIso(reading.timestamp),
      ...values,
      status,
      (status & STATUS_INTERPOLATED) !== 0,
      (status & STATUS_RESET) !== 0,
      notes.join('; '),
    ];
    return this.layout === 'long' ? [source.id, source.name, source.unit, ...cells] : cells;
  }

  /** The single row of a table whose range held no readings (a table needs one data row). */
  emptyRow(columnCount: number): CellValue[] {
    const row: CellValue[] = new Array<CellValue>(columnCount).fill('');
    row[columnCount - 1] = 'No readings in this range';
    return row;
  }
}

const PERIOD_LABELS: Record<PeriodType, string> = {
  halfHour: 'half-hourly',
  hour: 'hourly',
  day: 'daily',
  week: 'weekly',
  month: 'monthly',
};

/** The line above a table that says what it holds. */
export function tableTitle(parts: {
  sources: Array<Pick<SourceHeader, 'name' | 'unit'>>;
  periodType: PeriodType;
  range: string;
  zone: string;
  format: ReadingsFormat;
  calibrated: boolean;
  interpolated: boolean;
}): string {
  const what = parts.sources.length === 1 ? `${parts.sources[0].name} (${parts.sources[0].unit || 'no unit'})` : `${parts.sources.length} sources`;
  const flags = [
    parts.calibrated ? 'calibrated' : 'uncalibrated',
    parts.interpolated ? 'interpolated' : 'not interpolated',
    parts.format === 'complete' ? 'complete format' : 'standard format',
  ].join(', ');
  return `DCS: ${what}, ${PERIOD_LABELS[parts.periodType]}, ${parts.range}, times in ${parts.zone} (${flags})`;
}
