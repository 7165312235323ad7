/**
 * The three shapes of GET /api/readings: json, ndjson and csv. Each writer turns DCS batches
 * into bytes in the sink's buffer; a row is its fixed pieces (prepared once per source), a
 * timestamp and numbers written in place. Values are written as the number DCS sent: NaN,
 * Infinity and -Infinity literally in csv, as the strings DCS uses in json and ndjson.
 */
import type { ApiError, OutputFormat, SourceHeader } from '../api/types';
import type { AnyReading, CompleteReading, Reading } from 'dcs-client';
import { asciiBytes, CHUNK_BYTES, writeBytes, writeJsonNumber, writeNumber, writeUint } from './bytes';
import type { ResponseSink } from './sink';
import type { TimestampWriter } from './timestamps';

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

/** `csvTime` writes csv timestamps (UTC or a zone); json and ndjson are always UTC (`jsonTime`). */
export function createWriter(output: OutputFormat, sink: ResponseSink, csvTime: TimestampWriter, jsonTime: TimestampWriter): ReadingsWriter {
  switch (output) {
    case 'csv':
      return new CsvWriter(sink, csvTime);
    case 'ndjson':
      return new NdjsonWriter(sink, jsonTime);
    case 'json':
      return new JsonWriter(sink, jsonTime);
  }
}

type RowWriter<R> = (buf: Buffer, p: number, reading: R) => number;

/** Runs `row` over a batch, sending each full chunk as it fills. */
function writeRows<R>(sink: ResponseSink, batch: readonly R[], row: RowWriter<R>): void {
  const builder = sink.builder;
  let buf = builder.buf;
  let p = builder.pos;
  for (let i = 0; i < batch.length; i++) {
    if (p >= CHUNK_BYTES) {
      builder.pos = p;
      sink.flush();
      buf = builder.buf;
      p = builder.pos;
    }
    p = row(buf, p, batch[i]);
  }
  builder.pos = p;
  sink.wrote();
}

const COMMA = 44;
const NEWLINE = 10;

class CsvWriter implements ReadingsWriter {
  readonly contentType = CONTENT_TYPES.csv;
  private row: RowWriter<AnyReading> = () => 0;
  private headerWritten = false;

  constructor(
    private readonly sink: ResponseSink,
    private readonly time: TimestampWriter,
  ) {}

  begin(): void {}

  source(header: SourceHeader): void {
    const complete = header.format === 'complete';
    if (!this.headerWritten) {
      this.headerWritten = true;
      this.sink.push(complete ? 'id,timestamp,totalValue,periodValue,status\n' : 'id,timestamp,value,status\n');
    }
    const prefix = asciiBytes(csvField(header.id) + ',');
    const time = this.time;
    // id and timestamp first, status last; the values between are the format's.
    const head = (buf: Buffer, p: number, r: AnyReading): number => {
      p = writeBytes(buf, p, prefix);
      p = time.write(buf, p, r.timestamp.getTime());
      buf[p] = COMMA;
      return p + 1;
    };
    const tail = (buf: Buffer, p: number, r: AnyReading): number => {
      buf[p++] = COMMA;
      p = writeUint(buf, p, r.status);
      buf[p] = NEWLINE;
      return p + 1;
    };
    const standard: RowWriter<Reading> = (buf, p, r) => tail(buf, writeNumber(buf, head(buf, p, r), r.value), r);
    const full: RowWriter<CompleteReading> = (buf, p, r) => {
      p = writeNumber(buf, head(buf, p, r), r.totalValue);
      buf[p++] = COMMA;
      return tail(buf, writeNumber(buf, p, r.periodValue), r);
    };
    this.row = (complete ? full : standard) as RowWriter<AnyReading>;
  }

  readings(batch: readonly AnyReading[]): void {
    writeRows(this.sink, batch, this.row);
  }

  endSource(): void {}

  end(): void {
    // An empty result still gets its header line, so a reader sees the columns.
    if (!this.headerWritten) this.sink.push('id,timestamp,value,status\n');
  }

  fail(): void {}
}

/** Source ids are R<n>/VM<n>; quote defensively should anything else ever pass. */
function csvField(text: string): string {
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * One reading as a JSON object, for json and ndjson: `opening` goes before the first key (`{`,
 * `,{`, or `{"id":"R1",`), and `newline` ends ndjson's lines.
 */
function jsonReadingWriter(complete: boolean, opening: string, newline: boolean, time: TimestampWriter): RowWriter<AnyReading> {
  const start = asciiBytes(opening + '"timestamp":"');
  const afterTime = asciiBytes(complete ? '","totalValue":' : '","value":');
  const afterTotal = asciiBytes(',"periodValue":');
  const beforeStatus = asciiBytes(',"status":');
  const end = asciiBytes(newline ? '}\n' : '}');
  // Every row starts with its timestamp and ends with its status; only the values between differ.
  const head = (buf: Buffer, p: number, r: AnyReading): number => {
    p = writeBytes(buf, p, start);
    p = time.write(buf, p, r.timestamp.getTime());
    return writeBytes(buf, p, afterTime);
  };
  const tail = (buf: Buffer, p: number, r: AnyReading): number => {
    p = writeBytes(buf, p, beforeStatus);
    p = writeUint(buf, p, r.status);
    return writeBytes(buf, p, end);
  };
  if (complete) {
    const full: RowWriter<CompleteReading> = (buf, p, r) => {
      p = writeJsonNumber(buf, head(buf, p, r), r.totalValue);
      p = writeJsonNumber(buf, writeBytes(buf, p, afterTotal), r.periodValue);
      return tail(buf, p, r);
    };
    return full as RowWriter<AnyReading>;
  }
  const standard: RowWriter<Reading> = (buf, p, r) => tail(buf, writeJsonNumber(buf, head(buf, p, r), r.value), r);
  return standard as RowWriter<AnyReading>;
}

class NdjsonWriter implements ReadingsWriter {
  readonly contentType = CONTENT_TYPES.ndjson;
  private row: RowWriter<AnyReading> = () => 0;

  constructor(
    private readonly sink: ResponseSink,
    private readonly time: TimestampWriter,
  ) {}

  begin(): void {}

  source(header: SourceHeader): void {
    this.sink.push(`{"source":${JSON.stringify(header)}}\n`);
    this.row = jsonReadingWriter(header.format === 'complete', `{"id":${JSON.stringify(header.id)},`, true, this.time);
  }

  readings(batch: readonly AnyReading[]): void {
    writeRows(this.sink, batch, this.row);
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
  private first: RowWriter<AnyReading> = () => 0;
  private rest: RowWriter<AnyReading> = () => 0;
  private sourceCount = 0;
  private empty = true;

  constructor(
    private readonly sink: ResponseSink,
    private readonly time: TimestampWriter,
  ) {}

  begin(): void {
    this.sink.push('{"sources":[');
  }

  source(header: SourceHeader): void {
    const headerJson = JSON.stringify(header);
    this.sink.push((this.sourceCount++ > 0 ? ',' : '') + headerJson.slice(0, -1) + ',"readings":[');
    const complete = header.format === 'complete';
    this.first = jsonReadingWriter(complete, '{', false, this.time);
    this.rest = jsonReadingWriter(complete, ',{', false, this.time);
    this.empty = true;
  }

  readings(batch: readonly AnyReading[]): void {
    if (batch.length === 0) return;
    if (this.empty) {
      this.empty = false;
      writeRows(this.sink, batch.slice(0, 1), this.first);
      writeRows(this.sink, batch.slice(1), this.rest);
      return;
    }
    writeRows(this.sink, batch, this.rest);
  }

  endSource(): void {
    this.sink.push(']}');
  }

  end(): void {
    this.sink.push(']}');
  }

  fail(): void {}
}
