/**
 * The demo's tariffs and invoices, for the embedded simulator's Main Library (electricity with
 * its reactive register, gas, water): served at `GET /api/bills/demo` so that a user can try
 * `POST /api/bills` at once. Some invoices are right; the others carry one planted error each,
 * the kind bill validation exists to catch. Their figures were worked out from the simulator's
 * half-hours independently of server/bills/ (with test/bills/reference.ts, once, and written down
 * here: they must be redone whenever the simulator's demo estate changes); test/bills/demo.test.ts
 * holds that the check flags every planted error and passes every correct invoice.
 */

import type { TariffJson } from '../api/types';

const ELECTRICITY_SUPPLY = { import: 'R1001', reactive: 'R1147' };
const GAS_SUPPLY = { import: 'R1006' };
const WATER_SUPPLY = { import: 'R1007' };

/** The demo's tariffs; the electricity one is the docs' (docs/checking-bills.md), which the add-in's example starts from. */
export const DEMO_TARIFFS = {
  electricity: {
    standingChargePerDay: 12.5,
    units: [
      { name: 'Day', rate: 0.2231, times: 'Mon-Sun 07:00-24:00' },
      { name: 'Night', rate: 0.1512, times: 'Mon-Sun 00:00-07:00' },
    ],
    capacity: { kva: 200, ratePerKvaPerDay: 0.045, excessRatePerKvaPerDay: 0.09 },
    maxDemand: { measure: 'kVA', rate: 2.1 },
    reactive: { allowance: 0.33, rate: 0.0025 },
    levies: [{ name: 'CCL', ratePerKwh: 0.00775 }],
    vatRate: 0.2,
  },
  gas: {
    standingChargePerDay: 1.2,
    units: [{ name: 'Gas', rate: 0.0595 }],
    levies: [{ name: 'CCL', ratePerKwh: 0.00672 }],
    vatRate: 0.2,
    gas: { calorificValue: 39.4 },
  },
  water: {
    standingChargePerDay: 0.85,
    units: [{ name: 'Water supply', rate: 1.52 }],
    water: { sewerageRate: 2.11, returnToSewer: 0.95, sewerageStandingChargePerDay: 0.65 },
    vatRate: 0,
  },
} satisfies Record<string, TariffJson>;

export interface DemoInvoiceLine {
  name: string;
  quantity?: number;
  amount: number;
}

export interface DemoBill {
  /** Short name, e.g. `electricity-2024-11`. */
  name: string;
  /** The planted error, or null for a correct invoice. */
  planted: string | null;
  /** The invoice lines the check must flag (empty for a correct invoice). */
  flagged: string[];
  request: {
    supply: { import: string; reactive?: string };
    period: { firstDay: string; lastDay: string; timeZone: string };
    tariff: (typeof DEMO_TARIFFS)[keyof typeof DEMO_TARIFFS];
    invoice: { reference: string; lines: DemoInvoiceLine[] };
  };
}

const LONDON = 'Europe/London';

type BillKind = keyof typeof DEMO_TARIFFS;

/**
 * The charges on each kind of invoice, in the invoice's order, VAT last. An invoice's figures give
 * each charge's quantity and amount in turn (both null: not on that invoice), then VAT's amount.
 */
const CHARGES: Record<BillKind, readonly string[]> = {
  electricity: ['Day', 'Night', 'Standing charge', 'Availability', 'Excess capacity', 'Maximum demand', 'Reactive power', 'CCL'],
  gas: ['Gas', 'Standing charge', 'CCL'],
  water: ['Water supply', 'Standing charge', 'Sewerage', 'Sewerage standing charge'],
};

/** The demo invoices of each kind, one row a month (`YYYY-MM`, the calendar month in London): its figures as CHARGES says. */
const INVOICES: Record<BillKind, ReadonlyArray<readonly [month: string, figures: ReadonlyArray<number | null>]>> = {
  electricity: [
    ['2024-10', [72868.55, 16256.97, 12982.99, 1963.03, 31, 387.5, 6200, 279, 960.54, 86.45, 230.99, 485.07, 170.07, 0.43, 85851.54, 665.35, 4024.76]],
    ['2025-01', [69544.71, 15515.42, 14354.04, 2170.33, 31, 387.5, 6200, 279, 1276.49, 114.88, 241.18, 506.47, 215.58, 0.54, 83898.75, 650.22, 3924.87]],
    ['2024-08', [51444.59, 11477.29, 11038.95, 1669.09, 31, 387.5, 6200, 279, null, null, 171.31, 359.76, 418.55, 1.05, 62483.54, 484.25, 2931.59]],
    ['2024-11', [75330.7, 16806.28, 9036.22, 1366.28, 30, 375, 6000, 270, 1160.29, 104.43, 238.68, 501.22, 171.03, 0.43, 84366.92, 653.84, 4015.5]],
    ['2024-09', [56758.75, 12662.88, 11232.86, 1698.41, 30, 375, 6000, 270, 577.5, 51.98, 171.31, 359.76, 297.37, 0.74, 67991.61, 526.93, 3189.14]],
    ['2024-06', [52000.67, 11601.35, 11078.88, 1675.13, 31, 387.5, 6000, 270, null, null, 197.32, 414.37, 415.34, 1.04, 63079.55, 488.87, 2967.65]],
    ['2024-12', [60450.86, 13486.59, 13516.5, 2043.69, 31, 387.5, 6200, 279, 1048.29, 94.35, 233.82, 491.01, 330.99, 0.83, 73967.36, 573.25, 867.81]],
  ],
  gas: [
    ['2024-10', [63376.34, 3770.89, 31, 37.2, 63376.34, 425.89, 846.8]],
    ['2024-11', [89966.79, 5353.02, 30, 36, 89966.79, 604.58, 1198.72]],
  ],
  water: [['2024-10', [602.9, 916.41, 31, 26.35, 572.76, 1208.52, 31, 20.15, 0]]],
};

/** The invoices with a planted error: what is wrong, and the lines the check must flag. The others are correct. */
const PLANTED: Record<string, { error: string; flagged: string[] }> = {
  'electricity-2024-11': { error: 'night units billed as day: 5,000 kWh of night moved to the day rate', flagged: ['Day', 'Night'] },
  'electricity-2024-09': { error: "maximum demand charged on August's peak (171.31 kVA) instead of September's", flagged: ['Maximum demand'] },
  'electricity-2024-06': { error: 'standing charge for 31 days in a 30-day month', flagged: ['Standing charge'] },
  'electricity-2024-12': { error: 'VAT at 5 % instead of 20 %', flagged: ['VAT'] },
  'gas-2024-11': { error: 'm\u00b3 converted to kWh without the volume correction factor (1.02264)', flagged: ['Gas', 'CCL'] },
};

/** An invoice's lines from its figures: each charge's quantity and amount, then VAT's amount. */
function invoiceLines(charges: readonly string[], figures: ReadonlyArray<number | null>): DemoInvoiceLine[] {
  const vat = figures[figures.length - 1];
  if (figures.length !== 2 * charges.length + 1 || vat === null)
    throw new Error(`demo invoice: ${figures.length} figures for ${charges.length} charges and VAT`);
  const lines: DemoInvoiceLine[] = [];
  charges.forEach((name, i) => {
    const [quantity, amount] = [figures[2 * i], figures[2 * i + 1]];
    if (quantity !== null && amount !== null) lines.push({ name, quantity, amount });
  });
  lines.push({ name: 'VAT', amount: vat });
  return lines;
}

/** The last day of a `YYYY-MM` month, as `YYYY-MM-DD`. */
function lastDayOf(month: string): string {
  const [year, monthNumber] = month.split('-').map(Number);
  return new Date(Date.UTC(year, monthNumber, 0)).toISOString().slice(0, 10);
}

function bill(kind: BillKind, month: string, figures: ReadonlyArray<number | null>): DemoBill {
  const name = `${kind}-${month}`;
  const supply = kind === 'electricity' ? ELECTRICITY_SUPPLY : kind === 'gas' ? GAS_SUPPLY : WATER_SUPPLY;
  return {
    name,
    planted: PLANTED[name]?.error ?? null,
    flagged: PLANTED[name] ? [...PLANTED[name].flagged] : [],
    request: {
      supply: { ...supply },
      period: { firstDay: `${month}-01`, lastDay: lastDayOf(month), timeZone: LONDON },
      tariff: DEMO_TARIFFS[kind],
      invoice: { reference: `DEMO-${name.toUpperCase()}`, lines: invoiceLines(CHARGES[kind], figures) },
    },
  };
}

export const DEMO_BILLS: readonly DemoBill[] = (Object.keys(INVOICES) as BillKind[]).flatMap((kind) =>
  INVOICES[kind].map(([month, figures]) => bill(kind, month, figures)),
);
