/**
 * A group in the OData feed: `SourceId eq 'group:x'` in Intervals is the group's sum, its rows
 * carrying the group's id, each figure the sum of the members' own Intervals rows; Readings refuses
 * a group by name; a member the caller may not read refuses the sum.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Source } from '../../server/api/types';
import { basicAuth, startTestServer, type TestServer } from '../server/helpers';

const DEMO = { Authorization: basicAuth('demo', 'demo') };
const VIEWER = { Authorization: basicAuth('viewer', 'viewer') };
const q = encodeURIComponent;
const SPAN = 'Start ge 2024-03-01T00:00:00Z and Start lt 2024-03-05T00:00:00Z';

interface IntervalRow {
  SourceId: string;
  Start: string;
  Consumption: number | null;
  Periods: number;
  Missing: number;
}

describe('groups in the OData feed', () => {
  let server: TestServer;
  let dataDir: string;
  let members: string[];
  let hidden: string;

  const get = async <T>(url: string, headers = DEMO) => {
    const res = await fetch(`${server.url}${url}`, { headers });
    return { status: res.status, body: (await res.json()) as T };
  };

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-odata-groups-'));
    server = await startTestServer({ dataDir });
    const sources = (await get<Source[]>('/api/sources')).body.filter((s) => s.kind === 'register' && s.unit === 'kWh' && !s.isInstantaneous);
    const viewer = new Set((await get<Source[]>('/api/sources', VIEWER)).body.map((s) => s.id));
    members = sources
      .filter((s) => viewer.has(s.id))
      .slice(0, 2)
      .map((s) => s.id);
    hidden = sources.find((s) => !viewer.has(s.id))!.id;
    for (const [name, ids] of [
      ['Pair', members],
      ['With hidden', [...members, hidden]],
    ] as const) {
      const res = await fetch(`${server.url}/api/groups`, {
        method: 'POST',
        headers: { ...DEMO, 'Content-Type': 'application/json' },
        body: JSON.stringify({ name, members: ids }),
      });
      assert.equal(res.status, 201);
    }
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it("Intervals with SourceId eq 'group:pair' are the sum of the members' own rows, under the group's id", async () => {
    const own = await get<{ value: IntervalRow[] }>(`/odata/Intervals?$filter=${q(`SourceId in ('${members.join("','")}') and ${SPAN}`)}&interval=day`);
    const group = await get<{ value: IntervalRow[] }>(`/odata/Intervals?$filter=${q(`SourceId eq 'group:pair' and ${SPAN}`)}&interval=day`);
    assert.equal(group.status, 200, JSON.stringify(group.body));
    assert.equal(group.body.value.length, 4);
    for (const row of group.body.value) {
      assert.equal(row.SourceId, 'group:pair');
      const same = own.body.value.filter((r) => r.Start === row.Start);
      assert.equal(same.length, members.length);
      assert.equal(row.Consumption, Number(same.reduce((n, r) => n + (r.Consumption ?? 0), 0).toPrecision(12)));
      assert.equal(
        row.Periods,
        same.reduce((n, r) => n + r.Periods, 0),
      );
    }
  });

  it('Readings refuses a group by name, and a sum with a member the caller may not read is refused (403)', async () => {
    const readings = await get<{ error: { message: string } }>(
      `/odata/Readings?$filter=${q(`SourceId eq 'group:pair' and Timestamp ge 2024-03-01T00:00:00Z and Timestamp lt 2024-03-02T00:00:00Z`)}`,
    );
    assert.equal(readings.status, 400);
    assert.match(readings.body.error.message, /group:pair is a group; Readings has each source's own readings/);
    const refused = await get<{ error: { message: string } }>(
      `/odata/Intervals?$filter=${q(`SourceId eq 'group:with-hidden' and ${SPAN}`)}&interval=day`,
      VIEWER,
    );
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, new RegExp(`would include ${hidden}`));
  });
});
