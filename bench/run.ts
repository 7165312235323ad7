/**
 * `npm run bench`: how fast the DCS client reads half-hourly readings, and how much memory it
 * needs, against Node's plain `fetch` + `res.json()` on the same bytes.
 *
 * Every measurement runs in a fresh child process (so peak RSS, from process.resourceUsage(), is
 * that one measurement's), against a server in another child process, over loopback:
 *   - client via simulator: the DCS simulator generates the answer as it goes (its own speed, about
 *     a million readings a second, caps this figure);
 *   - client via replay / fetch via replay: the simulator's answer recorded once and replayed from
 *     memory, so that the client and fetch are measured on identical bytes, limited by nothing else.
 * Each is run BENCH_REPEAT times (default 3) and the best run reported: other work on the machine
 * only ever makes a run slower.
 *
 * The server's end-to-end benchmark (bench/server-bench.ts, owned by the server) runs after these,
 * when it exists: see runServerSection below.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { DcsClient } from 'dcs-client';

const SIZES = [17_520, 175_200, 1_000_000];
const REPEAT = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
const REGISTER = 'R1001';
/** Readings end here and run back `count` half-hours: all within the simulator's data (from 1900). */
const END = '2020-01-01T00:00:00Z';

interface Measurement {
  readings: number;
  seconds: number;
  maxRssMb: number;
}

type Role = 'simulator' | 'replay' | 'record' | 'client' | 'fetch';

// ------------------------------------------------------------------------------------------------
// Child processes

function readingsPath(count: number): string {
  return `public/readings?id=${REGISTER}&endTime=${END}&periodCount=${count}&periodType=halfHour`;
}

/** A child serving the simulator. */
async function serveSimulator(): Promise<void> {
  const { startSimulator } = await import('dcs-simulator');
  const sim = await startSimulator({});
  process.send?.({ url: sim.url });
}

/** A child replaying one recorded answer from memory, whatever is asked. */
async function serveReplay(file: string): Promise<void> {
  const body = fs.readFileSync(file);
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'content-length': body.length });
    res.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.send?.({ url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/` });
}

/** Reads `count` readings through the DCS client, one reading at a time, as most callers do. */
async function measureClient(url: string, count: number): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const client = new DcsClient({ url, compression: false });
  const stream = await client.streamReadings({ id: REGISTER, end: END, periodCount: count });
  let n = 0;
  let sum = 0;
  for await (const reading of stream) {
    n++;
    sum += Number.isNaN(reading.timestamp.getTime()) ? 0 : 1;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  if (sum !== n) throw new Error('timestamps did not decode');
  return { readings: n, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

/** The same through fetch + res.json(), converting timestamps and DCS's value strings as the client does. */
async function measureFetch(url: string, count: number): Promise<Measurement> {
  const started = process.hrtime.bigint();
  const res = await fetch(new URL(readingsPath(count), url), { headers: { accept: 'application/json' } });
  const body = (await res.json()) as { readings: { timestamp: string | Date; value: number | string }[] };
  for (const reading of body.readings) {
    reading.timestamp = new Date(reading.timestamp);
    if (typeof reading.value === 'string') reading.value = Number(reading.value);
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { readings: body.readings.length, seconds, maxRssMb: process.resourceUsage().maxRSS / 1024 };
}

// ------------------------------------------------------------------------------------------------
// The parent

function spawn(role: Role, ...args: string[]): ChildProcess {
  return fork(__filename, [role, ...args], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
}

function firstMessage<T>(child: ChildProcess): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    child.once('message', (message) => resolve(message as T));
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`bench child exited (${code}) before answering`)));
  });
}

async function startServer(role: 'simulator' | 'replay', ...args: string[]): Promise<{ url: string; stop: () => void }> {
  const child = spawn(role, ...args);
  const { url } = await firstMessage<{ url: string }>(child);
  return { url, stop: () => child.kill() };
}

/** The best of REPEAT fresh processes. */
async function best(role: 'client' | 'fetch', url: string, count: number): Promise<Measurement> {
  let winner: Measurement | undefined;
  for (let i = 0; i < REPEAT; i++) {
    const result = await firstMessage<Measurement>(spawn(role, url, String(count)));
    if (result.readings !== count) throw new Error(`${role} read ${result.readings} readings, expected ${count}`);
    if (!winner || result.seconds < winner.seconds) winner = result;
  }
  return winner as Measurement;
}

/**
 * Records the simulator's answer in a child, not here: on Linux a child process starts with its
 * parent's peak RSS as its own (fork copies the parent's memory before exec replaces it), so the
 * parent must stay small for the children's peak RSS to be their own.
 */
async function record(simulatorUrl: string, count: number, file: string): Promise<number> {
  const { bytes } = await firstMessage<{ bytes: number }>(spawn('record', simulatorUrl, String(count), file));
  return bytes;
}

async function recordInChild(simulatorUrl: string, count: number, file: string): Promise<{ bytes: number }> {
  const res = await fetch(new URL(readingsPath(count), simulatorUrl), { headers: { 'accept-encoding': 'identity' } });
  if (!res.ok) throw new Error(`the simulator answered ${res.status}`);
  const bytes = Buffer.from(await res.arrayBuffer());
  fs.writeFileSync(file, bytes);
  return { bytes: bytes.length };
}

const rate = (m: Measurement): string => `${(m.readings / m.seconds / 1e6).toFixed(2)} M/s`;
const rss = (m: Measurement): string => `${Math.round(m.maxRssMb)} MB`;

function printTable(rows: string[][]): void {
  const widths = rows[0].map((_, i) => Math.max(...rows.map((r) => r[i].length)));
  const line = (r: string[]): string => `| ${r.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join(' | ')} |`;
  console.log(line(rows[0]));
  console.log(`|${widths.map((w, i) => (i === 0 ? ':' : '-') + '-'.repeat(w) + (i === 0 ? '-' : ':')).join('|')}|`);
  for (const r of rows.slice(1)) console.log(line(r));
}

async function runClientSection(): Promise<void> {
  console.log(`DCS client: half-hourly readings of ${REGISTER} over loopback; best of ${REPEAT} fresh processes each.\n`);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-bench-'));
  const simulator = await startServer('simulator');
  const rows: string[][] = [['readings', 'answer size', 'client via simulator', 'client via replay', 'fetch + res.json() via replay', 'client / fetch']];
  try {
    for (const count of SIZES) {
      const file = path.join(tmp, `readings-${count}.json`);
      const bytes = await record(simulator.url, count, file);
      const viaSimulator = await best('client', simulator.url, count);
      const replay = await startServer('replay', file);
      try {
        const client = await best('client', replay.url, count);
        const viaFetch = await best('fetch', replay.url, count);
        rows.push([
          count.toLocaleString('en-GB'),
          `${(bytes / 1e6).toFixed(1)} MB`,
          `${rate(viaSimulator)}, ${rss(viaSimulator)}`,
          `${rate(client)}, ${rss(client)}`,
          `${rate(viaFetch)}, ${rss(viaFetch)}`,
          `${(viaFetch.seconds / client.seconds).toFixed(2)}x faster, ${(viaFetch.maxRssMb / client.maxRssMb).toFixed(1)}x less memory`,
        ]);
      } finally {
        replay.stop();
        fs.rmSync(file, { force: true });
      }
    }
  } finally {
    simulator.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
  printTable(rows);
  console.log('\n(readings/s includes connecting, the request, and decoding every timestamp and value; peak RSS is the whole measuring process)');
  console.log('Target for the client: >= 1.5 M readings/s with peak RSS <= 120 MB at 1,000,000 readings.');
}

// ------------------------------------------------------------------------------------------------
// END-TO-END SERVER BENCHMARK — owned by the server. bench/server-bench.ts exports an async
// function (default export, `runServerBench`, or its only exported function); it runs here, after
// the client's section, and prints its own table.
async function runServerSection(): Promise<void> {
  const file = path.join(__dirname, 'server-bench.js');
  if (!fs.existsSync(file)) return;
  const mod = (await import(file)) as Record<string, unknown>;
  const run = [mod.default, mod.runServerBench, ...Object.values(mod)].find((v): v is () => Promise<void> => typeof v === 'function');
  if (!run) throw new Error('bench/server-bench.ts exports no function to run');
  console.log('\n');
  await run();
}

/** Calculated data (bench/intervals-bench.ts), after the server's section. */
async function runIntervalsSection(): Promise<void> {
  const { runIntervalsBench } = await import('./intervals-bench');
  console.log('\n');
  await runIntervalsBench();
}

/** An invoice workbook's refresh through the add-in's batched cell functions (bench/invoice-bench.ts). */
async function runInvoiceSection(): Promise<void> {
  const { runInvoiceBench } = await import('./invoice-bench');
  console.log('\n');
  await runInvoiceBench();
}

/** Shadow bills in bulk (bench/bills-bench.ts): seconds and DCS calls against pulling each supply's year once. */
async function runBillsSection(): Promise<void> {
  const { runBillsBench } = await import('./bills-bench');
  console.log('\n');
  await runBillsBench();
}

/** Monitoring and targeting in bulk (bench/cusum-bench.ts): seconds, memory and DCS calls against pulling each source once. */
async function runCusumSection(): Promise<void> {
  const { runCusumBench } = await import('./cusum-bench');
  console.log('\n');
  await runCusumBench();
}

/** The readings store (bench/store-bench.ts): needs PostgreSQL's server binaries, else says so and is skipped. */
async function runStoreSection(): Promise<void> {
  const { runStoreBench } = await import('./store-bench');
  console.log('\n');
  await runStoreBench();
}

/** Starting the product (bench/start-bench.ts): first start, a restart with nothing changed, a restart after a change. */
async function runStartSection(): Promise<void> {
  const { runStartBench } = await import('./start-bench');
  console.log('\n');
  await runStartBench();
}

async function main(): Promise<void> {
  const [role, a, b, c] = process.argv.slice(2) as [Role | undefined, string, string, string];
  switch (role) {
    case 'simulator':
      return serveSimulator();
    case 'replay':
      return serveReplay(a);
    case 'record': {
      const result = await recordInChild(a, Number(b), c);
      process.send?.(result, () => process.exit(0));
      return;
    }
    case 'client':
    case 'fetch': {
      const result = await (role === 'client' ? measureClient(a, Number(b)) : measureFetch(a, Number(b)));
      process.send?.(result, () => process.exit(0));
      return;
    }
    default:
      await runClientSection();
      await runServerSection();
      await runIntervalsSection();
      await runInvoiceSection();
      await runBillsSection();
      await runCusumSection();
      await runStoreSection();
      await runStartSection();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
