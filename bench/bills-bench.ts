/**
 * Shadow bills in bulk: 100 supplies × 12 monthly bills (1,200 bills) in one `POST /api/bills`,
 * against pulling each supply's year of half-hours once from /api/readings, in the same run and
 * against the same embedded simulator, whose request counter gives the DCS calls of each.
 *
 * The estate: the demo's (83 cumulative sources) and EXTRA_BUILDINGS further buildings (the
 * simulator's `extraBuildings` option, 4 cumulative sources each: import, export, gas, water).
 * The supplies: every electricity main incomer (active + reactive register, the demo's full
 * electricity tariff: day/night, standing, availability and excess, kVA demand, reactive, CCL),
 * then other cumulative sources (gas, water, heat, export registers, virtual meters) on a plain
 * unit + standing charge tariff, the first 100 of them. Target: no more DCS calls than pulling
 * each supply's year once. The same bills are then calculated as a Bill check sheet through the
 * add-in's own functions (bill-sheet-bench.ts).
 */
import type { BillsJson, Source } from '../server/api/types';
import { DEMO_TARIFFS } from '../server/bills/demo-bills';
import { startServer } from '../server/server';
import { benchBillSheet, type SheetBenchResult, type SheetBill } from './bill-sheet-bench';

const YEAR = 2024;
const SUPPLIES = 100;
/** Enough for SUPPLIES: 83 + 4 × 5 = 103 cumulative sources. */
const EXTRA_BUILDINGS = 5;

interface Supply {
  import: string;
  reactive?: string;
}

export interface BillsBenchResult {
  supplies: number;
  /** Cumulative sources the estate has (the supplies are the first SUPPLIES of them). */
  available: number;
  bills: number;
  billsSeconds: number;
  billsDcsCalls: number;
  readingsSeconds: number;
  readingsDcsCalls: number;
  /** The same bills as a Bill check sheet calculated through the add-in's functions. */
  sheet: SheetBenchResult;
}

function pickSupplies(sources: Source[]): { supplies: Supply[]; available: number } {
  const cumulative = sources.filter((s) => !s.isInstantaneous);
  const reactive = cumulative.filter((s) => s.unit === 'kVArh');
  const meterOf = (s: Source): string => s.name.split(':')[0];
  const electricity = cumulative
    .filter((s) => s.name.endsWith('Active Energy Import'))
    .map((s) => ({ import: s.id, reactive: reactive.find((r) => meterOf(r) === meterOf(s))?.id }));
  const used = new Set(electricity.flatMap((s) => [s.import, s.reactive]));
  const others = cumulative.filter((s) => !used.has(s.id) && s.unit !== 'kVArh').map((s) => ({ import: s.id }));
  const all = [...electricity, ...others];
  if (all.length < SUPPLIES)
    throw new Error(`the estate has ${all.length} cumulative sources, fewer than the ${SUPPLIES} supplies asked: raise EXTRA_BUILDINGS`);
  return { supplies: all.slice(0, SUPPLIES), available: all.length };
}

function billsFor(supplies: Supply[]): unknown[] {
  const plain = { standingChargePerDay: 1.5, units: [{ name: 'Units', rate: 0.1 }], vatRate: 0.2 };
  return supplies.flatMap((supply) =>
    Array.from({ length: 12 }, (_, month) => ({
      supply,
      period: {
        firstDay: new Date(Date.UTC(YEAR, month, 1)).toISOString().slice(0, 10),
        lastDay: new Date(Date.UTC(YEAR, month + 1, 0)).toISOString().slice(0, 10),
        timeZone: 'Europe/London',
      },
      tariff: supply.reactive ? DEMO_TARIFFS.electricity : plain,
    })),
  );
}

export async function benchBills(): Promise<BillsBenchResult> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    https: false,
    logLevel: 'warn',
    dcsCallBudget: 1_000_000,
    simulator: { extraBuildings: EXTRA_BUILDINGS },
  });
  const simulator = server.simulator;
  if (!simulator) throw new Error('the bench needs the embedded simulator');
  const auth = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
  try {
    const sources = (await (await fetch(`${server.url}/api/sources`, { headers: auth })).json()) as Source[];
    const { supplies, available } = pickSupplies(sources);
    const ids = supplies.flatMap((s) => (s.reactive ? [s.import, s.reactive] : [s.import]));
    // Each supply's year of half-hours, pulled once: registers in DCS's complete format (as bills read them), virtual meters in the standard one.
    let before = simulator.requestCount;
    let started = performance.now();
    for (const [group, format] of [
      [ids.filter((id) => id.startsWith('R')), 'complete'],
      [ids.filter((id) => id.startsWith('VM')), 'standard'],
    ] as const) {
      for (let i = 0; i < group.length; i += 50) {
        const query = `id=${group.slice(i, i + 50).join(',')}&start=${YEAR}-01-01&end=${YEAR + 1}-01-01&format=${format}&output=csv`;
        const res = await fetch(`${server.url}/api/readings?${query}`, { headers: auth });
        if (res.status !== 200) throw new Error(`readings answered ${res.status}`);
        await res.arrayBuffer();
      }
    }
    const readingsSeconds = (performance.now() - started) / 1000;
    const readingsDcsCalls = simulator.requestCount - before;

    const bills = billsFor(supplies);
    before = simulator.requestCount;
    started = performance.now();
    const res = await fetch(`${server.url}/api/bills`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ bills }),
    });
    const body = (await res.json()) as BillsJson;
    const billsSeconds = (performance.now() - started) / 1000;
    if (res.status !== 200 || body.bills.length !== bills.length) throw new Error(`bills answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const billsDcsCalls = simulator.requestCount - before;
    const sheet = await benchBillSheet(server.url, () => simulator.requestCount, bills as SheetBill[]);
    return { supplies: supplies.length, available, bills: bills.length, billsSeconds, billsDcsCalls, readingsSeconds, readingsDcsCalls, sheet };
  } finally {
    await server.close();
  }
}

export function describeBillsBench(r: BillsBenchResult): string {
  return [
    `Shadow bills: ${r.supplies} supplies × 12 months of ${YEAR} (${r.bills} bills) in one POST /api/bills, against pulling each supply's year once (server and simulator in one process).`,
    `The estate: the demo's and ${EXTRA_BUILDINGS} further buildings (simulator option extraBuildings), ${r.available} cumulative sources; the supplies are every main incomer (import + reactive, the full electricity tariff) and then the first other sources (gas, water, heat, export, virtual meters; a plain tariff).`,
    '',
    '| work | seconds | DCS calls | bills/s |',
    '|:--|--:|--:|--:|',
    `| each supply's year as readings csv | ${r.readingsSeconds.toFixed(2)} | ${r.readingsDcsCalls} | |`,
    `| ${r.bills} shadow bills | ${r.billsSeconds.toFixed(2)} | ${r.billsDcsCalls} | ${Math.round(r.bills / r.billsSeconds)} |`,
    `| the same bills as a Bill check sheet (${r.sheet.lines} lines; the add-in's formulas, ${r.sheet.requests} HTTP requests${r.sheet.errors > 0 ? `, **${r.sheet.errors} errors**` : ''}) | ${r.sheet.seconds.toFixed(2)} | ${r.sheet.dcsCalls} | ${Math.round(r.bills / r.sheet.seconds)} |`,
    '',
    `DCS calls, bills ÷ one pull of each year: ${(r.billsDcsCalls / r.readingsDcsCalls).toFixed(2)} (target: <= 1).`,
    ...(r.sheet.firstError === undefined ? [] : [`First error on the sheet: ${r.sheet.firstError}`]),
    `DCS calls, Bill check sheet ÷ one pull of each year: ${(r.sheet.dcsCalls / r.readingsDcsCalls).toFixed(2)} (no target: it reads each import register for its units and again with its reactive register for demand).`,
  ].join('\n');
}

export async function runBillsBench(): Promise<BillsBenchResult> {
  const result = await benchBills();
  console.log(describeBillsBench(result));
  return result;
}

if (require.main === module) {
  runBillsBench().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
