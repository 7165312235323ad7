/**
 * A strict client generated from our live $metadata answers the queries Power BI's UI produces.
 * The test saves the server's $metadata, runs @odata2ts/odata2ts's generator on it into a
 * temporary folder, compiles the generated client together with the queries below (TypeScript,
 * strict) and runs them against the server: filter, sort, keep top, choose columns, expand and
 * navigation by key. Each answer is compared with values computed from the readings and sources
 * API, not from the feed.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_FEATURES } from 'dcs-simulator';
import type { IntervalsJson, ReadingsJson, Source } from '../../server/api/types';
import { basicAuth, getJson, startTestServer, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const REPO = path.resolve(__dirname, '..', '..', '..');
const DEMO = basicAuth('demo', 'demo');

/**
 * The calculations of monitoring and targeting, as custom options of the feed and parameters of
 * /api/intervals. Not outOfHours: its occupied= band holds a space, which odata2ts's client sends as
 * `+` (form encoding), and in an OData URL `+` is a plus (test/odata/power-query.test.ts asks it as Power Query does, %20).
 */
const MONITORING = { calc: 'consumption,baseload,carbon', fuel: 'electricity', compare: 'previousYear' };

/**
 * The queries, written against the generated client (compiled with it, so a $metadata the
 * generator cannot type makes this test fail to compile). Each returns the rows of its answer.
 */
const QUERIES = `
const MONITORING = ${JSON.stringify(MONITORING)};
import { FetchClient } from '@odata2ts/http-client-fetch';
import { DcsService } from './client/DcsService';
import { QReading } from './client/QDcs';

export function queries(root: string, authorization: string, source: string) {
  const dcs = new DcsService(new FetchClient({ headers: { Authorization: authorization } }), root);
  const day = (q: QReading) => [q.SourceId.eq(source), q.Timestamp.ge('2024-01-01T00:00:00Z'), q.Timestamp.lt('2024-01-02T00:00:00Z')];
  return {
    filter: async () => (await dcs.Readings().query((b, q) => b.filter(...day(q)))).data.value,
    sortThenKeepTop: async () =>
      (await dcs.Readings().query((b, q) => b.filter(...day(q)).orderBy(q.PeriodValue.desc()).top(5))).data.value,
    chooseColumns: async () => (await dcs.Readings().query((b, q) => b.filter(...day(q)).select('Timestamp', 'PeriodValue'))).data.value,
    expand: async () =>
      (await dcs.Readings().query((b, q) => b.filter(...day(q)).top(2).expanding('Source', (e) => e.select('Unit', 'Name')))).data.value,
    byKey: async () => (await dcs.Sources(source).query()).data,
    smallSet: async () =>
      (await dcs.Sources().query((b, q) => b.filter(q.Kind.eq('virtualMeter')).orderBy(q.Name.desc()).top(3).select('Id', 'Name'))).data.value,
    intervals: async () =>
      (
        await dcs.Intervals().query(
          (b, q) => b.filter(q.SourceId.eq(source), q.Start.ge('2024-01-01T00:00:00Z'), q.Start.lt('2024-01-08T00:00:00Z')).select('Start', 'Consumption'),
          { params: { interval: 'day', timeZone: 'Europe/London' } },
        )
      ).data.value,
    monitoring: async () =>
      (
        await dcs.Intervals().query(
          (b, q) =>
            b
              .filter(q.SourceId.eq(source), q.Start.ge('2024-01-01T00:00:00Z'), q.Start.lt('2024-01-08T00:00:00Z'))
              .select('Start', 'Consumption', 'Baseload', 'Carbon', 'Previous', 'Change', 'ChangePercent'),
          { params: { interval: 'day', timeZone: 'Europe/London', ...MONITORING } },
        )
      ).data.value,
  };
}
`;

type Rows = Array<Record<string, unknown>>;
type Queries = Record<'filter' | 'sortThenKeepTop' | 'chooseColumns' | 'expand' | 'smallSet' | 'intervals' | 'monitoring', () => Promise<Rows>> & {
  byKey: () => Promise<Record<string, unknown>>;
};

describe('a client generated from $metadata by odata2ts runs the queries of Power BI', () => {
  let server: TestServer;
  let dir: string;
  let run: Queries;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false });
    // Inside the repository, so that the generated code resolves @odata2ts from node_modules.
    fs.mkdirSync(path.join(REPO, 'build'), { recursive: true });
    dir = fs.mkdtempSync(path.join(REPO, 'build', 'odata2ts-'));
    const metadata = await fetch(`${server.url}/odata/$metadata`, { headers: { Authorization: DEMO } });
    fs.writeFileSync(path.join(dir, 'metadata.xml'), await metadata.text());
    const tsconfig = {
      compilerOptions: { strict: true, module: 'commonjs', target: 'es2022', lib: ['es2022', 'dom'], skipLibCheck: true, types: [], outDir: 'out' },
      files: ['queries.ts'],
    };
    // The generator reads the folder's tsconfig.json too, and empties its output folder first.
    fs.writeFileSync(path.join(dir, 'tsconfig.json'), JSON.stringify(tsconfig));
    const generator = require.resolve('@odata2ts/odata2ts/lib/run-cli.js');
    execFileSync(process.execPath, [generator, '-s', 'metadata.xml', '-o', 'client', '-m', 'service', '-e', 'ts'], { cwd: dir, stdio: 'pipe' });
    fs.writeFileSync(path.join(dir, 'queries.ts'), QUERIES);
    try {
      execFileSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', dir], { stdio: 'pipe' });
    } catch (error) {
      assert.fail(`the generated client does not compile:\n${String((error as { stdout?: Buffer }).stdout)}`);
    }
    const compiled = (await import(path.join(dir, 'out', 'queries.js'))) as { queries: (root: string, auth: string, source: string) => Queries };
    run = compiled.queries(`${server.url}/odata`, DEMO, ELEC);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function apiDay(): Promise<Array<{ timestamp: string; periodValue: number }>> {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&start=2024-01-01&end=2024-01-02&format=complete`, { Authorization: DEMO });
    return res.body.sources[0].readings as Array<{ timestamp: string; periodValue: number }>;
  }

  async function apiSources(): Promise<Source[]> {
    return (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: DEMO })).body;
  }

  it('filter: the day of half-hours /api/readings gives', async () => {
    const rows = await run.filter();
    const api = await apiDay();
    assert.deepEqual(
      rows.map((r) => [r.Timestamp, r.PeriodValue]),
      api.map((r) => [r.timestamp, r.periodValue]),
    );
  });

  it('sort then keep top: the five largest half-hours', async () => {
    const api = (await apiDay()).map((r) => r.periodValue).sort((a, b) => b - a);
    assert.deepEqual(
      (await run.sortThenKeepTop()).map((r) => r.PeriodValue),
      api.slice(0, 5),
    );
  });

  it('choose columns: only those columns', async () => {
    const rows = await run.chooseColumns();
    assert.equal(rows.length, 48);
    assert.deepEqual(Object.keys(rows[0]).sort(), ['PeriodValue', 'Timestamp']);
  });

  it("expand: each reading carries its source's unit and name", async () => {
    const source = (await apiSources()).find((s) => s.id === ELEC)!;
    for (const row of await run.expand()) assert.deepEqual(row.Source, { Unit: source.unit, Name: source.name });
  });

  it('navigation by key: Sources(id) is the source /api/sources lists', async () => {
    const source = (await apiSources()).find((s) => s.id === ELEC)!;
    const entity = await run.byKey();
    assert.equal(entity.Id, source.id);
    assert.equal(entity.Name, source.name);
    assert.equal(entity.Unit, source.unit);
  });

  it('filter, sort, keep top and choose columns on a small set', async () => {
    const expected = (await apiSources())
      .filter((s) => s.kind === 'virtualMeter')
      .sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0))
      .slice(0, 3)
      .map((s) => ({ Id: s.id, Name: s.name }));
    assert.deepEqual(await run.smallSet(), expected);
  });

  it("Intervals with custom options: the week's local days of /api/intervals", async () => {
    const api = await getJson<IntervalsJson>(`${server.url}/api/intervals?id=${ELEC}&start=2024-01-01&end=2024-01-08&interval=day&timeZone=Europe/London`, {
      Authorization: DEMO,
    });
    assert.deepEqual(
      (await run.intervals()).map((r) => [r.Start, r.Consumption]),
      api.body.sources[0].intervals.map((i) => [i.start, i.consumption]),
    );
  });

  it("Intervals with monitoring and targeting's calculations: /api/intervals' baseload, carbon and year on year", async () => {
    const query = new URLSearchParams({ id: ELEC, start: '2024-01-01', end: '2024-01-08', interval: 'day', timeZone: 'Europe/London', ...MONITORING });
    const api = await getJson<IntervalsJson>(`${server.url}/api/intervals?${query}`, { Authorization: DEMO });
    const rows = await run.monitoring();
    assert.equal(rows.length, 7);
    assert.deepEqual(
      rows.map((r) => [r.Start, r.Consumption, r.Baseload, r.Carbon, r.Previous, r.Change, r.ChangePercent]),
      api.body.sources[0].intervals.map((i) => [i.start, i.consumption, i.baseload, i.carbon, i.previous, i.change, i.changePercent]),
    );
  });
});
