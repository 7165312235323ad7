/**
 * The worked examples a new invoice-check sheet starts with, so a newcomer sees it work.
 *
 * Against the demo estate (the embedded simulator): the Main Library's electricity for last
 * month, billed close to what was metered (OK); the same register the month before, billed
 * 6.5 % high (CHECK); and the Sports Centre's water for last year, across the meter exchange
 * that year (DATA QUALITY). Billed figures are made from the metered ones when the sheet is
 * inserted and marked as examples. Against a real DCS: one row for its first cumulative
 * register over last month, billed left blank for the user.
 */
import type { Source } from '../../server/api/types';
import { naiveDateTimeToSerial, type DateSystem } from '../excel/dates';
import { wallClockIn } from '../query/presets';
import type { InvoiceExample } from './layout';

export interface ExampleDeps {
  sources(): Promise<Source[]>;
  /** True when the server runs the embedded simulator (GET /api/health). */
  isSimulator(): Promise<boolean>;
  /** What DCS.CONSUMPTION would give: the same request, so the sheet's formulas reuse it. */
  metered(id: string, start: string, end: string, timeZone: string): Promise<number>;
  now: Date;
  timeZone: string;
  /** The workbook's date system: the periods are written as its serials. */
  dateSystem: DateSystem;
}

/** How the demo estate names the two registers the examples use. */
const DEMO_ELECTRICITY = { meter: /^Main Library\b.*Electricity/i, register: /^Active Energy Import$/i };
const DEMO_WATER = { meter: /^Sports Centre\b.*Water/i, register: /^Water Volume$/i };

export async function chooseExamples(deps: ExampleDeps): Promise<InvoiceExample[]> {
  const [sources, simulator] = await Promise.all([deps.sources(), deps.isSimulator()]);
  const clock = wallClockIn(deps.timeZone, deps.now);
  const lastMonth = monthBefore(clock.year, clock.month, 1);
  const monthBeforeLast = monthBefore(clock.year, clock.month, 2);
  const lastYear = { start: `${clock.year - 1}-01-01`, end: `${clock.year - 1}-12-31` };

  const electricity = simulator ? find(sources, DEMO_ELECTRICITY) : undefined;
  const water = simulator ? find(sources, DEMO_WATER) : undefined;
  if (electricity && water) {
    const plans = [
      { reference: `EXAMPLE-${lastMonth.start.slice(0, 7)}`, supplier: 'Example Energy Ltd', source: electricity, period: lastMonth, billedFactor: 1.004 },
      {
        reference: `EXAMPLE-${monthBeforeLast.start.slice(0, 7)}`,
        supplier: 'Example Energy Ltd',
        source: electricity,
        period: monthBeforeLast,
        billedFactor: 1.065,
      },
      { reference: `EXAMPLE-WATER-${clock.year - 1}`, supplier: 'Example Water plc', source: water, period: lastYear, billedFactor: 1 },
    ];
    return Promise.all(
      plans.map(async (plan) => ({
        reference: plan.reference,
        supplier: plan.supplier,
        sourceId: plan.source.id,
        periodStart: naiveDateTimeToSerial(plan.period.start, deps.dateSystem),
        periodEnd: naiveDateTimeToSerial(plan.period.end, deps.dateSystem),
        billed: await madeUpBill(deps, plan.source.id, plan.period, plan.billedFactor),
      })),
    );
  }
  const first = sources.find((s) => !s.isInstantaneous && /wh$/i.test(s.unit)) ?? sources.find((s) => !s.isInstantaneous);
  if (!first) return [];
  return [
    {
      reference: 'EXAMPLE (replace with yours)',
      supplier: '',
      sourceId: first.id,
      periodStart: naiveDateTimeToSerial(lastMonth.start, deps.dateSystem),
      periodEnd: naiveDateTimeToSerial(lastMonth.end, deps.dateSystem),
      billed: '',
    },
  ];
}

/** A billed quantity this far from the metered one, to one decimal place; blank if DCS cannot say. */
async function madeUpBill(deps: ExampleDeps, id: string, period: { start: string; end: string }, factor: number): Promise<number | ''> {
  try {
    const metered = await deps.metered(id, period.start, period.end, deps.timeZone);
    return Math.round(metered * factor * 10) / 10;
  } catch {
    return '';
  }
}

function find(sources: readonly Source[], pattern: { meter: RegExp; register: RegExp }): Source | undefined {
  return sources.find((s) => s.kind === 'register' && s.meter !== undefined && pattern.meter.test(s.meter.name) && pattern.register.test(s.name));
}

/** The calendar month `back` months before (year, month), as its first and last day. */
export function monthBefore(year: number, month: number, back: number): { start: string; end: string } {
  const first = new Date(Date.UTC(year, month - 1 - back, 1));
  const last = new Date(Date.UTC(year, month - back, 0));
  return { start: first.toISOString().slice(0, 10), end: last.toISOString().slice(0, 10) };
}
