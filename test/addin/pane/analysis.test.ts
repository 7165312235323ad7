/**
 * The pane's monitoring and targeting against the embedded simulator, written into the in-memory
 * workbook: the typical day's table holds exactly GET /api/typical-day's means (48 half-hours,
 * weekday and weekend) under a line chart of the two; the CUSUM's table exactly GET /api/cusum's
 * figures, with a scatter of consumption against degree days (baseline, report period and the
 * performance line as series) and a line chart of the CUSUM over the intervals' starts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { demoFeatures } from 'dcs-simulator';
import type { CusumJson, TypicalDayJson } from '../../../server/api/types';
import { ApiClient, cusumSearchParams, type CusumRequest } from '../../../addin/api/client';
import { Session } from '../../../addin/api/session';
import { wallClockSerial } from '../../../addin/excel/dates';
import { createMemoryExcel } from '../../../addin/preview/memory-excel';
import { runCusum, runTypicalDay } from '../../../addin/runtime/analysis';
import { BOILER_CUSUM, SIMULATOR_NOW, startTestServer, type TestServer } from '../../server/helpers';

const features = demoFeatures(SIMULATOR_NOW);
const ELEC = `R${features.electricityRegisterId}`;
const GAS = `R${features.boilerRegisterId}`;
const TEMPERATURE = `R${features.temperatureRegisterId}`;

describe("the pane's monitoring and targeting", () => {
  let server: TestServer;
  let client: ApiClient;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
    client = new ApiClient({ baseUrl: `${server.url}/`, fetch: globalThis.fetch.bind(globalThis), session: new Session() });
    await client.signIn('demo', 'demo');
  });
  after(async () => {
    await server.close();
  });

  async function api<T>(path: string): Promise<T> {
    const res = await fetch(`${server.url}/${path}`, { headers: client.session.authorizationHeaders() });
    assert.equal(res.status, 200);
    return (await res.json()) as T;
  }

  it('writes the typical day (the October clock change inside it) with a line chart of weekdays and weekends', async () => {
    const workbook = createMemoryExcel();
    const request = { id: ELEC, start: '2024-10-21', end: '2024-11-04', timeZone: 'Europe/London' };
    const result = await runTypicalDay((batch) => workbook.run(batch), client, request);
    const json = await api<TypicalDayJson>(`api/typical-day?${new URLSearchParams(request)}`);
    assert.equal(result.rows, 48);
    const [header, ...rows] = workbook.view.tableValues(`DCS_TypicalDay_${ELEC}`);
    assert.deepEqual(header, ['Time', 'Weekday (kW)', 'Weekend (kW)', 'Weekday half-hours', 'Weekend half-hours']);
    assert.deepEqual(
      rows,
      json.weekday.map((slot, i) => [slot.time, slot.demandKw, json.weekend[i].demandKw, slot.samples, json.weekend[i].samples]),
    );
    assert.equal(rows.find((row) => row[0] === '01:00')?.[4], 4 + 1, "the October night's repeated 01:00 counts twice on the weekend");
    const [chart] = workbook.view.charts(result.sheet);
    assert.equal(chart.type, 'Line');
    assert.equal(chart.categoryType, 'TextAxis');
    assert.deepEqual(
      chart.series.map((s) => [s.name, s.values.rows, s.categories?.column]),
      [
        ['Weekday (kW)', 48, 0],
        ['Weekend (kW)', 48, 0],
      ],
    );
  });

  it('writes the CUSUM report with a scatter, its performance line and the CUSUM over time', async () => {
    const workbook = createMemoryExcel();
    const request: CusumRequest = { ...BOILER_CUSUM, id: GAS, temperature: TEMPERATURE };
    const result = await runCusum((batch) => workbook.run(batch), client, request);
    const json = await api<CusumJson>(`api/cusum?${cusumSearchParams(request)}`);
    const [header, ...rows] = workbook.view.tableValues(`DCS_CUSUM_${GAS}`);
    assert.equal(header[6], 'CUSUM (kWh)');
    assert.deepEqual(
      rows,
      json.intervals.map((r) => [r.period, wallClockSerial(r.start, 1900), r.degreeDays, r.consumption, r.expected, r.difference, r.cusum]),
    );
    const [scatter, line] = workbook.view.charts(result.sheet);
    assert.equal(scatter.type, 'XYScatter');
    const baseline = json.intervals.filter((r) => r.period === 'baseline').length;
    assert.deepEqual(
      scatter.series.map((s) => [s.name, s.chartType, s.categories?.column, s.categories?.row, s.values.column, s.values.rows]),
      [
        ['Baseline', undefined, 2, 1, 3, baseline],
        ['Report period', undefined, 2, 1 + baseline, 3, json.intervals.length - baseline],
        ['Performance line', 'XYScatterLinesNoMarkers', 2, 1, 4, baseline],
      ],
    );
    assert.equal(line.type, 'Line');
    assert.deepEqual(
      line.series.map((s) => [s.name, s.values.column, s.categories?.column, s.categories?.rows]),
      [['CUSUM (kWh)', 6, 1, json.intervals.length]],
    );
  });

  it('refuses a series over a block of cells, and a series chart type it cannot draw', async () => {
    const workbook = createMemoryExcel();
    await assert.rejects(
      workbook.run(async (context) => {
        const sheet = context.workbook.worksheets.getActiveWorksheet();
        const chart = sheet.charts.add('XYScatter', sheet.getRange('A1:B3'), 'Columns');
        chart.series.add('x').setValues(sheet.getRange('A1:B3'));
        await context.sync();
      }),
      /setValues takes one row or one column/,
    );
    await assert.rejects(
      workbook.run(async (context) => {
        const sheet = context.workbook.worksheets.getActiveWorksheet();
        const chart = sheet.charts.add('XYScatter', sheet.getRange('A1:B3'), 'Columns');
        chart.series.getItemAt(0).chartType = 'Pie3D' as Excel.ChartType;
        await context.sync();
      }),
      /not a series chart type/,
    );
  });
});
