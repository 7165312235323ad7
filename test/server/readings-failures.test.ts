import assert from 'node:assert/strict';
import * as http from 'node:http';
import { after, before, describe, it } from 'node:test';
import type { NdjsonRecord } from '../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { type ApiErrorBody, getJson, rawGet, signIn, startTestServer, type TestServer, waitFor } from './helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
/** 121 days of half-hours (5808 readings) in windows of at most 30 days: 5 DCS calls of ~80 KB of ndjson each. */
const LONG = `id=${ELEC}&start=2024-01-01&end=2024-05-01`;

describe('GET /api/readings when DCS fails', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsMaxWindowDays: 30, dcsTimeoutMs: 500 });
  });
  after(() => server.close());
  const sim = () => server.simulator!;

  it('answers 502 dcs_failed (not a broken 200) when DCS fails before any row was sent', async () => {
    sim().setFaults({ failEveryNth: 1, failStatus: 500 });
    try {
      const res = await getJson<ApiErrorBody>(`${server.url}/api/readings?${LONG}&output=csv`);
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, 'dcs_failed');
      assert.match(res.body.error.message, /DCS failed .*500/);
    } finally {
      sim().setFaults({});
    }
  });

  it('answers 504 dcs_timeout when DCS does not answer in time', async () => {
    sim().setFaults({ latencyMs: 2000 });
    try {
      const res = await getJson<ApiErrorBody>(`${server.url}/api/readings?id=${ELEC}&start=2024-01-01&end=2024-01-02`);
      assert.equal(res.status, 504);
      assert.equal(res.body.error.code, 'dcs_timeout');
    } finally {
      sim().setFaults({});
    }
  });

  it('ends an ndjson stream that fails midway with an error record and an aborted connection', async () => {
    sim().setFaults({ failEveryNth: 3, failStatus: 500 });
    try {
      const res = await rawGet(`${server.url}/api/readings?${LONG}`, { Accept: 'application/x-ndjson' });
      assert.equal(res.status, 200, 'rows were already on their way when DCS failed');
      assert.equal(res.complete, false, 'the HTTP body must not end cleanly');
      assert.ok(res.error, 'the HTTP client reports the broken connection');
      const lines = res.body
        .trimEnd()
        .split('\n')
        .map((l) => JSON.parse(l) as NdjsonRecord);
      assert.ok('source' in lines[0]);
      const rows = lines.filter((l) => 'timestamp' in l);
      assert.ok(rows.length >= 1000 && rows.length < 5808, `${rows.length} rows before the failure`);
      const last = lines[lines.length - 1];
      assert.ok('error' in last, `last line is ${JSON.stringify(last)}`);
      assert.equal(last.error.code, 'dcs_failed');
      assert.ok(!lines.some((l) => 'end' in l), 'no end record');
    } finally {
      sim().setFaults({});
    }
  });

  it('cuts csv and json bodies off the same way, so neither reads as a complete table', async () => {
    for (const output of ['csv', 'json']) {
      sim().setFaults({ failEveryNth: 3, failStatus: 500 });
      try {
        const res = await rawGet(`${server.url}/api/readings?${LONG}&output=${output}`);
        assert.equal(res.status, 200);
        assert.equal(res.complete, false, `${output} body must not end cleanly`);
        assert.ok(res.body.length > 64 * 1024, `${output}: rows were sent before the failure`);
        if (output === 'json') assert.throws(() => JSON.parse(res.body));
      } finally {
        sim().setFaults({});
      }
    }
    // fetch() callers see it too: reading the body rejects.
    sim().setFaults({ failEveryNth: 3, failStatus: 500 });
    try {
      const res = await fetch(`${server.url}/api/readings?${LONG}&output=csv`);
      assert.equal(res.status, 200);
      await assert.rejects(res.text());
    } finally {
      sim().setFaults({});
    }
  });

  it('pauses the DCS pull while the reader is not reading, and loses nothing when it resumes', async () => {
    // 20 years of half-hours in 30-day windows: ~244 DCS calls, ~25 MB of ndjson.
    const url = `${server.url}/api/readings?id=${ELEC}&start=2000-01-01&end=2020-01-01&output=ndjson`;
    const before = sim().requestCount;
    const totalWindows = Math.ceil(7305 / 30);
    const result = await new Promise<{ stalledAt: number; lines: number; last: string }>((resolve, reject) => {
      const req = http.get(url, { agent: false }, (res) => {
        let pending = '';
        let lines = 0;
        let last = '';
        const onData = (chunk: Buffer): void => {
          const text = pending + chunk.toString('utf8');
          const parts = text.split('\n');
          pending = parts.pop() ?? '';
          lines += parts.length;
          if (parts.length > 0) last = parts[parts.length - 1];
        };
        res.once('data', (chunk: Buffer) => {
          onData(chunk);
          res.pause();
          void waitUntilStill(() => sim().requestCount).then((stalledAt) => {
            res.on('data', onData);
            res.on('end', () => resolve({ stalledAt, lines, last }));
            res.resume();
          });
        });
        res.on('error', reject);
      });
      req.on('error', reject);
    });
    const callsWhilePaused = result.stalledAt - before;
    if (process.env.SHOW_FIGURES) console.log(`paused reader: DCS calls stalled at ${callsWhilePaused}/${totalWindows}`);
    assert.ok(callsWhilePaused < totalWindows / 2, `the pull stopped after ${callsWhilePaused} of ${totalWindows} DCS calls while the reader was paused`);
    const expected = (Date.UTC(2020, 0, 1) - Date.UTC(2000, 0, 1)) / 1_800_000;
    assert.equal(result.lines, 1 + expected + 1, 'header, every reading and the end record arrived after resuming');
    assert.deepEqual(JSON.parse(result.last), { end: { sources: 1, readings: expected } });
  });

  it('streams rows as DCS sends them: the first rows arrive long before a slow pull ends', async () => {
    sim().setFaults({ latencyMs: 250 });
    try {
      // 90 days in 30-day windows: three DCS calls, each 250 ms slow.
      const url = `${server.url}/api/readings?id=${ELEC}&start=2024-01-01&end=2024-03-31&output=csv`;
      const before = sim().requestCount;
      const started = Date.now();
      const { callsAtFirstData, ended } = await new Promise<{ callsAtFirstData: number; ended: number }>((resolve, reject) => {
        let callsAtFirstData = 0;
        http
          .get(url, { agent: false }, (res) => {
            res.on('data', () => {
              callsAtFirstData ||= sim().requestCount - before;
            });
            res.on('end', () => resolve({ callsAtFirstData, ended: Date.now() - started }));
            res.on('error', reject);
          })
          .on('error', reject);
      });
      assert.ok(ended >= 750, `three slow DCS calls took ${ended} ms`);
      // Ordered by events, not timed: the first rows were on their way before DCS was asked for the last window.
      assert.ok(callsAtFirstData < 3, `the first rows arrived after ${callsAtFirstData} of the 3 DCS calls had been made`);
    } finally {
      sim().setFaults({});
    }
  });

  it('closes the DCS stream when the caller goes away, so the session can be used again at once', async () => {
    const session = await signIn(server.url);
    const before = sim().requestCount;
    await new Promise<void>((resolve, reject) => {
      const req = http.get(
        `${server.url}/api/readings?id=${ELEC}&start=2000-01-01&end=2020-01-01&output=csv`,
        { headers: { Cookie: session.cookie }, agent: false },
        (res) => {
          res.once('data', () => {
            req.destroy();
            resolve();
          });
        },
      );
      req.on('error', (e) => ((e as NodeJS.ErrnoException).code === 'ECONNRESET' ? undefined : reject(e)));
    });
    const next = await getJson(`${server.url}/api/readings?id=${ELEC}&start=2024-01-01&end=2024-01-02`, { Cookie: session.cookie });
    assert.equal(next.status, 200);
    // Counted, not timed: had the next request waited for the abandoned pull to finish, DCS would
    // have been asked for all of its 244 windows first.
    const calls = sim().requestCount - before;
    assert.ok(calls < 100, `the next request did not wait for the abandoned pull (${calls} DCS calls in all)`);
    await waitFor(() => server.logs.some((l) => l.includes('readings abandoned by the caller')));
  });
});

describe('GET /api/readings when DCS keeps rate-limiting', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsRateLimitMaxWait: 0.3, simulator: { rateLimit: { requests: 1, periodSeconds: 3600 } } });
  });
  after(() => server.close());

  it('answers 429 rate_limited with Retry-After once DCS asks for a longer wait than the client will make', async () => {
    const url = `${server.url}/api/readings?id=${ELEC}&start=2024-01-01&end=2024-01-02`;
    assert.equal((await getJson(url)).status, 200);
    const res = await getJson<ApiErrorBody>(url);
    assert.equal(res.status, 429);
    assert.equal(res.body.error.code, 'rate_limited');
    assert.ok(Number(res.headers.get('retry-after')) > 0);
  });
});

/** Resolves with the value once it has not changed for 300 ms (gives up after 10 s). */
async function waitUntilStill(read: () => number): Promise<number> {
  let value = read();
  let stillSince = Date.now();
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 50));
    const now = read();
    if (now !== value) {
      value = now;
      stillSince = Date.now();
    } else if (Date.now() - stillSince >= 300) {
      return value;
    }
  }
  return value;
}
