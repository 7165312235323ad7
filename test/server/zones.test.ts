import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkTimeZone, endOfLocalDay, formatInZone, isValidTimeZone, parseInZone, startOfLocalDay, TimeParseError } from '../../server/time/zones';

const iso = (d: Date): string => d.toISOString();

describe('time zones: reading local times as UTC instants', () => {
  it('reads a naive date-time in the given zone (summer time in London is UTC+1)', () => {
    assert.equal(iso(parseInZone('2024-06-01T09:30', 'Europe/London')), '2024-06-01T08:30:00.000Z');
    assert.equal(iso(parseInZone('2024-01-15 09:30:15', 'America/New_York')), '2024-01-15T14:30:15.000Z');
  });

  it('reads a plain date as local midnight, and as UTC midnight without a zone', () => {
    assert.equal(iso(parseInZone('2024-06-01', 'Europe/Paris')), '2024-05-31T22:00:00.000Z');
    assert.equal(iso(parseInZone('2024-06-01')), '2024-06-01T00:00:00.000Z');
  });

  it('uses an explicit Z or offset as given, whatever the zone', () => {
    assert.equal(iso(parseInZone('2024-06-01T00:00Z', 'Asia/Tokyo')), '2024-06-01T00:00:00.000Z');
    assert.equal(iso(parseInZone('2024-06-01T00:00+05:30', 'Europe/London')), '2024-05-31T18:30:00.000Z');
    assert.equal(iso(parseInZone('2024-06-01T00:00:00.250-0500')), '2024-06-01T05:00:00.250Z');
  });

  it('moves a time in the spring-forward gap forward by the gap (01:30 London -> 02:30 BST)', () => {
    assert.equal(iso(parseInZone('2024-03-31T01:30', 'Europe/London')), '2024-03-31T01:30:00.000Z');
    assert.equal(formatInZone(parseInZone('2024-03-31T01:30', 'Europe/London'), 'Europe/London'), '2024-03-31T02:30:00+01:00');
    // New York's gap: 02:30 does not exist on 2024-03-10; it becomes 03:30 EDT.
    assert.equal(formatInZone(parseInZone('2024-03-10T02:30', 'America/New_York'), 'America/New_York'), '2024-03-10T03:30:00-04:00');
  });

  it('takes the first occurrence of a time repeated when clocks go back', () => {
    assert.equal(iso(parseInZone('2024-10-27T01:30', 'Europe/London')), '2024-10-27T00:30:00.000Z');
    assert.equal(iso(parseInZone('2024-11-03T01:30', 'America/New_York')), '2024-11-03T05:30:00.000Z');
  });

  it('refuses impossible dates and times, saying what is wrong and what to write', () => {
    assert.throws(
      () => parseInZone('2024-13-01'),
      (e: Error) =>
        e instanceof TimeParseError && /'2024-13-01' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:mm/.test(e.message) && /no month 13/.test(e.message),
    );
    assert.throws(() => parseInZone('2023-02-29'), /2023-02 has days 01 to 28/);
    assert.throws(() => parseInZone('2024-01-01T24:00'), /hours run 00-23/);
    assert.throws(() => parseInZone('yesterday'), /'yesterday' is not a date/);
    assert.throws(() => parseInZone('2024-01-01', 'Mars/Olympus'), /'Mars\/Olympus' is not a time zone; use an IANA name/);
  });
});

describe('time zones: names, formatting and local days', () => {
  it('validates zone names', () => {
    assert.equal(isValidTimeZone('Europe/London'), true);
    assert.equal(isValidTimeZone('Europe/Londn'), false);
    assert.equal(isValidTimeZone(''), false);
    assert.equal(checkTimeZone('Europe/London'), 'Europe/London');
  });

  it('formats an instant with the offset in force at that instant', () => {
    assert.equal(formatInZone(new Date('2024-01-01T12:00:00Z'), 'Europe/London'), '2024-01-01T12:00:00+00:00');
    assert.equal(formatInZone(new Date('2024-07-01T12:00:00Z'), 'Europe/London'), '2024-07-01T13:00:00+01:00');
    assert.equal(formatInZone(new Date('2024-07-01T12:00:00Z'), 'Asia/Kolkata'), '2024-07-01T17:30:00+05:30');
    assert.equal(formatInZone(Date.UTC(2024, 6, 1, 12), 'UTC'), '2024-07-01T12:00:00Z');
  });

  it('gives local-day bounds as a half-open span: 23 hours on the spring change, 25 in autumn', () => {
    const springStart = startOfLocalDay('2024-03-31', 'Europe/London');
    const springEnd = endOfLocalDay('2024-03-31', 'Europe/London');
    assert.equal(iso(springStart), '2024-03-31T00:00:00.000Z');
    assert.equal(iso(springEnd), '2024-03-31T23:00:00.000Z');
    assert.equal((springEnd.getTime() - springStart.getTime()) / 3_600_000, 23);
    const autumn = endOfLocalDay('2024-10-27', 'Europe/London').getTime() - startOfLocalDay('2024-10-27', 'Europe/London').getTime();
    assert.equal(autumn / 3_600_000, 25);
    assert.equal(iso(endOfLocalDay('2024-12-31', 'UTC')), '2025-01-01T00:00:00.000Z');
  });

  it('starts a day whose midnight is skipped at the first moment that exists', () => {
    // Santiago moved clocks from 00:00 to 01:00 on 2024-09-08.
    assert.equal(formatInZone(startOfLocalDay('2024-09-08', 'America/Santiago'), 'America/Santiago'), '2024-09-08T01:00:00-03:00');
  });
});
