/**
 * A caller that stops reading a long pull must block nobody: not the other anonymous callers (who
 * share one DCS client) and not the other requests of its own session. It is cut off visibly after
 * STALLED_READER_TIMEOUT, and what its pull held (the spool's temporary file) is freed.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { signIn, startTestServer, type TestServer } from './helpers';

const STALL_MS = 4000;
/** 25 years of half-hours as ndjson (~30 MB): far more than socket buffers hold. */
const LONG_PULL = '/api/readings?id=R1001&start=2000-01-01&end=2025-01-01&output=ndjson';
const SHORT_PULL = '/api/readings?id=R1001&start=2024-01-01&end=2024-01-08&output=ndjson';

/** A client that sends a request and then reads nothing until told to. */
interface StalledClient {
  /** Starts reading; resolves with everything received once the server closes the connection. */
  readToEnd(): Promise<string>;
  readonly closed: boolean;
}

function stalledGet(url: string, pathAndQuery: string, headers: Record<string, string> = {}): Promise<StalledClient> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = net.connect(Number(port), hostname, () => {
      socket.pause();
      const lines = [`GET ${pathAndQuery} HTTP/1.1`, `Host: ${hostname}:${port}`, ...Object.entries(headers).map(([k, v]) => `${k}: ${v}`)];
      socket.write(`${lines.join('\r\n')}\r\n\r\n`);
      let closed = false;
      socket.once('close', () => (closed = true));
      resolve({
        get closed() {
          return closed;
        },
        readToEnd: () =>
          new Promise((done) => {
            const chunks: Buffer[] = [];
            socket.on('data', (chunk: Buffer) => chunks.push(chunk));
            socket.on('error', () => undefined);
            const finish = (): void => done(Buffer.concat(chunks).toString('latin1'));
            if (closed) socket.once('end', finish);
            else socket.once('close', finish);
            socket.resume();
          }),
      });
    });
    socket.once('error', reject);
  });
}

async function waitUntil(condition: () => boolean, what: string, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting until ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

async function answered(request: Promise<Response>): Promise<{ status: number; text: string }> {
  const res = await request;
  return { status: res.status, text: await res.text() };
}

describe('a reader that stops reading', () => {
  let server: TestServer;
  let spoolDir: string;
  before(async () => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-stall-'));
    server = await startTestServer({ stalledReaderTimeout: STALL_MS / 1000, spoolMemoryMb: 0.25, spoolDir, logLevel: 'info' });
  });
  after(async () => {
    await server.close();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it('blocks neither other anonymous callers nor its own session, and is cut off visibly with its spool freed', async () => {
    const session = await signIn(server.url);
    const bearer = { Authorization: `Bearer ${session.token}` };
    const stalledLogs = (): string[] => server.logs.filter((line) => line.includes('reader_stalled'));

    const anonymous = await stalledGet(server.url, LONG_PULL);
    const signedIn = await stalledGet(server.url, LONG_PULL, bearer);
    // Both pulls have filled the connection and the rest of their window waits in spool files.
    await waitUntil(() => fs.readdirSync(spoolDir).length === 2, 'both stalled pulls spool to a file', 30_000);

    const [otherAnonymous, sameSession] = await Promise.all([
      answered(fetch(`${server.url}${SHORT_PULL}`)),
      answered(fetch(`${server.url}${SHORT_PULL}`, { headers: bearer })),
    ]);
    for (const answer of [otherAnonymous, sameSession]) {
      assert.equal(answer.status, 200);
      assert.match(answer.text, /\{"end":\{"sources":1,"readings":336\}\}\n$/, 'a complete answer');
    }
    // Ordered by events, not timed: both were answered while the stalled readers still held their pulls.
    assert.equal(stalledLogs().length, 0, 'the other requests did not need the stalled readers to be cut off');
    assert.equal(anonymous.closed || signedIn.closed, false);

    await waitUntil(() => stalledLogs().length === 2, 'both stalled readers are cut off', STALL_MS + 30_000);
    await waitUntil(() => fs.readdirSync(spoolDir).length === 0, 'their spool files are deleted', 30_000);

    for (const client of [anonymous, signedIn]) {
      const received = await client.readToEnd();
      const lines = received.trimEnd().split('\n');
      assert.match(received, /^HTTP\/1\.1 200 /, 'the pull had started');
      assert.match(lines[lines.length - 1], /\{"error":\{"code":"reader_stalled","message":"the caller took none of the answer for 4 s/);
      assert.doesNotMatch(received, /\{"end":/, 'never presented as complete');
      assert.ok(!received.endsWith('0\r\n\r\n'), 'the chunked body is left unterminated');
    }
  });
});
