import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CompleteReading, Reading } from 'dcs-client';
import { blockStart, mergeReadings, pack, unpack } from '../../server/store/packing';

const at = (iso: string): number => Date.parse(iso);

test('each period type has a block that holds whole periods', () => {
  assert.equal(blockStart(at('2024-02-29T23:30:00Z'), 'halfHour'), at('2024-02-29T00:00:00Z'));
  assert.equal(blockStart(at('2024-02-29T23:00:00Z'), 'hour'), at('2024-02-29T00:00:00Z'));
  assert.equal(blockStart(at('2024-02-29T00:00:00Z'), 'day'), at('2024-02-01T00:00:00Z'));
  // A week starting on 30 December belongs to December's block, whatever year it ends in.
  assert.equal(blockStart(at('2024-12-30T00:00:00Z'), 'week'), at('2024-12-01T00:00:00Z'));
  assert.equal(blockStart(at('2024-11-01T00:00:00Z'), 'month'), at('2024-01-01T00:00:00Z'));
});

test('packed readings come back bit for bit, NaN, infinities and negative zero included', () => {
  const standard: Reading[] = [NaN, Infinity, -Infinity, -0, 0.1 + 0.2, 1e308].map((value, i) => ({
    timestamp: new Date(at('2024-01-01T00:00:00Z') + i * 1_800_000),
    value,
    status: i % 3,
  }));
  assert.deepEqual(unpack(pack(standard, 'standard'), 'standard'), standard);
  const complete: CompleteReading[] = [{ timestamp: new Date(at('2024-01-01T00:00:00Z')), totalValue: 123456.789, periodValue: -0.5, status: 2 }];
  assert.deepEqual(unpack(pack(complete, 'complete'), 'complete'), complete);
});

test('unpacking keeps only the asked span, and a merge lets the newer reading of a period win', () => {
  const readings: Reading[] = [0, 1, 2, 3].map((i) => ({ timestamp: new Date(at('2024-01-01T00:00:00Z') + i * 1_800_000), value: i, status: 0 }));
  const inner = unpack(pack(readings, 'standard'), 'standard', at('2024-01-01T00:30:00Z'), at('2024-01-01T01:30:00Z'));
  assert.deepEqual(
    inner.map((r) => (r as Reading).value),
    [1, 2],
  );
  const fixed = { ...readings[2], value: 20 };
  const merged = mergeReadings([readings[3], readings[0], readings[2]], [fixed, readings[1]]);
  assert.deepEqual(
    merged.map((r) => (r as Reading).value),
    [0, 1, 20, 3],
  );
});
