import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsProtocolError, DcsQueryError } from '../src/errors';
import { decodeBatch, decodeHeader, toReadingValue } from '../src/readings-decode';
import { formatDcsTime, parseDcsTimestamp, toEpochMs } from '../src/time';
import type { CompleteReading, Reading } from '../src/types';

describe('times given by callers', () => {
  it('reads a plain date as 00:00 UTC and a naive date-time as UTC', () => {
    assert.equal(toEpochMs('2024-03-01', 'start'), Date.UTC(2024, 2, 1));
    assert.equal(toEpochMs('2024-03-01T10:30', 'start'), Date.UTC(2024, 2, 1, 10, 30));
    assert.equal(toEpochMs('2024-03-01T10:30:15', 'start'), Date.UTC(2024, 2, 1, 10, 30, 15));
    assert.equal(toEpochMs('2024-03-01 10:30:15', 'start'), Date.UTC(2024, 2, 1, 10, 30, 15));
  });

  it('honours an explicit zone', () => {
    assert.equal(toEpochMs('2024-03-01T10:00:00Z', 'start'), Date.UTC(2024, 2, 1, 10));
    assert.equal(toEpochMs('2024-03-01T10:00:00+01:00', 'start'), Date.UTC(2024, 2, 1, 9));
    assert.equal(toEpochMs('2024-03-01T10:00:00-0230', 'start'), Date.UTC(2024, 2, 1, 12, 30));
    assert.equal(toEpochMs('2024-03-01T10:00:00.250Z', 'start'), Date.UTC(2024, 2, 1, 10, 0, 0, 250));
  });

  it('takes Dates and epoch milliseconds as they are', () => {
    assert.equal(toEpochMs(new Date(Date.UTC(2024, 0, 1)), 'end'), Date.UTC(2024, 0, 1));
    assert.equal(toEpochMs(1_704_067_200_000, 'end'), 1_704_067_200_000);
  });

  it('refuses impossible or unreadable times, saying how to write them', () => {
    assert.throws(
      () => toEpochMs('2023-02-29', 'start'),
      (e: unknown) => e instanceof DcsQueryError && /2024-01-31T10:00:00Z/.test(e.message),
    );
    assert.throws(() => toEpochMs('1 March 2024', 'start'), DcsQueryError);
    assert.throws(() => toEpochMs('2024-03-01T25:00', 'start'), DcsQueryError);
    assert.throws(() => toEpochMs(new Date(NaN), 'end'), /invalid Date/);
    assert.throws(() => toEpochMs(Infinity, 'end'), DcsQueryError);
  });

  it('writes times the way DCS expects them', () => {
    assert.equal(formatDcsTime(Date.UTC(2024, 1, 29, 23, 30)), '2024-02-29T23:30:00Z');
    assert.equal(formatDcsTime(Date.UTC(812, 0, 1)), '0812-01-01T00:00:00Z');
  });
});

describe('timestamps sent by DCS', () => {
  it('decodes the canonical form to the exact instant, for every day of a leap year', () => {
    for (let ms = Date.UTC(2024, 0, 1); ms < Date.UTC(2025, 0, 1); ms += 86_400_000 + 1_800_000) {
      const text = new Date(ms).toISOString().replace('.000Z', 'Z');
      assert.equal(parseDcsTimestamp(text), ms, text);
    }
  });

  it('decodes other ISO forms through the general parser', () => {
    assert.equal(parseDcsTimestamp('2024-01-01T00:00:00.000Z'), Date.UTC(2024, 0, 1));
    assert.equal(parseDcsTimestamp('2024-01-01T00:00:00'), Date.UTC(2024, 0, 1));
    assert.equal(parseDcsTimestamp('2024-01-01T01:00:00+01:00'), Date.UTC(2024, 0, 1));
  });

  it('says NaN for what is not a time, including impossible dates in the canonical form', () => {
    assert.ok(Number.isNaN(parseDcsTimestamp('2023-02-29T00:00:00Z')));
    assert.ok(Number.isNaN(parseDcsTimestamp('2024-13-01T00:00:00Z')));
    assert.ok(Number.isNaN(parseDcsTimestamp('2024-01-01T24:00:00Z')));
    assert.ok(Number.isNaN(parseDcsTimestamp('2024-0a-01T00:00:00Z')));
    assert.ok(Number.isNaN(parseDcsTimestamp('yesterday')));
  });
});

describe('reading values and readings', () => {
  it('turns DCS value strings into numbers', () => {
    assert.ok(Number.isNaN(toReadingValue('NaN', 'value')));
    assert.equal(toReadingValue('Infinity', 'value'), Infinity);
    assert.equal(toReadingValue('-Infinity', 'value'), -Infinity);
    assert.equal(toReadingValue('12.5', 'value'), 12.5);
    assert.equal(toReadingValue(3, 'value'), 3);
    assert.throws(() => toReadingValue('lots', 'value'), DcsProtocolError);
    assert.throws(() => toReadingValue(true, 'value'), DcsProtocolError);
  });

  it('decodes standard readings, accepting a "Value" key and string statuses', () => {
    const [a, b, c] = decodeBatch(
      [
        { timestamp: '2024-01-01T00:00:00Z', value: 1.5, status: 0 },
        { timestamp: '2024-01-01T00:30:00Z', Value: 'Infinity', status: '1' },
        { Timestamp: '2024-01-01T01:00:00Z', value: '-Infinity', status: 3 },
      ],
      'standard',
    ) as Reading[];
    assert.deepEqual(a, { timestamp: new Date('2024-01-01T00:00:00Z'), value: 1.5, status: 0 });
    assert.equal(b.value, Infinity);
    assert.equal(b.status, 1);
    assert.equal(c.value, -Infinity);
    assert.equal(c.timestamp.getTime(), Date.UTC(2024, 0, 1, 1));
  });

  it('decodes complete readings', () => {
    const [r] = decodeBatch([{ timestamp: '2024-01-01T00:00:00Z', totalValue: 100, periodValue: 'NaN', status: 2 }], 'complete') as CompleteReading[];
    assert.equal(r.totalValue, 100);
    assert.ok(Number.isNaN(r.periodValue));
    assert.equal(r.status, 2);
  });

  it('refuses a reading without a usable timestamp rather than guessing', () => {
    assert.throws(() => decodeBatch([{ value: 1, status: 0 }], 'standard'), /timestamp is undefined/);
    assert.throws(() => decodeBatch([{ timestamp: 'soon', value: 1, status: 0 }], 'standard'), DcsProtocolError);
    assert.throws(() => decodeBatch([null], 'standard'), DcsProtocolError);
  });

  it('builds the header from the answer, normalised, falling back to what was asked', () => {
    const header = decodeHeader(
      { startTime: '2024-01-01T00:00:00Z', endTime: '2024-01-02T00:00:00Z', name: 'M: R', unit: 'kWh', periodType: 'HALFHOUR', readingDuration: 30 },
      { id: 'R7', periodType: 'halfHour', format: 'standard' },
    );
    assert.deepEqual(header, {
      id: 'R7',
      name: 'M: R',
      unit: 'kWh',
      periodType: 'halfHour',
      startTime: new Date('2024-01-01T00:00:00Z'),
      endTime: new Date('2024-01-02T00:00:00Z'),
      duration: 30,
      format: 'standard',
    });
    const sparse = decodeHeader({ name: 'x' }, { id: 'VM1', periodType: 'day', format: 'standard', startMs: 0, endMs: 86_400_000 });
    assert.equal(sparse.periodType, 'day');
    assert.equal(sparse.endTime.getTime(), 86_400_000);
    assert.equal(sparse.duration, 0);
  });
});
