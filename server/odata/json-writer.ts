/**
 * Writes OData JSON collections as a stream: the opening (`@odata.context`, `@odata.count`),
 * each entity as it is produced, and the closing with `@odata.nextLink`, which in a streamed
 * answer follows the values (as the OData JSON format allows and Microsoft's own services do).
 * Output is gathered into chunks of about 64 KB and written with backpressure, so a slow client
 * slows the DCS pull instead of filling memory.
 */
import type { Response } from 'express';
import { formatDcsTime } from 'dcs-client';
import { waitForDrain } from '../output/drain';
import type { Row } from './filter-eval';
import type { EdmType, PropertyDef } from './model';
import { jsonContentType, ODATA_VERSION_HEADERS } from './protocol';

const CHUNK_BYTES = 64 * 1024;

/**
 * One value in OData JSON. Edm.Double keeps its non-finite values as the strings OData defines
 * ("NaN", "INF", "-INF"); Edm.Int64 becomes a string when the client asked for IEEE754Compatible.
 */
export function formatValue(type: EdmType, value: Row[string], ieee754Compatible: boolean, formatTime: (ms: number) => string = formatDcsTime): string {
  if (value === null || value === undefined) return 'null';
  switch (type) {
    case 'Edm.String':
      return JSON.stringify(String(value));
    case 'Edm.Boolean':
      return value === true ? 'true' : 'false';
    case 'Edm.DateTimeOffset':
      return `"${formatTime(value as number)}"`;
    case 'Edm.Double': {
      const n = value as number;
      if (Number.isFinite(n)) return String(n);
      return Number.isNaN(n) ? '"NaN"' : n > 0 ? '"INF"' : '"-INF"';
    }
    case 'Edm.Int64':
      return ieee754Compatible ? `"${String(value)}"` : String(value);
    case 'Edm.Int32':
      return String(value);
  }
}

/**
 * Compiles the writer of one entity for a fixed list of properties. Date-times are written in UTC
 * unless `formatTime` says otherwise (Intervals carry their time zone's offset).
 */
export function entitySerializer(
  select: readonly PropertyDef[],
  ieee754Compatible: boolean,
  formatTime: (ms: number) => string = formatDcsTime,
): (row: Row) => string {
  const parts = select.map((p) => ({ prefix: `${JSON.stringify(p.name)}:`, name: p.name, type: p.type }));
  return (row) => {
    let out = '{';
    for (let i = 0; i < parts.length; i++) {
      const p = parts[i];
      if (i > 0) out += ',';
      out += p.prefix + formatValue(p.type, row[p.name] ?? null, ieee754Compatible, formatTime);
    }
    return out + '}';
  };
}

export interface CollectionHead {
  context: string;
  count?: number;
  ieee754Compatible: boolean;
  headers?: Record<string, string>;
}

export class CollectionWriter {
  private buffer = '';
  private rows = 0;
  private started = false;

  /** @param stalledReaderMs how long to wait for a client that takes nothing (StalledReaderError); default for ever. */
  constructor(
    private readonly res: Response,
    private readonly stalledReaderMs = Infinity,
  ) {}

  /** Whether the status line has gone out: from then on an error must abort the answer. */
  get isStarted(): boolean {
    return this.started;
  }

  /** Sends the status, headers and the opening of the payload. */
  begin(head: CollectionHead): void {
    const res = this.res;
    for (const [name, value] of Object.entries({ ...ODATA_VERSION_HEADERS, ...(head.headers ?? {}) })) res.setHeader(name, value);
    res.setHeader('Content-Type', jsonContentType(head.ieee754Compatible));
    res.status(200);
    let opening = `{"@odata.context":${JSON.stringify(head.context)}`;
    if (head.count !== undefined) opening += `,"@odata.count":${head.count}`;
    this.buffer = `${opening},"value":[`;
    this.started = true;
  }

  /** Adds one serialized entity; waits when the client is not keeping up. */
  async add(entityJson: string): Promise<void> {
    this.buffer += this.rows === 0 ? entityJson : `,${entityJson}`;
    this.rows++;
    if (this.buffer.length >= CHUNK_BYTES) await this.flush();
  }

  get count(): number {
    return this.rows;
  }

  /** Closes the payload, with the next page's link when there is one, and ends the answer. */
  async end(nextLink?: string): Promise<void> {
    this.buffer += nextLink === undefined ? ']}' : `],"@odata.nextLink":${JSON.stringify(nextLink)}}`;
    const chunk = this.buffer;
    this.buffer = '';
    this.res.end(chunk);
  }

  private async flush(): Promise<void> {
    const chunk = this.buffer;
    this.buffer = '';
    if (chunk === '' || this.res.destroyed) return;
    if (!this.res.write(chunk)) await waitForDrain(this.res, this.stalledReaderMs);
  }
}
