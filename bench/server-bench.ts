/**
 * End-to-end throughput of the server: a 1,000,000-reading pull delivered as csv and as ndjson
 * to an HTTP client. Three processes, as in real use: the DCS simulator in one child, our server
 * in another, and the reading client here. Reports rows/s per format and the server's peak RSS.
 *
 * `benchServer()` is called by bench/run.ts; this file is also the entry point of the two
 * children (`node server-bench.js simulator` / `node server-bench.js server <dcsUrl>`).
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as http from 'node:http';

export interface FormatFigures {
  output: 'csv' | 'ndjson';
  rows: number;
  bytes: number;
  seconds: number;
  rowsPerSecond: number;
}

export interface ServerBenchResult {
  readings: number;
  source: string;
  csv: FormatFigures;
  ndjson: FormatFigures;
  /** Peak resident set size of the server process over the whole bench, in MB. */
  serverPeakRssMb: number;
}

export interface ServerBenchOptions {
  /** Readings to pull (half-hours of one register). Default 1,000,000. */
  readings?: number;
  /** Runs per format; the best is reported. Default 2. */
  runs?: number;
  /** Register id to pull (`R<id>`). Default: the demo estate's Main Library electricity register. */
  sourceId?: string;
}

const HALF_HOUR_MS = 1_800_000;
/** Well inside the simulator's data (it has readings from 1900 up to now). */
const START_MS = Date.UTC(1960, 0, 1);

type ChildMessage = { url: string } | { maxRssKb: number };

export async function benchServer(options: ServerBenchOptions = {}): Promise<ServerBenchResult> {
  const readings = options.readings ?? 1_000_000;
  const runs = options.runs ?? 2;
  const sourceId = options.sourceId ?? `R${(await import('../server/simulator')).DEMO_FEATURES.electricityRegisterId}`;

  const simulator = fork(__filename, ['simulator'], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  let server: ChildProcess | undefined;
  try {
    const { url: dcsUrl } = (await nextMessage(simulator)) as { url: string };
    server = fork(__filename, ['server', dcsUrl], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
    const { url } = (await nextMessage(server)) as { url: string };

    const start = new Date(START_MS).toISOString();
    const end = new Date(START_MS + readings * HALF_HOUR_MS).toISOString();
    const query = (output: string, count: number) =>
      `${url}/api/readings?id=${sourceId}&start=${start}&end=${count === readings ? end : new Date(START_MS + count * HALF_HOUR_MS).toISOString()}&output=${output}`;

    // Warm up both processes (JIT, connection pools, the simulator's estate).
    await pull(query('csv', 50_000), 'csv');
    await pull(query('ndjson', 50_000), 'ndjson');

    const best = async (output: 'csv' | 'ndjson'): Promise<FormatFigures> => {
      let winner: FormatFigures | undefined;
      for (let i = 0; i < runs; i++) {
        const figures = await pull(query(output, readings), output);
        if (figures.rows !== readings) throw new Error(`${output}: expected ${readings} rows, got ${figures.rows}`);
        if (!winner || figures.seconds < winner.seconds) winner = figures;
      }
      return winner!;
    };
    const csv = await best('csv');
    const ndjson = await best('ndjson');
    server.send('rss');
    const { maxRssKb } = (await nextMessage(server)) as { maxRssKb: number };
    return { readings, source: sourceId, csv, ndjson, serverPeakRssMb: Math.round(maxRssKb / 102.4) / 10 };
  } finally {
    server?.kill();
    simulator.kill();
  }
}

/** One pull, counting data rows (lines minus the csv header, or minus ndjson's header and end records). */
function pull(url: string, output: 'csv' | 'ndjson'): Promise<FormatFigures> {
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
        resolve({ output, rows, bytes, seconds, rowsPerSecond: Math.round(rows / seconds) });
      });
      res.on('error', reject);
    });
    req.on('error', reject);
  });
}

function nextMessage(child: ChildProcess): Promise<ChildMessage> {
  return new Promise((resolve, reject) => {
    const onExit = (code: number | null) => reject(new Error(`bench child exited early (code ${code})`));
    child.once('exit', onExit);
    child.once('message', (message) => {
      child.off('exit', onExit);
      resolve(message as ChildMessage);
    });
  });
}

/** Formats the figures for `npm run bench`, beside the client-only rate when known. */
export function describeServerBench(result: ServerBenchResult, clientOnlyRowsPerSecond?: number): string {
  const lines = [`server end-to-end, ${result.readings.toLocaleString('en-GB')} readings of ${result.source} over HTTP:`];
  for (const f of [result.csv, result.ndjson]) {
    let line = `  ${f.output.padEnd(6)} ${f.rowsPerSecond.toLocaleString('en-GB').padStart(10)} rows/s  ${f.seconds.toFixed(2)} s  ${(f.bytes / 1e6).toFixed(1)} MB`;
    if (clientOnlyRowsPerSecond !== undefined && clientOnlyRowsPerSecond > 0) {
      const clientSeconds = result.readings / clientOnlyRowsPerSecond;
      line += `  (client only ${clientSeconds.toFixed(2)} s; ratio ${(f.seconds / clientSeconds).toFixed(2)}x, target <= 1.3x)`;
    }
    lines.push(line);
  }
  lines.push(`  server peak RSS ${result.serverPeakRssMb} MB`);
  return lines.join('\n');
}

async function runChild(role: string, dcsUrl: string | undefined): Promise<void> {
  if (role === 'simulator') {
    const { startSimulator } = await import('../server/simulator');
    const simulator = await startSimulator({ port: 0 });
    process.send!({ url: simulator.url });
  } else if (role === 'server') {
    const { startServer } = await import('../server/server');
    const server = await startServer({ port: 0, https: false, dcsUrl, dcsPublicAccess: true, logLevel: 'error' });
    process.on('message', (message) => {
      if (message === 'rss') process.send!({ maxRssKb: process.resourceUsage().maxRSS });
    });
    process.send!({ url: server.url });
  }
  process.on('disconnect', () => process.exit(0));
}

if (require.main === module) {
  const [role, dcsUrl] = process.argv.slice(2);
  if (role === 'simulator' || role === 'server') {
    runChild(role, dcsUrl).catch((error: unknown) => {
      process.stderr.write(`server-bench ${role}: ${String(error)}\n`);
      process.exit(1);
    });
  } else {
    benchServer().then(
      (result) => console.log(describeServerBench(result)),
      (error: unknown) => {
        console.error(error);
        process.exit(1);
      },
    );
  }
}
