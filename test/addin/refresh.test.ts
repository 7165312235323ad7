import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReadingsRequest } from '../../addin/api/client';
import { naiveDateTimeToSerial } from '../../addin/excel/dates';
import { getReadings } from '../../addin/excel/get-readings';
import { refreshAll } from '../../addin/excel/refresh';
import { loadSavedTables } from '../../addin/excel/saved-queries';
import type { TableQuery } from '../../addin/query/table-query';
import { fakeReadings, halfHourly, type FakeSource } from './support/readings';
import { mockExcel } from './support/workbook';

function lastFullMonth(sourceIds: string[]): TableQuery {
  return {
    version: 1,
    sourceIds,
    range: { kind: 'relative', preset: 'lastFullMonth' },
    options: { periodType: 'halfHour', calibrated: true, interpolated: true, format: 'standard', timeZone: 'UTC' },
    layout: 'perSource',
  };
}

/** A server whose answer covers exactly the requested month, with values that say which pull it was. */
function monthServer(generation: { value: number }, options: Parameters<typeof fakeReadings>[1] = {}) {
  return fakeReadings((request: ReadingsRequest): FakeSource[] => {
    const start = Date.parse(`${request.start}Z`);
    const count = (Date.parse(`${request.end}Z`) - start) / 1_800_000;
    return request.ids.map((id) => halfHourly(id, `Meter ${id}`, new Date(start).toISOString(), count, () => generation.value));
  }, options);
}

describe('Refresh all', () => {
  it('re-runs every remembered query, moving relative ranges forward', async () => {
    const { context, view } = mockExcel();
    const generation = { value: 1 };
    await getReadings(context, lastFullMonth(['R1', 'R2']), 'newSheet', { readings: monthServer(generation), now: () => new Date('2024-06-15T09:00:00Z') });
    assert.equal(view.tableValues('DCS_R1').length, 31 * 48 + 1, 'May: 31 days');
    const oldTitle = String(view.cell('DCS readings', 0, 0));
    assert.match(oldTitle, /2024-05-01 00:00 to 2024-06-01 00:00/);

    generation.value = 2;
    const server = monthServer(generation);
    const report = await refreshAll(context, { readings: server, now: () => new Date('2024-07-03T09:00:00Z') });

    assert.deepEqual(report.failed, []);
    assert.deepEqual(
      report.refreshed.map((r) => [r.table, r.rows]),
      [
        ['DCS_R1', 30 * 48],
        ['DCS_R2', 30 * 48],
      ],
    );
    assert.deepEqual(
      server.requests.map((r) => [r.ids, r.start, r.end]),
      [
        [['R1'], '2024-06-01T00:00:00', '2024-07-01T00:00:00'],
        [['R2'], '2024-06-01T00:00:00', '2024-07-01T00:00:00'],
      ],
    );
    const rows = view.tableValues('DCS_R1');
    assert.equal(rows.length, 30 * 48 + 1, 'June: 30 days, the table shrank by a day');
    assert.equal(rows[1][0], naiveDateTimeToSerial('2024-06-01T00:00'));
    assert.ok(
      rows.slice(1).every((r) => r[1] === 2),
      'every row comes from the new pull',
    );
    assert.equal(view.cell('DCS readings', 1 + 31 * 48, 0), '', 'the old 31st day below the shrunk table is cleared');
    assert.match(String(view.cell('DCS readings', 0, 0)), /Last full month, 2024-06-01 00:00 to 2024-07-01 00:00/, 'the title follows');
  });

  it('leaves a table whose refresh fails exactly as it was, and reports which and why', async () => {
    const { context, view } = mockExcel();
    const generation = { value: 1 };
    await getReadings(context, lastFullMonth(['R1', 'R2']), 'newSheet', { readings: monthServer(generation), now: () => new Date('2024-06-15T09:00:00Z') });
    const before = view.tableValues('DCS_R2');
    const formatsBefore = view.tableFormats('DCS_R2');
    const infoBefore = view.tableInfo('DCS_R2');
    const titleBefore = view.cell('DCS readings', 0, infoBefore!.column);

    generation.value = 2;
    // R2's stream fails after 500 readings: enough to have staged several blocks.
    const server = monthServer(generation, { errorAfter: 500, misbehavingIds: ['R2'] });
    const report = await refreshAll(context, { readings: server, now: () => new Date('2024-07-03T09:00:00Z'), maxBlockBytes: 2_000 });

    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['DCS_R1'],
      'the other table still refreshes',
    );
    assert.equal(report.failed.length, 1);
    assert.equal(report.failed[0].label, 'DCS_R2');
    assert.match(report.failed[0].message, /stopped partway.*DCS answered 500/);
    assert.deepEqual(view.tableValues('DCS_R2'), before, 'values untouched');
    assert.deepEqual(view.tableFormats('DCS_R2'), formatsBefore, 'formats untouched');
    assert.deepEqual(view.tableInfo('DCS_R2'), infoBefore, 'size untouched');
    assert.equal(view.cell('DCS readings', 0, infoBefore!.column), titleBefore, 'title untouched');
    assert.deepEqual(view.sheetNames(true), ['Sheet1', 'DCS readings'], 'no staging sheet left behind');
  });

  it('keeps the old rows when Excel itself rejects the replacement', async () => {
    const { context, view } = mockExcel();
    const generation = { value: 1 };
    await getReadings(context, lastFullMonth(['R1']), 'newSheet', { readings: monthServer(generation), now: () => new Date('2024-06-15T09:00:00Z') });
    const before = view.tableValues('DCS_R1');
    generation.value = 2;
    // Fail the request that puts the staged rows in place: the third sync after staging finished
    // (the first two only read the table's position and its title line).
    let syncsAfterStaging = -1;
    const failing = {
      workbook: context.workbook,
      sync: async () => {
        if (syncsAfterStaging >= 0 && ++syncsAfterStaging === 3) view.failNextSync(new Error('GeneralException: the workbook is busy'));
        return context.sync();
      },
    } as unknown as Excel.RequestContext;
    const report = await refreshAll(failing, {
      readings: monthServer(generation),
      now: () => new Date('2024-07-03T09:00:00Z'),
      onProgress: (p) => {
        if (p.rowsWritten === 30 * 48) syncsAfterStaging = 0;
      },
    });

    assert.equal(report.failed.length, 1, JSON.stringify(report));
    assert.match(report.failed[0].message, /workbook is busy/);
    assert.deepEqual(view.tableValues('DCS_R1'), before);
    assert.deepEqual(view.sheetNames(true), ['Sheet1', 'DCS readings']);
  });

  it('forgets the query of a table the user deleted instead of failing', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastFullMonth(['R1', 'R2']), 'newSheet', { readings: monthServer({ value: 1 }), now: () => new Date('2024-06-15T09:00:00Z') });
    context.workbook.tables.getItem('DCS_R1').delete();
    await context.sync();

    const report = await refreshAll(context, { readings: monthServer({ value: 2 }), now: () => new Date('2024-07-03T09:00:00Z') });
    assert.deepEqual(report.forgotten, ['DCS_R1']);
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['DCS_R2'],
    );
    assert.deepEqual(
      (await loadSavedTables(context)).map((s) => s.table),
      ['DCS_R2'],
    );
    assert.equal(view.tableNames().length, 1);
  });

  it('looks a table up by its saved name when its id is not found (ids differ between platforms), and keeps it', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastFullMonth(['R1']), 'newSheet', { readings: monthServer({ value: 1 }), now: () => new Date('2024-06-15T09:00:00Z') });
    const [saved] = await loadSavedTables(context);
    // The entry as another platform wrote it: the same table under another id.
    const settings = view.settings();
    context.workbook.settings.add('DCS.table.legacy-7', settings[`DCS.table.${saved.id}`]);
    context.workbook.settings.getItem(`DCS.table.${saved.id}`).delete();
    context.workbook.settings.add('DCS.tableIds', JSON.stringify(['legacy-7']));
    await context.sync();

    const report = await refreshAll(context, { readings: monthServer({ value: 2 }), now: () => new Date('2024-07-03T09:00:00Z') });
    assert.deepEqual(report.forgotten, []);
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['DCS_R1'],
    );
    assert.deepEqual(
      (await loadSavedTables(context)).map((s) => s.id),
      [saved.id],
      'the query now sits under the id this Excel gives the table',
    );
  });

  it('keeps the tables of two co-authors who saved at once (the index lost one id)', async () => {
    const { context } = mockExcel();
    await getReadings(context, lastFullMonth(['R1', 'R2']), 'newSheet', { readings: monthServer({ value: 1 }), now: () => new Date('2024-06-15T09:00:00Z') });
    const both = await loadSavedTables(context);
    // The other author's index write, made from a copy read before this author's table was added.
    context.workbook.settings.add('DCS.tableIds', JSON.stringify([both[0].id]));
    await context.sync();

    assert.deepEqual(
      (await loadSavedTables(context)).map((s) => s.table),
      ['DCS_R1', 'DCS_R2'],
    );
    const report = await refreshAll(context, { readings: monthServer({ value: 2 }), now: () => new Date('2024-07-03T09:00:00Z') });
    assert.deepEqual(
      report.refreshed.map((r) => r.table),
      ['DCS_R1', 'DCS_R2'],
    );
  });

  it('stops when cancelled, leaving the table being pulled and the rest as they were', async () => {
    const { context, view } = mockExcel();
    await getReadings(context, lastFullMonth(['R1', 'R2']), 'newSheet', { readings: monthServer({ value: 1 }), now: () => new Date('2024-06-15T09:00:00Z') });
    const before = [view.tableValues('DCS_R1'), view.tableValues('DCS_R2')];
    const controller = new AbortController();
    const report = await refreshAll(context, {
      readings: monthServer({ value: 2 }),
      now: () => new Date('2024-07-03T09:00:00Z'),
      signal: controller.signal,
      maxBlockBytes: 5_000,
      onProgress: (p) => {
        if (p.rowsWritten > 200) controller.abort();
      },
    });

    assert.equal(report.cancelled, true);
    assert.deepEqual(report.skipped, ['DCS_R1', 'DCS_R2']);
    assert.deepEqual([view.tableValues('DCS_R1'), view.tableValues('DCS_R2')], before);
    assert.deepEqual(view.sheetNames(true), ['Sheet1', 'DCS readings']);
  });
});

describe('a readings table with a Total Row (issue 17, defect 6)', () => {
  it('grows from May to a longer span and shrinks back, keeping its total row below the data', async () => {
    const { context, view } = mockExcel();
    const generation = { value: 1 };
    const month = (id: string): TableQuery => ({ ...lastFullMonth([id]), range: { kind: 'relative', preset: 'lastFullMonth' } });
    await getReadings(context, month('R1'), 'newSheet', { readings: monthServer(generation), now: () => new Date('2024-03-15T09:00:00Z') });
    const february = 29 * 48;
    assert.equal(view.tableValues('DCS_R1').length, 1 + february);
    context.workbook.tables.getItem('DCS_R1').showTotals = true;
    await context.sync();
    const width = view.tableInfo('DCS_R1')!.columns;
    const formula = view.cellFormula('DCS readings', 2 + february, width - 1);
    assert.match(String(formula), /^=SUBTOTAL/);

    for (const [now, rows] of [
      ['2024-04-03T09:00:00Z', 31 * 48],
      ['2024-05-03T09:00:00Z', 30 * 48],
    ] as const) {
      generation.value++;
      const report = await refreshAll(context, { readings: monthServer(generation), now: () => new Date(now) });
      assert.deepEqual(report.failed, [], now);
      const info = view.tableInfo('DCS_R1')!;
      assert.equal(info.rows, 1 + rows + 1, `header, ${rows} rows and the total row (${now})`);
      assert.equal(info.showTotals, true);
      assert.equal(view.cellFormula('DCS readings', 2 + rows, width - 1), formula, 'the SUBTOTAL is the last row');
      assert.ok(
        view
          .tableValues('DCS_R1')
          .slice(1, 1 + rows)
          .every((r) => r[1] === generation.value),
        'every data row is new',
      );
      assert.equal(view.cell('DCS readings', 2 + rows + 1, 0), '', 'nothing below the total row');
    }
  });
});
