/** A proxy in front of DCS for scale-out tests: forwards everything and notes each answer's status and time. */
import * as http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Call {
  at: number;
  status: number;
  path: string;
  userAgent: string;
}

export interface CountingProxy {
  url: string;
  calls: Call[];
  close(): Promise<void>;
}

/** Forwards everything to `target` and notes each answer's status and time. */
export async function countingProxy(target: string): Promise<CountingProxy> {
  const calls: Call[] = [];
  const server = http.createServer((req, res) => {
    const upstream = http.request(new URL(req.url ?? '/', target), { method: req.method, headers: req.headers }, (answer) => {
      calls.push({ at: Date.now(), status: answer.statusCode ?? 0, path: req.url ?? '', userAgent: req.headers['user-agent'] ?? '' });
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    calls,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
