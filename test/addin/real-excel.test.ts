/**
 * The table writer against the stub host behaving as Microsoft documents real Excel: batches
 * that are not transactions, Range.values parsing text, tables keeping their id when renamed,
 * autofit sizing to the whole column, co-authors sharing the workbook's sheets, 1904 workbooks.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadingsRequest } from '../../addin/api/client';
import { naiveDateTimeToSerial, DAYS_1900_TO_1904 } from '../../addin/excel/dates';
import { getReadings } from '../../addin/excel/get-readings';
import { refreshAll } from '../../addin/excel/refresh';
import { loadSavedTables } from '../../addin/excel/saved-queries';
import { StagingSheet, stagingSheetName } from '../../addin/excel/staging';
import type { TableQuery } from '../../addin/query/table-query';
import { createMemoryExcel } from '../../addin/preview/memory-excel';
import { OfficeMockObject } from 'office-addin-mock';
import { fakeReadings, halfHourly, type FakeSource } from './support/readings';
import { mockExcel } from './support/workbook';

const SHEET = 'DCS readings';

function lastDays(sourceIds: string[], layout: TableQuery['layout'] = 'perSource'): TableQuery {
  return {
    version: 1,
    sourceIds,
    range: { kind: 'relative', preset: 'lastFullMonth' },
    options: { periodType: 'day', calibrated: true, interpolated: true, format: 'standard', timeZone: 'UTC' },
    layout,
  };
}

/** A daily server covering exactly the requested span, values saying which pull it was. */
function dailyServer(generation: { value: number }, name = (id: string) => `Meter ${id}`) {
  return fakeReadings((request: ReadingsRequest): FakeSource[] => {
    const start = Date.parse(`${request.start}Z`);
    const count = Math.round((Date.parse(`${request.end}Z`) - start) / 86_400_000);
    return request.ids.map((id) => {
      const source = halfHourly(id, name(id), new Date(start).toISOString(), 0);
      source.readings = Array.from({ length: count }, (_, i) => ({
        timestamp: new Date(start + i * 86_400_000).toISOString().replace('.000', ''),
        value: generation.value,
        status: 0,
      }));
      source.header.periodType = 'day';
      source.header.expectedCount = count;
      return source;
    });
  });
}

const MAY = () => new Date('2024-06-15T09:00:00Z'); // last full month: May, 31 days
const JUNE = () => new Date('2024-07-03T09:00:00Z'); // June, 30 days
const APRIL = () => new Date('2024-05-10T09:00:00Z'); // April, 30 days

describe("refresh with real Excel's batches (defect 2)", () => {
  it('keeps the old table exactly when Excel refuses to make it longer (a table below is in the way)', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const info = view.tableInfo('DCS_R1')!;
    assert.equal(info.rows, 31, 'April: header and 30 days');
    // Another table right below the readings: growing by a day runs into it.
    const sheet = context.workbook.worksheets.getItem(SHEET);
    const other = sheet.getRangeByIndexes(info.row + info.rows, 0, 2, 1);
    other.values = [['Other'], [1]];
    sheet.tables.add(other, true);
    await context.sync();
    const before = view.tableValues('DCS_R1');

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });

    assert.deepEqual(view.tableValues('DCS_R1'), before, 'every old row is still there');
    assert.deepEqual(view.tableInfo('DCS_R1'), info, 'and the table has its old size');
    assert.equal(report.failed.length, 1, JSON.stringify(report));
    assert.match(report.failed[0].message, /left exactly as it was/);
  });

  it('keeps the old table exactly when the resize itself fails (empty merged cells below)', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const info = view.tableInfo('DCS_R1')!;
    view.merge(SHEET, info.row + info.rows, 0, 1, 3); // empty, so only Excel's resize notices it
    const before = view.tableValues('DCS_R1');
    const formats = view.tableFormats('DCS_R1');

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });

    assert.deepEqual(view.tableValues('DCS_R1'), before, 'every old row is still there');
    assert.deepEqual(view.tableFormats('DCS_R1'), formats);
    assert.deepEqual(view.tableInfo('DCS_R1'), info);
    assert.equal(report.failed.length, 1, JSON.stringify(report));
    assert.match(report.failed[0].message, /would not make the table longer.*merged/);
  });

  it('refuses to grow over cells that hold data, naming them, and changes nothing', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const info = view.tableInfo('DCS_R1')!;
    const noteRow = info.row + info.rows + 0; // the first row below the table
    view.type(SHEET, noteRow, 1, 'my note');
    const before = view.tableValues('DCS_R1');

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });

    assert.equal(view.cell(SHEET, noteRow, 1), 'my note', 'the note below the table survives');
    assert.deepEqual(view.tableValues('DCS_R1'), before);
    assert.equal(report.failed.length, 1);
    assert.match(report.failed[0].message, /cells below it \(.*B33\) hold data/);
  });

  it('grows into empty cells and shrinks back, clearing the rows it lets go', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    let report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });
    assert.deepEqual(report.failed, []);
    assert.equal(view.tableValues('DCS_R1').length, 32);
    assert.ok(
      view
        .tableValues('DCS_R1')
        .slice(1)
        .every((r) => r[1] === 2),
    );
    report = await refreshAll(context, { readings: dailyServer({ value: 3 }), now: JUNE });
    assert.deepEqual(report.failed, []);
    assert.equal(view.tableValues('DCS_R1').length, 31);
    assert.equal(view.cell(SHEET, 32, 0), '', 'the 31st day below the shrunk table is empty');
  });
});

describe('remembered tables by id (defect 3)', () => {
  it('still refreshes a table the user renamed', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    view.renameTable('DCS_R1', 'Library_energy');

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });

    assert.deepEqual(report.forgotten, []);
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['Library_energy'],
    );
    assert.ok(
      view
        .tableValues('Library_energy')
        .slice(1)
        .every((r) => r[1] === 2),
    );
  });

  it('gives a table on a copied sheet its own entry, and refreshes both', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const copyName = view.copySheet(SHEET);
    const copyTable = view.tableNames().find((n) => n !== 'DCS_R1')!;
    assert.notEqual(view.tableInfo(copyTable)!.id, view.tableInfo('DCS_R1')!.id, 'Excel gives the copy a new id');

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });

    assert.deepEqual(report.refreshed.map((r) => r.table).sort(), ['DCS_R1', copyTable].sort());
    assert.equal(view.tableInfo(copyTable)!.sheet, copyName);
    assert.ok(
      view
        .tableValues(copyTable)
        .slice(1)
        .every((r) => r[1] === 2),
    );
    assert.equal((await loadSavedTables(context)).length, 2);
  });

  it('moves queries remembered by name (earlier versions) to the table ids', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const saved = view.settings();
    const [stored] = Object.entries(saved).filter(([k]) => k.startsWith('DCS.table.'));
    // Rewrite the settings as the previous version kept them.
    context.workbook.settings.getItem(stored[0]).delete();
    context.workbook.settings.getItem('DCS.tableIds').delete();
    context.workbook.settings.add('DCS.tables', JSON.stringify(['DCS_R1']));
    context.workbook.settings.add('DCS.query.DCS_R1', stored[1]);
    await context.sync();

    const report = await refreshAll(context, { readings: dailyServer({ value: 2 }), now: MAY });
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['DCS_R1'],
    );
    assert.ok(!('DCS.tables' in view.settings()));
  });
});

describe('text stays text (defect 4)', () => {
  it('writes names, units and notes that Excel would parse exactly as given', async () => {
    const { context, view } = mockExcel();
    const names: Record<string, string> = { R1: '-Boiler house', R2: '0123', R3: '=Main incomer' };
    const server = fakeReadings((request) => {
      const start = Date.parse(`${request.start}Z`);
      return request.ids.map((id) => halfHourly(id, names[id], new Date(start).toISOString(), 2, (i) => (i === 0 ? '-Infinity' : 5)));
    });
    const q: TableQuery = { ...lastDays(['R1', 'R2', 'R3'], 'long'), range: { kind: 'fixed', start: '2024-05-01T00:00:00', end: '2024-05-01T01:00:00' } };
    q.options = { ...q.options, periodType: 'halfHour' };
    await getReadings(context, q, 'newSheet', { readings: server, now: MAY });

    const rows = view.tableValues('DCS_Readings').slice(1);
    assert.deepEqual(
      rows.map((r) => r[1]),
      ['-Boiler house', '-Boiler house', '0123', '0123', '=Main incomer', '=Main incomer'],
    );
    assert.deepEqual(
      rows.map((r) => r[8]),
      ['-Infinity', '', '-Infinity', '', '-Infinity', ''],
    );
    assert.equal(view.cellFormula(SHEET, 2, 1), undefined, 'no formula was made');
  });
});

describe('column widths (defect 10)', () => {
  it('sizes columns to the data, not to the long title line above the table', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const title = String(view.cell(SHEET, 0, 0));
    assert.ok(title.length > 80, 'the title is long');
    const timestamp = view.columnWidth(SHEET, 0);
    assert.ok(timestamp >= 'yyyy-mm-dd hh:mm'.length * 5.25, `the timestamp column shows a date-time (${timestamp} pt)`);
    assert.ok(timestamp < 150, `but is not as wide as the title (${timestamp} pt)`);
  });
});

describe('co-authoring (defect 12)', () => {
  it("gives each pull its own staging sheet, so two authors' pulls do not delete each other's", async () => {
    const { context, view } = mockExcel();
    const columns = { count: 2, textIndexes: [1] };
    const mine = await StagingSheet.create(context, columns);
    const theirs = await StagingSheet.create(context, columns);
    assert.notEqual(mine.name, theirs.name);
    await mine.append(context, [[1, 'a']]);
    await theirs.append(context, [[2, 'b']]);
    await mine.discard(context);
    assert.deepEqual(view.sheetNames(true), ['Sheet1', theirs.name], 'only my staging sheet went');
  });

  it('clears staging sheets that interrupted pulls left a day ago, and the old fixed name', async () => {
    const { context, view } = mockExcel();
    const dayAgo = Date.now() - 25 * 3_600_000;
    for (const name of [stagingSheetName(dayAgo), 'DCS staging']) {
      const sheet = context.workbook.worksheets.add(name);
      sheet.visibility = 'Hidden';
    }
    await context.sync();
    const fresh = await StagingSheet.create(context, { count: 1, textIndexes: [] });
    assert.deepEqual(view.sheetNames(true), ['Sheet1', fresh.name]);
  });
});

describe('1904 date system (defect 11)', () => {
  it('writes timestamps as the 1904 workbook counts days', async () => {
    const memory = createMemoryExcel({ date1904: true });
    const context = new OfficeMockObject(memory.context) as unknown as Excel.RequestContext;
    await getReadings(context, lastDays(['R1']), 'newSheet', { readings: dailyServer({ value: 1 }), now: APRIL });
    const first = memory.view.tableValues('DCS_R1')[1][0];
    assert.equal(first, naiveDateTimeToSerial('2024-04-01T00:00') - DAYS_1900_TO_1904);
  });
});
