import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IntervalJson, IntervalsJson } from '../../../server/api/types';
import { intervalTables } from '../../../addin/query/interval-tables';
import type { IntervalsQuery } from '../../../addin/query/intervals-query';
import { fetchIntervals, writeIntervalTables } from '../../../addin/runtime/interval-pull';
import { refreshAll, type RefreshDeps } from '../../../addin/excel/refresh';
import { mockExcel } from '../support/workbook';
import { DAYS_1900_TO_1904, naiveDateTimeToSerial } from '../../../addin/excel/dates';

const quality = { interpolated: 0, resets: 0, missing: 0, invalid: 0 };

/** `count` half-hours from midnight UTC on 6 January 2025, each worth `kWh`. */
function halfHours(count: number, kWh: number): IntervalJson[] {
  const first = Date.UTC(2025, 0, 6);
  return Array.from({ length: count }, (_, i) => ({
    start: new Date(first + i * 1_800_000).toISOString(),
    end: new Date(first + (i + 1) * 1_800_000).toISOString(),
    consumption: kWh,
    periods: 1,
    ...quality,
  }));
}

function answer(count: number, kWh: number): IntervalsJson {
  return {
    sources: [
      {
        id: 'R1',
        name: 'Library - Electricity',
        unit: 'kWh',
        kind: 'register',
        isInstantaneous: false,
        interval: 'halfHour',
        timeZone: 'UTC',
        calcs: ['consumption'],
        intervals: halfHours(count, kWh),
      },
    ],
  };
}

const query: IntervalsQuery = {
  version: 1,
  kind: 'intervals',
  sourceIds: ['R1'],
  range: { kind: 'fixed', start: '2025-01-06T00:00:00', end: '2025-01-10T00:00:00' },
  interval: 'halfHour',
  timeZone: 'UTC',
  what: 'consumption',
  calcs: ['consumption'],
  layout: 'wide',
};

function deps(data: IntervalsJson): RefreshDeps {
  return {
    readings: () => {
      throw new Error('no readings tables here');
    },
    intervals: async () => data,
    now: () => new Date('2025-02-01T00:00:00Z'),
    // Small blocks: a refresh of a few hundred rows takes several syncs, as a large one does in Excel on the web.
    maxBlockBytes: 2_000,
  };
}

/** A context whose `failAt`-th sync (counted from 1) is rejected by Excel; the syncs before it stay applied. */
function failingAt(
  context: Excel.RequestContext,
  view: ReturnType<typeof mockExcel>['view'],
  failAt: number,
): { context: Excel.RequestContext; syncs: () => number } {
  let syncs = 0;
  const wrapped = {
    workbook: context.workbook,
    sync: async () => {
      if (++syncs === failAt) view.failNextSync(new Error('GeneralException: the workbook is busy'));
      return context.sync();
    },
  } as unknown as Excel.RequestContext;
  return { context: wrapped, syncs: () => syncs };
}

describe('refreshing a calculated table is all or nothing (issue 17, defect 1)', () => {
  for (const [what, oldRows, newRows] of [
    ['grows', 3, 300],
    ['shrinks', 300, 3],
  ] as const) {
    it(`a refresh that ${what} and fails at any sync leaves the table, its formats, size and title exactly as before`, async () => {
      let failures = 0;
      for (let failAt = 1; ; failAt++) {
        const { context, view } = await workbookWithDays(oldRows);
        const before = { values: view.tableValues('DCS_Consumption'), formats: view.tableFormats('DCS_Consumption'), info: view.tableInfo('DCS_Consumption') };
        const titleBefore = view.cell('DCS data', 0, 0);
        const below = view.cell('DCS data', 2 + oldRows, 0);

        const failing = failingAt(context, view, failAt);
        // A failure while reading the saved queries ends Refresh all as a whole; one while refreshing is reported for the table.
        const report = await refreshAll(failing.context, deps(answer(newRows, 2))).catch((error: unknown) => ({ failed: [{ message: String(error) }] }));
        if (report.failed.length === 0) {
          assert.ok(failing.syncs() < failAt, 'succeeds only once no sync of it fails');
          const values = view.tableValues('DCS_Consumption');
          assert.equal(values.length, newRows + 1);
          assert.ok(
            values.slice(1).every((r) => r[1] === 2),
            'every row is new',
          );
          break;
        }
        failures++;
        assert.match(report.failed[0].message, /workbook is busy/, `sync ${failAt}`);
        const now = view.tableValues('DCS_Consumption');
        if (now.length === newRows + 1 && now.slice(1).every((r) => r[1] === 2)) {
          // Failed after the table was already complete (remembering its query, tidying up): all new is fine too.
          assert.notEqual(view.cell('DCS data', 0, 0), titleBefore, `a complete table has its new title (sync ${failAt})`);
          continue;
        }
        assert.deepEqual(view.tableValues('DCS_Consumption'), before.values, `values untouched when sync ${failAt} fails`);
        assert.deepEqual(view.tableFormats('DCS_Consumption'), before.formats, `formats untouched when sync ${failAt} fails`);
        assert.deepEqual(view.tableInfo('DCS_Consumption'), before.info, `size untouched when sync ${failAt} fails`);
        assert.equal(view.cell('DCS data', 0, 0), titleBefore, `title untouched when sync ${failAt} fails`);
        assert.equal(view.cell('DCS data', 2 + oldRows, 0), below, `nothing written below when sync ${failAt} fails`);
        assert.deepEqual(view.sheetNames(true), ['Sheet1', 'DCS data'], `no staging sheet left when sync ${failAt} fails`);
      }
      assert.ok(failures > 3, 'the refresh took several syncs, each tried as the failing one');
    });
  }
});

describe('columns the user adds to a calculated table (issue 17, defect 7)', () => {
  it('keeps a "Cost £" column on refresh, as readings tables do, and fills the figures beside it', async () => {
    const { context, view } = mockExcel();
    await writeIntervalTables(
      context,
      { query, tables: intervalTables(answer(4, 1), query, 'the days'), now: new Date('2025-01-20T00:00:00Z') },
      'newSheet',
      false,
    );
    const width = view.tableValues('DCS_Consumption')[0].length;
    // The user types a header beside the table (Excel widens the table to take it) and a price in each row.
    const sheet = context.workbook.worksheets.getItem('DCS data');
    context.workbook.tables.getItem('DCS_Consumption').resize(sheet.getRangeByIndexes(1, 0, 5, width + 1));
    sheet.getRangeByIndexes(1, width, 5, 1).values = [['Cost £'], [0.3], [0.3], [0.3], [0.3]];
    await context.sync();

    const report = await refreshAll(context, deps(answer(4, 2)));

    assert.deepEqual(report.failed, []);
    const values = view.tableValues('DCS_Consumption');
    assert.equal(values[0][width], 'Cost £', 'the column is still there');
    assert.deepEqual(
      values.slice(1).map((r) => [r[1], r[width]]),
      [
        [2, 0.3],
        [2, 0.3],
        [2, 0.3],
        [2, 0.3],
      ],
      'new figures, the user’s prices kept',
    );
  });
});

describe('calculated tables in a 1904-date workbook (issue 17, defect 4)', () => {
  it('writes and refreshes interval starts as 1904 serials, 1,462 days below the 1900 ones', async () => {
    const { context, view } = mockExcel({ date1904: true });
    const in1904 = (wallClock: string) => naiveDateTimeToSerial(wallClock) - DAYS_1900_TO_1904;
    const fetched = await fetchIntervals(query, { intervals: async () => answer(2, 1), now: () => new Date('2025-01-20T00:00:00Z') });
    await writeIntervalTables(context, fetched, 'newSheet', false);
    assert.deepEqual(
      view
        .tableValues('DCS_Consumption')
        .slice(1)
        .map((r) => r[0]),
      [in1904('2025-01-06T00:00'), in1904('2025-01-06T00:30')],
      'new table',
    );
    await refreshAll(context, deps(answer(3, 2)));
    assert.deepEqual(
      view
        .tableValues('DCS_Consumption')
        .slice(1)
        .map((r) => r[0]),
      [in1904('2025-01-06T00:00'), in1904('2025-01-06T00:30'), in1904('2025-01-06T01:00')],
      'refreshed table',
    );
  });
});

/** A workbook with the calculated table of `rows` days on a new sheet, as a first Get data writes it. */
async function workbookWithDays(rows: number): Promise<ReturnType<typeof mockExcel>> {
  const excel = mockExcel();
  await writeIntervalTables(
    excel.context,
    { query, tables: intervalTables(answer(rows, 1), query, 'the days'), now: new Date('2025-01-20T00:00:00Z') },
    'newSheet',
    false,
  );
  return excel;
}

/** A calculated table of `oldRows` rows, with the Total Row the user turned on, refreshed to `newRows`. */
async function refreshWithTotalRow(oldRows: number, newRows: number): Promise<void> {
  const { context, view } = await workbookWithDays(oldRows);
  const width = view.tableValues('DCS_Consumption')[0].length;
  // The user ticks Table Design > Total Row: Excel adds "Total" and a SUBTOTAL of the last column.
  context.workbook.tables.getItem('DCS_Consumption').showTotals = true;
  await context.sync();
  const totalFormula = view.cellFormula('DCS data', 2 + oldRows, width - 1);
  assert.match(String(totalFormula), /^=SUBTOTAL\(109,/);

  const report = await refreshAll(context, deps(answer(newRows, 2)));

  assert.deepEqual(report.failed, []);
  const info = view.tableInfo('DCS_Consumption')!;
  assert.equal(info.showTotals, true, 'the total row is still shown');
  assert.equal(info.rows, 1 + newRows + 1, 'header, the new rows, the total row');
  const values = view.tableValues('DCS_Consumption');
  assert.ok(
    values.slice(1, 1 + newRows).every((r) => r[1] === 2),
    'every data row is new',
  );
  assert.equal(view.cell('DCS data', 2 + newRows, 0), 'Total', 'the total row sits right below the data');
  assert.equal(view.cellFormula('DCS data', 2 + newRows, width - 1), totalFormula);
  for (let row = 2 + newRows + 1; row <= 2 + Math.max(oldRows, newRows) + 1; row++) {
    assert.equal(view.cell('DCS data', row, 0), '', `nothing left below the table (row ${row + 1})`);
  }
}

describe('a calculated table with a Total Row (issue 17, defect 6)', () => {
  it('grows on refresh and keeps its total row, right below the new rows', () => refreshWithTotalRow(3, 10));
  it('shrinks on refresh and keeps its total row, right below the new rows', () => refreshWithTotalRow(10, 3));
});
