import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { writeJsonNumber, writeNumber } from '../../server/output/bytes';
import { utcTimestamps, zonedTimestamps } from '../../server/output/timestamps';

const buf = Buffer.alloc(128);
const asText = (write: (b: Buffer, p: number, v: number) => number, value: number): string => buf.toString('latin1', 0, write(buf, 0, value));

describe('writing values and timestamps into output buffers', () => {
  it('writes every number exactly as JavaScript (and so DCS values) print it', () => {
    const values = [
      0,
      -0,
      1,
      -1,
      0.5,
      0.1,
      0.3,
      0.1 + 0.2,
      1 / 3,
      123456.78,
      -0.05,
      99.99,
      1e-6,
      5e-7,
      2.5e-5,
      100,
      1e15,
      1e21,
      1234567890123.45,
      2 ** 53,
      Number.MAX_VALUE,
      Number.MIN_VALUE,
      NaN,
      Infinity,
      -Infinity,
    ];
    // Deterministic pseudo-random metered-looking values with 0 to 7 decimals, and raw doubles.
    let seed = 42;
    const random = (): number => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    for (let i = 0; i < 50_000; i++) {
      values.push(Math.round(random() * 1e9) / 10 ** (i % 8), (random() - 0.5) * 10 ** ((i % 12) - 4));
    }
    for (const value of values) assert.equal(asText(writeNumber, value), String(value));
  });

  it('quotes NaN and the infinities in JSON, as DCS sends them', () => {
    assert.equal(asText(writeJsonNumber, NaN), '"NaN"');
    assert.equal(asText(writeJsonNumber, Infinity), '"Infinity"');
    assert.equal(asText(writeJsonNumber, -Infinity), '"-Infinity"');
    assert.equal(asText(writeJsonNumber, -12.5), '-12.5');
  });

  it('writes UTC timestamps like toISOString, without zero milliseconds, across days and years', () => {
    const time = utcTimestamps();
    const samples = [
      Date.UTC(2023, 11, 31, 23, 30),
      Date.UTC(2024, 0, 1),
      Date.UTC(2024, 1, 29, 12, 0, 7),
      Date.UTC(1999, 5, 1, 0, 0, 0, 125),
      Date.UTC(1900, 0, 1),
      Date.UTC(2024, 0, 1),
    ];
    for (const ms of samples) assert.equal(time.format(ms), new Date(ms).toISOString().replace('.000Z', 'Z'));
  });

  it('writes every second, minute and millisecond of the day as toISOString does, day after day', () => {
    const time = utcTimestamps();
    // Steps that are not a divisor of a day visit every kind of time of day, in time order as
    // readings come, across month, leap-day and year ends.
    for (let ms = Date.UTC(1999, 11, 25); ms < Date.UTC(2000, 2, 5); ms += 7 * 60_000 + 13_457) {
      assert.equal(time.format(ms), new Date(ms).toISOString().replace('.000Z', 'Z'));
    }
  });

  it('writes local timestamps with the offset in force, on both sides of a clock change', () => {
    const time = zonedTimestamps('Europe/London');
    const spring = [0, 1, 2, 3].map((i) => time.format(Date.UTC(2024, 2, 31, 0, 30 * i)));
    assert.deepEqual(spring, ['2024-03-31T00:00:00+00:00', '2024-03-31T00:30:00+00:00', '2024-03-31T02:00:00+01:00', '2024-03-31T02:30:00+01:00']);
    const autumn = [0, 1, 2, 3].map((i) => time.format(Date.UTC(2024, 9, 27, 0, 30 * i)));
    assert.deepEqual(autumn, ['2024-10-27T01:00:00+01:00', '2024-10-27T01:30:00+01:00', '2024-10-27T01:00:00+00:00', '2024-10-27T01:30:00+00:00']);
    assert.equal(zonedTimestamps('Asia/Kolkata').format(Date.UTC(2024, 0, 1)), '2024-01-01T05:30:00+05:30');
    assert.equal(zonedTimestamps('UTC').format(Date.UTC(2024, 0, 1)), '2024-01-01T00:00:00Z');
  });
});
