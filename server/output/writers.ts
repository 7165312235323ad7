/**
 * The three shapes of GET /api/readings: json, ndjson and csv. Each writer turns DCS batches
 * into text pushed to a ResponseSink; rows are built by string concatenation in ~64 KB pieces,
 * timestamps come from a caching formatter, and values are written as the number DCS sent
 * (NaN, Infinity and -Infinity literally in csv, as the strings DCS uses in json).
 */
import type { ApiError, OutputFormat, SourceHeader } from '../api/types';
import type { AnyReading, CompleteReading, Reading } from '../dcs/types';
import { CHUNK_CHARS, type ResponseSink } from './sink';
import { type TimestampFormatter } from './timestamps';

export interface ReadingsSummary {
  sources: number;
  readings: number;
}

export interface ReadingsWriter {
  readonly contentType: string;
  begin(): void;
  source(header: SourceHeader): void;
  readings(batch: readonly AnyReading[]): void;
  endSource(): void;
  end(summary: ReadingsSummary): void;
  /** Records a failure in the body where the format can carry one (ndjson); the caller then aborts. */
  fail(error: ApiError): void;
}

export const CONTENT_TYPES: Record<OutputFormat, string> = {
  json: 'application/json; charset=utf-8',
  ndjson: 'application/x-ndjson; charset=utf-8',
  csv: 'text/csv; charset=utf-8; header=present',
};

export function createWriter(output: OutputFormat, sink: ResponseSink, csvTimestamps: TimestampFormatter, jsonTimestamps: TimestampFormatter): ReadingsWriter {
  switch (output) {
    case 'csv': return new CsvWriter(sink, csvTimestamps);
    case 'ndjson': return new NdjsonWriter(sink, jsonTimestamps);
    case 'json': return new JsonWriter(sink, jsonTimestamps);
  }
}

/** `Infinity`, `-Infinity`, `NaN` as DCS spells them, quoted; other numbers bare. */
function jsonValue(value: number): string {
  return Number.isFinite(value) ? String(value) : `"${value}"`;
}

function isComplete(header: SourceHeader): boolean {
  return header.format === 'complete';
}

class CsvWriter implements ReadingsWriter {
  readonly contentType = CONTENT_TYPES.csv;
  private prefix = '';
  private complete = false;
  private headerWritten = false;

  constructor(private readonly sink: ResponseSink, private readonly time: TimestampFormatter) {}

  begin(): void {}

  source(header: SourceHeader): void {
    this.complete = isComplete(header);
    this.prefix = csvField(header.id) + ',';
    if (!this.headerWritten) {
      this.headerWritten = true;
      this.sink.push(this.complete ? 'id,timestamp,totalValue,periodValue,status\n' : 'id,timestamp,value,status\n');
    }
  }

  readings(batch: readonly AnyReading[]): void {
    const { prefix, time, sink } = this;
    let text = '';
    if (this.complete) {
      for (const r of batch as readonly CompleteReading[]) {
        text += prefix + time(r.timestamp.getTime()) + ',' + r.totalValue + ',' + r.periodValue + ',' + r.status + '\n';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    } else {
      for (const r of batch as readonly Reading[]) {
        text += prefix + time(r.timestamp.getTime()) + ',' + r.value + ',' + r.status + '\n';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    }
    if (text !== '') sink.push(text);
  }

  endSource(): void {}

  end(): void {
    // An empty result still gets its header line, so a reader sees the columns.
    if (!this.headerWritten) this.sink.push('id,timestamp,value,status\n');
  }

  fail(): void {}
}

/** Source ids are R<n>/VM<n>, but quote defensively should anything else ever pass. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

class NdjsonWriter implements ReadingsWriter {
  readonly contentType = CONTENT_TYPES.ndjson;
  private prefix = '';
  private complete = false;

  constructor(private readonly sink: ResponseSink, private readonly time: TimestampFormatter) {}

  begin(): void {}

  source(header: SourceHeader): void {
    this.complete = isComplete(header);
    this.prefix = `{"id":${JSON.stringify(header.id)},"timestamp":"`;
    this.sink.push(`{"source":${JSON.stringify(header)}}\n`);
  }

  readings(batch: readonly AnyReading[]): void {
    const { prefix, time, sink } = this;
    let text = '';
    if (this.complete) {
      for (const r of batch as readonly CompleteReading[]) {
        text += prefix + time(r.timestamp.getTime()) + '","totalValue":' + jsonValue(r.totalValue) + ',"periodValue":' + jsonValue(r.periodValue) + ',"status":' + r.status + '}\n';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    } else {
      for (const r of batch as readonly Reading[]) {
        text += prefix + time(r.timestamp.getTime()) + '","value":' + jsonValue(r.value) + ',"status":' + r.status + '}\n';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    }
    if (text !== '') sink.push(text);
  }

  endSource(): void {}

  end(summary: ReadingsSummary): void {
    this.sink.push(`{"end":${JSON.stringify(summary)}}\n`);
  }

  fail(error: ApiError): void {
    this.sink.push(JSON.stringify(error) + '\n');
  }
}

class JsonWriter implements ReadingsWriter {
  readonly contentType = CONTENT_TYPES.json;
  private complete = false;
  private sourceCount = 0;
  private firstReading = true;

  constructor(private readonly sink: ResponseSink, private readonly time: TimestampFormatter) {}

  begin(): void {
    this.sink.push('{"sources":[');
  }

  source(header: SourceHeader): void {
    this.complete = isComplete(header);
    this.firstReading = true;
    const headerJson = JSON.stringify(header);
    this.sink.push((this.sourceCount++ > 0 ? ',' : '') + headerJson.slice(0, -1) + ',"readings":[');
  }

  readings(batch: readonly AnyReading[]): void {
    if (batch.length === 0) return;
    const { time, sink } = this;
    let text = '';
    let separator = this.firstReading ? '' : ',';
    this.firstReading = false;
    if (this.complete) {
      for (const r of batch as readonly CompleteReading[]) {
        text += separator + '{"timestamp":"' + time(r.timestamp.getTime()) + '","totalValue":' + jsonValue(r.totalValue) + ',"periodValue":' + jsonValue(r.periodValue) + ',"status":' + r.status + '}';
        separator = ',';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    } else {
      for (const r of batch as readonly Reading[]) {
        text += separator + '{"timestamp":"' + time(r.timestamp.getTime()) + '","value":' + jsonValue(r.value) + ',"status":' + r.status + '}';
        separator = ',';
        if (text.length >= CHUNK_CHARS) {
          sink.push(text);
          text = '';
        }
      }
    }
    if (text !== '') sink.push(text);
  }

  endSource(): void {
    this.sink.push(']}');
  }

  end(): void {
    this.sink.push(']}');
  }

  fail(): void {}
}
