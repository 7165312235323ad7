/**
 * The demo's tariffs and invoices, for the embedded simulator's Main Library (electricity with
 * its reactive register, gas, water): served at `GET /api/bills/demo` so that a user can try
 * `POST /api/bills` at once. Some invoices are right; the others carry one planted error each,
 * the kind bill validation exists to catch. Their figures were worked out from the simulator's
 * half-hours independently of server/bills/ (with test/bills/reference.ts, once, and written down
 * here: they must be redone whenever the simulator's demo estate changes); test/bills/demo.test.ts
 * holds that the check flags every planted error and passes every correct invoice.
 */

const ELECTRICITY_SUPPLY = { import: 'R1001', reactive: 'R1147' };
const GAS_SUPPLY = { import: 'R1006' };
const WATER_SUPPLY = { import: 'R1007' };

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
} as const;

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

function bill(
  name: string,
  planted: string | null,
  flagged: string[],
  kind: keyof typeof DEMO_TARIFFS,
  month: [string, string],
  lines: DemoInvoiceLine[],
): DemoBill {
  const supply = kind === 'electricity' ? ELECTRICITY_SUPPLY : kind === 'gas' ? GAS_SUPPLY : WATER_SUPPLY;
  return {
    name,
    planted,
    flagged,
    request: {
      supply: { ...supply },
      period: { firstDay: month[0], lastDay: month[1], timeZone: LONDON },
      tariff: DEMO_TARIFFS[kind],
      invoice: { reference: `DEMO-${name.toUpperCase()}`, lines },
    },
  };
}

export const DEMO_BILLS: readonly DemoBill[] = [
  bill(
    'electricity-2024-10',
    null,
    [],
    'electricity',
    ['2024-10-01', '2024-10-31'],
    [
      { name: 'Day', quantity: 72868.55, amount: 16256.97 },
      { name: 'Night', quantity: 12982.99, amount: 1963.03 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 960.54, amount: 86.45 },
      { name: 'Maximum demand', quantity: 230.99, amount: 485.07 },
      { name: 'Reactive power', quantity: 170.07, amount: 0.43 },
      { name: 'CCL', quantity: 85851.54, amount: 665.35 },
      { name: 'VAT', amount: 4024.76 },
    ],
  ),
  bill(
    'electricity-2025-01',
    null,
    [],
    'electricity',
    ['2025-01-01', '2025-01-31'],
    [
      { name: 'Day', quantity: 69544.71, amount: 15515.42 },
      { name: 'Night', quantity: 14354.04, amount: 2170.33 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 1276.49, amount: 114.88 },
      { name: 'Maximum demand', quantity: 241.18, amount: 506.47 },
      { name: 'Reactive power', quantity: 215.58, amount: 0.54 },
      { name: 'CCL', quantity: 83898.75, amount: 650.22 },
      { name: 'VAT', amount: 3924.87 },
    ],
  ),
  bill(
    'electricity-2024-08',
    null,
    [],
    'electricity',
    ['2024-08-01', '2024-08-31'],
    [
      { name: 'Day', quantity: 51444.59, amount: 11477.29 },
      { name: 'Night', quantity: 11038.95, amount: 1669.09 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Maximum demand', quantity: 171.31, amount: 359.76 },
      { name: 'Reactive power', quantity: 418.55, amount: 1.05 },
      { name: 'CCL', quantity: 62483.54, amount: 484.25 },
      { name: 'VAT', amount: 2931.59 },
    ],
  ),
  bill(
    'electricity-2024-11',
    'night units billed as day: 5,000 kWh of night moved to the day rate',
    ['Day', 'Night'],
    'electricity',
    ['2024-11-01', '2024-11-30'],
    [
      { name: 'Day', quantity: 75330.7, amount: 16806.28 },
      { name: 'Night', quantity: 9036.22, amount: 1366.28 },
      { name: 'Standing charge', quantity: 30, amount: 375 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Excess capacity', quantity: 1160.29, amount: 104.43 },
      { name: 'Maximum demand', quantity: 238.68, amount: 501.22 },
      { name: 'Reactive power', quantity: 171.03, amount: 0.43 },
      { name: 'CCL', quantity: 84366.92, amount: 653.84 },
      { name: 'VAT', amount: 4015.5 },
    ],
  ),
  bill(
    'electricity-2024-09',
    "maximum demand charged on August's peak (171.31 kVA) instead of September's",
    ['Maximum demand'],
    'electricity',
    ['2024-09-01', '2024-09-30'],
    [
      { name: 'Day', quantity: 56758.75, amount: 12662.88 },
      { name: 'Night', quantity: 11232.86, amount: 1698.41 },
      { name: 'Standing charge', quantity: 30, amount: 375 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Excess capacity', quantity: 577.5, amount: 51.98 },
      { name: 'Maximum demand', quantity: 171.31, amount: 359.76 },
      { name: 'Reactive power', quantity: 297.37, amount: 0.74 },
      { name: 'CCL', quantity: 67991.61, amount: 526.93 },
      { name: 'VAT', amount: 3189.14 },
    ],
  ),
  bill(
    'electricity-2024-06',
    'standing charge for 31 days in a 30-day month',
    ['Standing charge'],
    'electricity',
    ['2024-06-01', '2024-06-30'],
    [
      { name: 'Day', quantity: 52000.67, amount: 11601.35 },
      { name: 'Night', quantity: 11078.88, amount: 1675.13 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Maximum demand', quantity: 197.32, amount: 414.37 },
      { name: 'Reactive power', quantity: 415.34, amount: 1.04 },
      { name: 'CCL', quantity: 63079.55, amount: 488.87 },
      { name: 'VAT', amount: 2967.65 },
    ],
  ),
  bill(
    'electricity-2024-12',
    'VAT at 5 % instead of 20 %',
    ['VAT'],
    'electricity',
    ['2024-12-01', '2024-12-31'],
    [
      { name: 'Day', quantity: 60450.86, amount: 13486.59 },
      { name: 'Night', quantity: 13516.5, amount: 2043.69 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 1048.29, amount: 94.35 },
      { name: 'Maximum demand', quantity: 233.82, amount: 491.01 },
      { name: 'Reactive power', quantity: 330.99, amount: 0.83 },
      { name: 'CCL', quantity: 73967.36, amount: 573.25 },
      { name: 'VAT', amount: 867.81 },
    ],
  ),
  bill(
    'gas-2024-10',
    null,
    [],
    'gas',
    ['2024-10-01', '2024-10-31'],
    [
      { name: 'Gas', quantity: 63376.34, amount: 3770.89 },
      { name: 'Standing charge', quantity: 31, amount: 37.2 },
      { name: 'CCL', quantity: 63376.34, amount: 425.89 },
      { name: 'VAT', amount: 846.8 },
    ],
  ),
  bill(
    'gas-2024-11',
    'm\u00b3 converted to kWh without the volume correction factor (1.02264)',
    ['Gas', 'CCL'],
    'gas',
    ['2024-11-01', '2024-11-30'],
    [
      { name: 'Gas', quantity: 89966.79, amount: 5353.02 },
      { name: 'Standing charge', quantity: 30, amount: 36 },
      { name: 'CCL', quantity: 89966.79, amount: 604.58 },
      { name: 'VAT', amount: 1198.72 },
    ],
  ),
  bill(
    'water-2024-10',
    null,
    [],
    'water',
    ['2024-10-01', '2024-10-31'],
    [
      { name: 'Water supply', quantity: 602.9, amount: 916.41 },
      { name: 'Standing charge', quantity: 31, amount: 26.35 },
      { name: 'Sewerage', quantity: 572.76, amount: 1208.52 },
      { name: 'Sewerage standing charge', quantity: 31, amount: 20.15 },
      { name: 'VAT', amount: 0 },
    ],
  ),
];
