/**
 * Readings are kept packed, a block of consecutive periods per row (a UTC day of half-hours or
 * hours, a month of days or weeks, a year of months): PostgreSQL then hands out a year of
 * half-hours as 366 rows instead of 17,568, which is what makes the store faster than asking DCS.
 *
 * A block's bytes: one record per reading, oldest first, little-endian: the period start (epoch
 * ms, float64), then for `standard` the value (float64), for `complete` the total and period
 * values (float64 each), then the status (int32). Any float64 survives, NaN and infinities too.
 */
import { floorToPeriod, type AnyReading, type CompleteReading, type PeriodType, type Reading, type ReadingsFormat } from 'dcs-client';

const BLOCK_OF: Record<PeriodType, PeriodType> = { halfHour: 'day', hour: 'day', day: 'month', week: 'month', month: 'month' };

/** The start of the block holding the period that starts at `ms`. */
export function blockStart(ms: number, periodType: PeriodType): number {
  if (periodType === 'month') return Date.UTC(new Date(ms).getUTCFullYear(), 0, 1);
  return floorToPeriod(ms, BLOCK_OF[periodType]);
}

const recordBytes = (format: ReadingsFormat): number => (format === 'complete' ? 28 : 20);

export function pack(readings: readonly AnyReading[], format: ReadingsFormat): Buffer {
  const size = recordBytes(format);
  const buffer = Buffer.alloc(readings.length * size);
  let offset = 0;
  for (const reading of readings) {
    buffer.writeDoubleLE(reading.timestamp.getTime(), offset);
    if (format === 'complete') {
      const complete = reading as CompleteReading;
      buffer.writeDoubleLE(complete.totalValue, offset + 8);
      buffer.writeDoubleLE(complete.periodValue, offset + 16);
    } else {
      buffer.writeDoubleLE((reading as Reading).value, offset + 8);
    }
    buffer.writeInt32LE(reading.status, offset + size - 4);
    offset += size;
  }
  return buffer;
}

/** The readings of a block whose period starts lie in [fromMs, toMs). */
export function unpack(buffer: Buffer, format: ReadingsFormat, fromMs = -Infinity, toMs = Infinity): AnyReading[] {
  const size = recordBytes(format);
  const readings: AnyReading[] = [];
  for (let offset = 0; offset + size <= buffer.length; offset += size) {
    const ms = buffer.readDoubleLE(offset);
    if (ms < fromMs || ms >= toMs) continue;
    const status = buffer.readInt32LE(offset + size - 4);
    if (format === 'complete') {
      readings.push({ timestamp: new Date(ms), totalValue: buffer.readDoubleLE(offset + 8), periodValue: buffer.readDoubleLE(offset + 16), status });
    } else {
      readings.push({ timestamp: new Date(ms), value: buffer.readDoubleLE(offset + 8), status });
    }
  }
  return readings;
}

/** One block's readings, stored and new, in time order; a new reading replaces a stored one of the same period. */
export function mergeReadings(stored: readonly AnyReading[], incoming: readonly AnyReading[]): readonly AnyReading[] {
  // The common case, a block stored for the first time from DCS's ordered answer, needs no merging.
  if (stored.length === 0 && isStrictlyAscending(incoming)) return incoming;
  const byTime = new Map<number, AnyReading>();
  for (const reading of stored) byTime.set(reading.timestamp.getTime(), reading);
  for (const reading of incoming) byTime.set(reading.timestamp.getTime(), reading);
  return [...byTime.entries()].sort((a, b) => a[0] - b[0]).map(([, reading]) => reading);
}

function isStrictlyAscending(readings: readonly AnyReading[]): boolean {
  for (let i = 1; i < readings.length; i++) {
    if (readings[i].timestamp.getTime() <= readings[i - 1].timestamp.getTime()) return false;
  }
  return true;
}
