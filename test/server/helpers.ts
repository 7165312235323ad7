/**
 * Shared by the HTTP-level server tests: a server on a free loopback port over plain HTTP with
 * the embedded simulator (its data clock fixed, so the demo features sit in 2024), log capture,
 * and small clients that report whether a body arrived complete.
 */
import * as http from 'node:http';
import { demoFeatures } from 'dcs-simulator';
import type { ServerConfig } from '../../server/config';
import { startServer, type StartedServer } from '../../server/server';

/** The simulator's data clock: features fall in 2024, data runs up to here. */
export const SIMULATOR_NOW = new Date('2025-06-01T00:00:00Z');

/**
 * The demo's CUSUM question, as GET /api/cusum takes it: Birch Hall's boiler gas against the
 * outside air, weekly, the line fitted over 2023 and reported over 2024 (the boiler is left on
 * from the first Monday of June 2024).
 */
const FEATURES = demoFeatures(SIMULATOR_NOW);

export const BOILER_CUSUM = {
  id: `R${FEATURES.boilerRegisterId}`,
  temperature: `R${FEATURES.temperatureRegisterId}`,
  baselineStart: '2023-01-02',
  baselineEnd: '2024-01-01',
  start: '2024-01-01',
  end: '2024-12-30',
  interval: 'week',
  timeZone: 'UTC',
} as const;

export interface TestServer extends StartedServer {
  /** Every JSON log line the server wrote. */
  logs: string[];
}

/** A server on a free loopback port, whatever the overrides say (a whole loaded config carries PORT=3000). */
export async function startTestServer(overrides: Partial<ServerConfig> = {}): Promise<TestServer> {
  const logs: string[] = [];
  const server = await startServer({
    https: false,
    logLevel: 'debug',
    logSink: (line) => logs.push(line),
    ...overrides,
    port: 0,
    host: '127.0.0.1',
    simulator: { now: () => SIMULATOR_NOW, ...overrides.simulator },
  });
  return Object.assign(server, { logs });
}

export function basicAuth(username: string, password: string): string {
  return `Basic ${Buffer.from(`${username}:${password}`).toString('base64')}`;
}

export interface SignedIn {
  token: string;
  /** `name=value` for a Cookie header. */
  cookie: string;
  setCookie: string;
  body: { username: string; role: string; token: string };
}

export async function signIn(url: string, username = 'demo', password = 'demo'): Promise<SignedIn> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (res.status !== 200) throw new Error(`sign-in as ${username} answered ${res.status}: ${await res.text()}`);
  const body = (await res.json()) as SignedIn['body'];
  const setCookie = res.headers.get('set-cookie') ?? '';
  return { token: body.token, cookie: setCookie.split(';')[0], setCookie, body };
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
  /** True when the body ended properly (the terminating chunk arrived). */
  complete: boolean;
  /** The error the HTTP client reported, if the connection broke. */
  error?: Error;
}

/** GET with node:http, collecting everything that arrives and how the body ended. */
export function rawGet(url: string, headers: Record<string, string> = {}): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = http.get(url, { headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      let error: Error | undefined;
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', (e) => {
        error = e;
      });
      res.on('close', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8'), complete: res.complete, error });
      });
    });
    req.on('error', reject);
  });
}

export async function getJson<T = unknown>(url: string, headers: Record<string, string> = {}): Promise<{ status: number; body: T; headers: Headers }> {
  const res = await fetch(url, { headers });
  const text = await res.text();
  return { status: res.status, body: (text === '' ? undefined : JSON.parse(text)) as T, headers: res.headers };
}

/** The error object of an ApiError answer. */
export interface ApiErrorBody {
  error: { code: string; message: string; parameter?: string };
}

/** Polls until the condition holds; fails after 30 s, a "did not hang" bound (it is met in milliseconds). */
export async function waitFor(condition: () => boolean, what = 'condition'): Promise<void> {
  const deadline = Date.now() + 30_000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`${what} not met within 30 s`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
