import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { DEMO_FEATURES } from '../src';
import { details, get, signIn, start } from './helpers';

const QUERY = `readings?id=R${DEMO_FEATURES.electricityRegisterId}&startTime=2025-01-01T00:00:00Z&periodCount=2`;

describe('simulator: rate limit', () => {
  it('counts down X-Rate-Limit headers, then answers 429 with Retry-After and backOffSuggestion', async () => {
    const sim = await start({ rateLimit: { requests: 3, periodSeconds: 60 } });
    try {
      const cookie = await signIn(sim); // the sign-in is a request to the endpoint too
      const remaining: string[] = [];
      for (let i = 0; i < 2; i++) {
        const answer = await get(sim, QUERY, cookie);
        assert.equal(answer.status, 200);
        assert.equal(answer.headers['x-rate-limit-limit'], '1m');
        remaining.push(String(answer.headers['x-rate-limit-remaining']));
        const reset = Date.parse(String(answer.headers['x-rate-limit-reset']));
        assert.ok(reset > Date.now() && reset <= Date.now() + 60_000, 'reset within the window');
        assert.match(String(answer.headers['x-rate-limit-reset']), /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$/);
      }
      assert.deepEqual(remaining, ['1', '0']);
      const limited = await get(sim, QUERY, cookie);
      assert.equal(limited.status, 429);
      const retryAfter = Number(limited.headers['retry-after']);
      assert.ok(Number.isInteger(retryAfter) && retryAfter >= 1 && retryAfter <= 60, `Retry-After ${retryAfter}`);
      const body = JSON.parse(limited.text);
      assert.equal(body.backOffSuggestion, retryAfter);
      assert.match(details(limited), /Rate limit exceeded/);
    } finally {
      await sim.close();
    }
  });

  it('shares the limit between all users of an endpoint, but counts the public endpoint apart', async () => {
    const sim = await start({ rateLimit: { requests: 2, periodSeconds: 60 } });
    try {
      const demo = await signIn(sim, 'demo');
      const viewer = await signIn(sim, 'viewer');
      assert.equal((await get(sim, QUERY, viewer)).status, 429, 'two sign-ins used the authenticated allowance');
      assert.equal((await get(sim, QUERY, demo)).status, 429);
      assert.equal((await get(sim, `public/${QUERY}`)).status, 200);
      assert.equal((await get(sim, `public/${QUERY}`)).status, 200);
      assert.equal((await get(sim, `public/${QUERY}`)).status, 429);
    } finally {
      await sim.close();
    }
  });

  it('opens a new window when the period has passed', async () => {
    const sim = await start({ rateLimit: { requests: 1, periodSeconds: 0.2 } });
    try {
      assert.equal((await get(sim, `public/${QUERY}`)).status, 200);
      assert.equal((await get(sim, `public/${QUERY}`)).status, 429);
      await new Promise((resolve) => setTimeout(resolve, 250));
      assert.equal((await get(sim, `public/${QUERY}`)).status, 200);
    } finally {
      await sim.close();
    }
  });

  it('sends no rate-limit headers when there is no limit', async () => {
    const sim = await start();
    try {
      const answer = await get(sim, `public/${QUERY}`);
      assert.equal(answer.headers['x-rate-limit-limit'], undefined);
    } finally {
      await sim.close();
    }
  });
});

describe('simulator: faults', () => {
  it('delays every answer by latencyMs', async () => {
    const sim = await start({ faults: { latencyMs: 120 } });
    try {
      const t0 = performance.now();
      assert.equal((await get(sim, `public/${QUERY}`)).status, 200);
      assert.ok(performance.now() - t0 >= 115);
    } finally {
      await sim.close();
    }
  });

  it('answers every Nth request with failStatus and details; setFaults changes and clears that at runtime', async () => {
    const sim = await start({ faults: { failEveryNth: 3, failStatus: 502 } });
    try {
      const statuses: number[] = [];
      for (let i = 0; i < 6; i++) statuses.push((await get(sim, `public/${QUERY}`)).status);
      assert.deepEqual(statuses, [200, 200, 502, 200, 200, 502]);
      sim.setFaults({ failEveryNth: 1 });
      const failed = await get(sim, 'public/meters');
      assert.equal(failed.status, 503, 'failStatus defaults to 503');
      assert.match(details(failed), /Simulated fault/);
      sim.setFaults({});
      assert.equal((await get(sim, 'public/meters')).status, 200);
    } finally {
      await sim.close();
    }
  });

  it('cuts every Nth readings answer mid-body: headers arrive, then the connection breaks', async () => {
    const sim = await start({ faults: { cutEveryNth: 2 } });
    try {
      const url = sim.url + `public/readings?id=R${DEMO_FEATURES.electricityRegisterId}&startTime=2024-01-01T00:00:00Z&periodCount=5000`;
      const outcome = (): Promise<{ status: number; bytes: number; error?: Error }> =>
        new Promise((resolve) => {
          http.get(url, (res) => {
            let bytes = 0;
            res.on('data', (chunk: Buffer) => (bytes += chunk.length));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, bytes }));
            res.on('error', (error) => resolve({ status: res.statusCode ?? 0, bytes, error }));
          });
        });
      const whole = await outcome();
      assert.equal(whole.error, undefined);
      const cut = await outcome();
      assert.equal(cut.status, 200, 'headers were sent');
      assert.ok(cut.error, 'the reader sees the connection break');
      assert.ok(cut.bytes > 0 && cut.bytes < whole.bytes, `part of the body arrived (${cut.bytes} of ${whole.bytes})`);
    } finally {
      await sim.close();
    }
  });

  it('counts every request it receives', async () => {
    const sim = await start();
    try {
      assert.equal(sim.requestCount, 0);
      await get(sim, 'public/meters');
      await get(sim, 'nowhere');
      assert.equal(sim.requestCount, 2);
    } finally {
      await sim.close();
    }
  });
});
