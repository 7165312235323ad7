/**
 * The worked example of docs/monitoring-and-targeting.md is computed, not written by hand: its
 * query is the one this test asks the embedded simulator, and the figures between the markers
 * `<!-- worked example: begin -->` and `<!-- worked example: end -->` are what GET /api/cusum
 * answers (whose figures test/analysis/cusum-api.test.ts recomputes from the raw half-hours).
 * What the prose claims is checked too: the line fits, the CUSUM turns in the week Birch Hall's
 * boiler was left on, and each week after it runs above the line by what the boiler burns.
 * On a change, the failure message holds the block to paste.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { demoFeatures } from 'dcs-simulator';
import type { CusumJson } from '../../server/api/types';
import { BOILER_CUSUM, getJson, SIMULATOR_NOW, startTestServer, type TestServer } from '../server/helpers';

const DOC = path.resolve(__dirname, '../../../docs/monitoring-and-targeting.md');
const features = demoFeatures(SIMULATOR_NOW);
const QUERY = new URLSearchParams(BOILER_CUSUM);
/** The weeks the guide shows: a month either side of the change. */
const SHOWN = { from: '2024-05-06', to: '2024-07-08' };
const BEGIN = '<!-- worked example: begin -->';
const END = '<!-- worked example: end -->';

const kWh = (x: number | null): string => (x === null ? '' : Math.round(x).toLocaleString('en-GB'));

/** The block as the guide shows it: the model, then the weeks around the change. */
function block(json: CusumJson): string {
  const { intercept, slope, r2, points } = json.model;
  const rows = json.intervals
    .filter((r) => r.period === 'report' && r.start.slice(0, 10) >= SHOWN.from && r.start.slice(0, 10) < SHOWN.to)
    .map(
      (r) =>
        `| ${r.start.slice(0, 10)} | ${r.degreeDays?.toFixed(1) ?? ''} | ${kWh(r.consumption)} | ${kWh(r.expected)} | ${kWh(r.difference)} | ${kWh(r.cusum)} |`,
    );
  return [
    `The line over the ${points} baseline weeks: consumption = ${intercept.toFixed(1)} + ${slope.toFixed(2)} × degree days (kWh a week), r² = ${r2?.toFixed(6)}.`,
    '',
    '| week of | degree days | consumption | expected | difference | CUSUM |',
    '| --- | --: | --: | --: | --: | --: |',
    ...rows,
  ].join('\n');
}

describe('the worked example of monitoring and targeting', () => {
  let server: TestServer;
  let json: CusumJson;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
    const answer = await getJson<CusumJson>(`${server.url}/api/cusum?${QUERY}`);
    assert.equal(answer.status, 200, JSON.stringify(answer.body).slice(0, 300));
    json = answer.body;
  });
  after(async () => {
    await server.close();
  });

  it("asks what the guide's example asks", () => {
    assert.ok(fs.readFileSync(DOC, 'utf8').includes(`/api/cusum?${QUERY.toString()}`), `the guide's curl asks /api/cusum?${QUERY}`);
  });

  it('shows the figures GET /api/cusum gives', () => {
    const doc = fs.readFileSync(DOC, 'utf8');
    const start = doc.indexOf(BEGIN);
    const end = doc.indexOf(END);
    assert.ok(start >= 0 && end > start, `the guide marks its figures with ${BEGIN} and ${END}`);
    const expected = block(json);
    assert.equal(doc.slice(start + BEGIN.length, end).trim(), expected, `paste between the markers:\n\n${expected}\n`);
  });

  it('bears out the prose: a close fit, and the CUSUM turning in the week the boiler was left on by what it burns', () => {
    assert.ok((json.model.r2 ?? 0) > 0.99, `r² ${json.model.r2}`);
    const report = json.intervals.filter((r) => r.period === 'report');
    const weekly = 7 * 48 * features.boilerLeftOnKwhPerHalfHour;
    const leftOn = features.boilerLeftOn.slice(0, 10);
    const before = report.filter((r) => r.start.slice(0, 10) < leftOn);
    const afterwards = report.filter((r) => r.start.slice(0, 10) >= leftOn);
    assert.equal(afterwards[0].start.slice(0, 10), leftOn, 'the boiler was left on at the start of a week');
    for (const r of before) assert.ok(Math.abs(r.difference as number) < 100, `${r.start}: ${r.difference} kWh off the line before the change`);
    for (const r of afterwards)
      assert.ok(Math.abs((r.difference as number) - weekly) < 0.01 * weekly, `${r.start}: ${r.difference} kWh above the line; the boiler burns ${weekly}`);
  });
});
