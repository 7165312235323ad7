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
import { pullEachOnce, startBenchServer } from './embedded-server';
import { benchBillSheet, type SheetBenchResult, type SheetBill } from './bill-sheet-bench';
import { printBench, runWhenMain } from './main';

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
  // A register's name is its own ("Active Energy Import"); its meter says which supply it belongs to.
  const meterOf = (s: Source): string => (s.meter ? `meter ${s.meter.id}` : s.name.split(':')[0]);
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
  const bench = await startBenchServer({ extraBuildings: EXTRA_BUILDINGS });
  const { server, auth } = bench;
  try {
    const { supplies, available } = pickSupplies(bench.sources);
    const ids = supplies.flatMap((s) => (s.reactive ? [s.import, s.reactive] : [s.import]));
    // Each supply's year of half-hours, pulled once: registers in DCS's complete format (as bills read them), virtual meters in the standard one.
    const readings = await pullEachOnce(
      bench,
      [
        [ids.filter((id) => id.startsWith('R')), 'complete'],
        [ids.filter((id) => id.startsWith('VM')), 'standard'],
      ],
      `start=${YEAR}-01-01&end=${YEAR + 1}-01-01`,
    );

    const bills = billsFor(supplies);
    const before = bench.dcsCalls();
    const started = performance.now();
    const res = await fetch(`${server.url}/api/bills`, {
      method: 'POST',
      headers: { ...auth, 'Content-Type': 'application/json' },
      body: JSON.stringify({ bills }),
    });
    const body = (await res.json()) as BillsJson;
    const billsSeconds = (performance.now() - started) / 1000;
    if (res.status !== 200 || body.bills.length !== bills.length) throw new Error(`bills answered ${res.status}: ${JSON.stringify(body).slice(0, 300)}`);
    const billsDcsCalls = bench.dcsCalls() - before;
    const sheet = await benchBillSheet(server.url, bench.dcsCalls, bills as SheetBill[]);
    return {
      supplies: supplies.length,
      available,
      bills: bills.length,
      billsSeconds,
      billsDcsCalls,
      readingsSeconds: readings.seconds,
      readingsDcsCalls: readings.dcsCalls,
      sheet,
    };
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

export function runBillsBench(): Promise<BillsBenchResult> {
  return printBench(benchBills, describeBillsBench);
}

runWhenMain(module, runBillsBench);
