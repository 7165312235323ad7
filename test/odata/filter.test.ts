/**
 * The $filter language of the OData feed: what Power Query folds into it and a person types is
 * understood, everything else is refused with a message that says where and what is supported,
 * and a Readings filter becomes the right DCS query (sources, aligned half-open span, order).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Request } from 'express';
import type { Source } from '../../server/api/types';
import { ODataError } from '../../server/odata/errors';
import { parseFilter } from '../../server/odata/filter';
import { compileFilter, type Row } from '../../server/odata/filter-eval';
import { ReadingType, SourceType } from '../../server/odata/model';
import { parseQueryOptions } from '../../server/odata/options';
import { planReadings, type ReadingsPlan } from '../../server/odata/readings-query';

const ROOT = 'https://dcs.example.com/odata';
const NOW = Date.UTC(2024, 5, 15);

function refusal(action: () => unknown): ODataError {
  try {
    action();
  } catch (error) {
    assert.ok(error instanceof ODataError, `expected an ODataError, got ${String(error)}`);
    return error;
  }
  assert.fail('expected the filter to be refused');
}

function fakeRequest(query: Record<string, string>): Request {
  return { query } as unknown as Request;
}

function plan(query: Record<string, string>): ReadingsPlan {
  return planReadings(parseQueryOptions(fakeRequest(query), ReadingType), ROOT, NOW);
}

const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

describe('$filter parsing', () => {
  it('reads the filters Power Query folds: parentheses, and/or, in, offsets and fractional seconds', () => {
    const expr = parseFilter(
      "(SourceId eq 'R1' or SourceId eq 'VM2') and Timestamp ge 2024-01-01T00:00:00.0000000+01:00 and (Timestamp lt 2024-02-01T00:00:00Z)",
    );
    assert.equal(expr.kind, 'and');
    const inList = parseFilter("SourceId in ('R1', 'R2','R3')");
    assert.equal(inList.kind, 'in');
    assert.deepEqual(inList.kind === 'in' && inList.list.map((l) => l.value), ['R1', 'R2', 'R3']);
  });

  it('reads doubled quotes inside text, negative numbers, NaN and INF', () => {
    const row: Row = { Id: "O'Brien", Name: 'x', Kind: 'register', Unit: '', IsInstantaneous: false, MeterId: -3, MeterName: null };
    assert.equal(compileFilter(parseFilter("Id eq 'O''Brien'"), SourceType)(row), true);
    assert.equal(compileFilter(parseFilter('MeterId eq -3'), SourceType)(row), true);
    const reading = (value: number): Row => ({
      SourceId: 'R1',
      PeriodType: 'halfHour',
      Timestamp: 0,
      Value: value,
      Status: 0,
      Interpolated: false,
      Reset: false,
    });
    assert.equal(compileFilter(parseFilter('Value eq NaN'), ReadingType)(reading(NaN)), true);
    assert.equal(compileFilter(parseFilter('Value eq -INF'), ReadingType)(reading(-Infinity)), true);
    assert.equal(compileFilter(parseFilter('Value gt 5'), ReadingType)(reading(NaN)), false, 'NaN is unordered');
  });

  it('evaluates functions and logic on the small sets', () => {
    const library: Row = {
      Id: 'R1',
      Kind: 'register',
      Name: 'Active Energy Import',
      Unit: 'kWh',
      IsInstantaneous: false,
      MeterId: 101,
      MeterName: 'Main Library',
    };
    const accept = (filter: string) => compileFilter(parseFilter(filter), SourceType)(library);
    assert.equal(accept("contains(MeterName,'Library') and not IsInstantaneous"), true);
    assert.equal(accept("startswith(tolower(Name),'active') and endswith(Unit,'Wh')"), true);
    assert.equal(accept("Kind eq 'virtualMeter' or MeterId gt 200"), false);
    assert.equal(accept('MeterName ne null and length(Unit) eq 3'), true);
  });

  it('refuses what it does not support, saying where and listing what is supported', () => {
    const cases: Array<[string, RegExp]> = [
      ["SourceId eq 'R1' AND Value gt 1", /position 18 \('AND'\): operators are lower case: write 'and'/],
      ['Value add 1 gt 2', /operator 'add' is not supported/],
      ["substringof('a',Name)", /function substringof\(\) is not supported/],
      ["Timestamp ge datetime'2024-01-01T00:00:00'", /OData version 3 syntax/],
      ['Timestamp ge 2024-01-01T00:00:00', /has no offset; add Z for UTC/],
      ["Name eq 'unterminated", /no closing quote/],
      ["SourceId eq 'R1' and", /at the end/],
      ['Tags/any(t: t eq 1)', /lambda operators/],
    ];
    for (const [filter, message] of cases) {
      const error = refusal(() => parseFilter(filter));
      assert.equal(error.status, 400, filter);
      assert.equal(error.target, '$filter');
      assert.match(error.message, message, filter);
      assert.match(error.message, /Supported in \$filter: comparisons with eq, ne, gt, ge, lt, le/, filter);
    }
  });

  it('refuses comparisons of the wrong types and unknown properties, naming them', () => {
    assert.match(refusal(() => compileFilter(parseFilter("Value gt 'ten'"), ReadingType)).message, /cannot compare Value \(a number\) with 'ten' \(text\)/);
    assert.match(
      refusal(() => compileFilter(parseFilter('value gt 1'), ReadingType)).message,
      /no property 'value'; its properties are SourceId, PeriodType, Timestamp, Value/,
    );
    assert.match(refusal(() => compileFilter(parseFilter("Timestamp gt '2024-01-01'"), ReadingType)).message, /without quotes/);
    assert.match(refusal(() => compileFilter(parseFilter('Value'), ReadingType)).message, /needs a true\/false condition/);
    assert.match(
      refusal(() => compileFilter(parseFilter('Timestamp ge 2024-01-01'), ReadingType)).message,
      /a date alone is not a date-time: write 2024-01-01T00:00:00Z for midnight UTC, or compare date\(Timestamp\) with the date/,
    );
  });
});

describe('Readings $filter → DCS query', () => {
  const day = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z';

  it("takes sources from eq, in and or-of-eq, without duplicates, in the order given; eq is exact, as M's =", () => {
    assert.deepEqual(plan({ $filter: `SourceId eq 'R733' and ${day}` }).sourceIds, ['R733']);
    assert.deepEqual(plan({ $filter: `SourceId eq 'r0733' and ${day}` }).sourceIds, [], "'r0733' is not how Readings spells R733: no row matches");
    assert.deepEqual(plan({ $filter: `SourceId in ('VM9','R1','vm9','VM9') and ${day}` }).sourceIds, ['VM9', 'R1']);
    assert.deepEqual(plan({ $filter: `(SourceId eq 'R2' or SourceId eq 'R1') and ${day}` }).sourceIds, ['R2', 'R1']);
    assert.deepEqual(plan({ $filter: `SourceId in ('R1','R2') and SourceId eq 'R2' and ${day}` }).sourceIds, ['R2'], 'conditions intersect');
  });

  it('turns ge/gt/le/lt/eq into a half-open span of whole periods', () => {
    const span = (filter: string, periodType = 'halfHour') => {
      const p = plan({ $filter: `SourceId eq 'R1' and ${filter}`, periodType });
      return [iso(p.startMs), iso(p.endMs)];
    };
    assert.deepEqual(span(day), ['2024-01-01T00:00:00Z', '2024-01-02T00:00:00Z']);
    assert.deepEqual(span('Timestamp gt 2024-01-01T00:00:00Z and Timestamp le 2024-01-01T02:00:00Z'), ['2024-01-01T00:30:00Z', '2024-01-01T02:30:00Z']);
    assert.deepEqual(span('Timestamp ge 2024-01-01T00:10:00Z and Timestamp lt 2024-01-01T01:10:00Z'), ['2024-01-01T00:30:00Z', '2024-01-01T01:30:00Z']);
    assert.deepEqual(span('Timestamp eq 2024-01-01T05:00:00Z'), ['2024-01-01T05:00:00Z', '2024-01-01T05:30:00Z']);
    assert.deepEqual(span('Timestamp ge 2024-01-01T00:00:00+01:00 and Timestamp lt 2024-01-03T00:00:00Z', 'day'), [
      '2024-01-01T00:00:00Z',
      '2024-01-03T00:00:00Z',
    ]);
    assert.deepEqual(span('Timestamp ge 2024-01-15T00:00:00Z and Timestamp lt 2024-03-15T00:00:00Z', 'month'), [
      '2024-02-01T00:00:00Z',
      '2024-04-01T00:00:00Z',
    ]);
    assert.deepEqual(
      span(
        'Timestamp ge 2024-01-01T00:00:00Z and Timestamp ge 2024-01-01T06:00:00Z and Timestamp lt 2024-01-02T00:00:00Z and Timestamp lt 2024-01-01T08:00:00Z',
      ),
      ['2024-01-01T06:00:00Z', '2024-01-01T08:00:00Z'],
    );
  });

  it('takes the period type from periodType= or PeriodType eq, refusing a conflict', () => {
    assert.equal(plan({ $filter: `SourceId eq 'R1' and ${day}` }).periodType, 'halfHour');
    assert.equal(plan({ $filter: `SourceId eq 'R1' and ${day}`, periodType: 'Day' }).periodType, 'day');
    assert.equal(plan({ $filter: `SourceId eq 'R1' and ${day} and PeriodType eq 'hour'` }).periodType, 'hour');
    assert.match(
      refusal(() => plan({ $filter: `SourceId eq 'R1' and ${day} and PeriodType eq 'hour'`, periodType: 'day' })).message,
      /conflicting period types/,
    );
    assert.match(
      refusal(() => plan({ $filter: `SourceId eq 'R1' and ${day}`, periodType: 'fortnight' })).message,
      /'fortnight' is not a period type; use one of halfHour, hour, day, week, month/,
    );
  });

  it('with $top, reads what the filter selects (OData §5.1.4): every source that has the period type, up to what DCS holds; never a guessed start', () => {
    const catalogue: Source[] = [
      { id: 'R1', kind: 'register', name: 'Import', unit: 'kWh', isInstantaneous: false },
      { id: 'R2', kind: 'register', name: 'Power', unit: 'kW', isInstantaneous: true },
      ...Array.from({ length: 12 }, (_, i): Source => ({ id: `VM${i + 1}`, kind: 'virtualMeter', name: `V${i}`, unit: 'kWh', isInstantaneous: false })),
    ];
    const top = (query: Record<string, string>) => planReadings(parseQueryOptions(fakeRequest({ $top: '1000', ...query }), ReadingType), ROOT, NOW, catalogue);
    const oneDay = top({ $filter: 'Timestamp ge 2024-01-05T00:00:00Z and Timestamp lt 2024-01-06T00:00:00Z' });
    assert.deepEqual(
      oneDay.sourceIds,
      catalogue.map((s) => s.id),
      'no SourceId: every source, not the first ten',
    );
    const weekly = top({ $filter: 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-02-05T00:00:00Z', periodType: 'week' });
    assert.ok(!weekly.sourceIds.includes('R2'), 'instantaneous sources only have half-hours');
    const fromDate = top({ $filter: "SourceId eq 'VM3' and Timestamp ge 2024-01-05T12:00:00Z" });
    assert.deepEqual(fromDate.sourceIds, ['VM3']);
    // NOW is 2024-06-15T00:00Z: the half-hour in progress is the last DCS may hold.
    assert.deepEqual([iso(fromDate.startMs), iso(fromDate.endMs)], ['2024-01-05T12:00:00Z', '2024-06-15T00:30:00Z'], 'a missing end: up to now');
    for (const filter of [undefined, "SourceId eq 'R1'", "SourceId eq 'R1' and Timestamp lt 2024-01-05T00:00:00Z"]) {
      const query: Record<string, string> = filter === undefined ? {} : { $filter: filter };
      assert.match(refusal(() => top(query)).message, /needs a start \(Timestamp ge \.\.\.\).*with \$top, a start is enough/, String(filter));
    }
    assert.throws(() => planReadings(parseQueryOptions(fakeRequest({}), ReadingType), ROOT, NOW, catalogue), /Readings cannot be listed whole/);
  });

  it('answers PeriodType in/or naming one type, refuses several, and matches nothing for another spelling', () => {
    const span = "SourceId eq 'R1' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z";
    assert.equal(plan({ $filter: `${span} and PeriodType in ('hour')` }).periodType, 'hour');
    assert.equal(
      plan({ $filter: `${span} and (PeriodType eq 'hour' or PeriodType eq 'day') and PeriodType eq 'day'` }).periodType,
      'day',
      'conditions intersect',
    );
    assert.match(
      refusal(() => plan({ $filter: `${span} and PeriodType in ('hour','day')` })).message,
      /PeriodType asks for hour and day, but one Readings query reads one period type/,
    );
    assert.equal(plan({ $filter: `${span} and PeriodType in ('hour','day')`, periodType: 'day' }).periodType, 'day', 'periodType= picks one of them');
    assert.deepEqual(plan({ $filter: `${span} and PeriodType eq 'Hour'` }).sourceIds, []);
    assert.match(refusal(() => plan({ $filter: `${span} and PeriodType eq 'daily'` })).message, /'daily' is not a period type/);
  });

  it('keeps other conditions as a per-reading filter', () => {
    const p = plan({ $filter: `SourceId eq 'R1' and ${day} and Value gt 10 and not Interpolated` });
    assert.ok(p.residual);
    const row = (value: number, interpolated: boolean): Row => ({
      SourceId: 'R1',
      PeriodType: 'halfHour',
      Timestamp: 0,
      Value: value,
      Status: interpolated ? 1 : 0,
      Interpolated: interpolated,
      Reset: false,
    });
    assert.equal(p.residual(row(11, false)), true);
    assert.equal(p.residual(row(11, true)), false);
    assert.equal(p.residual(row(9, false)), false);
    assert.equal(plan({ $filter: `SourceId eq 'R1' and ${day}` }).residual, undefined);
  });

  it('refuses to list Readings without a source and both ends of the span, showing a URL that works', () => {
    for (const filter of [undefined, day, "SourceId eq 'R7' and Timestamp ge 2024-01-01T00:00:00Z", "SourceId eq 'R7' or Timestamp ge 2024-01-01T00:00:00Z"]) {
      const error = refusal(() => plan(filter === undefined ? {} : { $filter: filter }));
      assert.equal(error.status, 400);
      assert.match(error.message, /Readings cannot be listed whole/);
      assert.match(
        error.message,
        new RegExp(
          `${ROOT.replace(/\./g, '\\.')}/Readings\\?\\$filter=SourceId eq '(R1|R7)' and Timestamp ge 2024-05-01T00:00:00Z and Timestamp lt 2024-06-01T00:00:00Z&periodType=halfHour`,
        ),
      );
    }
    assert.match(
      refusal(() => plan({ $filter: `SourceId eq 'meter 5' and ${day}` })).message,
      /'meter 5' is not a source id; use R<register id> or VM<virtual meter id>/,
    );
  });

  it('orders by source then time unless Timestamp comes first across several sources', () => {
    const both = `SourceId in ('R2','R10','R1') and ${day}`;
    assert.deepEqual(plan({ $filter: both }), { ...plan({ $filter: both }), major: 'source', descending: false, sourceIds: ['R2', 'R10', 'R1'] });
    assert.deepEqual(plan({ $filter: both, $orderby: 'SourceId desc' }).sourceIds, ['R2', 'R10', 'R1'].sort().reverse());
    const timeFirst = plan({ $filter: both, $orderby: 'Timestamp desc,SourceId' });
    assert.equal(timeFirst.major, 'time');
    assert.equal(timeFirst.descending, true);
    assert.deepEqual(timeFirst.sourceIds, ['R1', 'R10', 'R2']);
    assert.equal(plan({ $filter: `SourceId eq 'R1' and ${day}`, $orderby: 'Timestamp desc' }).major, 'source');
    assert.match(refusal(() => plan({ $filter: both, $orderby: 'Value desc' })).message, /ordered by Value only with \$top/);
  });
});

describe('$filter limits (hostile input is a 400, never a stack overflow)', () => {
  it('refuses 2,000 nested parentheses with 400 saying how deep it may nest', () => {
    const error = refusal(() => parseFilter(`${'('.repeat(2000)}Value eq 1${')'.repeat(2000)}`));
    assert.equal(error.status, 400);
    assert.equal(error.target, '$filter');
    assert.match(error.message, /nests .* more than 32 deep/);
  });

  it('refuses deep chains of not and nested function calls the same way', () => {
    assert.match(refusal(() => parseFilter(`${'not '.repeat(500)}true`)).message, /more than 32 deep/);
    assert.match(refusal(() => parseFilter(`${'tolower('.repeat(100)}Name${')'.repeat(100)} eq 'a'`)).message, /more than 32 deep/);
  });

  it('refuses a filter longer than 10,000 characters, and more than 1,000 and/or operators', () => {
    const long = refusal(() => parseFilter(`Name eq '${'x'.repeat(20_000)}'`));
    assert.equal(long.status, 400);
    assert.match(long.message, /20010 characters long, more than the 10000 allowed/);
    const chain = refusal(() => parseFilter(Array.from({ length: 1500 }, () => 'a').join(' or ')));
    assert.match(chain.message, /more than 1000 conditions/);
  });

  it('still accepts what Power Query folds for 200 sources', () => {
    const ids = Array.from({ length: 200 }, (_, i) => `SourceId eq 'R${1000 + i}'`).join(' or ');
    const expr = parseFilter(`(${ids}) and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    assert.equal(expr.kind, 'and');
  });
});
