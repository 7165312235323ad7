/**
 * Time-of-use bands (server/time/bands.ts): the syntax, and which half-hours a band holds,
 * counted here from UTC instants worked out by hand (Europe/London: GMT in winter, BST = UTC+1
 * from the last Sunday of March 01:00 UTC to the last Sunday of October 01:00 UTC).
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { BandSyntaxError, bandMatcher, parseBand } from '../../server/time/bands';

const HALF_HOUR_MS = 1_800_000;

/** The half-hours in [startIso, endIso) UTC that the band holds, read in the zone. */
function count(band: string, zone: string, startIso: string, endIso: string): number {
  const inBand = bandMatcher(parseBand(band), zone);
  let n = 0;
  for (let t = Date.parse(startIso); t < Date.parse(endIso); t += HALF_HOUR_MS) if (inBand(t)) n++;
  return n;
}

describe('time-of-use bands', () => {
  it('a night band 00:00-07:00 holds 14 half-hours on an ordinary day, 12 on the spring change and 16 on the autumn change', () => {
    const night = 'Mon-Sun 00:00-07:00';
    // 2024-10-20 (BST all day): local midnight is 2024-10-19T23:00Z.
    assert.equal(count(night, 'Europe/London', '2024-10-19T23:00:00Z', '2024-10-20T23:00:00Z'), 14);
    // 2024-03-31: 00:00 GMT = 00:00Z ... the day ends at 2024-03-31T23:00Z (midnight BST).
    assert.equal(count(night, 'Europe/London', '2024-03-31T00:00:00Z', '2024-03-31T23:00:00Z'), 12);
    // 2024-10-27: starts 2024-10-26T23:00Z (BST), ends 2024-10-28T00:00Z (GMT); 01:00-02:00 local happens twice.
    assert.equal(count(night, 'Europe/London', '2024-10-26T23:00:00Z', '2024-10-28T00:00:00Z'), 16);
    assert.equal(count('Mon-Sun 07:00-24:00', 'Europe/London', '2024-10-26T23:00:00Z', '2024-10-28T00:00:00Z'), 50 - 16);
  });

  it('each half-hour belongs to the band its local start falls in', () => {
    const inBand = bandMatcher(parseBand('Mon-Fri 16:00-19:00'), 'Europe/London');
    // Monday 2024-07-01 (BST): 16:00 local = 15:00Z is in, 15:30 local = 14:30Z and 19:00 local = 18:00Z are not.
    assert.equal(inBand(Date.parse('2024-07-01T15:00:00Z')), true);
    assert.equal(inBand(Date.parse('2024-07-01T17:30:00Z')), true);
    assert.equal(inBand(Date.parse('2024-07-01T14:30:00Z')), false);
    assert.equal(inBand(Date.parse('2024-07-01T18:00:00Z')), false);
    // Saturday 2024-07-06: no.
    assert.equal(inBand(Date.parse('2024-07-06T15:00:00Z')), false);
    // The same UTC half-hour in UTC itself is 15:00, outside 16:00-19:00.
    assert.equal(bandMatcher(parseBand('Mon-Fri 16:00-19:00'), 'UTC')(Date.parse('2024-07-01T15:00:00Z')), false);
  });

  it('holidays count as Hol, not as their weekday', () => {
    // Week of Monday 2024-12-23 (GMT = UTC); 25 and 26 December are holidays.
    const week = ['2024-12-23T00:00:00Z', '2024-12-30T00:00:00Z'] as const;
    assert.equal(count('Mon-Fri 00:00-24:00', 'Europe/London', ...week), 5 * 48);
    assert.equal(count('Mon-Fri 00:00-24:00; holidays 2024-12-25 2024-12-26', 'Europe/London', ...week), 3 * 48);
    assert.equal(count('Sat-Sun,Hol 00:00-24:00; holidays 2024-12-25,2024-12-26', 'Europe/London', ...week), 4 * 48);
  });

  it('months, several windows and ranges that wrap round', () => {
    // Winter peak only: January has it, July does not.
    const peak = 'Nov-Feb Mon-Fri 16:00-19:00';
    assert.equal(count(peak, 'UTC', '2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z'), 6);
    assert.equal(count(peak, 'UTC', '2024-07-01T00:00:00Z', '2024-07-02T00:00:00Z'), 0);
    // Two windows on one line and a second clause: Monday 07:00-09:00 and 16:00-19:00 (10), Saturday 10:00-12:00 (4).
    const twice = 'Mon-Fri 07:00-09:00, 16:00-19:00; Sat 10:00-12:00';
    assert.equal(count(twice, 'UTC', '2024-07-01T00:00:00Z', '2024-07-02T00:00:00Z'), 10);
    assert.equal(count(twice, 'UTC', '2024-07-06T00:00:00Z', '2024-07-07T00:00:00Z'), 4);
    // Sat-Mon wraps round the week: Sunday 2024-07-07 is in it.
    assert.equal(count('sat-mon 00:00-24:00', 'UTC', '2024-07-07T00:00:00Z', '2024-07-08T00:00:00Z'), 48);
  });

  it('refuses what it cannot read, saying what to write', () => {
    const refusals: Array<[string, RegExp]> = [
      ['', /empty/],
      ['Mon-Fri', /no times/],
      ['16:00-19:00', /no days/],
      ['Mon-Fry 16:00-19:00', /'Fry' .* is not a day; use Mon, Tue/],
      ['Mon-Fri 19:00-16:00', /split a range over midnight/],
      ['Mon-Fri 16:00-25:00', /after 24:00/],
      ['Mon-Fri 4pm-7pm', /not a time range; write HH:MM-HH:MM/],
      ['Mon-Fri 16:00-19:00; holidays 2024-02-30', /'2024-02-30' is not a date/],
      ['Mon-Hol 00:00-24:00', /Hol is not in a range/],
      ['holidays 2024-12-25', /no window/],
    ];
    for (const [text, message] of refusals)
      assert.throws(
        () => parseBand(text),
        (e: unknown) => e instanceof BandSyntaxError && message.test(e.message),
        text,
      );
  });
});
