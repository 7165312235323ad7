import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { getReadings } from '../../addin/excel/get-readings';
import { BlockBuffer, estimateRowBytes } from '../../addin/excel/blocks';
import { DATE_TIME_FORMAT, type CellValue } from '../../addin/excel/cells';
import { naiveDateTimeToSerial, serialToText } from '../../addin/excel/dates';
import { RowLimitError } from '../../addin/excel/errors';
import { SHEET_ROWS, WEB_REQUEST_LIMIT_BYTES } from '../../addin/excel/limits';
import { loadSavedTables } from '../../addin/excel/saved-queries';
import type { TableQuery } from '../../addin/query/table-query';
import { fakeReadings, halfHourly } from './support/readings';
import { mockExcel } from './support/workbook';

const MAY_2024 = { kind: 'fixed', start: '2024-05-01T00:00:00', end: '2024-05-02T00:00:00' } as const;

function query(sourceIds: string[], overrides: Partial<TableQuery> = {}): TableQuery {
  return {
    version: 1,
    sourceIds,
    range: MAY_2024,
    options: { periodType: 'halfHour', calibrated: true, interpolated: true, format: 'standard', timeZone: 'UTC' },
    layout: 'perSource',
    ...overrides,
  };
}

const now = () => new Date('2024-06-15T10:00:00Z');

describe('Get readings writes Excel tables', () => {
  it('writes one table per source, side by side, under a title saying what it holds', async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([
      halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48),
      halfHourly(
        'R2',
        'Boiler house: Gas',
        '2024-05-01T00:00:00Z',
        48,
        (i) => i,
        (i) => (i === 3 ? 1 : i === 5 ? 2 : 0),
      ),
    ]);

    const result = await getReadings(context, query(['R1', 'R2']), 'newSheet', { readings: server, now });

    assert.deepEqual(result.failed, []);
    assert.deepEqual(
      result.created.map((t) => [t.table, t.rows]),
      [
        ['DCS_R1', 48],
        ['DCS_R2', 48],
      ],
    );
    assert.equal(result.sheet, 'DCS readings');
    assert.equal(view.activeSheetName(), 'DCS readings');
    const first = view.tableInfo('DCS_R1')!;
    const second = view.tableInfo('DCS_R2')!;
    assert.deepEqual([first.row, first.column, first.rows], [1, 0, 49], 'header on row 2 below the title, 48 data rows');
    assert.ok(second.column > first.column + first.columns, 'an empty column or more between tables (room for the title)');

    const title = view.cell('DCS readings', 0, 0);
    assert.match(String(title), /Main incomer: Import \(kWh\)/);
    assert.match(String(title), /half-hourly/);
    assert.match(String(title), /times in UTC/);
    assert.ok(view.cellBold('DCS readings', 0, 0));

    const rows = view.tableValues('DCS_R2');
    assert.deepEqual(rows[0], ['Timestamp (UTC)', 'Value (kWh)', 'Status', 'Interpolated', 'Reset', 'Note']);
    assert.deepEqual(rows[1], [naiveDateTimeToSerial('2024-05-01T00:00'), 0, 0, false, false, '']);
    assert.deepEqual(rows[4].slice(1, 5), [3, 1, true, false], 'status 1 reads as Interpolated');
    assert.deepEqual(rows[6].slice(1, 5), [5, 2, false, true], 'status 2 reads as Reset');
    assert.equal(serialToText(rows[48][0] as number), '2024-05-01 23:30:00');
  });

  it('leaves room for each bold title line before the next table, so no title is cut (issue 17, defect 14)', async () => {
    const { context, view } = mockExcel();
    const longName = 'Main Library - Electricity Main Incomer: Active Energy Import';
    const server = fakeReadings(['R1', 'R2', 'R3'].map((id) => halfHourly(id, `${longName} ${id}`, '2024-05-01T00:00:00Z', 48)));
    await getReadings(context, query(['R1', 'R2', 'R3']), 'newSheet', { readings: server, now });
    const sheet = 'DCS readings';
    for (const [name, next] of [
      ['DCS_R1', 'DCS_R2'],
      ['DCS_R2', 'DCS_R3'],
    ]) {
      const from = view.tableInfo(name)!.column;
      const to = view.tableInfo(next)!.column;
      assert.ok(to > from + view.tableInfo(name)!.columns, 'beside each other');
      const title = String(view.cell(sheet, 0, from));
      let room = 0;
      for (let c = from; c < to; c++) room += view.columnWidth(sheet, c);
      // Calibri 11 bold: about 7.5 px (5.6 pt) a character.
      assert.ok(room >= title.length * 5.6, `${name}'s title (${title.length} characters) has ${room} pt before the next title`);
    }
  });

  it('gives timestamps an Excel date-time number format and values plain numbers', async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48)]);
    await getReadings(context, query(['R1']), 'newSheet', { readings: server, now });

    const formats = view.tableFormats('DCS_R1');
    assert.equal(formats.length, 48);
    assert.ok(
      formats.every((row) => row[0] === DATE_TIME_FORMAT),
      'every timestamp is formatted as a date-time',
    );
    assert.equal(DATE_TIME_FORMAT, 'yyyy-mm-dd hh:mm');
    const values = view.tableValues('DCS_R1').slice(1);
    assert.ok(values.every((row) => typeof row[0] === 'number' && typeof row[1] === 'number'));
  });

  it('leaves NaN and Infinity cells empty and names them in the Note column, never writing 0', async () => {
    const { context, view } = mockExcel();
    const special = ['NaN', 'Infinity', '-Infinity'];
    const server = fakeReadings([halfHourly('R7', 'Chiller: Flow', '2024-05-01T00:00:00Z', 48, (i) => (i < 3 ? special[i] : 10))]);
    await getReadings(context, query(['R7']), 'newSheet', { readings: server, now });

    const rows = view.tableValues('DCS_R7').slice(1);
    assert.deepEqual(
      rows.slice(0, 4).map((r) => [r[1], r[5]]),
      [
        ['', 'NaN'],
        ['', 'Infinity'],
        ['', '-Infinity'],
        [10, ''],
      ],
    );
  });

  it('complete format writes total and period value, each with its own note', async () => {
    const { context, view } = mockExcel();
    const source = halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48);
    source.header.format = 'complete';
    source.readings = source.readings.map((r, i) => ({ timestamp: r.timestamp, totalValue: 500 + i, periodValue: i === 0 ? 'NaN' : 1, status: 0 }));
    const server = fakeReadings([source]);
    await getReadings(context, query(['R1'], { options: { ...query([]).options, format: 'complete' } }), 'newSheet', { readings: server, now });

    const rows = view.tableValues('DCS_R1');
    assert.deepEqual(rows[0].slice(1, 3), ['Total (kWh)', 'Period value (kWh)']);
    assert.deepEqual(rows[1].slice(1), [500, '', 0, false, false, 'Period value: NaN']);
    assert.deepEqual(rows[2].slice(1, 3), [501, 1]);
  });

  it("shows timestamps on the chosen zone's wall clock, across a clock change", async () => {
    const { context, view } = mockExcel();
    // 2024-03-31: Europe/London jumps from 01:00 GMT to 02:00 BST.
    const server = fakeReadings([halfHourly('R1', 'Main incomer: Import', '2024-03-31T00:00:00Z', 4)]);
    const q = query(['R1'], {
      range: { kind: 'fixed', start: '2024-03-31T00:00:00', end: '2024-03-31T03:00:00' },
      options: { ...query([]).options, timeZone: 'Europe/London' },
    });
    await getReadings(context, q, 'newSheet', { readings: server, now });

    assert.equal(server.requests[0].timeZone, 'Europe/London');
    assert.equal(server.requests[0].start, '2024-03-31T00:00:00', 'the server gets the naive local start and the zone');
    const stamps = view
      .tableValues('DCS_R1')
      .slice(1)
      .map((r) => serialToText(r[0] as number));
    assert.deepEqual(stamps, ['2024-03-31 00:00:00', '2024-03-31 00:30:00', '2024-03-31 02:00:00', '2024-03-31 02:30:00']);
    assert.equal(view.tableValues('DCS_R1')[0][0], 'Timestamp (Europe/London)');
  });

  it('one long table carries the source id, name and unit on every row', async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([
      halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48),
      halfHourly('VM3', 'Site total', '2024-05-01T00:00:00Z', 48),
    ]);
    const result = await getReadings(context, query(['R1', 'VM3'], { layout: 'long' }), 'newSheet', { readings: server, now });

    assert.deepEqual(
      result.created.map((t) => [t.table, t.rows]),
      [['DCS_Readings', 96]],
    );
    assert.equal(server.requests.length, 1, 'one request for the whole table');
    const rows = view.tableValues('DCS_Readings');
    assert.deepEqual(rows[0].slice(0, 5), ['Source id', 'Source', 'Unit', 'Timestamp (UTC)', 'Value']);
    assert.deepEqual(rows[1].slice(0, 3), ['R1', 'Main incomer: Import', 'kWh']);
    assert.deepEqual(rows[49].slice(0, 3), ['VM3', 'Site total', 'kWh']);
    assert.match(String(view.cell('DCS readings', 0, 0)), /2 sources/);
  });

  it("remembers each table's query in the workbook settings, without any credentials", async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48)]);
    const q = query(['R1'], { range: { kind: 'relative', preset: 'lastFullMonth' } });
    await getReadings(context, q, 'newSheet', { readings: server, now });
    assert.equal(server.requests[0].start, '2024-05-01T00:00:00');

    const saved = await loadSavedTables(context);
    assert.equal(saved.length, 1);
    assert.equal(saved[0].table, 'DCS_R1');
    assert.deepEqual(saved[0].query, q, 'the relative preset is stored, not the dates it resolved to');
    const stored = JSON.stringify(view.settings());
    assert.doesNotMatch(stored, /password|token|bearer/i);
  });

  it('writes large pulls in blocks well under the 5 MB request limit, one sync per block', async () => {
    const { context, view } = mockExcel();
    const ids = ['R1', 'R2', 'R3', 'R4'];
    const perSource = 48 * 366; // a leap year of half-hours each
    const server = fakeReadings(ids.map((id) => halfHourly(id, `Meter ${id}: Import`, '2024-01-01T00:00:00Z', perSource, (i) => 123456.789 + i / 7)));
    const q = query(ids, { layout: 'long', range: { kind: 'fixed', start: '2024-01-01T00:00:00', end: '2025-01-01T00:00:00' } });
    const progress: number[] = [];
    await getReadings(context, q, 'newSheet', { readings: server, now, onProgress: (p) => progress.push(p.rowsWritten) });

    const sizes = view.stats.requestBytes;
    const total = sizes.reduce((a, b) => a + b, 0);
    const largest = Math.max(...sizes);
    assert.ok(total > WEB_REQUEST_LIMIT_BYTES, `the whole pull (${total} bytes) is more than one request may carry`);
    assert.ok(sizes.length >= 6, `expected several blocks, got ${sizes.length}`);
    assert.ok(largest <= WEB_REQUEST_LIMIT_BYTES / 4, `largest request ${largest} bytes`);
    assert.equal(view.tableValues('DCS_Readings').length, ids.length * perSource + 1);
    assert.equal(progress.at(-1), ids.length * perSource, 'progress reaches the full row count');
    assert.ok(progress.length >= 6, 'progress is reported per block');
  });

  it('the workbook model itself rejects a request over 5 MB, as Excel on the web does', async () => {
    const { context } = mockExcel();
    const sheet = context.workbook.worksheets.add('Big');
    const big: CellValue[][] = Array.from({ length: 120_000 }, (_, i) => [i + 0.123456789, 'some text in a cell', 98765.4321, i]);
    sheet.getRangeByIndexes(0, 0, big.length, 4).values = big;
    await assert.rejects(context.sync(), /RequestPayloadSize|exceeded the limit/);
  });

  it('sizes blocks by estimated bytes, whatever the row width', () => {
    for (const width of [3, 9]) {
      const buffer = new BlockBuffer(10_000);
      const blocks: CellValue[][][] = [];
      for (let i = 0; i < 5_000; i++) {
        const full = buffer.add(Array.from({ length: width }, (_, j) => i * 1.000001 + j));
        if (full) blocks.push(full);
      }
      blocks.push(buffer.take());
      const sizes = blocks.map((b) => b.reduce((n, row) => n + estimateRowBytes(row), 0));
      assert.ok(
        sizes.every((s) => s <= 10_000),
        `width ${width}: a block exceeded its budget`,
      );
      assert.equal(
        blocks.reduce((n, b) => n + b.length, 0),
        5_000,
        'no row lost between blocks',
      );
    }
  });

  it('refuses before writing anything when the result cannot fit in a sheet', async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([]);
    const ids = Array.from({ length: 70 }, (_, i) => `R${i + 1}`);
    const q = query(ids, { layout: 'long', range: { kind: 'fixed', start: '2023-01-01T00:00:00', end: '2024-01-01T00:00:00' } });

    const error = await getReadings(context, q, 'newSheet', { readings: server, now }).then(
      () => assert.fail('expected a refusal'),
      (e: unknown) => e,
    );
    assert.ok(error instanceof RowLimitError);
    assert.equal(error.rows, 70 * 48 * 365);
    assert.match(error.message, /shorter range/);
    assert.match(error.message, /a longer Interval \(e\.g\. Day instead of Half-hour\)/, "the pane's words");
    assert.match(error.message, /1,048,574/);
    assert.equal(server.requests.length, 0, 'nothing was even requested');
    assert.deepEqual(view.sheetNames(true), ['Sheet1'], 'no sheet was added');
  });

  it('refuses when the server expects more rows than fit below the selected cell, leaving no trace', async () => {
    const { context, view } = mockExcel();
    const source = halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48);
    source.header.expectedCount = 600; // more than the 574 rows below row 1,048,000
    const server = fakeReadings([source]);
    view.select('Sheet1', SHEET_ROWS - 576, 0);

    const result = await getReadings(context, query(['R1']), 'activeCell', { readings: server, now });
    assert.equal(result.created.length, 0);
    assert.match(result.failed[0].message, /only 574 fit/);
    assert.deepEqual(view.sheetNames(true), ['Sheet1']);
    assert.deepEqual(view.usedSize('Sheet1'), { rows: 0, columns: 0 });
  });

  it('a stream that breaks off partway writes no table and says the pull was incomplete', async () => {
    const { context, view } = mockExcel();
    const server = fakeReadings([halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48)], { breakAfter: 20 });
    const result = await getReadings(context, query(['R1']), 'newSheet', { readings: server, now, maxBlockBytes: 300 });

    assert.equal(result.created.length, 0);
    assert.match(result.failed[0].message, /ended before all readings arrived/);
    assert.deepEqual(view.sheetNames(true), ['Sheet1'], 'neither the new sheet nor the staging sheet remains');
    assert.deepEqual(view.tableNames(), []);
  });

  it('writes at the selected cell when asked, and refuses to overwrite cells in the way', async () => {
    const { context, view } = mockExcel();
    const sheet = context.workbook.worksheets.getItem('Sheet1');
    sheet.getRangeByIndexes(30, 1, 1, 1).values = [['keep me']];
    await context.sync();
    const server = fakeReadings([halfHourly('R1', 'Main incomer: Import', '2024-05-01T00:00:00Z', 48)]);

    const result = await getReadings(context, query(['R1']), 'activeCell', { readings: server, now });
    assert.equal(result.created.length, 0);
    assert.match(result.failed[0].message, /not empty/);
    assert.equal(view.cell('Sheet1', 30, 1), 'keep me');
    assert.deepEqual(view.tableNames(), []);
  });
});
