/**
 * Groups over HTTP: made, listed, changed and deleted by their creator alone; strict bodies; kept
 * in DATA_DIR's file across a restart; and a group id used as a source id on /api/intervals and
 * /api/consumption (and its batch), each figure checked against the sum of the members' own
 * answers, asked one by one. Mixed units and a member the caller may not read are refused.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConsumptionBatchJson, ConsumptionJson, GroupJson, GroupsJson, IntervalsJson, Source } from '../../server/api/types';
import { basicAuth, startTestServer, type TestServer } from '../server/helpers';

const DEMO = { Authorization: basicAuth('demo', 'demo') };
const VIEWER = { Authorization: basicAuth('viewer', 'viewer') };
const SPAN = 'start=2024-03-01&end=2024-03-08&timeZone=Europe/London';

async function call<T>(server: TestServer, method: string, route: string, headers: Record<string, string>, body?: unknown) {
  const res = await fetch(`${server.url}${route}`, {
    method,
    headers: { ...headers, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : undefined) as T };
}

type ErrorBody = { error: { code: string; message: string; parameter?: string } };

/** Independent of the code under test: plain addition, rounded as the server rounds (12 significant digits). */
function sum(values: Array<number | null>): number {
  return Number(values.reduce<number>((n, v) => n + (v ?? 0), 0).toPrecision(12));
}

describe('groups over HTTP', () => {
  let server: TestServer;
  let dataDir: string;
  let kwh: Source[];
  let otherUnit: Source;
  let hiddenFromViewer: Source;
  let seenByViewer: Source[];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-groups-'));
    server = await startTestServer({ dataDir });
    const demoSources = (await call<Source[]>(server, 'GET', '/api/sources', DEMO)).body;
    const viewerIds = new Set((await call<Source[]>(server, 'GET', '/api/sources', VIEWER)).body.map((s) => s.id));
    const cumulative = demoSources.filter((s) => !s.isInstantaneous && s.kind === 'register');
    kwh = cumulative.filter((s) => s.unit === 'kWh');
    seenByViewer = kwh.filter((s) => viewerIds.has(s.id)).slice(0, 2);
    hiddenFromViewer = kwh.find((s) => !viewerIds.has(s.id))!;
    otherUnit = cumulative.find((s) => s.unit !== 'kWh')!;
    assert.ok(seenByViewer.length === 2 && hiddenFromViewer && otherUnit, 'the demo estate has what these tests need');
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('creates a group (201, id from the name, creator and time), lists it for every user and gets it by id', async () => {
    const members = [kwh[0].id, kwh[1].id];
    const created = await call<GroupJson>(server, 'POST', '/api/groups', DEMO, { name: 'Engineering – electricity mains', members });
    assert.equal(created.status, 201);
    assert.equal(created.body.id, 'group:engineering-electricity-mains');
    assert.deepEqual(created.body.members, members);
    assert.equal(created.body.createdBy, 'demo');
    assert.equal(created.body.editable, true);
    assert.ok(Math.abs(Date.parse(created.body.createdAt) - Date.now()) < 60_000);
    const listed = await call<GroupsJson>(server, 'GET', '/api/groups', VIEWER);
    const seen = listed.body.groups.find((g) => g.id === created.body.id);
    assert.equal(seen?.createdBy, 'demo');
    assert.equal(seen?.editable, false, 'shared, but not the viewer’s to change');
    const one = await call<GroupJson>(server, 'GET', '/api/groups/GROUP:Engineering-Electricity-Mains', DEMO);
    assert.equal(one.status, 200);
    assert.equal(one.body.name, 'Engineering – electricity mains');
    assert.equal((await call(server, 'GET', '/api/groups/group:nothing-here', DEMO)).status, 404);
  });

  it('refuses bad bodies, naming what is wrong, and a duplicate name with 409', async () => {
    const cases: Array<[unknown, string, RegExp]> = [
      [{ name: 'A', members: [kwh[0].id], colour: 'red', owner: 'x' }, 'colour', /'colour', 'owner' are not fields of a group/],
      [{ members: [kwh[0].id] }, 'name', /missing/],
      [{ name: '---', members: [kwh[0].id] }, 'name', /no letter or digit/],
      [{ name: 'B', members: [] }, 'members', /at least one/],
      [{ name: 'B', members: ['M12'] }, 'members[0]', /'M12' is not a source id/],
      [{ name: 'B', members: [kwh[0].id, 'group:x'] }, 'members[1]', /a group cannot be a member of a group/],
      [{ name: 'B', members: [kwh[0].id, kwh[0].id.toLowerCase()] }, 'members[1]', /named twice/],
      [{ name: 'B', members: ['R999999'] }, 'members[0]', /no source R999999 that you may see/],
    ];
    for (const [body, parameter, message] of cases) {
      const res = await call<ErrorBody>(server, 'POST', '/api/groups', DEMO, body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.parameter, parameter);
      assert.match(res.body.error.message, message);
    }
    const duplicate = await call<ErrorBody>(server, 'POST', '/api/groups', DEMO, { name: 'ENGINEERING - Electricity Mains!', members: [kwh[0].id] });
    assert.equal(duplicate.status, 409);
    assert.match(duplicate.body.error.message, /already exists/);
    assert.equal((await call(server, 'POST', '/api/groups?x=1', DEMO, { name: 'C', members: [kwh[0].id] })).status, 400);
  });

  it('lets only the creator change or delete a group (403 otherwise, naming the creator)', async () => {
    const made = await call<GroupJson>(server, 'POST', '/api/groups', DEMO, { name: 'To change', members: [seenByViewer[0].id] });
    const refused = await call<ErrorBody>(server, 'PUT', `/api/groups/${made.body.id}`, VIEWER, { name: 'Mine now', members: [seenByViewer[0].id] });
    assert.equal(refused.status, 403);
    assert.match(refused.body.error.message, /created by demo; only they may change it/);
    const notDeleted = await call<ErrorBody>(server, 'DELETE', `/api/groups/${made.body.id}`, VIEWER);
    assert.equal(notDeleted.status, 403);
    const changed = await call<GroupJson>(server, 'PUT', `/api/groups/${made.body.id}`, DEMO, { name: 'Changed', members: seenByViewer.map((s) => s.id) });
    assert.equal(changed.status, 200);
    assert.equal(changed.body.id, made.body.id, 'the id stays');
    assert.equal(changed.body.name, 'Changed');
    assert.equal((await call(server, 'DELETE', `/api/groups/${made.body.id}`, DEMO)).status, 204);
    assert.equal((await call(server, 'GET', `/api/groups/${made.body.id}`, DEMO)).status, 404);
  });

  it('keeps groups in DATA_DIR/groups.json, written whole, and survives many changes at once', async () => {
    // As many at once as one user may have in progress (MAX_REQUESTS_PER_USER).
    const names = Array.from({ length: 8 }, (_, i) => `Concurrent ${i}`);
    const answers = await Promise.all(names.map((name) => call(server, 'POST', '/api/groups', DEMO, { name, members: [kwh[0].id] })));
    assert.deepEqual(
      answers.map((a) => a.status),
      names.map(() => 201),
    );
    const file = JSON.parse(fs.readFileSync(path.join(dataDir, 'groups.json'), 'utf8')) as { groups: GroupJson[] };
    for (const name of names)
      assert.ok(
        file.groups.some((g) => g.name === name),
        name,
      );
    assert.deepEqual(
      fs.readdirSync(dataDir).filter((f) => f.endsWith('.tmp')),
      [],
      'no temporary file left',
    );
    await Promise.all(names.map((name) => call(server, 'DELETE', `/api/groups/group:${name.toLowerCase().replace(' ', '-')}`, DEMO)));
  });

  describe('a group used as a source id', () => {
    const groupOf = async (name: string, members: string[]): Promise<string> => {
      const res = await call<GroupJson>(server, 'POST', '/api/groups', DEMO, { name, members });
      assert.equal(res.status, 201, JSON.stringify(res.body));
      return res.body.id;
    };

    it('/api/intervals: combine=sum is the sum of the members’ own intervals; without it, one series per member', async () => {
      const members = [kwh[0].id, kwh[1].id, kwh[2].id];
      const id = await groupOf('Three meters', members);
      const calcs = 'calc=consumption,outOfHours&occupied=Mon-Fri 08:00-18:00';
      const alone = await Promise.all(
        members.map((m) => call<IntervalsJson>(server, 'GET', `/api/intervals?id=${m}&${SPAN}&interval=day&${calcs}&output=json`, DEMO)),
      );
      const summed = await call<IntervalsJson>(server, 'GET', `/api/intervals?id=${id}&${SPAN}&interval=day&${calcs}&combine=sum&output=json`, DEMO);
      assert.equal(summed.status, 200, JSON.stringify(summed.body));
      const [group] = summed.body.sources;
      assert.equal(group.id, id);
      assert.equal(group.kind, 'group');
      assert.deepEqual(group.members, members);
      assert.equal(group.intervals.length, 7);
      group.intervals.forEach((interval, i) => {
        const own = alone.map((a) => a.body.sources[0].intervals[i] as unknown as Record<string, number>);
        const row = interval as unknown as Record<string, number>;
        assert.equal(row.consumption, sum(own.map((o) => o.consumption)), `day ${i} consumption`);
        assert.equal(row.outOfHours, sum(own.map((o) => o.outOfHours)), `day ${i} outOfHours`);
        assert.equal(row.periods, sum(own.map((o) => o.periods)));
        assert.equal(row.missing, sum(own.map((o) => o.missing)));
      });
      const perMember = await call<IntervalsJson>(server, 'GET', `/api/intervals?id=${id}&${SPAN}&interval=day&output=json`, DEMO);
      assert.deepEqual(
        perMember.body.sources.map((s) => s.id),
        members,
      );
      assert.deepEqual(
        perMember.body.sources[1].intervals,
        alone[1].body.sources[0].intervals.map(({ outOfHours: _o, ...rest }) => rest),
      );
      const refused = await call<ErrorBody>(server, 'GET', `/api/intervals?id=${id}&${SPAN}&interval=day&calc=max&combine=sum`, DEMO);
      assert.equal(refused.status, 400);
      assert.match(refused.body.error.message, /max of group:three-meters's sum would not be the sum/);
    });

    it('/api/consumption and its batch (=DCS.CONSUMPTION): the sum of the members’ own figures, each member pulled once', async () => {
      const members = [kwh[0].id, kwh[3].id];
      const id = await groupOf('Pair', members);
      const alone = await call<ConsumptionJson>(server, 'GET', `/api/consumption?id=${members.join(',')}&${SPAN}`, DEMO);
      const summed = await call<ConsumptionJson>(server, 'GET', `/api/consumption?id=${id}&${SPAN}&combine=sum`, DEMO);
      assert.equal(summed.status, 200, JSON.stringify(summed.body));
      const [result] = summed.body.results;
      assert.equal(result.id, id);
      assert.deepEqual(result.members, members);
      assert.equal(result.consumption, sum(alone.body.results.map((r) => r.consumption)));
      assert.equal(result.periods, sum(alone.body.results.map((r) => r.periods)));
      const perMember = await call<ConsumptionJson>(server, 'GET', `/api/consumption?id=${id}&${SPAN}`, DEMO);
      assert.deepEqual(perMember.body, alone.body);

      const batch = await call<ConsumptionBatchJson>(server, 'POST', '/api/consumption/batch', DEMO, {
        requests: [
          { id, start: '2024-03-01', end: '2024-03-08', timeZone: 'Europe/London' },
          { id: members[0], start: '2024-03-01', end: '2024-03-08', timeZone: 'Europe/London' },
          { id: 'group:no-such-group', start: '2024-03-01', end: '2024-03-08' },
        ],
      });
      assert.equal(batch.status, 200);
      const [group, member, missing] = batch.body.results;
      assert.ok('result' in group && 'result' in member && 'error' in missing);
      assert.equal(group.result.consumption, result.consumption);
      assert.equal(member.result.consumption, alone.body.results[0].consumption);
      assert.equal(missing.status, 404);
    });

    it('/api/readings: a group stands for its members, each with its own readings (the same bytes as naming them)', async () => {
      const members = [kwh[0].id, kwh[1].id];
      const id = await groupOf('Readings pair', members);
      const viaGroup = await fetch(`${server.url}/api/readings?id=${id}&${SPAN}&output=csv`, { headers: DEMO });
      const direct = await fetch(`${server.url}/api/readings?id=${members.join(',')}&${SPAN}&output=csv`, { headers: DEMO });
      assert.equal(viaGroup.status, 200);
      assert.equal(await viaGroup.text(), await direct.text());
    });

    it('is refused by name (400) where one source is taken: typical day, CUSUM', async () => {
      const id = await groupOf('Sources only', [kwh[0].id]);
      for (const route of [
        `/api/typical-day?id=${id}&${SPAN}`,
        `/api/cusum?id=${id}&temperature=${kwh[1].id}&baselineStart=2024-01-01&baselineEnd=2024-02-01&start=2024-02-01&end=2024-03-01`,
      ]) {
        const res = await call<ErrorBody>(server, 'GET', route, DEMO);
        assert.equal(res.status, 400, `${route}: ${JSON.stringify(res.body)}`);
        assert.match(res.body.error.message, /group:sources-only is a group/);
      }
    });

    it('refuses a sum of members in different units (400, naming each unit)', async () => {
      const id = await groupOf('Mixed', [kwh[0].id, otherUnit.id]);
      const res = await call<ErrorBody>(server, 'GET', `/api/consumption?id=${id}&${SPAN}&combine=sum`, DEMO);
      assert.equal(res.status, 400);
      assert.equal(res.body.error.parameter, 'combine');
      assert.ok(
        res.body.error.message.includes(`kWh: ${kwh[0].id}`) && res.body.error.message.includes(`${otherUnit.unit}: ${otherUnit.id}`),
        res.body.error.message,
      );
      const intervals = await call<ErrorBody>(server, 'GET', `/api/intervals?id=${id}&${SPAN}&combine=sum`, DEMO);
      assert.equal(intervals.status, 400);
    });

    it('gives a user only the members they may read, and refuses (403) a sum that would need one they may not', async () => {
      const id = await groupOf('Partly hidden', [...seenByViewer.map((s) => s.id), hiddenFromViewer.id]);
      const perMember = await call<ConsumptionJson>(server, 'GET', `/api/consumption?id=${id}&${SPAN}`, VIEWER);
      assert.equal(perMember.status, 200);
      assert.deepEqual(
        perMember.body.results.map((r) => r.id),
        seenByViewer.map((s) => s.id),
      );
      for (const route of [`/api/consumption?id=${id}&${SPAN}&combine=sum`, `/api/intervals?id=${id}&${SPAN}&combine=sum`]) {
        const res = await call<ErrorBody>(server, 'GET', route, VIEWER);
        assert.equal(res.status, 403, route);
        assert.match(res.body.error.message, new RegExp(`would include ${hiddenFromViewer.id}, which you may not read`));
      }
      const batch = await call<ConsumptionBatchJson>(server, 'POST', '/api/consumption/batch', VIEWER, {
        requests: [{ id, start: '2024-03-01', end: '2024-03-08' }],
      });
      const [answer] = batch.body.results;
      assert.ok('error' in answer && answer.status === 403);
      const demo = await call<ConsumptionJson>(server, 'GET', `/api/consumption?id=${id}&${SPAN}&combine=sum`, DEMO);
      assert.equal(demo.status, 200, 'the creator may read every member');
    });
  });
});

describe('groups kept in a file survive a restart', () => {
  it('reads back what the previous server wrote', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-groups-'));
    try {
      let server = await startTestServer({ dataDir });
      const sources = (await call<Source[]>(server, 'GET', '/api/sources', DEMO)).body;
      await call(server, 'POST', '/api/groups', DEMO, { name: 'Kept', members: [sources[0].id] });
      await server.close();
      server = await startTestServer({ dataDir });
      const listed = await call<GroupsJson>(server, 'GET', '/api/groups', DEMO);
      assert.deepEqual(
        listed.body.groups.map((g) => [g.id, g.members]),
        [['group:kept', [sources[0].id]]],
      );
      await server.close();
    } finally {
      fs.rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
