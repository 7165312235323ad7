import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { naiveDateTimeToSerial, serialToText, ZonedSerials } from '../../addin/excel/dates';
import { estimatePeriods, resolveRange, type RangePreset } from '../../addin/query/presets';
import { parseTableQuery } from '../../addin/query/table-query';

const at = (iso: string) => new Date(iso);
const preset = (name: RangePreset) => ({ kind: 'relative', preset: name }) as const;

describe('Relative time ranges', () => {
  it("resolve to whole local days ending at today's midnight", () => {
    const now = at('2024-06-15T10:20:00Z');
    assert.deepEqual(resolveRange(preset('yesterday'), now, 'UTC', 'halfHour'), { start: '2024-06-14T00:00:00', end: '2024-06-15T00:00:00' });
    assert.deepEqual(resolveRange(preset('last7Days'), now, 'UTC', 'halfHour'), { start: '2024-06-08T00:00:00', end: '2024-06-15T00:00:00' });
    assert.deepEqual(resolveRange(preset('lastFullMonth'), now, 'UTC', 'day'), { start: '2024-05-01T00:00:00', end: '2024-06-01T00:00:00' });
    assert.deepEqual(resolveRange(preset('lastFullYear'), now, 'UTC', 'month'), { start: '2023-01-01T00:00:00', end: '2024-01-01T00:00:00' });
  });

  it('month to date runs up to the start of the current period', () => {
    const now = at('2024-06-15T10:40:00Z');
    assert.deepEqual(resolveRange(preset('monthToDate'), now, 'UTC', 'halfHour'), { start: '2024-06-01T00:00:00', end: '2024-06-15T10:30:00' });
    assert.deepEqual(resolveRange(preset('monthToDate'), now, 'UTC', 'hour'), { start: '2024-06-01T00:00:00', end: '2024-06-15T10:00:00' });
    assert.deepEqual(resolveRange(preset('monthToDate'), now, 'UTC', 'day'), { start: '2024-06-01T00:00:00', end: '2024-06-15T00:00:00' });
  });

  it('move forward as time passes (what a refresh relies on)', () => {
    const june = resolveRange(preset('lastFullMonth'), at('2024-06-15T10:00:00Z'), 'UTC', 'halfHour');
    const july = resolveRange(preset('lastFullMonth'), at('2024-07-01T00:00:00Z'), 'UTC', 'halfHour');
    const nextYear = resolveRange(preset('lastFullMonth'), at('2025-01-10T00:00:00Z'), 'UTC', 'halfHour');
    assert.equal(june.start, '2024-05-01T00:00:00');
    assert.equal(july.start, '2024-06-01T00:00:00');
    assert.deepEqual(nextYear, { start: '2024-12-01T00:00:00', end: '2025-01-01T00:00:00' });
  });

  it('take "today" from the chosen zone, not from UTC', () => {
    // 23:30 UTC on 30 June is already 1 July in London (BST) and still 30 June in UTC.
    const now = at('2024-06-30T23:30:00Z');
    assert.equal(resolveRange(preset('lastFullMonth'), now, 'UTC', 'day').start, '2024-05-01T00:00:00');
    assert.equal(resolveRange(preset('lastFullMonth'), now, 'Europe/London', 'day').start, '2024-06-01T00:00:00');
    assert.equal(resolveRange(preset('yesterday'), at('2024-06-15T03:00:00Z'), 'America/New_York', 'day').start, '2024-06-13T00:00:00');
  });

  it('keep fixed ranges as they are and refuse impossible ones with a clear message', () => {
    const now = at('2024-06-15T10:00:00Z');
    const fixed = { kind: 'fixed', start: '2024-02-01', end: '2024-03-01' } as const;
    assert.deepEqual(resolveRange(fixed, now, 'UTC', 'day'), { start: '2024-02-01T00:00:00', end: '2024-03-01T00:00:00' });
    assert.throws(() => resolveRange({ kind: 'fixed', start: '2024-02-30', end: '2024-03-01' }, now, 'UTC', 'day'), /"2024-02-30" is not a date/);
    assert.throws(() => resolveRange({ kind: 'fixed', start: '2024-03-01', end: '2024-03-01' }, now, 'UTC', 'day'), /end of the range must be after its start/);
    assert.throws(() => resolveRange(preset('yesterday'), now, 'Mars/Olympus', 'day'), /not a time zone/);
  });

  it('estimate the rows a range gives per source', () => {
    assert.equal(estimatePeriods({ start: '2024-01-01T00:00:00', end: '2025-01-01T00:00:00' }, 'halfHour'), 366 * 48);
    assert.equal(estimatePeriods({ start: '2024-01-01T00:00:00', end: '2025-01-01T00:00:00' }, 'month'), 12);
    assert.equal(estimatePeriods({ start: '2024-06-15T00:00:00', end: '2024-06-15T00:00:00' }, 'day'), 0);
  });
});

describe('Excel dates', () => {
  it('are serial days from 1899-12-30, time as the fraction', () => {
    assert.equal(naiveDateTimeToSerial('2000-01-01'), 36526);
    assert.equal(naiveDateTimeToSerial('2000-01-01T12:00'), 36526.5);
    assert.equal(new ZonedSerials('UTC').serialOfIso('1970-01-01T00:00:00Z'), 25569);
  });

  it('show the wall clock of the chosen zone, including both clock changes of a year', () => {
    const london = new ZonedSerials('Europe/London');
    const text = (iso: string) => serialToText(london.serialOfIso(iso));
    assert.equal(text('2024-01-15T12:00:00Z'), '2024-01-15 12:00:00', 'GMT in winter');
    assert.equal(text('2024-07-15T12:00:00Z'), '2024-07-15 13:00:00', 'BST in summer');
    assert.equal(text('2024-03-31T00:30:00Z'), '2024-03-31 00:30:00');
    assert.equal(text('2024-03-31T01:00:00Z'), '2024-03-31 02:00:00', 'spring forward: 01:00 local never happens');
    assert.equal(text('2024-10-27T00:30:00Z'), '2024-10-27 01:30:00');
    assert.equal(text('2024-10-27T01:30:00Z'), '2024-10-27 01:30:00', 'fall back: 01:30 local happens twice');
    assert.equal(serialToText(new ZonedSerials('Asia/Kolkata').serialOfIso('2024-01-01T00:00:00Z')), '2024-01-01 05:30:00');
  });

  it('refuse a zone name the platform does not know', () => {
    assert.throws(() => new ZonedSerials('Europe/Atlantis'), /not a time zone/);
  });
});

describe('Saved queries read back from a workbook', () => {
  const good = {
    version: 1,
    sourceIds: ['R1', 'VM2'],
    range: { kind: 'relative', preset: 'yesterday' },
    options: { periodType: 'day', calibrated: true, interpolated: false, format: 'standard', timeZone: 'UTC' },
    layout: 'long',
  };
  it('are accepted when complete', () => {
    assert.deepEqual(parseTableQuery(JSON.stringify(good)), good);
  });
  it('are refused, saying what is wrong, when edited into nonsense', () => {
    assert.throws(() => parseTableQuery('{'), /not valid JSON/);
    assert.throws(() => parseTableQuery(JSON.stringify({ ...good, sourceIds: ['meter 4'] })), /no valid source ids/);
    assert.throws(() => parseTableQuery(JSON.stringify({ ...good, range: { kind: 'relative', preset: 'someday' } })), /no valid time range/);
    assert.throws(() => parseTableQuery(JSON.stringify({ ...good, options: { ...good.options, periodType: 'fortnight' } })), /invalid options/);
  });
});
