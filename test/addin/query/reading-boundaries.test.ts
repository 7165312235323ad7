/**
 * DCS keeps its hour, day, week and month readings from UTC boundaries. The pane and the
 * functions check a span before asking (issue 19), so that what cannot work is said in their
 * own words; these are the checks and the pane's wording.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readingsMisfit } from '../../../addin/query/reading-boundaries';
import { readingsMisfitAdvice, toReadingsRequest, type TableQuery } from '../../../addin/query/table-query';

describe('readings that DCS can give for a span', () => {
  it('fit when the span starts and ends on UTC boundaries of the period', () => {
    assert.equal(readingsMisfit({ start: '2024-01-01T00:00:00', end: '2024-02-01T00:00:00' }, 'Europe/London', 'day'), undefined, 'GMT is UTC');
    assert.equal(readingsMisfit({ start: '2024-01-01T00:00:00', end: '2024-02-01T00:00:00' }, 'Europe/London', 'month'), undefined);
    assert.equal(readingsMisfit({ start: '2024-04-01T00:00:00', end: '2024-04-29T00:00:00' }, 'UTC', 'week'), undefined, 'both Mondays');
    // Half-hours fit in any whole-hour zone, summer or winter.
    assert.equal(readingsMisfit({ start: '2024-04-01T00:00:00', end: '2024-05-01T00:00:00' }, 'Europe/London', 'halfHour'), undefined);
  });

  it('do not fit when a local midnight is not midnight UTC, naming the end and both clocks', () => {
    // 1 April 2024 00:00 BST = 31 March 23:00 UTC.
    assert.deepEqual(readingsMisfit({ start: '2024-04-01T00:00:00', end: '2024-05-01T00:00:00' }, 'Europe/London', 'day'), {
      end: 'start',
      wall: '2024-04-01 00:00',
      utc: '2024-03-31 23:00',
      periodStarts: 'midnight UTC',
    });
    // The March clock change falls inside January–March: the end (1 April) is already BST.
    assert.equal(readingsMisfit({ start: '2024-01-01T00:00:00', end: '2024-04-01T00:00:00' }, 'Europe/London', 'day')?.end, 'end');
    // India is 5:30 ahead all year: not even its hours are DCS's hours; its half-hours are.
    assert.equal(readingsMisfit({ start: '2024-01-01T00:00:00', end: '2024-01-02T00:00:00' }, 'Asia/Kolkata', 'hour')?.utc, '2023-12-31 18:30');
    assert.equal(readingsMisfit({ start: '2024-01-01T00:00:00', end: '2024-01-02T00:00:00' }, 'Asia/Kolkata', 'halfHour'), undefined);
    // Weeks start on Monday, months on the 1st, in UTC too.
    assert.equal(readingsMisfit({ start: '2024-04-03T00:00:00', end: '2024-04-29T00:00:00' }, 'UTC', 'week')?.utc, '2024-04-03 00:00');
    assert.equal(readingsMisfit({ start: '2024-04-01T00:00:00', end: '2024-04-08T00:00:00' }, 'UTC', 'month')?.end, 'end');
  });
});

describe("the pane's advice when no readings fit", () => {
  it("says it in the pane's words (its Interval list and What to get choices), never an API path", () => {
    const advice = readingsMisfitAdvice({ start: '2024-04-01T00:00:00', end: '2024-05-01T00:00:00' }, 'Europe/London', 'day');
    assert.equal(
      advice,
      "DCS's Day readings run from midnight UTC, and this range starts at 2024-04-01 00:00 Europe/London (2024-03-31 23:00 UTC), so none fit. " +
        'Choose "Consumption per interval" for days by the Europe/London calendar, or the Half-hour interval for readings.',
    );
    assert.doesNotMatch(advice ?? '', /\/api|interval=|timeZone=|periodType/);
    assert.equal(readingsMisfitAdvice({ start: '2024-01-01T00:00:00', end: '2024-02-01T00:00:00' }, 'Europe/London', 'day'), undefined);
    // Week readings of a BST month: half-hours fit, so they are offered too.
    assert.match(
      readingsMisfitAdvice({ start: '2024-04-01T00:00:00', end: '2024-05-01T00:00:00' }, 'Europe/London', 'week') ?? '',
      /Monday midnight UTC.*or the Half-hour interval for readings\.$/,
    );
  });

  it("offers UTC or days for hour readings off UTC's grid, and half-hours only where they fit", () => {
    // India (+05:30): its midnights are on UTC's half-hours but not its hours.
    assert.equal(
      readingsMisfitAdvice({ start: '2024-01-01T00:00:00', end: '2024-01-02T00:00:00' }, 'Asia/Kolkata', 'hour'),
      "DCS's Hour readings run from the hour (UTC), and this range starts at 2024-01-01 00:00 Asia/Kolkata (2023-12-31 18:30 UTC), so none fit. " +
        'Choose the UTC time zone for Hour readings, or an interval of a Day or longer, or the Half-hour interval for readings.',
    );
    // Nepal (+05:45): not even half-hours.
    assert.match(
      readingsMisfitAdvice({ start: '2024-01-01T00:00:00', end: '2024-01-02T00:00:00' }, 'Asia/Kathmandu', 'halfHour') ?? '',
      /\(2023-12-31 18:15 UTC\), so none fit\. Choose the UTC time zone for Half-hour readings, or an interval of a Day or longer\.$/,
    );
  });

  it('stops a saved readings table whose range no longer fits (a relative month refreshed in summer) before asking the server', () => {
    const query: TableQuery = {
      version: 1,
      sourceIds: ['R1001'],
      range: { kind: 'relative', preset: 'lastFullMonth' },
      options: { periodType: 'day', calibrated: true, interpolated: true, format: 'standard', timeZone: 'Europe/London' },
      layout: 'perSource',
    };
    // In February, last month is January: GMT, on UTC midnights.
    assert.equal(toReadingsRequest(query, new Date('2024-02-10T12:00:00Z')).request.start, '2024-01-01T00:00:00');
    // In May, last month is April: BST.
    assert.throws(
      () => toReadingsRequest(query, new Date('2024-05-10T12:00:00Z')),
      /this range starts at 2024-04-01 00:00 Europe\/London.*"Consumption per interval"/,
    );
  });
});
