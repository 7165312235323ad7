/**
 * Idle keep-alive connections: the client retires them, never the server. A client (a browser, a
 * proxy's pool, Node's fetch) reuses an idle connection for its next request; when the server
 * closes it at the same moment, that request is reset ("other side closed", ECONNRESET), and a
 * POST is not retried. Node's default closes them after 5 s, which Excel's recalculations and the
 * Bill check sheet's large batches (minutes apart, seconds of work each) hit; common pools and
 * proxies keep them 60 s.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as http from 'node:http';
import { basicAuth, startTestServer, type TestServer } from './helpers';

let server: TestServer;

before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
});

after(async () => {
  await server.close();
});

interface Answer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** Whether the request went on a connection an earlier one had used. */
  reused: boolean;
}

function request(agent: http.Agent, method: string, path: string, body?: unknown): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = http.request(
      `${server.url}${path}`,
      {
        agent,
        method,
        headers: { Authorization: basicAuth('demo', 'demo'), ...(payload !== undefined && { 'Content-Type': 'application/json' }) },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, reused: req.reusedSocket }));
      },
    );
    req.on('error', reject);
    req.end(payload);
  });
}

const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

describe('idle keep-alive connections', () => {
  it('tells clients it keeps an idle connection at least a minute', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      const answer = await request(agent, 'GET', '/api/health');
      assert.equal(answer.status, 200);
      const timeout = /timeout=(\d+)/.exec(String(answer.headers['keep-alive']))?.[1];
      assert.ok(Number(timeout) >= 60, `Keep-Alive: ${String(answer.headers['keep-alive'])}`);
    } finally {
      agent.destroy();
    }
  });

  it('answers a POST on a connection left idle longer than Node’s default 5 s', async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
    try {
      assert.equal((await request(agent, 'GET', '/api/health')).status, 200);
      await sleep(6000);
      const answer = await request(agent, 'POST', '/api/consumption/batch', {
        requests: [{ id: 'R1001', start: '2024-01-01', lastDay: '2024-01-02', timeZone: 'Europe/London' }],
      });
      assert.equal(answer.status, 200);
      // Had the server closed it, the agent would have opened a new one.
      assert.equal(answer.reused, true, 'the idle connection was closed by the server');
    } finally {
      agent.destroy();
    }
  });
});
