import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Source } from '../../../server/api/types';
import {
  alignToIntervals,
  calcsFor,
  describeIntervalSpan,
  defaultLayout,
  defaultWhat,
  parseIntervalsQuery,
  toIntervalsRequest,
  type IntervalsQuery,
} from '../../../addin/query/intervals-query';
import { matchingSources, sourceMatches } from '../../../addin/query/source-match';
import { isDarkTheme } from '../../../addin/taskpane/theme-choice';

const cumulative = { isInstantaneous: false };
const instantaneous = { isInstantaneous: true };

describe('what the pane gets by default', () => {
  it('consumption for cumulative sources, statistics for instantaneous ones, one wide table for several', () => {
    assert.equal(defaultWhat([cumulative, cumulative]), 'consumption');
    assert.equal(defaultWhat([instantaneous]), 'statistics');
    assert.equal(defaultWhat([cumulative, instantaneous]), 'consumption');
    assert.equal(defaultLayout(1), 'perSource');
    assert.equal(defaultLayout(3), 'wide');
  });

  it("leaves a mixed selection's calculations to the server, so each source gets its own", () => {
    assert.deepEqual(calcsFor('consumption', [cumulative]), ['consumption']);
    assert.equal(calcsFor('consumption', [cumulative, instantaneous]), undefined);
    assert.deepEqual(calcsFor('statistics', [cumulative]), ['maxDemand', 'maxDemandAt', 'loadFactor'], 'energy: demand in kW, as a bill states it');
    assert.deepEqual(calcsFor('statistics', [instantaneous]), ['mean', 'min', 'max', 'maxAt']);
    assert.deepEqual(calcsFor('statistics', [cumulative, instantaneous]), ['maxDemand', 'maxDemandAt', 'loadFactor', 'mean', 'min', 'max', 'maxAt']);
  });
});

describe('ranges on interval boundaries', () => {
  it('widens to whole weeks from Monday, months, quarters and years', () => {
    const october = { start: '2025-10-01T00:00:00', end: '2025-11-01T00:00:00' };
    assert.deepEqual(alignToIntervals(october, 'day'), october);
    assert.deepEqual(alignToIntervals(october, 'week'), { start: '2025-09-29T00:00:00', end: '2025-11-03T00:00:00' });
    assert.deepEqual(alignToIntervals(october, 'quarter'), { start: '2025-10-01T00:00:00', end: '2026-01-01T00:00:00' });
    assert.deepEqual(alignToIntervals(october, 'year'), { start: '2025-01-01T00:00:00', end: '2026-01-01T00:00:00' });
  });

  it('asks the server for local dates in the chosen zone', () => {
    const query: IntervalsQuery = {
      version: 1,
      kind: 'intervals',
      sourceIds: ['R1', 'VM2'],
      range: { kind: 'relative', preset: 'lastFullMonth' },
      interval: 'day',
      timeZone: 'Europe/London',
      what: 'consumption',
      calcs: ['consumption'],
      layout: 'wide',
    };
    const { request } = toIntervalsRequest(query, new Date('2025-11-15T12:00:00Z'));
    assert.deepEqual(request, {
      ids: ['R1', 'VM2'],
      start: '2025-10-01T00:00:00',
      end: '2025-11-01T00:00:00',
      interval: 'day',
      timeZone: 'Europe/London',
      calcs: ['consumption'],
    });
    assert.deepEqual(parseIntervalsQuery(JSON.stringify(query)), query, 'a saved query reads back unchanged');
    assert.throws(() => parseIntervalsQuery(JSON.stringify({ ...query, interval: 'fortnight' })), /unknown interval/);
    assert.throws(() => parseIntervalsQuery(JSON.stringify({ ...query, sourceIds: ['=cmd'] })), /no valid source ids/);
  });
});

describe("the source picker's search", () => {
  const sources: Source[] = [
    {
      id: 'R1001',
      kind: 'register',
      name: 'Active Energy Import',
      unit: 'kWh',
      isInstantaneous: false,
      meter: { id: 1, name: 'Main Library - Electricity Main Incomer' },
    },
    { id: 'R1006', kind: 'register', name: 'Gas Volume', unit: 'm3', isInstantaneous: false, meter: { id: 2, name: 'Main Library - Gas' } },
    {
      id: 'R1008',
      kind: 'register',
      name: 'Active Energy Import',
      unit: 'kWh',
      isInstantaneous: false,
      meter: { id: 3, name: 'Engineering Building - Electricity Main Incomer' },
    },
    { id: 'VM7', kind: 'virtualMeter', name: 'Campus electricity', unit: 'kWh', isInstantaneous: false },
  ];

  it('matches several words in any order across meter, register and id', () => {
    assert.deepEqual(
      matchingSources(sources, 'library import').map((s) => s.id),
      ['R1001'],
    );
    assert.deepEqual(
      matchingSources(sources, 'IMPORT library').map((s) => s.id),
      ['R1001'],
    );
    assert.deepEqual(
      matchingSources(sources, 'r1008').map((s) => s.id),
      ['R1008'],
    );
    assert.deepEqual(
      matchingSources(sources, 'electricity').map((s) => s.id),
      ['R1001', 'R1008', 'VM7'],
    );
    assert.equal(sourceMatches(sources[1], 'library electricity'), false);
    assert.equal(matchingSources(sources, '  ').length, 4, 'an empty search lists everything');
  });
});

describe("the pane's theme", () => {
  it('is dark in a dark Excel, light in a light one, and follows the browser outside Office', () => {
    assert.equal(isDarkTheme({ isDarkTheme: true }, false), true);
    assert.equal(isDarkTheme({ bodyBackgroundColor: '#292929' }, false), true);
    assert.equal(isDarkTheme({ bodyBackgroundColor: '#FFFFFF' }, true), false);
    assert.equal(isDarkTheme(undefined, true), true);
    assert.equal(isDarkTheme({ bodyBackgroundColor: 'not a colour' }, false), false);
  });
});

describe('how a span is described', () => {
  it('names whole days by their first and last day, and shorter intervals by their times', () => {
    const october = { start: '2025-10-01T00:00:00', end: '2025-11-01T00:00:00' };
    assert.equal(describeIntervalSpan({ kind: 'relative', preset: 'lastFullMonth' }, 'day', october), 'Last full month, 2025-10-01 to 2025-10-31');
    assert.equal(describeIntervalSpan({ kind: 'fixed', ...october }, 'halfHour', october), '2025-10-01 00:00 to 2025-11-01 00:00');
  });
});
