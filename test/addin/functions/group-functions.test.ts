/**
 * =DCS.CONSUMPTION and =DCS.INTERVALS given a group id, against a real server: the cell shows the
 * sum of the members' own figures, each asked for alone through the same functions.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Source } from '../../../server/api/types';
import { ApiClient } from '../../../addin/api/client';
import type { Fetch } from '../../../addin/api/http';
import { Session } from '../../../addin/api/session';
import * as fns from '../../../addin/functions/cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from '../../../addin/functions/consumption-api';
import { httpIntervalsApi } from '../../../addin/functions/intervals-api';
import { intervals } from '../../../addin/functions/intervals-function';
import { startTestServer, type TestServer } from '../../server/helpers';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

describe('the cell functions given a group id', () => {
  let server: TestServer;
  let dataDir: string;
  let ctx: fns.FunctionsContext;
  let members: string[];

  before(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-group-fns-'));
    server = await startTestServer({ logLevel: 'warn', dataDir });
    const fetch = globalThis.fetch.bind(globalThis) as unknown as Fetch;
    const session = new Session();
    const client = new ApiClient({ baseUrl: `${server.url}/`, fetch, session });
    await client.signIn('demo', 'demo');
    ctx = {
      session,
      consumption: new ConsumptionMemo(httpConsumptionApi(client, fetch)),
      api: { sources: async () => [], readings: async function* () {} },
      intervals: httpIntervalsApi(client, fetch),
      defaultTimeZone: () => 'Europe/London',
    };
    const sources = (await (await fetch(`${server.url}/api/sources`, { headers: session.authorizationHeaders() })).json()) as Source[];
    members = sources
      .filter((s) => s.kind === 'register' && s.unit === 'kWh' && !s.isInstantaneous)
      .slice(0, 3)
      .map((s) => s.id);
    const made = await fetch(`${server.url}/api/groups`, {
      method: 'POST',
      headers: { ...session.authorizationHeaders(), 'Content-Type': 'application/json' },
      body: JSON.stringify({ name: 'Engineering elec', members }),
    });
    assert.equal(made.status, 201);
  });
  after(async () => {
    await server.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('=DCS.CONSUMPTION("group:engineering-elec", ...) is the sum of each member’s =DCS.CONSUMPTION', async () => {
    const group = await fns.consumption(ctx, 'Group:Engineering-Elec', '2024-04-01', '2024-05-01', 'Europe/London');
    const own = await Promise.all(members.map((id) => fns.consumption(ctx, id, '2024-04-01', '2024-05-01', 'Europe/London')));
    assert.ok(group > 0);
    assert.equal(group, Number(own.reduce((a, b) => a + b, 0).toPrecision(12)));
  });

  it('=DCS.INTERVALS("group:engineering-elec", ...) spills one column per member', async () => {
    const table = await intervals(ctx, 'group:engineering-elec', '2024-04-01', '2024-04-03', 'day', 'consumption', 'Europe/London');
    assert.equal(table.length, 4, 'a header and three days');
    assert.equal(table[0].length, 1 + members.length);
    members.forEach((id, i) => assert.match(JSON.stringify(table[0][i + 1]), new RegExp(id)));
  });
});
