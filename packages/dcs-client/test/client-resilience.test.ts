import assert from 'node:assert/strict';
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { DcsAuthenticationError, DcsClient, DcsNetworkError, DcsProtocolError, DcsServerError, DcsTimeoutError, type RequestEvent } from '../src';
import { ELECTRICITY, FAST, collect, countRequests, demoClient, fastRetry, plain, withSimulator } from './helpers';

/**
 * A scripted stand-in for DCS, used only for what the simulator cannot be made to do: stall in
 * the middle of an answer, end an answer cleanly but short, or send raw-deflate bodies.
 */
async function withFakeDcs(handler: http.RequestListener, body: (url: string) => Promise<void>): Promise<void> {
  const server = http.createServer(handler);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  try {
    await body(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`);
  } finally {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  }
}

const HEADER =
  '{"startTime":"2025-01-01T00:00:00Z","endTime":"2025-01-01T02:00:00Z","name":"Fake: R1","periodType":"halfHour","unit":"kWh","duration":0,"readings":[';
const fakeReading = (i: number): string => `{"timestamp":"2025-01-01T0${Math.floor(i / 2)}:${i % 2 ? '30' : '00'}:00Z","value":${i},"status":0}`;

describe('sessions that expire', () => {
  it('signs in again once, by itself, when DCS expires the session (401), and repeats the call', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      sim.expireAllSessions();
      const requests = await countRequests(sim, () => client.readings({ id: ELECTRICITY, start: '2025-01-01', periodCount: 2 }));
      assert.equal(requests, 3, 'the refused call, the sign-in, the repeated call');
    });
  });

  it('signs in again when the session has outlived its time on the server', async () => {
    await withSimulator({ sessionTtlSeconds: 0.15 }, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      await new Promise((resolve) => setTimeout(resolve, 200));
      assert.equal(await countRequests(sim, () => client.meters()), 3, 'the refused call, the sign-in, the repeated call');
    });
  });

  it('gives up with DcsAuthenticationError when signing in again does not help', async () => {
    // Sessions that expire at once: every call after sign-in is refused with 401. The sessions'
    // clock moves a second at every reading, so no request can come within a session's 1 ms
    // lifetime (on the wall clock a call in the same millisecond as its sign-in was accepted).
    let sessionTime = 0;
    await withSimulator({ sessionTtlSeconds: 0.001, sessionClock: () => (sessionTime += 1000) }, async (sim) => {
      const client = new DcsClient({ url: sim.url, username: 'demo', password: 'demo', ...FAST });
      const requests = await countRequests(sim, () =>
        assert.rejects(
          client.meters(),
          (error: unknown) => error instanceof DcsAuthenticationError && error.status === 401 && /Sign in again/.test(error.message),
        ),
      );
      assert.equal(requests, 4, 'sign in, call, sign in again, call: then it gives up');
    });
  });
});

describe('retries', () => {
  it('retries 502/503/504 with back-off and succeeds', async () => {
    await withSimulator({ faults: { failEveryNth: 2, failStatus: 503 } }, async (sim) => {
      const client = demoClient(sim);
      const before = sim.requestCount;
      for (let i = 0; i < 3; i++) assert.ok((await client.meters()).length > 0);
      assert.ok(sim.requestCount - before >= 5, 'some calls were refused and repeated');
    });
  });

  it('gives up with DcsServerError after the configured number of retries', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim, { retry: { limit: 3 } });
      await client.meters();
      sim.setFaults({ failEveryNth: 1, failStatus: 502 });
      const requests = await countRequests(sim, () =>
        assert.rejects(
          client.meters(),
          (error: unknown) => error instanceof DcsServerError && error.status === 502 && /Simulated fault/.test(error.details ?? ''),
        ),
      );
      assert.equal(requests, 4, 'one try and three retries');
    });
  });

  it('does not repeat a 500 (the server failed at the task, not in passing)', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      sim.setFaults({ failEveryNth: 1, failStatus: 500 });
      assert.equal(await countRequests(sim, () => assert.rejects(client.meters(), DcsServerError)), 1);
    });
  });

  it('repeats a sign-in refused with 503 like any other call, within the retry budget', async () => {
    await withSimulator({ faults: { failEveryNth: 1, failStatus: 503 } }, async (sim) => {
      const requests = await countRequests(sim, () =>
        assert.rejects(DcsClient.connect({ url: sim.url, username: 'demo', password: 'demo', ...FAST, retry: fastRetry({ limit: 2 }) }), DcsServerError),
      );
      assert.equal(requests, 3, 'one try and two retries');
    });
  });

  it('reports a refused connection as DcsNetworkError after retrying', async () => {
    const server = http.createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    await new Promise((resolve) => server.close(resolve));
    const client = new DcsClient({ url, ...FAST, retry: fastRetry({ limit: 2 }) });
    await assert.rejects(client.meters(), (error: unknown) => error instanceof DcsNetworkError && /refused the connection/.test(error.message));
  });
});

describe('answers cut short', () => {
  it('resumes after a dropped connection without duplicating or losing a reading', async () => {
    await withSimulator({}, async (sim) => {
      const query = { id: ELECTRICITY, start: '2025-01-01', end: '2025-03-01' };
      const whole = await demoClient(sim).readings(query);
      sim.setFaults({ cutEveryNth: 2 });
      const client = demoClient(sim);
      const windowed = await collect(await client.largeReadings(query, { maxWindowDays: 7 }));
      assert.equal(windowed.length, 59 * 48);
      assert.deepEqual(plain(windowed), plain(whole.readings));
      const single = await client.readings(query);
      assert.deepEqual(plain(single.readings), plain(whole.readings));
    });
  });

  it('fails from the iterator, never ending quietly, when the answer keeps being cut', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim, { retry: { limit: 2 } });
      await client.meters();
      sim.setFaults({ cutEveryNth: 1 });
      let received = 0;
      await assert.rejects(
        (async () => {
          const stream = await client.streamReadings({ id: ELECTRICITY, start: '2025-01-01', end: '2025-02-01' });
          for await (const _ of stream) received++;
        })(),
        (error: unknown) => error instanceof DcsNetworkError || error instanceof DcsProtocolError,
      );
      assert.ok(received < 31 * 48, `only part of the readings arrived (${received})`);
      sim.setFaults({});
      assert.ok((await client.meters()).length > 0, 'the session is free again');
    });
  });

  it('fails from the iterator when an answer ends cleanly but its JSON is cut short', async () => {
    // The simulator always drops the connection; a proxy can instead end the answer properly.
    await withFakeDcs(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(`${HEADER}${fakeReading(0)},${fakeReading(1)},{"timestamp":"2025-01-`);
      },
      async (url) => {
        const stream = await new DcsClient({ url, ...FAST, retry: fastRetry({ limit: 0 }) }).streamReadings({ id: 'R1', start: '2025-01-01', periodCount: 4 });
        const received: unknown[] = [];
        await assert.rejects(
          (async () => {
            for await (const r of stream) received.push(r);
          })(),
          (error: unknown) => error instanceof DcsProtocolError && /ended early/.test(error.message),
        );
        assert.equal(received.length, 2);
      },
    );
  });

  it('times out when DCS goes quiet in the middle of an answer', async () => {
    await withFakeDcs(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`${HEADER}${fakeReading(0)},${fakeReading(1)},`);
        // ...and nothing more.
      },
      async (url) => {
        const client = new DcsClient({ url, ...FAST, idleTimeoutMs: 100, retry: fastRetry({ limit: 0 }) });
        const stream = await client.streamReadings({ id: 'R1', start: '2025-01-01', periodCount: 4 });
        // Without the idle timer this would wait for ever (the fake DCS never ends the answer).
        await assert.rejects(collect(stream), (error: unknown) => error instanceof DcsTimeoutError && /stopped sending for 100 ms/.test(error.message));
      },
    );
  });

  it('times out when DCS does not answer at all', async () => {
    await withSimulator({ faults: { latencyMs: 1_000 } }, async (sim) => {
      const client = new DcsClient({ url: sim.url, ...FAST, timeoutMs: 100 });
      await assert.rejects(client.meters(), (error: unknown) => error instanceof DcsTimeoutError && /did not answer within 100 ms/.test(error.message));
    });
  });

  it('stops a read in progress at once when the stream is closed', async () => {
    await withFakeDcs(
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        res.write(`${HEADER}${fakeReading(0)},${fakeReading(1)},`);
      },
      async (url) => {
        const stream = await new DcsClient({ url, ...FAST, idleTimeoutMs: 60_000 }).streamReadings({ id: 'R1', start: '2025-01-01', periodCount: 4 });
        const iterator = stream[Symbol.asyncIterator]();
        assert.equal((await iterator.next()).done, false);
        const pending = iterator.next(); // the second reading is not known to be complete: this waits
        await stream.close();
        // Not the idle timeout's DcsTimeoutError a minute later: the close itself ended the read.
        await assert.rejects(pending, { name: 'AbortError' });
      },
    );
  });

  it('decodes deflate answers, zlib-wrapped or raw', async () => {
    const body = `${HEADER}${fakeReading(0)},${fakeReading(1)}]}`;
    for (const deflate of [zlib.deflateSync, zlib.deflateRawSync]) {
      await withFakeDcs(
        (_req, res) => {
          res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'deflate' });
          res.end(deflate(Buffer.from(body)));
        },
        async (url) => {
          const result = await new DcsClient({ url, ...FAST }).readings({ id: 'R1', start: '2025-01-01', periodCount: 2 });
          assert.deepEqual(
            result.readings.map((r) => r.value),
            [0, 1],
          );
        },
      );
    }
  });
});

describe('https', () => {
  // The simulator speaks plain http; a DCS behind TLS with a private certificate authority is common.
  it('trusts a private certificate authority given as "ca", and explains a certificate it cannot trust', async () => {
    const { generate } = await import('selfsigned');
    const pems = await generate([{ name: 'commonName', value: 'localhost' }], {
      keySize: 2048,
      extensions: [{ name: 'subjectAltName', altNames: [{ type: 7, ip: '127.0.0.1' }] }],
    });
    const server = https.createServer({ key: pems.private, cert: pems.cert }, (_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end('[]');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/DCSWebApi`;
    try {
      assert.deepEqual(await new DcsClient({ url, ...FAST, ca: pems.cert }).meters(), []);
      await assert.rejects(
        new DcsClient({ url, ...FAST }).meters(),
        (error: unknown) => error instanceof DcsNetworkError && /pass its certificate as the "ca" option/.test(error.message),
      );
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('cancellation', () => {
  it("cancels a call waiting for DCS, rejecting with the signal's reason", async () => {
    await withSimulator({ faults: { latencyMs: 2_000 } }, async (sim) => {
      const reason = new Error('user pressed cancel');
      const controller = new AbortController();
      setTimeout(() => controller.abort(reason), 30);
      // Not the meters two seconds later: the signal's own reason, so the wait was cut short.
      await assert.rejects(demoClient(sim).meters({ signal: controller.signal }), (error: unknown) => error === reason);
    });
  });

  it('cancels a back-off pause between retries', async () => {
    await withSimulator({ faults: { failEveryNth: 1, failStatus: 503 } }, async (sim) => {
      // A back-off of an hour: were it not cancelled, the test would hang (caught by the runner's --test-timeout).
      const retries: RequestEvent[] = [];
      const client = new DcsClient({
        url: sim.url,
        ...FAST,
        retry: { backoff: { initialMs: 3_600_000, maxMs: 3_600_000 } },
        hooks: { onRetry: (event) => retries.push(event) },
      });
      await assert.rejects(client.meters({ signal: AbortSignal.timeout(50) }), { name: 'TimeoutError' });
      assert.equal(retries.length, 1, 'cancelled during the first back-off');
    });
  });

  it('cancels a stream part way, and frees the session for the next call', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const controller = new AbortController();
      const stream = await client.streamReadings({ id: ELECTRICITY, start: '2024-01-01', end: '2025-01-01' }, { signal: controller.signal });
      let received = 0;
      await assert.rejects(
        (async () => {
          for await (const _ of stream) {
            if (++received === 100) controller.abort(new Error('enough'));
          }
        })(),
        /enough/,
      );
      assert.ok(received < 366 * 48);
      assert.ok((await client.meters()).length > 0);
    });
  });
});
