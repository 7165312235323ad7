/**
 * The body of a `/readings` answer, produced on the fly in chunks of about 64 KB so that a
 * 57-year half-hourly request never exists in memory at once. Readings exist for every period
 * from 1900-01-01 up to, not including, the clock's now.
 */

import { CumulativeModel, InstantaneousModel } from './models';
import { ReadingsRequest } from './readings-query';
import { addPeriods, DATA_START_MS, fixedPeriodMs, formatTimestamp, HALF_HOUR_MS, lastHalfHourBefore, periodDurationMinutes } from './time';
import { ascii, JsonBytes, ReadingOpenings, statusEnding } from './json-bytes';

export const CHUNK_BYTES = 64 * 1024;

/** Object keys in DCS's order, `readings` last (streaming clients rely on that). */
export function readingsHeader(request: ReadingsRequest): string {
  const { source } = request;
  const perPeriod = source.kind === 'virtualMeter' && !source.isInstantaneous;
  return (
    '{"startTime":"' +
    formatTimestamp(request.start) +
    '","endTime":"' +
    formatTimestamp(request.end) +
    '","name":' +
    JSON.stringify(source.name) +
    ',"periodType":"' +
    request.periodType +
    '","unit":' +
    JSON.stringify(source.unit) +
    ',"duration":' +
    (perPeriod ? periodDurationMinutes(request.periodType) : 0) +
    ',"readings":['
  );
}

/** The first period start of the request at or after the start of the data. */
function firstPeriodInData(request: ReadingsRequest): number {
  if (request.start >= DATA_START_MS) return request.start;
  const fixed = fixedPeriodMs(request.periodType);
  if (fixed !== undefined) return request.start + Math.ceil((DATA_START_MS - request.start) / fixed) * fixed;
  let t = request.start;
  const startYear = new Date(t).getUTCFullYear();
  t = addPeriods(t, 'month', Math.max(0, (1900 - startYear - 1) * 12));
  while (t < DATA_START_MS) t = addPeriods(t, 'month', 1);
  return t;
}

const PERIOD_VALUE = ascii(',"periodValue":');
const CLOSE_BODY = ascii(']}');
const STATUS_0 = statusEnding(0);
/** Room for the longest reading: stop filling a chunk when less is left. */
const MAX_READING_BYTES = 256;

/** Produces a readings answer as successive byte chunks; null when done. */
export class ReadingsBody {
  private readonly stop: number;
  private readonly lastK: number;
  private readonly stepMs: number | undefined;
  private t: number;
  private started = false;
  private finished = false;
  private first = true;
  private readonly openings: ReadingOpenings;

  constructor(
    private readonly request: ReadingsRequest,
    now: number,
  ) {
    this.t = firstPeriodInData(request);
    this.stop = Math.min(request.end, now);
    this.lastK = (lastHalfHourBefore(now) - DATA_START_MS) / HALF_HOUR_MS;
    this.stepMs = fixedPeriodMs(request.periodType);
    this.openings = new ReadingOpenings(request.format === 'complete' ? 'totalValue' : 'value');
  }

  next(): Buffer | null {
    if (this.finished) return null;
    const out = new JsonBytes(CHUNK_BYTES);
    if (!this.started) {
      this.started = true;
      out.bytes(Buffer.from(readingsHeader(this.request), 'utf8'));
    }
    this.fill(out);
    if (this.t >= this.stop) {
      this.finished = true;
      out.bytes(CLOSE_BODY);
    }
    return out.view();
  }

  private advance(t: number): number {
    return this.stepMs !== undefined ? t + this.stepMs : addPeriods(t, this.request.periodType, 1);
  }

  /** k of the period end, clipped to the newest reading (a period value cannot see the future). */
  private endK(t: number): number {
    const k = (this.advance(t) - DATA_START_MS) / HALF_HOUR_MS;
    return k < this.lastK ? k : this.lastK;
  }

  private fill(out: JsonBytes): void {
    const { source, format, calibrated, interpolated } = this.request;
    const stop = this.stop;
    const limit = out.capacity - MAX_READING_BYTES;
    const complete = format === 'complete';
    const openings = this.openings;
    let t = this.t;
    let first = this.first;
    if (source.kind === 'register' && source.model instanceof CumulativeModel) {
      const model = source.model;
      const { decimals, factor } = model.scaling;
      while (t < stop && out.pos < limit) {
        const k = (t - DATA_START_MS) / HALF_HOUR_MS;
        let status = model.resetStatus(k);
        const isNaN = model.isNaN(k);
        if (!isNaN && model.isMissing(k)) {
          if (!interpolated) {
            t = this.advance(t);
            continue;
          }
          status |= 1;
        }
        openings.write(out, t, first);
        out.scaled(isNaN ? NaN : model.displayScaled(k, calibrated), decimals, factor);
        if (complete) {
          out.bytes(PERIOD_VALUE);
          out.scaled(model.consumptionScaled(k, this.endK(t)), decimals, factor);
        }
        out.bytes(statusEnding(status));
        first = false;
        t = this.advance(t);
      }
    } else if (source.kind === 'register') {
      const model = source.model as InstantaneousModel;
      const { decimals, factor } = model.scaling;
      while (t < stop && out.pos < limit) {
        const value = model.valueScaled((t - DATA_START_MS) / HALF_HOUR_MS);
        openings.write(out, t, first);
        out.scaled(value, decimals, factor);
        if (complete) {
          // An instantaneous value has no consumption: the period value repeats it.
          out.bytes(PERIOD_VALUE);
          out.scaled(value, decimals, factor);
        }
        out.bytes(STATUS_0);
        first = false;
        t = this.advance(t);
      }
    } else {
      const model = source.model;
      const { decimals, factor } = model.scaling;
      const instantaneous = source.isInstantaneous;
      while (t < stop && out.pos < limit) {
        const k = (t - DATA_START_MS) / HALF_HOUR_MS;
        openings.write(out, t, first);
        out.scaled(instantaneous ? model.instantaneousScaled(k) : model.consumptionScaled(k, this.endK(t)), decimals, factor);
        out.bytes(STATUS_0);
        first = false;
        t = this.advance(t);
      }
    }
    this.t = t;
    this.first = first;
  }
}
