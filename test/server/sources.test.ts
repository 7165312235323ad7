import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Health, Source } from '../../server/api/types';
import { projectVersion } from '../../server/config';
import { DEMO_FEATURES } from 'dcs-simulator';
import { type ApiErrorBody, getJson, signIn, startTestServer, type TestServer } from './helpers';

describe('GET /api/health and /api/sources', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('reports status, the simulator, public access and the version; the DCS in use only to a signed-in caller', async () => {
    const res = await getJson<Health>(`${server.url}/api/health`);
    assert.equal(res.status, 200);
    assert.deepEqual(res.body, {
      status: 'ok',
      simulator: true,
      publicAccess: true,
      version: projectVersion(),
    });
    const session = await signIn(server.url);
    const signedIn = await getJson<Health>(`${server.url}/api/health`, { Cookie: session.cookie });
    assert.equal(signedIn.body.dcsUrl, server.simulator!.url);
  });

  it('lists every register (with its meter) and every virtual meter, with ids usable for readings', async () => {
    const res = await getJson<Source[]>(`${server.url}/api/sources`);
    assert.equal(res.status, 200);
    const register = res.body.find((s) => s.id === `R${DEMO_FEATURES.electricityRegisterId}`);
    assert.ok(register, 'the Main Library electricity register is listed');
    assert.equal(register.kind, 'register');
    assert.equal(register.unit, 'kWh');
    assert.equal(register.isInstantaneous, false);
    assert.equal(typeof register.meter?.id, 'number');
    assert.match(register.meter?.name ?? '', /Library/);
    const vm = res.body.find((s) => s.id === `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`);
    assert.ok(vm);
    assert.deepEqual(Object.keys(vm).sort(), ['id', 'isInstantaneous', 'kind', 'name', 'unit']);
    assert.equal(vm.kind, 'virtualMeter');
    assert.equal(vm.name, 'Campus Electricity Import');
    const power = res.body.find((s) => s.id === `R${DEMO_FEATURES.instantaneousRegisterId}`);
    assert.equal(power?.isInstantaneous, true);
    for (const source of res.body) assert.match(source.id, /^(R|VM)\d+$/);
  });

  it('filters by q on register, meter and virtual-meter names, ignoring case', async () => {
    const all = (await getJson<Source[]>(`${server.url}/api/sources`)).body;
    const library = (await getJson<Source[]>(`${server.url}/api/sources?q=LiBrArY`)).body;
    assert.ok(library.length > 0 && library.length < all.length);
    for (const s of library) assert.match(`${s.name} ${s.meter?.name ?? ''}`, /library/i);
    assert.ok(
      library.some((s) => s.id === `R${DEMO_FEATURES.electricityRegisterId}`),
      'matched through its meter name',
    );
    const campus = (await getJson<Source[]>(`${server.url}/api/sources?q=campus electricity`)).body;
    assert.ok(campus.some((s) => s.id === `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`));
    assert.deepEqual((await getJson<Source[]>(`${server.url}/api/sources?q=no-such-thing-zz`)).body, []);
  });

  it('refuses q given twice, and answers unknown /api paths with 404 ApiError', async () => {
    const twice = await getJson<ApiErrorBody>(`${server.url}/api/sources?q=a&q=b`);
    assert.equal(twice.status, 400);
    assert.equal(twice.body.error.parameter, 'q');
    const missing = await getJson<ApiErrorBody>(`${server.url}/api/nothing-here`);
    assert.equal(missing.status, 404);
    assert.equal(missing.body.error.code, 'not_found');
  });
});
