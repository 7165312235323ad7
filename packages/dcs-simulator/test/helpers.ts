/**
 * Shared helpers for the simulator's tests: a fixed data clock, sign-in, and raw HTTP calls
 * that show exactly what went over the wire (status, headers, undecoded bytes).
 */

import * as http from 'node:http';
import * as zlib from 'node:zlib';
import { demoFeatures, RunningSimulator, SimulatorOptions, startSimulator } from '../src';

/** The data clock of most tests: features sit in 2025. */
export const NOW = new Date('2026-03-15T10:17:00Z');
export const FEATURES = demoFeatures(NOW);

export function start(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  return startSimulator({ now: () => NOW, ...options });
}

export interface RawAnswer {
  status: number;
  headers: http.IncomingHttpHeaders;
  /** The body as sent (still compressed if it was). */
  raw: Buffer;
  /** The body decompressed, as text. */
  text: string;
}

export function request(url: string, options: { method?: string; headers?: Record<string, string>; body?: string } = {}): Promise<RawAnswer> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { method: options.method ?? 'GET', headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('error', reject);
      res.on('end', () => {
        const raw = Buffer.concat(chunks);
        const encoding = res.headers['content-encoding'];
        const decoded = encoding === 'gzip' ? zlib.gunzipSync(raw) : encoding === 'deflate' ? zlib.inflateSync(raw) : raw;
        resolve({ status: res.statusCode ?? 0, headers: res.headers, raw, text: decoded.toString('utf8') });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

export async function signIn(sim: RunningSimulator, username = 'demo', password = username): Promise<string> {
  const answer = await request(sim.url + 'authentication/signin', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (answer.status !== 200) throw new Error(`sign-in as ${username} answered ${answer.status}: ${answer.text}`);
  const cookie = String(answer.headers['set-cookie']?.[0] ?? '').split(';')[0];
  return cookie;
}

/** GET a path below the API root with a session cookie (or none: public). */
export function get(sim: RunningSimulator, path: string, cookie?: string, headers: Record<string, string> = {}): Promise<RawAnswer> {
  return request(sim.url + path, { headers: { Accept: 'application/json', ...(cookie ? { Cookie: cookie } : {}), ...headers } });
}

export interface WireReading {
  timestamp: string;
  value?: number | string;
  totalValue?: number | string;
  periodValue?: number | string;
  status: number;
}

export interface WireReadings {
  startTime: string;
  endTime: string;
  name: string;
  periodType: string;
  unit: string;
  duration: number;
  readings: WireReading[];
}

/** GET /readings (or /public/readings without a cookie) and parse it; fails on non-200. */
export async function readings(sim: RunningSimulator, query: string, cookie?: string): Promise<WireReadings> {
  const answer = await get(sim, `${cookie ? '' : 'public/'}readings?${query}`, cookie);
  if (answer.status !== 200) throw new Error(`readings?${query} answered ${answer.status}: ${answer.text}`);
  return JSON.parse(answer.text) as WireReadings;
}

export function details(answer: RawAnswer): string {
  const body = JSON.parse(answer.text) as { details?: unknown };
  if (typeof body.details !== 'string') throw new Error(`no details string in ${answer.text}`);
  return body.details;
}

/** A wire timestamp `minutes` after another. */
export function plusMinutes(timestamp: string, minutes: number): string {
  return new Date(Date.parse(timestamp) + minutes * 60_000).toISOString().replace('.000Z', 'Z');
}
