import type { NdjsonRecord, ReadingJson, SourceHeader } from '../../../server/api/types';
import type { ReadingsRequest } from '../../../addin/api/client';
import type { ReadingsSource } from '../../../addin/excel/stage-readings';

export interface FakeSource {
  header: SourceHeader;
  readings: ReadingJson[];
}

/** A half-hourly register with `count` readings from `startIso`; value(i) gives each value. */
export function halfHourly(
  id: string,
  name: string,
  startIso: string,
  count: number,
  value: (i: number) => number | string = (i) => 1000 + i * 1.5,
  status: (i: number) => number = () => 0,
): FakeSource {
  const start = Date.parse(startIso);
  const readings: ReadingJson[] = [];
  for (let i = 0; i < count; i++) {
    readings.push({ timestamp: new Date(start + i * 1_800_000).toISOString().replace('.000', ''), value: value(i), status: status(i) });
  }
  return {
    header: {
      id,
      name,
      unit: 'kWh',
      periodType: 'halfHour',
      format: 'standard',
      startTime: new Date(start).toISOString(),
      endTime: new Date(start + count * 1_800_000).toISOString(),
      expectedCount: count,
    },
    readings,
  };
}

export interface FakeServerOptions {
  /** Stop the stream (no {end}) after this many readings in total. */
  breakAfter?: number;
  /** Send an {error} record after this many readings in total. */
  errorAfter?: number;
  /** Only these ids misbehave (default: all). */
  misbehavingIds?: string[];
}

/**
 * Plays the server's ndjson readings stream for the requested ids, recording every request.
 * `sources` may be a function of the request, so a test can answer a moved range differently.
 */
export function fakeReadings(
  sources: FakeSource[] | ((request: ReadingsRequest) => FakeSource[]),
  options: FakeServerOptions = {},
): ReadingsSource & { requests: ReadingsRequest[] } {
  const requests: ReadingsRequest[] = [];
  const source = async function* (request: ReadingsRequest): AsyncGenerator<NdjsonRecord> {
    requests.push(request);
    const all = typeof sources === 'function' ? sources(request) : sources;
    const chosen = request.ids.map((id) => {
      const found = all.find((s) => s.header.id === id);
      if (!found) throw new Error(`test server has no source ${id}`);
      return found;
    });
    const misbehaves = !options.misbehavingIds || request.ids.some((id) => options.misbehavingIds!.includes(id));
    let sent = 0;
    for (const s of chosen) {
      yield { source: s.header };
      for (const r of s.readings) {
        if (misbehaves && options.breakAfter !== undefined && sent >= options.breakAfter) return;
        if (misbehaves && options.errorAfter !== undefined && sent >= options.errorAfter) {
          yield { error: { code: 'dcs_failed', message: 'DCS answered 500 for R2' } };
          return;
        }
        yield { ...r, id: s.header.id };
        sent++;
      }
    }
    yield { end: { sources: chosen.length, readings: sent } };
  };
  return Object.assign(source, { requests });
}
