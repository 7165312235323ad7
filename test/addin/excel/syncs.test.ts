/**
 * One sync per batch of work, not one per item (issue 17, defect 13): listing the worksheets and
 * reading the remembered queries take the same number of syncs in a workbook of one table as in
 * one of many. (Each sync is a round trip to Excel; in Excel on the web, a slow one.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { loadSavedTables, saveTableQuery } from '../../../addin/excel/saved-queries';
import { listWorksheets } from '../../../addin/excel/sheets';
import type { TableQuery } from '../../../addin/query/table-query';
import { mockExcel } from '../support/workbook';

const query: TableQuery = {
  version: 1,
  sourceIds: ['R1'],
  range: { kind: 'relative', preset: 'lastFullMonth' },
  options: { periodType: 'halfHour', calibrated: true, interpolated: true, format: 'standard', timeZone: 'UTC' },
  layout: 'perSource',
};

/** A workbook of `count` sheets, each holding a table whose query is remembered. */
async function workbook(count: number) {
  const { context, view } = mockExcel();
  const tables = Array.from({ length: count }, (_, i) => {
    const sheet = i === 0 ? context.workbook.worksheets.getItem('Sheet1') : context.workbook.worksheets.add(`Data ${i}`);
    sheet.getRange('A1:B2').values = [
      ['Timestamp', 'Value'],
      [1, 2],
    ];
    const table = sheet.tables.add(sheet.getRange('A1:B2'), true);
    table.name = `DCS_T${i}`;
    return table.load('id');
  });
  await context.sync();
  for (const [i, table] of tables.entries()) {
    await saveTableQuery(context, { id: table.id, name: `DCS_T${i}` }, { ...query, sourceIds: [`R${i}`] }, `Title ${i}`, new Date('2024-06-01T00:00:00Z'));
  }
  return { context, view };
}

async function syncsOf(view: ReturnType<typeof mockExcel>['view'], work: () => Promise<unknown>): Promise<number> {
  const before = view.stats.syncs;
  await work();
  return view.stats.syncs - before;
}

describe('syncs do not grow with the workbook (issue 17, defect 13)', () => {
  it('lists 1 or 8 worksheets in the same number of syncs', async () => {
    const small = await workbook(1);
    const large = await workbook(8);
    const [one, eight] = [await syncsOf(small.view, () => listWorksheets(small.context)), await syncsOf(large.view, () => listWorksheets(large.context))];
    assert.equal((await listWorksheets(large.context)).length, 8);
    assert.equal(eight, one);
  });

  it('reads the remembered queries of 1 or 8 tables in the same number of syncs', async () => {
    const small = await workbook(1);
    const large = await workbook(8);
    const one = await syncsOf(small.view, () => loadSavedTables(small.context));
    const eight = await syncsOf(large.view, () => loadSavedTables(large.context));
    assert.deepEqual(
      (await loadSavedTables(large.context)).map((t) => t.title),
      Array.from({ length: 8 }, (_, i) => `Title ${i}`),
    );
    assert.equal(eight, one);
  });
});
