/**
 * Monitoring and targeting in bulk: the CUSUM of 100 sources over three years of daily data
 * against one outside air temperature register, in one `POST /api/cusum`, against pulling each
 * source's three years (and the temperature's) once from /api/readings, in the same run and
 * against the same embedded simulator, whose request counter gives the DCS calls of each.
 *
 * The 100 sources: every cumulative source of the demo estate (registers and virtual meters), the
 * baseline 2022 and the report period 2023-2024, daily in Europe/London. Target: no more DCS
 * calls than pulling each source once and the temperature once.
 */
import type { CusumsJson } from '../server/api/types';
import { pullEachOnce, startBenchServer } from './embedded-server';
import { printBench, runWhenMain } from './main';

const SOURCES = 100;
const SPAN = { baselineStart: '2022-01-01', baselineEnd: '2023-01-01', start: '2023-01-01', end: '2025-01-01' };
const DAYS = 365 + 365 + 366;

export interface CusumBenchResult {
  sources: number;
  days: number;
  cusumSeconds: number;
  cusumDcsCalls: number;
  /** Peak RSS of the bench process (server and simulator run in it) after the CUSUM, before any readings pull. */
  cusumPeakRssMb: number;
  /** Peak RSS before the CUSUM: the server and simulator started, the source list asked. */
  startPeakRssMb: number;
  readingsSeconds: number;
  readingsDcsCalls: number;
}

const peakRssMb = (): number => Math.round(process.resourceUsage().maxRSS / 102.4) / 10;

export async function benchCusum(): Promise<CusumBenchResult> {
  const bench = await startBenchServer();
  const { server, auth, sources } = bench;
  try {
    const ids = sources
      .filter((s) => !s.isInstantaneous)
      .map((s) => s.id)
      .slice(0, SOURCES);
    const temperature = sources.find((s) => s.isInstantaneous && s.unit === '°C' && /outside/i.test(s.name))?.id;
    if (!temperature) throw new Error('the demo estate has no outside air temperature register');

    const startPeakRssMb = peakRssMb();
    const before = bench.dcsCalls();
    const started = performance.now();
    const res = await fetch(`${server.url}/api/cusum`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ ids, temperature, ...SPAN, interval: 'day', timeZone: 'Europe/London' }),
    });
    const body = (await res.json()) as CusumsJson;
    const cusumSeconds = (performance.now() - started) / 1000;
    const cusumDcsCalls = bench.dcsCalls() - before;
    if (res.status !== 200 || body.reports.length !== ids.length || body.reports.some((r) => r.intervals.length !== DAYS))
      throw new Error(`cusum answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const cusumPeakRssMb = peakRssMb();

    // The same half-hours pulled once each: registers in DCS's complete format (as consumption reads them), the rest standard.
    const readings = await pullEachOnce(
      bench,
      [
        [ids.filter((id) => id.startsWith('R')), 'complete'],
        [ids.filter((id) => !id.startsWith('R')), 'standard'],
        [[temperature], 'standard'],
      ],
      `start=${SPAN.baselineStart}&end=${SPAN.end}&timeZone=Europe/London`,
    );
    return {
      sources: ids.length,
      days: DAYS,
      cusumSeconds,
      cusumDcsCalls,
      cusumPeakRssMb,
      startPeakRssMb,
      readingsSeconds: readings.seconds,
      readingsDcsCalls: readings.dcsCalls,
    };
  } finally {
    await server.close();
  }
}

export function describeCusumBench(r: CusumBenchResult): string {
  return [
    `CUSUM: ${r.sources} sources × ${r.days} days (baseline 2022, report 2023-2024, daily in Europe/London) against one temperature register in one POST /api/cusum, against pulling each source's three years and the temperature's once (server and simulator in one process).`,
    '',
    '| work | seconds | DCS calls |',
    '|:--|--:|--:|',
    `| each source's and the temperature's half-hours as readings csv | ${r.readingsSeconds.toFixed(2)} | ${r.readingsDcsCalls} |`,
    `| ${r.sources} CUSUM reports | ${r.cusumSeconds.toFixed(2)} | ${r.cusumDcsCalls} |`,
    '',
    `Seconds, CUSUM ÷ pulling once: ${(r.cusumSeconds / r.readingsSeconds).toFixed(2)}. DCS calls, CUSUM ÷ pulling once: ${(r.cusumDcsCalls / r.readingsDcsCalls).toFixed(2)} (target: <= 1).`,
    `Peak RSS of the process after the CUSUM (before the readings pulls): ${r.cusumPeakRssMb} MB; before it: ${r.startPeakRssMb} MB.`,
  ].join('\n');
}

export function runCusumBench(): Promise<CusumBenchResult> {
  return printBench(benchCusum, describeCusumBench);
}

runWhenMain(module, runCusumBench);
