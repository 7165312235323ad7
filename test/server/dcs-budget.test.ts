/**
 * What one request may cost DCS: never a period after now, and never more calls than
 * DCS_CALL_BUDGET (refused up front with 400 saying the estimate and how to narrow it), for
 * /api/readings and for OData scans alike.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { checkDcsBudget, estimateDcsCost } from '../../server/http/dcs-budget';
import { HttpError } from '../../server/http/errors';
import { getJson, SIMULATOR_NOW, startTestServer, type ApiErrorBody, type TestServer } from './helpers';

const NOW = SIMULATOR_NOW.getTime();

function simulatorRequests(server: TestServer): number {
  return server.simulator!.requestCount;
}

/** Reading lines of an ndjson answer (without the source header and end record). */
function readingLines(text: string): string[] {
  return text.split('\n').filter((line) => line.startsWith('{"id":'));
}

describe('never asking DCS for periods after now', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ now: () => NOW });
    // The caller's source list (two DCS calls, kept a minute) is loaded once up front, so the
    // counts below are the readings calls alone.
    await getJson(`${server.url}/api/sources`);
  });
  after(() => server.close());

  it('costs only the windows up to now for end=9999-12-31, with the same rows as asking up to now', async () => {
    const before = simulatorRequests(server);
    const far = await fetch(`${server.url}/api/readings?id=R1001&start=2025-01-01&end=9999-12-31&output=ndjson`);
    const farText = await far.text();
    assert.equal(far.status, 200);
    assert.equal(simulatorRequests(server) - before, 1, 'one DCS call: 2025-01-01 to now fits one window');
    assert.match(farText, /\{"end":\{"sources":1,"readings":7248\}\}\n$/, "151 days of half-hours, to the simulator's now");
    const upToNow = await (await fetch(`${server.url}/api/readings?id=R1001&start=2025-01-01&end=2025-06-01&output=ndjson`)).text();
    assert.deepEqual(readingLines(farText), readingLines(upToNow));
  });

  it('asks OData feeds for nothing after now either', async () => {
    const before = simulatorRequests(server);
    const res = await getJson<{ value: unknown[] }>(
      `${server.url}/odata/Readings?$filter=SourceId eq 'R1001' and Timestamp ge 2025-05-31T00:00:00Z and Timestamp lt 9999-01-01T00:00:00Z&periodType=day`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.value.length, 1, "the day in progress at the simulator's now is the last");
    assert.equal(simulatorRequests(server) - before, 1);
  });
});

describe('a DCS call budget per request (DCS_CALL_BUDGET)', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ now: () => NOW, dcsCallBudget: 20 });
    await getJson(`${server.url}/api/sources`);
  });
  after(() => server.close());

  it('refuses a readings request over budget with 400 naming the estimate and how to narrow it, before asking DCS', async () => {
    const before = simulatorRequests(server);
    const res = await getJson<ApiErrorBody>(`${server.url}/api/readings?id=R1001,R1002&start=2000-01-01&end=2025-01-01`);
    assert.equal(res.status, 400);
    assert.equal(res.body.error.code, 'bad_request');
    assert.equal(res.body.error.parameter, 'end');
    assert.match(res.body.error.message, /2 sources × 26 calls each = 52 DCS calls/);
    assert.match(res.body.error.message, /over the limit of 20 calls per request \(DCS_CALL_BUDGET\)/);
    assert.match(res.body.error.message, /an end no later than 2009-12-29\)/);
    assert.doesNotMatch(res.body.error.message, /sources at a time/, 'one source alone would still be over budget');
    assert.equal(simulatorRequests(server) - before, 0, 'DCS was not asked at all');
    const narrowed = await fetch(`${server.url}/api/readings?id=R1001,R1002&start=2000-01-01&end=2009-12-29&output=ndjson`);
    assert.equal(narrowed.status, 200, 'the end suggested fits the budget');
    await narrowed.text();
  });

  it('lets a request within budget through, counting only periods up to now', async () => {
    const res = await fetch(`${server.url}/api/readings?id=R1001,R1002&start=2020-01-01&end=9999-12-31&output=ndjson`);
    assert.equal(res.status, 200, 'about 6 windows × 2 sources, not 8,000 × 2');
    assert.match(await res.text(), /\{"end":\{"sources":2,/);
  });

  it('refuses an OData count or value filter whose scan is over budget, and serves plain pages of the same span', async () => {
    const century = "SourceId eq 'R1001' and Timestamp ge 1925-01-01T00:00:00Z and Timestamp lt 2025-01-01T00:00:00Z";
    for (const url of [
      `/odata/Readings/$count?$filter=${century}`,
      `/odata/Readings?$filter=${century} and Value gt 1000000000000`,
      `/odata/Readings?$filter=${century}&$count=true`,
    ]) {
      const before = simulatorRequests(server);
      const res = await getJson<{ error: { code: string; message: string; target?: string } }>(`${server.url}${url}`);
      assert.equal(res.status, 400, url);
      assert.equal(res.body.error.target, '$filter');
      assert.match(res.body.error.message, /would cost about \d+ DCS calls .*DCS_CALL_BUDGET.*shorter span \(an end no later than \d{4}-\d\d-\d\d\)/);
      assert.equal(simulatorRequests(server) - before, 0, `${url} did not reach DCS`);
    }
    const page = await getJson<{ value: unknown[] }>(`${server.url}/odata/Readings?$filter=${century}&$top=3`);
    assert.equal(page.status, 200, 'a page that stops at its rows costs one call');
    assert.equal(page.body.value.length, 3);
  });
});

describe('estimating the DCS cost of a request', () => {
  const day = (iso: string): number => Date.parse(`${iso}T00:00:00Z`);

  it('counts windows × sources as the client will ask for them, up to now', () => {
    const base = { periodType: 'halfHour' as const, maxWindowDays: 365, now: NOW };
    assert.deepEqual(estimateDcsCost({ ...base, sources: 3, startMs: day('2024-01-01'), endMs: day('2025-01-01') }), {
      calls: 6,
      windows: 2,
      endMs: day('2025-01-01'),
    });
    const far = estimateDcsCost({ ...base, sources: 1, startMs: day('2025-01-01'), endMs: day('9999-12-31') });
    assert.equal(far.calls, 1);
    assert.equal(far.endMs, day('2025-06-01') + 30 * 60_000, 'the half-hour in progress (with clock skew allowed) is the last');
    assert.equal(estimateDcsCost({ ...base, sources: 2, startMs: day('3000-01-01'), endMs: day('3001-01-01') }).calls, 2, 'one call each for the header');
    assert.equal(
      estimateDcsCost({ ...base, sources: 1, startMs: day('2025-01-01'), endMs: day('2025-02-01'), periodsPerCall: 100 }).calls,
      15,
      'pages of 100 half-hours',
    );
  });

  it('throws a 400 HttpError naming the parameter given', () => {
    assert.throws(
      () =>
        checkDcsBudget({
          sources: 1,
          startMs: day('1900-01-01'),
          endMs: day('2025-01-01'),
          periodType: 'day',
          maxWindowDays: 365,
          budget: 100,
          now: NOW,
          parameter: 'period',
        }),
      (error: unknown) =>
        error instanceof HttpError &&
        error.status === 400 &&
        error.parameter === 'period' &&
        /^period: this request would cost about 126 DCS calls/.test(error.message),
    );
  });
});

describe('the budget with the span cap DCS enforces', () => {
  let server: TestServer;
  const BUDGET = 5;
  before(async () => {
    // DCS caps one call at 31 days; the server is configured for 365-day windows.
    server = await startTestServer({ now: () => NOW, dcsCallBudget: BUDGET, simulator: { rangeLimitDays: 31 } });
    await getJson(`${server.url}/api/sources`);
  });
  after(() => server.close());

  /** A request's status and the DCS calls it made. */
  async function cost(path: string): Promise<{ status: number; calls: number; body: string }> {
    const before = simulatorRequests(server);
    const res = await fetch(`${server.url}${path}`);
    const body = await res.text();
    return { status: res.status, calls: simulatorRequests(server) - before, body };
  }

  it('stops a pull as soon as the cap DCS enforces makes it cost more than the budget', async () => {
    // Nothing learned yet: 200 days look like 1 call at 365-day windows; DCS refuses, and 7 are needed.
    const first = await cost('/api/readings?id=R1001&start=2024-01-01&end=2024-07-19&output=ndjson');
    assert.deepEqual([first.status, first.calls], [400, 1], 'the refused call alone');
    assert.match(first.body, /about 7 DCS calls per source.*DCS_CALL_BUDGET/);
  });

  it('estimates with the cap the client learned, so no request makes more DCS calls than the budget', async () => {
    // Learning the cap (already learned by the test above, when run with it): 62 days are asked as one 365-day window, refused, then two 31-day ones.
    const learning = await cost('/api/readings?id=R1001&start=2024-01-01&end=2024-03-03&output=ndjson');
    assert.equal(learning.status, 200);
    assert.ok(learning.calls <= 3);
    // 200 days: 1 call at 365-day windows, but 7 at the 31 days DCS allows: over the budget of 5.
    const wide = await cost('/api/readings?id=R1001&start=2024-01-01&end=2024-07-19&output=ndjson');
    assert.deepEqual([wide.status, wide.calls], [400, 0]);
    assert.match(wide.body, /about 7 DCS calls.*DCS_CALL_BUDGET/);
    const ancient = await cost('/api/readings?id=R1001&start=1100-01-01&end=2025-01-01&output=ndjson');
    assert.deepEqual([ancient.status, ancient.calls], [400, 0]);
    // Within the budget at 31 days: 5 windows, 5 calls.
    const fits = await cost('/api/readings?id=R1001&start=2024-01-01&end=2024-06-04&output=ndjson');
    assert.deepEqual([fits.status, fits.calls], [200, 5]);
    const intervals = await cost('/api/intervals?id=R1001&start=2024-01-01&end=2024-07-19&interval=month');
    assert.deepEqual([intervals.status, intervals.calls], [400, 0]);
  });
});
