import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as zlib from 'node:zlib';
import { DEMO_FEATURES, RunningSimulator } from '../src';
import { details, get, request, signIn, start } from './helpers';

const R = `R${DEMO_FEATURES.electricityRegisterId}`;
const INSTANT = `R${DEMO_FEATURES.instantaneousRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const INSTANT_VM = `VM${DEMO_FEATURES.instantaneousVirtualMeterId}`;

describe('simulator: /readings refuses what a real DCS refuses', () => {
  let sim: RunningSimulator;
  let cookie: string;
  before(async () => {
    sim = await start();
    cookie = await signIn(sim);
  });
  after(() => sim.close());

  async function refusal(query: string): Promise<string> {
    const answer = await get(sim, `readings?${query}`, cookie);
    assert.equal(answer.status, 400, `${query} answered ${answer.status}: ${answer.text}`);
    assert.match(String(answer.headers['content-type']), /application\/json/);
    return details(answer);
  }

  it('requires start and end aligned to the period type (UTC)', async () => {
    const cases: Array<[string, string]> = [
      ['halfHour', '2025-01-01T00:15:00Z'],
      ['halfHour', '2025-01-01T00:30:10Z'],
      ['hour', '2025-01-01T00:30:00Z'],
      ['day', '2025-01-01T01:00:00Z'],
      ['week', '2025-01-01T00:00:00Z'], // a Wednesday
      ['month', '2025-01-02T00:00:00Z'],
    ];
    for (const [periodType, startTime] of cases) {
      assert.match(
        await refusal(`id=${R}&periodType=${periodType}&startTime=${startTime}&periodCount=2`),
        /not consistent with periodType/,
        `${periodType} ${startTime}`,
      );
    }
    assert.match(await refusal(`id=${R}&periodType=day&startTime=2025-01-01T00:00:00Z&endTime=2025-01-05T12:00:00Z`), /endTime/);
  });

  it('accepts aligned starts for every period type', async () => {
    const aligned: Array<[string, string]> = [
      ['halfHour', '2025-01-01T00:30:00Z'],
      ['hour', '2025-01-01T05:00:00Z'],
      ['day', '2025-01-01T00:00:00Z'],
      ['week', '2025-01-06T00:00:00Z'], // a Monday
      ['month', '2025-02-01T00:00:00Z'],
    ];
    for (const [periodType, startTime] of aligned) {
      assert.equal((await get(sim, `readings?id=${R}&periodType=${periodType}&startTime=${startTime}&periodCount=2`, cookie)).status, 200, periodType);
    }
  });

  it('requires exactly two of startTime, endTime and periodCount', async () => {
    assert.match(await refusal(`id=${R}&startTime=2025-01-01T00:00:00Z`), /Exactly two/);
    assert.match(await refusal(`id=${R}&periodCount=3`), /Exactly two/);
    assert.match(await refusal(`id=${R}`), /Exactly two/);
    assert.match(await refusal(`id=${R}&startTime=2025-01-01T00:00:00Z&endTime=2025-01-02T00:00:00Z&periodCount=48`), /Exactly two/);
  });

  it('refuses missing, malformed and unknown ids, including a meter id', async () => {
    assert.match(await refusal('startTime=2025-01-01T00:00:00Z&periodCount=1'), /id parameter is required/);
    for (const id of ['1001', 'M101', 'R', 'VMx', 'R10.5']) {
      assert.match(await refusal(`id=${id}&startTime=2025-01-01T00:00:00Z&periodCount=1`), /not a valid id/, id);
    }
    assert.match(await refusal('id=R999999&startTime=2025-01-01T00:00:00Z&periodCount=1'), /Register 999999 .*does not exist/);
    assert.match(await refusal('id=VM1000&startTime=2025-01-01T00:00:00Z&periodCount=1'), /Virtual meter 1000 .*does not exist/);
  });

  it('reads ids in any case', async () => {
    const q = 'startTime=2025-01-01T00:00:00Z&periodCount=2';
    const upper = (await get(sim, `readings?id=${R}&${q}`, cookie)).text;
    assert.equal((await get(sim, `readings?id=${R.toLowerCase()}&${q}`, cookie)).text, upper);
    const vm = (await get(sim, `readings?id=${VM}&${q}`, cookie)).text;
    assert.equal((await get(sim, `readings?id=${VM.toLowerCase()}&${q}`, cookie)).text, vm);
    assert.equal((await get(sim, `readings?id=Vm${DEMO_FEATURES.cumulativeVirtualMeterId}&${q}`, cookie)).text, vm);
  });

  it('accepts what pythondcs sends: lower-case periodType, True/False, parameter names in any case', async () => {
    const answer = await get(
      sim,
      `readings?ID=${R}&STARTTIME=2025-01-01T00:00:00Z&periodcount=2&periodType=halfhour&calibrated=True&interpolated=False&format=standard`,
      cookie,
    );
    assert.equal(answer.status, 200, answer.text);
    assert.equal(JSON.parse(answer.text).periodType, 'halfHour');
  });

  it('allows only halfHour for instantaneous registers and virtual meters', async () => {
    assert.match(await refusal(`id=${INSTANT}&periodType=hour&startTime=2025-01-01T00:00:00Z&periodCount=1`), /instantaneous.*halfHour/);
    assert.match(await refusal(`id=${INSTANT_VM}&periodType=day&startTime=2025-01-01T00:00:00Z&periodCount=1`), /instantaneous.*halfHour/);
  });

  it('allows format=complete for registers only', async () => {
    assert.match(await refusal(`id=${VM}&format=complete&startTime=2025-01-01T00:00:00Z&periodCount=1`), /complete is not valid for virtual meters/);
    assert.equal((await get(sim, `readings?id=${R}&format=complete&startTime=2025-01-01T00:00:00Z&periodCount=1`, cookie)).status, 200);
  });

  it('refuses unknown period types, formats, booleans, dates and period counts, naming the valid forms', async () => {
    assert.match(await refusal(`id=${R}&periodType=minute&startTime=2025-01-01T00:00:00Z&periodCount=1`), /halfHour, hour, day, week, month/);
    assert.match(await refusal(`id=${R}&format=csv&startTime=2025-01-01T00:00:00Z&periodCount=1`), /standard or complete/);
    assert.match(await refusal(`id=${R}&calibrated=yes&startTime=2025-01-01T00:00:00Z&periodCount=1`), /true or false/);
    assert.match(await refusal(`id=${R}&startTime=01/02/2025&periodCount=1`), /yyyy-MM-ddTHH:mm:ssZ/);
    assert.match(await refusal(`id=${R}&startTime=2025-02-30T00:00:00Z&periodCount=1`), /not a valid date-time/);
    for (const count of ['0', '-3', '2.5', 'x']) {
      assert.match(await refusal(`id=${R}&startTime=2025-01-01T00:00:00Z&periodCount=${count}`), /periodCount/, count);
    }
    assert.match(await refusal(`id=${R}&startTime=2025-01-02T00:00:00Z&endTime=2025-01-01T00:00:00Z`), /must be after/);
  });

  it('answers 404 with JSON details for an unknown path, and 405 for a wrong method', async () => {
    const missing = await get(sim, 'status');
    assert.equal(missing.status, 404);
    assert.match(details(missing), /No such endpoint/);
    const wrongMethod = await get(sim, 'authentication/signin');
    assert.equal(wrongMethod.status, 405);
    assert.equal(wrongMethod.headers.allow, 'POST');
  });
});

describe('simulator: span cap', () => {
  it('refuses a span over rangeLimitDays with 400 saying it is too long and what the maximum is', async () => {
    const sim = await start({ rangeLimitDays: 30 });
    try {
      const tooLong = await get(sim, `public/readings?id=${R}&startTime=2025-01-01T00:00:00Z&endTime=2025-02-01T00:00:00Z`);
      assert.equal(tooLong.status, 400);
      assert.match(details(tooLong), /too long.*31 days.*maximum allowed is 30 days/);
      const atCap = await get(sim, `public/readings?id=${R}&startTime=2025-01-01T00:00:00Z&endTime=2025-01-31T00:00:00Z`);
      assert.equal(atCap.status, 200);
      const byCount = await get(sim, `public/readings?id=${R}&endTime=2025-06-01T00:00:00Z&periodCount=2&periodType=month`);
      assert.equal(byCount.status, 400);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: meter restrictions', () => {
  let sim: RunningSimulator;
  let viewer: string;
  before(async () => {
    sim = await start();
    viewer = await signIn(sim, 'viewer');
  });
  after(() => sim.close());

  const q = 'startTime=2025-01-01T00:00:00Z&periodCount=2';

  it('answers 403 with details when viewer reads a register or virtual meter outside its profile', async () => {
    for (const id of [`R${DEMO_FEATURES.viewerForbiddenRegisterId}`, `VM${DEMO_FEATURES.viewerForbiddenVirtualMeterId}`]) {
      const answer = await get(sim, `readings?id=${id}&${q}`, viewer);
      assert.equal(answer.status, 403, id);
      assert.match(details(answer), /restriction profile of "viewer" does not allow/);
    }
  });

  it('lets viewer read its own registers and virtual meters', async () => {
    for (const id of [`R${DEMO_FEATURES.viewerAllowedRegisterId}`, `VM${DEMO_FEATURES.viewerAllowedVirtualMeterId}`]) {
      assert.equal((await get(sim, `readings?id=${id}&${q}`, viewer)).status, 200, id);
    }
  });
});

describe('simulator: compression', () => {
  let sim: RunningSimulator;
  before(async () => {
    sim = await start();
  });
  after(() => sim.close());

  for (const encoding of ['gzip', 'deflate'] as const) {
    it(`${encoding}-encodes listings and readings when Accept-Encoding asks`, async () => {
      for (const path of ['public/meters', `public/readings?id=${R}&startTime=2025-01-01T00:00:00Z&periodCount=500`]) {
        const answer = await get(sim, path, undefined, { 'Accept-Encoding': encoding });
        assert.equal(answer.headers['content-encoding'], encoding, path);
        const decoded = encoding === 'gzip' ? zlib.gunzipSync(answer.raw) : zlib.inflateSync(answer.raw);
        assert.ok(decoded.length > answer.raw.length, 'compressed');
        assert.ok(JSON.parse(decoded.toString('utf8')));
      }
    });
  }

  it('sends plain JSON when the caller does not accept compression (or refuses it with q=0)', async () => {
    for (const accept of [undefined, 'identity', 'gzip;q=0, deflate;q=0']) {
      const answer = await request(sim.url + 'public/meters', { headers: accept ? { 'Accept-Encoding': accept } : {} });
      assert.equal(answer.headers['content-encoding'], undefined, String(accept));
      assert.ok(Array.isArray(JSON.parse(answer.raw.toString('utf8'))));
    }
  });
});
