/**
 * End-to-end throughput of the server: a 1,000,000-reading pull delivered as csv and as ndjson
 * to an HTTP client, compared with the DCS client alone doing the same pull.
 *
 * Processes, as in real use: the DCS simulator in one child, our server in another, the reading
 * HTTP client here. The client-only figure comes from a fresh child that pulls the same readings
 * from the same simulator with the DCS client configured as the server configures it
 * (largeReadings, the same window, no compression over loopback), so the ratio is the cost of
 * the server itself: formatting, HTTP and the extra hop.
 *
 * `runServerBench()` is what bench/run.ts calls (it prints its own table); `benchServer()`
 * returns the figures. This file is also the children's entry point.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';

export interface FormatFigures {
  output: 'csv' | 'ndjson';
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
  /** CPU time the server process spent on the pull. */
  serverCpuSeconds: number;
}

export interface ServerBenchResult {
  readings: number;
  source: string;
  csv: FormatFigures;
  ndjson: FormatFigures;
  /** The DCS client alone, same pull: seconds, readings/s and CPU time (best run). */
  clientOnly: { seconds: number; rowsPerSecond: number; cpuSeconds: number };
  /** Peak resident set size of the server process over the whole bench, in MB. */
  serverPeakRssMb: number;
}

export interface ServerBenchOptions {
  /** Readings to pull (half-hours of one register). Default 1,000,000. */
  readings?: number;
  /** Runs per measurement; the best is reported (other work on the machine only slows runs). Default BENCH_REPEAT or 3. */
  runs?: number;
}

const SOURCE = 'R1001';
const HALF_HOUR_MS = 1_800_000;
/** Well inside the simulator's data (it has readings from 1900 up to now). */
const START_MS = Date.UTC(1960, 0, 1);

export type ChildMessage = { url: string } | { maxRssKb: number } | { cpuMs: number } | { seconds: number; readings: number; cpuSeconds: number };

function span(readings: number): { start: string; end: string } {
  return { start: new Date(START_MS).toISOString(), end: new Date(START_MS + readings * HALF_HOUR_MS).toISOString() };
}

export async function benchServer(options: ServerBenchOptions = {}): Promise<ServerBenchResult> {
  const readings = options.readings ?? 1_000_000;
  const runs = options.runs ?? Math.max(1, Number(process.env.BENCH_REPEAT ?? 3));
  const simulator = spawn('simulator');
  let server: ChildProcess | undefined;
  try {
    const { url: dcsUrl } = (await nextMessage(simulator)) as { url: string };
    server = spawn('server', dcsUrl);
    const { url } = (await nextMessage(server)) as { url: string };
    const serverProcess = server;
    const cpuMs = async (): Promise<number> => {
      serverProcess.send('cpu');
      return ((await nextMessage(serverProcess)) as { cpuMs: number }).cpuMs;
    };
    const { start, end } = span(readings);
    const query = (output: string, until = end) => `${url}/api/readings?id=${SOURCE}&start=${start}&end=${until}&output=${output}`;

    // Warm up both processes (JIT, connections, the simulator's estate).
    const warmEnd = span(50_000).end;
    await pull(query('csv', warmEnd), 'csv');
    await pull(query('ndjson', warmEnd), 'ndjson');

    // Interleaved rounds (csv, ndjson, client only), best of each: load from elsewhere on the
    // machine drifts, and interleaving spreads it over all three figures alike.
    const bestOf = <T extends { seconds: number }>(a: T | undefined, b: T): T => (a === undefined || b.seconds < a.seconds ? b : a);
    let csv: FormatFigures | undefined;
    let ndjson: FormatFigures | undefined;
    let clientOnly: ServerBenchResult['clientOnly'] | undefined;
    for (let i = 0; i < runs; i++) {
      for (const output of ['csv', 'ndjson'] as const) {
        const cpuBefore = await cpuMs();
        const figures = await pull(query(output), output);
        figures.serverCpuSeconds = ((await cpuMs()) - cpuBefore) / 1000;
        if (figures.rows !== readings) throw new Error(`${output}: expected ${readings} rows, got ${figures.rows}`);
        if (output === 'csv') csv = bestOf(csv, figures);
        else ndjson = bestOf(ndjson, figures);
      }
      const child = spawn('client', dcsUrl, String(readings));
      const result = (await nextMessage(child)) as { seconds: number; readings: number; cpuSeconds: number };
      child.kill();
      if (result.readings !== readings) throw new Error(`client only: expected ${readings} readings, got ${result.readings}`);
      clientOnly = bestOf(clientOnly, { seconds: result.seconds, rowsPerSecond: Math.round(readings / result.seconds), cpuSeconds: result.cpuSeconds });
    }

    server.send('rss');
    const { maxRssKb } = (await nextMessage(server)) as { maxRssKb: number };
    return { readings, source: SOURCE, csv: csv!, ndjson: ndjson!, clientOnly: clientOnly!, serverPeakRssMb: Math.round(maxRssKb / 102.4) / 10 };
  } finally {
    server?.kill();
    simulator.kill();
  }
}

/** Runs the bench and prints its table: what bench/run.ts calls. */
export async function runServerBench(): Promise<ServerBenchResult> {
  const result = await benchServer();
  console.log(describeServerBench(result));
  return result;
}

/** One pull, counting data rows (lines minus the csv header, or minus ndjson's header and end records). */
export function pull(url: string, output: 'csv' | 'ndjson'): Promise<FormatFigures> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    let bytes = 0;
    let lines = 0;
    const req = http.get(url, { agent: false }, (res) => {
      if (res.statusCode !== 200) {
        res.resume();
        reject(new Error(`${output} pull answered ${res.statusCode}`));
        return;
      }
      res.on('data', (chunk: Buffer) => {
        bytes += chunk.length;
        let at = chunk.indexOf(10);
        while (at !== -1) {
          lines++;
          at = chunk.indexOf(10, at + 1);
        }
      });
      res.on('end', () => {
        if (!res.complete) return reject(new Error(`${output} pull ended incomplete`));
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        const rows = output === 'csv' ? lines - 1 : lines - 2;
        resolve({ output, rows, bytes, seconds, rowsPerSecond: Math.round(rows / seconds), serverCpuSeconds: 0 });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

/** A child of this file in one of its roles (simulator, server, client). */
export function spawn(role: string, ...args: string[]): ChildProcess {
  return fork(__filename, [role, ...args], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
}

export function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`bench child exited early (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as ChildMessage);
    });
  });
}

export function describeServerBench(r: ServerBenchResult): string {
  const n = (x: number): string => x.toLocaleString('en-GB');
  const lines = [
    `Server end to end: ${n(r.readings)} half-hourly readings of ${r.source}, simulator -> server -> HTTP client, each in its own process; best of runs.`,
    '',
    '| output | rows/s | seconds | body | server CPU | vs client only |',
    '|:--|--:|--:|--:|--:|--:|',
  ];
  for (const f of [r.csv, r.ndjson]) {
    lines.push(
      `| ${f.output} | ${n(f.rowsPerSecond)} | ${f.seconds.toFixed(2)} | ${(f.bytes / 1e6).toFixed(1)} MB | ${f.serverCpuSeconds.toFixed(2)} s | ${(f.seconds / r.clientOnly.seconds).toFixed(2)}x |`,
    );
  }
  lines.push(
    `| client only (same pull, DCS client in one process) | ${n(r.clientOnly.rowsPerSecond)} | ${r.clientOnly.seconds.toFixed(2)} | | ${r.clientOnly.cpuSeconds.toFixed(2)} s | 1.00x |`,
  );
  lines.push('', `Server peak RSS: ${r.serverPeakRssMb} MB. Target: server time <= 1.3x client-only time.`);
  return lines.join('\n');
}

// ------------------------------------------------------------------------------------------------
// Children

async function serveSimulator(): Promise<void> {
  const { startSimulator } = await import('dcs-simulator');
  const simulator = await startSimulator({ port: 0 });
  process.send!({ url: simulator.url });
}

async function serveServer(dcsUrl: string): Promise<void> {
  const { startServer } = await import('../server/server');
  const server = await startServer({ port: 0, https: false, dcsUrl, dcsPublicAccess: true, logLevel: 'error' });
  process.on('message', (message) => {
    if (message === 'rss') process.send!({ maxRssKb: process.resourceUsage().maxRSS });
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMs: (user + system) / 1000 });
    }
  });
  process.send!({ url: server.url });
}

/** The same pull through the DCS client alone, configured as the server configures it. */
async function pullWithClient(dcsUrl: string, readings: number): Promise<void> {
  const { dcsClientFactory } = await import('../server/dcs-settings');
  const { defaultConfig } = await import('../server/config');
  const client = dcsClientFactory(defaultConfig(), dcsUrl)({ userAgent: 'dcs-excel-bench' });
  const pullAll = async (count: number): Promise<number> => {
    const { start, end } = span(count);
    const stream = await client.largeReadings({ id: SOURCE, start, end });
    let n = 0;
    for await (const batch of stream.batches()) n += batch.length;
    return n;
  };
  await pullAll(50_000); // warm up, as the server is warmed up
  const cpuBefore = process.cpuUsage();
  const started = process.hrtime.bigint();
  const count = await pullAll(readings);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const cpu = process.cpuUsage(cpuBefore);
  process.send!({ seconds, readings: count, cpuSeconds: (cpu.user + cpu.system) / 1e6 });
}

if (require.main === module) {
  const [role, a, b] = process.argv.slice(2);
  const child = role === 'simulator' ? serveSimulator() : role === 'server' ? serveServer(a) : role === 'client' ? pullWithClient(a, Number(b)) : undefined;
  if (child) {
    process.on('disconnect', () => process.exit(0));
    child.catch((error: unknown) => {
      process.stderr.write(`server-bench ${role}: ${String(error)}\n`);
      process.exit(1);
    });
  } else {
    runServerBench().catch((error: unknown) => {
      console.error(error);
      process.exit(1);
    });
  }
}
