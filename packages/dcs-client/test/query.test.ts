import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsQueryError } from '../src/errors';
import { normaliseQuery, readingsSearchParams } from '../src/query';

describe('readings queries are checked before anything is sent', () => {
  it('normalises source ids to upper case and refuses anything else', () => {
    assert.equal(normaliseQuery({ id: 'r733', start: '2024-01-01', periodCount: 1 }).id, 'R733');
    assert.equal(normaliseQuery({ id: ' vm09 ', start: '2024-01-01', periodCount: 1 }).id, 'VM9');
    for (const id of ['M12', '733', 'R', 'R-1', 'VM1.5', 'R99999999999']) {
      assert.throws(
        () => normaliseQuery({ id, start: '2024-01-01', periodCount: 1 }),
        (e: unknown) => e instanceof DcsQueryError && /R<registerId>/.test(e.message),
        id,
      );
    }
  });

  it('needs exactly two of start, end and periodCount', () => {
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-01-01' }), /exactly two of start, end and periodCount \(this query gives 1\)/);
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-01-01', end: '2024-01-02', periodCount: 48 }), /gives 3/);
    assert.throws(() => normaliseQuery({ id: 'R1' }), /gives 0/);
  });

  it('works out the half-open span from whichever two were given', () => {
    const fromStart = normaliseQuery({ id: 'R1', start: '2021-09-20T18:00:00Z', periodCount: 4 });
    assert.equal(new Date(fromStart.spanEndMs).toISOString(), '2021-09-20T20:00:00.000Z');
    const fromEnd = normaliseQuery({ id: 'R1', end: '2024-03-01', periodCount: 2, periodType: 'month' });
    assert.equal(new Date(fromEnd.spanStartMs).toISOString(), '2024-01-01T00:00:00.000Z');
  });

  it('defaults as pythondcs does: half-hours, calibrated, interpolated, standard', () => {
    const q = normaliseQuery({ id: 'R1', start: '2024-01-01', end: '2024-01-02' });
    assert.deepEqual([q.periodType, q.calibrated, q.interpolated, q.format], ['halfHour', true, true, 'standard']);
    const params = readingsSearchParams(q);
    assert.equal(
      params.toString(),
      'id=R1&startTime=2024-01-01T00%3A00%3A00Z&endTime=2024-01-02T00%3A00%3A00Z&periodType=halfHour&calibrated=true&interpolated=true&format=standard',
    );
  });

  it('passes every period type and flag through', () => {
    for (const periodType of ['halfHour', 'hour', 'day', 'week', 'month'] as const) {
      const q = normaliseQuery({ id: 'R1', start: '2024-01-01', periodCount: 3, periodType, calibrated: false, interpolated: false, format: 'complete' });
      const params = readingsSearchParams(q);
      assert.equal(params.get('periodType'), periodType);
      assert.equal(params.get('periodCount'), '3');
      assert.equal(params.get('calibrated'), 'false');
      assert.equal(params.get('interpolated'), 'false');
      assert.equal(params.get('format'), 'complete');
    }
  });

  it('refuses spans that are not period starts, saying what to use', () => {
    assert.throws(
      () => normaliseQuery({ id: 'R1', start: '2024-03-05', end: '2024-06-01', periodType: 'month' }),
      /start 2024-03-05T00:00:00Z is not the start of a month; use 2024-03-01T00:00:00Z/,
    );
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-01-01T00:10:00Z', periodCount: 2 }), /use 2024-01-01T00:00:00Z/);
  });

  it('refuses reversed, empty and unknown things', () => {
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-02-01', end: '2024-01-01' }), /is before start.*largeReadings swaps/);
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-02-01', end: '2024-02-01' }), /end is exclusive/);
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-02-01', periodCount: 0 }), /periodCount must be a whole number/);
    assert.throws(
      () => normaliseQuery({ id: 'R1', start: '2024-02-01', periodCount: 2, periodType: 'fortnight' as never }),
      /use one of halfHour, hour, day, week, month/,
    );
    assert.throws(() => normaliseQuery({ id: 'VM1', start: '2024-02-01', periodCount: 2, format: 'complete' }), /only available for registers/);
    assert.throws(() => normaliseQuery({ id: 'R1', start: '2024-02-01', periodCount: 2, calibrated: 'yes' as never }), /true or false/);
  });
});
