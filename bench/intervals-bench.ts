/**
 * Calculated data end to end: 100 sources × one year of half-hours (1,752,000 half-hours) as
 * daily intervals in Europe/London, long and wide csv, against pulling the same half-hours as
 * csv from /api/readings in the same run, with the same simulator and server processes
 * (bench/server-bench.ts's children).
 *
 * The 100 sources: the simulator's 70 cumulative registers (consumption, from DCS's period values,
 * so their readings are pulled in the complete format) and 30 instantaneous registers (mean,
 * min, max, from their values). Targets: intervals time <= 1.2x the readings time, server peak
 * RSS <= 150 MB.
 */
import type { Source } from '../server/api/types';
import { nextMessage, pull, spawn } from './server-bench';
import { printBench, runWhenMain } from './main';

const START = '2023-01-01';
const END = '2024-01-01';
const HALF_HOURS_PER_SOURCE = 365 * 48;

export interface IntervalsBenchResult {
  sources: number;
  halfHours: number;
  readingsSeconds: number;
  longSeconds: number;
  wideSeconds: number;
  /** Server peak RSS after serving the intervals pulls only. */
  intervalsPeakRssMb: number;
  /** Server peak RSS over the whole run, readings pulls included. */
  serverPeakRssMb: number;
}

async function pickSources(url: string): Promise<{ cumulative: string[]; instantaneous: string[] }> {
  const sources = (await (await fetch(`${url}/api/sources`)).json()) as Source[];
  const registers = sources.filter((s) => s.kind === 'register');
  const cumulative = registers.filter((s) => !s.isInstantaneous).map((s) => s.id);
  const instantaneous = registers
    .filter((s) => s.isInstantaneous)
    .map((s) => s.id)
    .slice(0, 100 - cumulative.length);
  return { cumulative, instantaneous };
}

export async function benchIntervals(runs = Math.max(1, Number(process.env.BENCH_REPEAT ?? 3))): Promise<IntervalsBenchResult> {
  const simulator = spawn('simulator');
  let server: ReturnType<typeof spawn> | undefined;
  try {
    const { url: dcsUrl } = (await nextMessage(simulator)) as { url: string };
    server = spawn('server', dcsUrl);
    const { url } = (await nextMessage(server)) as { url: string };
    const { cumulative, instantaneous } = await pickSources(url);
    const all = [...cumulative, ...instantaneous];
    const span = `start=${START}&end=${END}`;
    const readings = [
      `${url}/api/readings?id=${cumulative.join(',')}&${span}&format=complete&output=csv`,
      `${url}/api/readings?id=${instantaneous.join(',')}&${span}&output=csv`,
    ];
    const intervals = `${url}/api/intervals?id=${all.join(',')}&${span}&interval=day&timeZone=Europe/London&output=csv`;
    const wide = `${intervals}&layout=wide&calc=max`;

    await pull(intervals.replace(END, '2023-02-01'), 'csv'); // warm up
    // The server's peak memory while it serves intervals alone, before any readings pull adds its own.
    await pull(intervals, 'csv');
    await pull(wide, 'csv');
    server.send('rss');
    const intervalsRss = (await nextMessage(server)) as { maxRssKb: number };
    let best = { readingsSeconds: Infinity, longSeconds: Infinity, wideSeconds: Infinity };
    for (let i = 0; i < runs; i++) {
      let readingsSeconds = 0;
      for (const query of readings) {
        const figures = await pull(query, 'csv');
        readingsSeconds += figures.seconds;
      }
      const long = await pull(intervals, 'csv');
      if (long.rows !== all.length * 365) throw new Error(`long: expected ${all.length * 365} rows, got ${long.rows}`);
      const wideFigures = await pull(wide, 'csv');
      if (wideFigures.rows !== 365) throw new Error(`wide: expected 365 rows, got ${wideFigures.rows}`);
      best = {
        readingsSeconds: Math.min(best.readingsSeconds, readingsSeconds),
        longSeconds: Math.min(best.longSeconds, long.seconds),
        wideSeconds: Math.min(best.wideSeconds, wideFigures.seconds),
      };
    }
    server.send('rss');
    const { maxRssKb } = (await nextMessage(server)) as { maxRssKb: number };
    return {
      sources: all.length,
      halfHours: all.length * HALF_HOURS_PER_SOURCE,
      ...best,
      intervalsPeakRssMb: Math.round(intervalsRss.maxRssKb / 102.4) / 10,
      serverPeakRssMb: Math.round(maxRssKb / 102.4) / 10,
    };
  } finally {
    server?.kill();
    simulator.kill();
  }
}

export function describeIntervalsBench(r: IntervalsBenchResult): string {
  const n = (x: number): string => Math.round(x).toLocaleString('en-GB');
  const row = (what: string, seconds: number): string =>
    `| ${what} | ${n(r.halfHours / seconds)} | ${seconds.toFixed(2)} | ${(seconds / r.readingsSeconds).toFixed(2)}x |`;
  return [
    `Calculated data: ${r.sources} sources × one year of half-hours (${n(r.halfHours)} half-hours) as daily intervals in Europe/London; best of runs.`,
    '',
    '| pull | half-hours/s | seconds | vs readings csv |',
    '|:--|--:|--:|--:|',
    row('readings csv (the same half-hours)', r.readingsSeconds),
    row('intervals, long csv', r.longSeconds),
    row('intervals, wide csv (calc=max)', r.wideSeconds),
    '',
    `Server peak RSS serving the intervals pulls: ${r.intervalsPeakRssMb} MB (over the whole run, readings pulls included: ${r.serverPeakRssMb} MB).`,
    'Targets: intervals <= 1.2x readings; peak RSS serving intervals <= 150 MB.',
  ].join('\n');
}

export function runIntervalsBench(): Promise<IntervalsBenchResult> {
  return printBench(benchIntervals, describeIntervalsBench);
}

runWhenMain(module, runIntervalsBench);
