/**
 * The session's catalogue is fetched once and serves every surface that lists or checks sources:
 * GET /api/sources, OData's Sources, Meters and VirtualMeters and its credential check, and the
 * consumption and intervals calculations.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Source } from '../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { type ApiErrorBody, getJson, signIn, startTestServer, type TestServer } from '../server/helpers';

describe('the catalogue (server/catalogue)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  it('asks DCS once for meters and once for virtual meters, whichever surfaces list them', async () => {
    const { cookie } = await signIn(server.url);
    const headers = { Cookie: cookie };
    const before = server.simulator!.requestCount;
    const sources = await getJson<Source[]>(`${server.url}/api/sources`, headers);
    const odataSources = await getJson<{ value: { Id: string }[] }>(`${server.url}/odata/Sources`, headers);
    const meters = await getJson<{ value: { Id: number; RegisterCount: number }[] }>(`${server.url}/odata/Meters`, headers);
    const virtualMeters = await getJson<{ value: { SourceId: string }[] }>(`${server.url}/odata/VirtualMeters`, headers);
    await getJson(`${server.url}/odata/`, headers);
    // Two DCS calls in all: GET meters and GET virtualmeters, each once.
    assert.equal(server.simulator!.requestCount - before, 2);

    // Every listing is the same estate: the registers of the meters plus the virtual meters.
    const registerCount = meters.body.value.reduce((n, m) => n + m.RegisterCount, 0);
    assert.equal(sources.body.length, registerCount + virtualMeters.body.value.length);
    assert.deepEqual(
      odataSources.body.value.map((s) => s.Id),
      sources.body.map((s) => s.id),
    );
    assert.deepEqual(
      sources.body.filter((s) => s.kind === 'virtualMeter').map((s) => s.id),
      virtualMeters.body.value.map((vm) => vm.SourceId),
    );
  });

  it('answers an id the caller cannot see with 404 not_found naming id, without asking DCS for readings', async () => {
    const { cookie } = await signIn(server.url, 'viewer', 'viewer');
    const visible = (await getJson<Source[]>(`${server.url}/api/sources`, { Cookie: cookie })).body.map((s) => s.id);
    const hidden = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
    assert.ok(!visible.includes(hidden), 'the demo viewer cannot see this register');
    const before = server.simulator!.requestCount;
    const res = await getJson<ApiErrorBody>(`${server.url}/api/consumption?id=${hidden}&start=2025-01-01&end=2025-02-01`, { Cookie: cookie });
    assert.equal(res.status, 404);
    assert.equal(res.body.error.code, 'not_found');
    assert.equal(res.body.error.parameter, 'id');
    assert.match(res.body.error.message, new RegExp(`no source ${hidden}`));
    assert.equal(server.simulator!.requestCount, before, 'the cached catalogue answered');
  });
});
