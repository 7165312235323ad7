/**
 * How the cell functions read what a user types or references: every accepted form, and for
 * every refused one a #VALUE! whose message names the argument and says what to write.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  readCalcs,
  readPeriodType,
  readQualityMeasure,
  readReadingsOptions,
  readSearch,
  readSourceId,
  readTime,
  readTimeZone,
} from '../../../addin/functions/arguments';
import { FunctionFailure } from '../../../addin/functions/failure';

/** Asserts `read` fails with #VALUE! and a message starting with the argument's name and matching `why`. */
function refuses(read: () => unknown, argument: string, why: RegExp): void {
  assert.throws(read, (error: unknown) => {
    assert.ok(error instanceof FunctionFailure, `expected a FunctionFailure, got ${String(error)}`);
    assert.equal(error.code, 'invalidValue');
    assert.ok(error.message.startsWith(`${argument}: `), `message should name ${argument}: ${error.message}`);
    assert.match(error.message, why);
    return true;
  });
}

/** Excel's serial for a UTC wall-clock date-time. */
function serial(iso: string): number {
  return Date.parse(`${iso}Z`) / 86_400_000 + 25_569;
}

describe('source ids', () => {
  it('accepts register and virtual-meter ids in any case and with stray spaces', () => {
    assert.equal(readSourceId('r101'), 'R101');
    assert.equal(readSourceId(' VM003 '), 'VM3');
  });

  it('refuses a bare number, saying how to write it as a register or virtual meter', () => {
    refuses(() => readSourceId(101), 'id', /"R101".*"VM101"/);
  });

  it('refuses an empty cell and anything that is not R<n> or VM<n>', () => {
    refuses(() => readSourceId(null), 'id', /is empty/);
    refuses(() => readSourceId('Main Library'), 'id', /not a source id.*DCS\.SOURCES/);
    refuses(() => readSourceId('M12'), 'id', /not a source id/);
  });
});

describe('start and end', () => {
  it('reads a whole-day serial (a date cell) as a plain date', () => {
    assert.deepEqual(readTime(serial('2024-04-01T00:00:00'), 'start'), { text: '2024-04-01', dateOnly: true });
  });

  it('reads a serial with a time of day as a local date-time, immune to float noise', () => {
    assert.deepEqual(readTime(serial('2024-04-01T12:00:00'), 'start'), { text: '2024-04-01T12:00:00', dateOnly: false });
    // 00:30 is 1/48 of a day: not exactly representable, must not become 00:29:59.
    assert.deepEqual(readTime(45383 + 1 / 48, 'start'), { text: '2024-04-01T00:30:00', dateOnly: false });
  });

  it('reads ISO text with or without a time, with a space or a T, and keeps an explicit offset', () => {
    assert.deepEqual(readTime('2024-04-30', 'end'), { text: '2024-04-30', dateOnly: true });
    assert.deepEqual(readTime('2024-04-30 06:30', 'end'), { text: '2024-04-30T06:30:00', dateOnly: false });
    assert.deepEqual(readTime('2024-04-30T06:30:15', 'end'), { text: '2024-04-30T06:30:15', dateOnly: false });
    assert.deepEqual(readTime('2024-04-30T06:30Z', 'end'), { text: '2024-04-30T06:30:00Z', dateOnly: false });
    assert.deepEqual(readTime('2024-04-30T06:30+0100', 'end'), { text: '2024-04-30T06:30:00+01:00', dateOnly: false });
  });

  it('refuses text whose day/month order would be a guess', () => {
    refuses(() => readTime('01/04/2024', 'start'), 'start', /day\/month order.*2024-04-01/);
  });

  it('refuses dates that do not exist, times past 23:59, empty cells, booleans and tiny serials', () => {
    refuses(() => readTime('2023-02-29', 'end'), 'end', /does not exist|not a date that exists/);
    refuses(() => readTime('2024-04-01 24:00', 'end'), 'end', /not a time of day/);
    refuses(() => readTime(null, 'start'), 'start', /is empty/);
    refuses(() => readTime(true, 'start'), 'start', /TRUE is not a date/);
    refuses(() => readTime(0, 'start'), 'start', /not a date/);
  });
});

describe('time zones', () => {
  it('uses the fallback when omitted and accepts IANA names', () => {
    assert.equal(readTimeZone(null, 'Europe/London'), 'Europe/London');
    assert.equal(readTimeZone('', 'UTC'), 'UTC');
    assert.equal(readTimeZone('America/New_York', 'UTC'), 'America/New_York');
  });

  it('refuses names the zone database does not know', () => {
    refuses(() => readTimeZone('Mars/Olympus_Mons', 'UTC'), 'timeZone', /not a time zone.*Europe\/London/);
    refuses(() => readTimeZone(1, 'UTC'), 'timeZone', /not a time zone/);
  });
});

describe('period types', () => {
  it('defaults to half-hours and accepts the five types in any case', () => {
    assert.equal(readPeriodType(undefined), 'halfHour');
    assert.equal(readPeriodType('DAY'), 'day');
    assert.equal(readPeriodType('half hour'), 'halfHour');
    assert.equal(readPeriodType('Month'), 'month');
  });

  it('refuses anything else, listing the five', () => {
    refuses(() => readPeriodType('fortnight'), 'periodType', /"halfHour", "hour", "day", "week" or "month"/);
    refuses(() => readPeriodType('constructor'), 'periodType', /"halfHour", "hour", "day", "week" or "month"/);
  });
});

describe('calc (DCS.INTERVALS)', () => {
  it('reads the calculations in any case and spelling, each once', () => {
    assert.deepEqual(readCalcs('Consumption, max_at;MAX'), ['consumption', 'maxAt', 'max']);
    assert.equal(readCalcs(undefined), undefined);
  });

  it('refuses names that are not calculations, including ones every object has', () => {
    refuses(() => readCalcs('median'), 'calc', /"median" is not a calculation/);
    refuses(() => readCalcs('constructor'), 'calc', /"constructor" is not a calculation/);
  });
});

describe('DCS.READINGS options', () => {
  it('defaults to calibrated, interpolated standard readings with a header', () => {
    assert.deepEqual(readReadingsOptions(null), { format: 'standard', calibrated: true, interpolated: true, header: true });
  });

  it('reads several options separated by semicolons or commas, in any case', () => {
    assert.deepEqual(readReadingsOptions('Complete; timeZone=Europe/London, noHeader;uncalibrated; noInterpolation'), {
      format: 'complete',
      calibrated: false,
      interpolated: false,
      header: false,
      timeZone: 'Europe/London',
    });
  });

  it('refuses unknown options and zones, listing what is allowed', () => {
    refuses(() => readReadingsOptions('hourly'), 'options', /"hourly" is not an option; separate options with ";"/);
    refuses(() => readReadingsOptions('tz=Atlantis'), 'options', /"Atlantis" is not a time zone/);
  });
});

describe('DCS.SOURCES search and DCS.QUALITY measure', () => {
  it('lists everything without a search and searches numbers as text', () => {
    assert.equal(readSearch(null), '');
    assert.equal(readSearch(' Library '), 'Library');
    assert.equal(readSearch(101), '101');
  });

  it('accepts the four measures and an alias for each common wording', () => {
    assert.equal(readQualityMeasure('Missing'), 'missing');
    assert.equal(readQualityMeasure('estimated'), 'interpolated');
    assert.equal(readQualityMeasure('periods'), 'periods');
    refuses(() => readQualityMeasure('errors'), 'measure', /"interpolated", "resets", "missing" or "periods"/);
    refuses(() => readQualityMeasure('toString'), 'measure', /"interpolated", "resets", "missing" or "periods"/);
  });
});
