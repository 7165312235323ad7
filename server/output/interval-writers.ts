/**
 * The shapes of GET /api/intervals: json, ndjson and csv, each long (a row per source and
 * interval, streamed as intervals complete) or wide (a row per interval and a column per source
 * for one calculation, written once the last source is in).
 */
import type { ApiError, IntervalCalc, IntervalLayout, IntervalsWideJson, IntervalType, NdjsonIntervalRecord, OutputFormat } from '../api/types';
import type { IntervalFigures, IntervalSourceInfo } from '../intervals';
import { calcNumber, calcValue, columnHeader, formatIntervalTime, intervalToJson, isTimeCalc, sourceToJson } from '../intervals';
import type { ResponseSink } from './sink';

export interface IntervalsSummary {
  sources: number;
  intervals: number;
}

export interface IntervalsWriter {
  source(source: IntervalSourceInfo): void;
  intervals(batch: readonly IntervalFigures[]): void;
  end(summary: IntervalsSummary): void;
  /** Records a failure in the body where the format can carry one (ndjson); the caller then aborts. */
  fail(error: ApiError): void;
}

export interface IntervalsShape {
  output: OutputFormat;
  layout: IntervalLayout;
  interval: IntervalType;
  timeZone: string;
  /** Long: the union of every source's calculations (a column each in csv). Wide: exactly one. */
  calcs: IntervalCalc[];
  /** The intervals' starts and the last end (`n + 1` for `n` intervals): the wide rows. */
  boundaries: Float64Array;
  sourceCount: number;
}

const QUALITY = ['periods', 'interpolated', 'resets', 'missing', 'invalid'] as const;

export function createIntervalsWriter(shape: IntervalsShape, sink: ResponseSink): IntervalsWriter {
  if (shape.layout === 'wide') return new WideWriter(shape, sink);
  switch (shape.output) {
    case 'csv':
      return new LongCsvWriter(shape, sink);
    case 'ndjson':
      return new NdjsonWriter(sink);
    case 'json':
      return new LongJsonWriter(sink);
  }
}

/** A csv field: quoted when it holds a comma, quote or line break. */
export function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function csvValue(value: number | string | null | undefined): string {
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? String(value) : csvField(value);
}

class LongCsvWriter implements IntervalsWriter {
  private current: IntervalSourceInfo | undefined;

  constructor(
    private readonly shape: IntervalsShape,
    private readonly sink: ResponseSink,
  ) {
    sink.push(['id', 'start', 'end', ...shape.calcs, ...QUALITY].join(',') + '\n');
  }

  source(source: IntervalSourceInfo): void {
    this.current = source;
  }

  intervals(batch: readonly IntervalFigures[]): void {
    const source = this.current as IntervalSourceInfo;
    const zone = this.shape.timeZone;
    let text = '';
    for (const figures of batch) {
      text += `${source.id},${formatIntervalTime(figures.startMs, zone)},${formatIntervalTime(figures.endMs, zone)}`;
      for (const calc of this.shape.calcs) text += ',' + (source.calcs.includes(calc) ? csvValue(calcValue(figures, calc, zone)) : '');
      text += `,${figures.periods},${figures.interpolated},${figures.resets},${figures.missing},${figures.invalid}\n`;
    }
    this.sink.push(text);
  }

  end(): void {}
  fail(): void {}
}

/** One ndjson line, typed as the wire's record so that the writer cannot drift from `server/api/types.ts`. */
function ndjsonLine(record: NdjsonIntervalRecord): string {
  return JSON.stringify(record) + '\n';
}

class NdjsonWriter implements IntervalsWriter {
  private current: IntervalSourceInfo | undefined;

  constructor(private readonly sink: ResponseSink) {}

  source(source: IntervalSourceInfo): void {
    this.current = source;
    this.sink.push(ndjsonLine({ source: sourceToJson(source) }));
  }

  intervals(batch: readonly IntervalFigures[]): void {
    const source = this.current as IntervalSourceInfo;
    let text = '';
    for (const figures of batch) text += ndjsonLine({ id: source.id, ...intervalToJson(figures, source.timeZone, source.calcs) });
    this.sink.push(text);
  }

  end(summary: IntervalsSummary): void {
    this.sink.push(ndjsonLine({ end: summary }));
  }

  fail(error: ApiError): void {
    this.sink.push(ndjsonLine(error));
  }
}

class LongJsonWriter implements IntervalsWriter {
  private current: IntervalSourceInfo | undefined;
  private sources = 0;
  private intervalsOfSource = 0;

  constructor(private readonly sink: ResponseSink) {
    sink.push('{"sources":[');
  }

  source(source: IntervalSourceInfo): void {
    if (this.current) this.sink.push(']}');
    const head = JSON.stringify(sourceToJson(source));
    this.sink.push(`${this.sources++ > 0 ? ',' : ''}${head.slice(0, -1)},"intervals":[`);
    this.current = source;
    this.intervalsOfSource = 0;
  }

  intervals(batch: readonly IntervalFigures[]): void {
    const source = this.current as IntervalSourceInfo;
    let text = '';
    for (const figures of batch) text += (this.intervalsOfSource++ > 0 ? ',' : '') + JSON.stringify(intervalToJson(figures, source.timeZone, source.calcs));
    this.sink.push(text);
  }

  end(): void {
    this.sink.push(this.current ? ']}]}' : ']}');
  }

  fail(): void {}
}

/**
 * Holds one number per source and interval (8 bytes each; NaN for null) until the last source is
 * in, then writes the matrix. Times (maxAt, maxDemandAt) are held as epoch milliseconds.
 */
class WideWriter implements IntervalsWriter {
  private readonly columns: Array<{ id: string; name: string; unit: string; header: string }> = [];
  private readonly cells: Float64Array;
  private readonly intervalCount: number;
  private filled = 0;
  private readonly calc: IntervalCalc;

  constructor(
    private readonly shape: IntervalsShape,
    private readonly sink: ResponseSink,
  ) {
    this.calc = shape.calcs[0];
    this.intervalCount = shape.boundaries.length - 1;
    this.cells = new Float64Array(this.intervalCount * shape.sourceCount).fill(NaN);
  }

  source(source: IntervalSourceInfo): void {
    this.columns.push({ id: source.id, name: source.name, unit: source.unit, header: columnHeader(source) });
    this.filled = 0;
  }

  intervals(batch: readonly IntervalFigures[]): void {
    const column = this.columns.length - 1;
    for (const figures of batch) {
      const row = this.filled++;
      const value = calcNumber(figures, this.calc);
      this.cells[row * this.shape.sourceCount + column] = value ?? NaN;
    }
  }

  end(): void {
    if (this.shape.output === 'csv') this.writeCsv();
    else this.writeJson();
  }

  fail(error: ApiError): void {
    // Nothing is sent before the end, so a failure is always answered with its own status.
    void error;
  }

  private cell(row: number, column: number): number | string | null {
    const value = this.cells[row * this.shape.sourceCount + column];
    if (Number.isNaN(value)) return null;
    return isTimeCalc(this.calc) ? formatIntervalTime(value, this.shape.timeZone) : value;
  }

  private writeCsv(): void {
    const zone = this.shape.timeZone;
    this.sink.push(['start', 'end', ...this.columns.map((c) => csvField(c.header))].join(',') + '\n');
    for (let row = 0; row < this.intervalCount; row++) {
      let text = `${formatIntervalTime(this.startOf(row), zone)},${formatIntervalTime(this.startOf(row + 1), zone)}`;
      for (let column = 0; column < this.columns.length; column++) text += ',' + csvValue(this.cell(row, column));
      this.sink.push(text + '\n');
    }
  }

  private writeJson(): void {
    const zone = this.shape.timeZone;
    const head: Omit<IntervalsWideJson, 'rows'> = { interval: this.shape.interval, timeZone: zone, calc: this.calc, columns: this.columns };
    this.sink.push(JSON.stringify(head).slice(0, -1) + ',"rows":[');
    for (let row = 0; row < this.intervalCount; row++) {
      const values = this.columns.map((_, column) => this.cell(row, column));
      const record = { start: formatIntervalTime(this.startOf(row), zone), end: formatIntervalTime(this.startOf(row + 1), zone), values };
      this.sink.push((row > 0 ? ',' : '') + JSON.stringify(record));
    }
    this.sink.push(']}');
  }

  private startOf(row: number): number {
    return this.shape.boundaries[row];
  }
}
