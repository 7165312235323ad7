import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IntervalJson, IntervalSourceJson, IntervalsJson } from '../../../server/api/types';
import { naiveDateTimeToSerial } from '../../../addin/excel/dates';
import { intervalTables, offsetOf } from '../../../addin/query/interval-tables';
import type { IntervalsQuery } from '../../../addin/query/intervals-query';
import { checkIntervalsSize, writeIntervalTables, type FetchedIntervals } from '../../../addin/runtime/interval-pull';
import { refreshAll, type RefreshDeps } from '../../../addin/excel/refresh';
import { loadSavedTables } from '../../../addin/excel/saved-queries';
import { mockExcel } from '../support/workbook';

const quality = { interpolated: 0, resets: 0, missing: 0, invalid: 0 };

/** Half-hours of the October 2025 clock change in London: 01:00 and 01:30 happen twice. */
const clockChange: IntervalJson[] = [
  { start: '2025-10-26T01:00:00+01:00', end: '2025-10-26T01:30:00+01:00', consumption: 25.71, periods: 1, ...quality },
  { start: '2025-10-26T01:30:00+01:00', end: '2025-10-26T01:00:00+00:00', consumption: 24.79, periods: 1, ...quality },
  { start: '2025-10-26T01:00:00+00:00', end: '2025-10-26T01:30:00+00:00', consumption: 25.23, periods: 1, ...quality },
  { start: '2025-10-26T01:30:00+00:00', end: '2025-10-26T02:00:00+00:00', consumption: null, periods: 1, ...quality, missing: 1 },
];

function source(id: string, name: string, unit: string, intervals: IntervalJson[], calcs: IntervalSourceJson['calcs'] = ['consumption']): IntervalSourceJson {
  return { id, name, unit, kind: 'register', isInstantaneous: calcs[0] !== 'consumption', interval: 'halfHour', timeZone: 'Europe/London', calcs, intervals };
}

const query = (
  layout: IntervalsQuery['layout'],
  what: IntervalsQuery['what'] = 'consumption',
  interval: IntervalsQuery['interval'] = 'halfHour',
): IntervalsQuery => ({
  version: 1,
  kind: 'intervals',
  sourceIds: ['R1', 'R2'],
  range: { kind: 'fixed', start: '2025-10-26T00:00:00', end: '2025-10-27T00:00:00' },
  interval,
  timeZone: 'Europe/London',
  what,
  calcs: what === 'consumption' ? ['consumption'] : undefined,
  layout,
});

const answer: IntervalsJson = {
  sources: [
    source('R1', 'Library - Electricity: Import', 'kWh', clockChange),
    source(
      'R2',
      'Library - Gas: Volume',
      'm3',
      clockChange.map((i) => ({ ...i, consumption: 1 })),
    ),
  ],
};

describe('calculated tables', () => {
  it('one wide table: short headers (source id, figure, unit), the title line saying the rest (issue 17, defect 14)', () => {
    const [table] = intervalTables(answer, query('wide'), 'the day');
    assert.deepEqual(table.headers, ['Start (Europe/London)', 'R1 consumption (kWh)', 'R2 consumption (m3)', 'UTC offset']);
    assert.equal(
      table.title,
      'DCS: 2 sources, consumption, half-hourly, the day, times in Europe/London. R1: Library - Electricity: Import (kWh); R2: Library - Gas: Volume (m3)',
    );
    assert.equal(table.chartTitle, '2 sources, consumption, half-hourly, the day, times in Europe/London');
    assert.deepEqual(table.chartUnits, ['kWh', 'm3']);
    assert.ok(
      intervalTables(answer, query('perSource'), 'the day').every((t) => !t.headers.includes('Half-hours')),
      'no column of 1s: every half-hour is one half-hour',
    );
    assert.equal(table.chartColumns, 3, 'the chart plots the times and both sources');
    assert.equal(table.chartType, 'line', 'half-hours are a time series');
  });

  it('tells the two 01:00s of a clock change apart by their offset, and leaves a missing figure empty', () => {
    const [table] = intervalTables(answer, query('wide'), 'the day');
    assert.deepEqual(
      table.rows.map((r) => [r[0], r[3]]),
      [
        [naiveDateTimeToSerial('2025-10-26T01:00'), '+01:00'],
        [naiveDateTimeToSerial('2025-10-26T01:30'), '+01:00'],
        [naiveDateTimeToSerial('2025-10-26T01:00'), '+00:00'],
        [naiveDateTimeToSerial('2025-10-26T01:30'), '+00:00'],
      ],
    );
    assert.equal(table.rows[3][1], '', 'no made-up 0 for a missing half-hour');
    assert.equal(offsetOf('2025-01-01T00:00:00Z'), '+00:00');
  });

  it('daily consumption is charted as columns; statistics put the time of the maximum after the figures', () => {
    const [daily] = intervalTables(answer, query('perSource', 'consumption', 'day'), 'October');
    assert.equal(daily.chartType, 'columns');
    assert.equal(daily.dateFormat, 'yyyy-mm-dd');
    const stats: IntervalsJson = {
      sources: [
        source(
          'R3',
          'Boiler: Flow temperature',
          '°C',
          [
            {
              start: '2025-10-26T00:00:00+01:00',
              end: '2025-10-27T00:00:00+00:00',
              mean: 60,
              min: 50,
              max: 70,
              maxAt: '2025-10-26T01:30:00+00:00',
              periods: 50,
              ...quality,
            },
          ],
          ['mean', 'min', 'max', 'maxAt'],
        ),
      ],
    };
    const [table] = intervalTables(stats, query('perSource', 'statistics', 'day'), 'the day');
    assert.deepEqual(table.headers.slice(0, 5), ['Start (Europe/London)', 'Mean (°C)', 'Min (°C)', 'Max (°C)', 'Time of max (Europe/London)']);
    assert.equal(table.rows[0][4], naiveDateTimeToSerial('2025-10-26T01:30'));
    assert.equal(table.rows[0][6], 50, 'a clock-change day has 50 half-hours');
    assert.equal(table.chartColumns, 4, 'mean, min and max are charted; the time of max is not');
  });

  it('one long table names the source in every row and draws no chart', () => {
    const [table] = intervalTables(answer, query('long'), 'the day');
    assert.equal(table.rows.length, 8);
    assert.deepEqual(table.rows[4].slice(0, 3), ['R2', 'Library - Gas: Volume', 'm3']);
    assert.equal(table.chartColumns, 0);
  });
});

/** Refresh all's dependencies serving calculated figures (no readings tables in these workbooks). */
function refreshDeps(data: IntervalsJson): RefreshDeps {
  return {
    readings: () => {
      throw new Error('no readings tables here');
    },
    intervals: async () => data,
    now: () => new Date('2025-11-02T00:00:00Z'),
  };
}

describe('writing and refreshing calculated tables', () => {
  function fetched(q: IntervalsQuery, data: IntervalsJson): FetchedIntervals {
    return { query: q, tables: intervalTables(data, q, 'the day'), now: new Date('2025-11-01T00:00:00Z') };
  }

  it('writes the table with its chart beside it and text kept as text', async () => {
    const { context, view } = mockExcel();
    const result = await writeIntervalTables(context, fetched(query('wide'), answer), 'newSheet', true);
    assert.deepEqual(result.created, [{ table: 'DCS_Consumption', rows: 4, chart: true }]);
    assert.equal(view.tableValues('DCS_Consumption')[3][3], '+00:00');
    assert.equal(view.tableFormats('DCS_Consumption')[0][3], '@', 'the offset column is text: "+01:00" is not parsed as a number');
    // kWh and m3 are two units: a chart each (defect 9).
    const charts = view.charts('DCS data');
    assert.deepEqual(
      charts.map((c) => [c.type, c.categoryType, c.title, c.series.map((x) => x.name)]),
      [
        ['Line', 'TextAxis', '2 sources, consumption, half-hourly, the day, times in Europe/London (kWh)', ['R1 consumption (kWh)']],
        ['Line', 'TextAxis', '2 sources, consumption, half-hourly, the day, times in Europe/London (m3)', ['R2 consumption (m3)']],
      ],
      'half-hours each get their place: a date axis would put a day of them on one point (defect 9)',
    );
    assert.deepEqual(charts[0].series[0].values, { row: 2, column: 1, rows: 4, columns: 1 });
    assert.deepEqual(charts[0].series[0].categories, { row: 2, column: 0, rows: 4, columns: 1 }, 'the times are the categories');
    assert.deepEqual(charts[1].series[0].values, { row: 2, column: 2, rows: 4, columns: 1 });
    assert.equal(charts[0].position.column, 5, 'beside the table (start, two sources, offset), one column apart');
    assert.ok(charts[1].position.row > charts[0].position.endRow, 'the second chart below the first');
    const id = view.tableInfo('DCS_Consumption')!.id;
    assert.match(String(Object.keys(view.settings())), new RegExp(`DCS\\.table\\.${id}`), "remembered by the table's id, beside the readings tables");
    assert.deepEqual(
      (await loadSavedTables(context)).map((s) => [s.table, s.query?.sourceIds]),
      [['DCS_Consumption', ['R1', 'R2']]],
    );
  });

  it('a refresh that would grow over other cells changes nothing and says what to do', async () => {
    const { context, view } = mockExcel();
    const short: IntervalsJson = { sources: answer.sources.map((s) => ({ ...s, intervals: s.intervals.slice(0, 2) })) };
    await writeIntervalTables(context, fetched(query('wide'), short), 'newSheet', false);
    const before = view.tableValues('DCS_Consumption');
    const sheet = context.workbook.worksheets.getItem('DCS data');
    sheet.getRangeByIndexes(5, 1, 1, 1).values = [['a note below the table']];
    await context.sync();
    const report = await refreshAll(context, refreshDeps(answer));
    assert.equal(report.refreshed.length, 0);
    assert.match(report.failed[0].message, /needs 2 more rows, but cells below it .* hold data, so it was left exactly as it was/);
    assert.deepEqual(view.tableValues('DCS_Consumption'), before);

    sheet.getRangeByIndexes(5, 1, 1, 1).values = [['']];
    await context.sync();
    const again = await refreshAll(context, refreshDeps(answer));
    assert.deepEqual(again.refreshed, [{ table: 'DCS_Consumption', sourceIds: ['R1', 'R2'], rows: 4 }]);
    assert.equal(view.tableValues('DCS_Consumption').length, 5, 'grown to the new rows once there is room');
  });
});

describe('calculated tables remembered by id, refreshed by Refresh all (issue 10)', () => {
  const fetchedAt = new Date('2025-11-01T00:00:00Z');
  const twice: IntervalsJson = { sources: answer.sources.map((s) => ({ ...s, intervals: s.intervals.map((i) => ({ ...i, consumption: 2 })) })) };

  it('still refreshes a calculated table the user renamed', async () => {
    const { context, view } = mockExcel();
    await writeIntervalTables(context, { query: query('wide'), tables: intervalTables(answer, query('wide'), 'the day'), now: fetchedAt }, 'newSheet', false);
    view.renameTable('DCS_Consumption', 'Library_daily');

    const report = await refreshAll(context, refreshDeps(twice));

    assert.deepEqual(report.forgotten, [], 'not forgotten because of its new name');
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['Library_daily'],
    );
    assert.deepEqual(
      view
        .tableValues('Library_daily')
        .slice(1)
        .map((r) => r[1]),
      [2, 2, 2, 2],
    );
  });

  it('gives a calculated table on a copied sheet its own entry, and refreshes both', async () => {
    const { context, view } = mockExcel();
    await writeIntervalTables(context, { query: query('wide'), tables: intervalTables(answer, query('wide'), 'the day'), now: fetchedAt }, 'newSheet', false);
    view.copySheet('DCS data');
    const copy = view.tableNames().find((n) => n !== 'DCS_Consumption')!;

    const report = await refreshAll(context, refreshDeps(twice));

    assert.deepEqual(report.refreshed.map((r) => r.table).sort(), ['DCS_Consumption', copy].sort());
    assert.deepEqual(
      view
        .tableValues(copy)
        .slice(1)
        .map((r) => r[2]),
      [2, 2, 2, 2],
    );
    assert.equal((await loadSavedTables(context)).length, 2);
  });

  it('moves calculated tables remembered by name (earlier versions) to their ids on first load', async () => {
    const { context, view } = mockExcel();
    await writeIntervalTables(context, { query: query('wide'), tables: intervalTables(answer, query('wide'), 'the day'), now: fetchedAt }, 'newSheet', false);
    const [stored] = Object.entries(view.settings()).filter(([k]) => k.startsWith('DCS.table.'));
    const { query: q, title } = JSON.parse(stored[1] as string) as { query: IntervalsQuery; title: string };
    // Rewrite the settings as the previous version kept them.
    context.workbook.settings.getItem(stored[0]).delete();
    context.workbook.settings.getItem('DCS.tableIds').delete();
    context.workbook.settings.add('DCS.intervalTables', JSON.stringify(['DCS_Consumption']));
    context.workbook.settings.add('DCS.intervals.DCS_Consumption', JSON.stringify({ query: q, title, refreshedAt: fetchedAt.toISOString() }));
    await context.sync();

    assert.deepEqual(
      (await loadSavedTables(context)).map((t) => t.table),
      ['DCS_Consumption'],
      'first load moves the entry to the id',
    );
    assert.deepEqual(
      Object.keys(view.settings()).filter((k) => k.startsWith('DCS.interval')),
      [],
      'no name-keyed settings left',
    );
    view.renameTable('DCS_Consumption', 'Renamed_later');
    const report = await refreshAll(context, refreshDeps(twice));
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['Renamed_later'],
      'found by its id once moved',
    );
  });
});

describe('the size of a calculated pull', () => {
  const year = { start: '2025-01-01T00:00:00', end: '2026-01-01T00:00:00' };
  const many = (n: number, layout: IntervalsQuery['layout'], interval: IntervalsQuery['interval']): IntervalsQuery => ({
    ...query(layout, 'consumption', interval),
    sourceIds: Array.from({ length: n }, (_, i) => `R${i + 1}`),
  });

  it('refuses, before asking the server, more figures than a pull can hold, saying how to narrow it', () => {
    assert.throws(() => checkIntervalsSize(many(40, 'wide', 'halfHour'), year), /about 700,800 figures .*Choose a longer interval/);
    assert.doesNotThrow(() => checkIntervalsSize(many(200, 'wide', 'day'), year));
    assert.doesNotThrow(() => checkIntervalsSize(many(3, 'long', 'halfHour'), year));
  });
});

describe('charts of figures in different units (issue 17, defect 9)', () => {
  const day = (d: number, consumption: number, maxDemand: number): IntervalJson => ({
    start: `2025-10-0${d}T00:00:00+01:00`,
    end: `2025-10-0${d + 1}T00:00:00+01:00`,
    consumption,
    maxDemand,
    maxDemandAt: `2025-10-0${d}T09:00:00+01:00`,
    periods: 48,
    ...quality,
  });
  const withDemand = (id: string): IntervalSourceJson => ({
    ...source(
      id,
      `Block ${id} - Electricity Main Incomer: Active Energy Import`,
      'kWh',
      [day(1, 100, 20), day(2, 120, 25)],
      ['consumption', 'maxDemand', 'maxDemandAt'],
    ),
    demandUnit: 'kW',
  });
  const daily = (layout: IntervalsQuery['layout']): IntervalsQuery => ({
    ...query(layout, 'consumption', 'day'),
    calcs: ['consumption', 'maxDemand', 'maxDemandAt'],
  });

  it('draws kWh and kW on charts of their own, each series named shortly, per source', async () => {
    const { context, view } = mockExcel();
    const data: IntervalsJson = { sources: [withDemand('R1')] };
    await writeIntervalTables(
      context,
      { query: daily('perSource'), tables: intervalTables(data, daily('perSource'), 'two days'), now: new Date() },
      'newSheet',
      true,
    );
    const charts = view.charts('DCS data');
    assert.deepEqual(
      charts.map((c) => c.series.map((s) => s.name)),
      [['Consumption (kWh)'], ['Max demand (kW)']],
    );
    for (const chart of charts) {
      assert.equal(chart.categoryType, 'Automatic', 'days keep a date axis');
      const values = chart.series.map((s) => view.cell('DCS data', s.values.row, s.values.column));
      assert.ok(values.every((v) => typeof v === 'number'));
    }
    assert.deepEqual(
      charts.map((c) => view.cell('DCS data', c.series[0].values.row, c.series[0].values.column)),
      [100, 20],
      'each chart plots its own unit’s figures',
    );
  });

  it('puts the same unit of several sources on one chart, and their different unit on another, in a wide table', async () => {
    const { context, view } = mockExcel();
    const data: IntervalsJson = { sources: [withDemand('R1'), withDemand('R2')] };
    await writeIntervalTables(context, { query: daily('wide'), tables: intervalTables(data, daily('wide'), 'two days'), now: new Date() }, 'newSheet', true);
    const charts = view.charts('DCS data');
    assert.deepEqual(
      charts.map((c) => c.series.map((s) => s.name)),
      [
        ['R1 consumption (kWh)', 'R2 consumption (kWh)'],
        ['R1 max demand (kW)', 'R2 max demand (kW)'],
      ],
    );
    for (const chart of charts) {
      for (const s of chart.series) {
        assert.ok(s.name.length <= 30, `short legend name: ${s.name}`);
        assert.deepEqual(s.categories, { row: 2, column: 0, rows: 2, columns: 1 });
      }
    }
    const header = view.tableValues('DCS_Consumption')[0];
    assert.ok(
      header.every((h) => String(h).length <= 30),
      `short headers: ${header.join(' | ')}`,
    );
    assert.match(
      String(view.cell('DCS data', 0, 0)),
      /R1: Block R1 - Electricity Main Incomer: Active Energy Import \(kWh\)/,
      'the title line names each source in full',
    );
  });
});
