/**
 * An invoice workbook's refresh: 500 `=DCS.CONSUMPTION` cells (100 rows × 5 monthly billing
 * periods, over the demo estate's sources that have a consumption, up to 100), called as Excel calls them in one recalculation (all at once), through the add-in's
 * own function code (cell-functions.ts, its batching ConsumptionMemo and HTTP call) against the
 * server and its embedded simulator. Side by side in the same run:
 *   - one pull per source over the five months together (GET /api/consumption, 50 ids a request):
 *     the least DCS can be asked for these figures, and the target's yardstick;
 *   - one GET /api/consumption per cell: what the add-in did before batching.
 * Counted: HTTP requests the add-in made, DCS calls the simulator answered, seconds.
 * Targets: DCS calls ≤ 1.1 × the single pulls', time ≤ 2 × theirs.
 */
import { ApiClient } from '../addin/api/client';
import type { Fetch } from '../addin/api/http';
import { Session } from '../addin/api/session';
import { consumption, type FunctionsContext } from '../addin/functions/cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from '../addin/functions/consumption-api';
import type { ConsumptionJson, Source } from '../server/api/types';
import { startServer, type StartedServer } from '../server/server';
import { runWhenMain } from './main';

const PERIODS: Array<[string, string]> = [
  ['2024-01-01', '2024-01-31'],
  ['2024-02-01', '2024-02-29'],
  ['2024-03-01', '2024-03-31'],
  ['2024-04-01', '2024-04-30'],
  ['2024-05-01', '2024-05-31'],
];
const ZONE = 'Europe/London';
/** Rows of the invoice sheet: one per supply. Should the demo estate have fewer sources with a consumption, later rows repeat the first ones (a meter listed on two invoices). */
const ROWS = 100;

interface Figures {
  httpRequests: number;
  dcsCalls: number;
  seconds: number;
}

export interface InvoiceBenchResult {
  cells: number;
  rows: number;
  sources: number;
  batched: Figures;
  onePullPerSource: Figures;
  perCell: Figures;
}

/** The add-in's fetch, counting requests. */
function countingFetch(): { fetch: Fetch; count: () => number } {
  let requests = 0;
  const fetch: Fetch = (url, init) => {
    requests++;
    return globalThis.fetch(url, init);
  };
  return { fetch, count: () => requests };
}

async function signedInSession(url: string): Promise<Session> {
  const res = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: 'demo', password: 'demo' }),
  });
  const body = (await res.json()) as { username: string; role: string; token: string };
  const session = new Session();
  session.begin(body);
  return session;
}

async function measure(server: StartedServer, work: () => Promise<number>): Promise<Figures> {
  const before = server.simulator!.requestCount;
  const started = performance.now();
  const httpRequests = await work();
  return { httpRequests, dcsCalls: server.simulator!.requestCount - before, seconds: (performance.now() - started) / 1000 };
}

/** The 500 cells through the add-in's function code, all asked at once as in one recalculation. */
async function refreshCells(url: string, session: Session, rows: string[]): Promise<number> {
  const { fetch, count } = countingFetch();
  const client = new ApiClient({ baseUrl: `${url}/`, fetch, session });
  const ctx: FunctionsContext = {
    session,
    consumption: new ConsumptionMemo(httpConsumptionApi(client, fetch)),
    api: {
      sources: () => Promise.resolve([]),
      readings: () => ({ [Symbol.asyncIterator]: () => ({ next: () => Promise.resolve({ done: true, value: undefined }) }) }),
    },
    defaultTimeZone: () => ZONE,
  };
  const figures = await Promise.all(rows.flatMap((id) => PERIODS.map(([start, end]) => consumption(ctx, id, start, end, ZONE))));
  if (figures.some((figure) => typeof figure !== 'number')) throw new Error('a cell did not get its figure');
  return count();
}

async function getConsumption(url: string, session: Session, ids: string[], start: string, end: string): Promise<void> {
  const query = new URLSearchParams({ id: ids.join(','), start, end, timeZone: ZONE });
  const res = await fetch(`${url}/api/consumption?${query}`, { headers: session.authorizationHeaders() });
  const body = (await res.json()) as ConsumptionJson;
  if (!res.ok || body.results.length !== ids.length) throw new Error(`GET /api/consumption answered ${res.status}`);
}

export async function benchInvoice(): Promise<InvoiceBenchResult> {
  // The "one GET per cell" yardstick sends every cell's request at once, as the unbatched functions
  // did; the per-user cap on requests in progress (MAX_REQUESTS_PER_USER) would refuse most of them.
  const server = await startServer({ port: 0, host: '127.0.0.1', https: false, logLevel: 'warn', maxRequestsPerUser: 1_000_000 });
  try {
    const session = await signedInSession(server.url);
    const sources = (await (await fetch(`${server.url}/api/sources`, { headers: session.authorizationHeaders() })).json()) as Source[];
    const ids = sources.filter((s) => !s.isInstantaneous).map((s) => s.id);
    const rows = Array.from({ length: ROWS }, (_, i) => ids[i % ids.length]);
    const first = PERIODS[0][0];
    const last = PERIODS[PERIODS.length - 1][1];
    // Each run starts with the session's cached source list in place (as a workbook open for a while has).
    const onePullPerSource = await measure(server, async () => {
      for (let i = 0; i < ids.length; i += 50) await getConsumption(server.url, session, ids.slice(i, i + 50), first, last);
      return Math.ceil(ids.length / 50);
    });
    const batched = await measure(server, () => refreshCells(server.url, session, rows));
    // Before batching, identical cells shared one call (the memo): one call per distinct cell.
    const distinct = [...new Set(rows)];
    const perCell = await measure(server, async () => {
      await Promise.all(distinct.flatMap((id) => PERIODS.map(([start, end]) => getConsumption(server.url, session, [id], start, end))));
      return distinct.length * PERIODS.length;
    });
    return { cells: rows.length * PERIODS.length, rows: rows.length, sources: distinct.length, batched, onePullPerSource, perCell };
  } finally {
    await server.close();
  }
}

export async function runInvoiceBench(): Promise<InvoiceBenchResult> {
  const r = await benchInvoice();
  console.log(
    `Invoice workbook refresh: ${r.cells} =DCS.CONSUMPTION cells, ${r.rows} rows (${r.sources} distinct sources) × ${PERIODS.length} monthly periods (${ZONE})`,
  );
  const rows = [
    ['', 'HTTP requests', 'DCS calls', 'seconds'],
    ...(
      [
        ['cells, batched (the add-in)', r.batched],
        ['one pull per source, 5 months', r.onePullPerSource],
        ['one GET per distinct cell (before)', r.perCell],
      ] as const
    ).map(([name, f]) => [name, String(f.httpRequests), String(f.dcsCalls), f.seconds.toFixed(2)]),
  ];
  const widths = rows[0].map((_, c) => Math.max(...rows.map((row) => row[c].length)));
  for (const row of rows) console.log(row.map((cell, c) => (c === 0 ? cell.padEnd(widths[c]) : cell.padStart(widths[c]))).join('  '));
  const callRatio = r.batched.dcsCalls / r.onePullPerSource.dcsCalls;
  const timeRatio = r.batched.seconds / r.onePullPerSource.seconds;
  console.log(`batched ÷ one pull per source: DCS calls ${callRatio.toFixed(2)}× (target ≤ 1.1×), time ${timeRatio.toFixed(2)}× (target ≤ 2×)`);
  return r;
}

runWhenMain(module, runInvoiceBench);
