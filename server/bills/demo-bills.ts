/**
 * The demo's tariffs and invoices, for the embedded simulator's Main Library (electricity with
 * its reactive register, gas, water): served at `GET /api/bills/demo` so that a user can try
 * `POST /api/bills` at once. Some invoices are right; the others carry one planted error each,
 * the kind bill validation exists to catch. Their figures were worked out from the simulator's
 * half-hours independently of server/bills/ (test/bills/reference.ts); test/bills/demo.test.ts
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
      { name: 'Day', quantity: 66834.35, amount: 14910.74 },
      { name: 'Night', quantity: 12569.92, amount: 1900.57 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 188.75, amount: 16.99 },
      { name: 'Maximum demand', quantity: 206.09, amount: 432.79 },
      { name: 'Reactive power', quantity: 207.09, amount: 0.52 },
      { name: 'CCL', quantity: 79404.27, amount: 615.38 },
      { name: 'VAT', amount: 3708.7 },
    ],
  ),
  bill(
    'electricity-2025-01',
    null,
    [],
    'electricity',
    ['2025-01-01', '2025-01-31'],
    [
      { name: 'Day', quantity: 57569.3, amount: 12843.71 },
      { name: 'Night', quantity: 12691.43, amount: 1918.94 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 101.77, amount: 9.16 },
      { name: 'Maximum demand', quantity: 203.28, amount: 426.89 },
      { name: 'Reactive power', quantity: 371.65, amount: 0.93 },
      { name: 'CCL', quantity: 70260.73, amount: 544.52 },
      { name: 'VAT', amount: 3282.13 },
    ],
  ),
  bill(
    'electricity-2024-08',
    null,
    [],
    'electricity',
    ['2024-08-01', '2024-08-31'],
    [
      { name: 'Day', quantity: 59650.32, amount: 13307.99 },
      { name: 'Night', quantity: 11437.13, amount: 1729.29 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Excess capacity', quantity: 24.13, amount: 2.17 },
      { name: 'Maximum demand', quantity: 200.78, amount: 421.63 },
      { name: 'Reactive power', quantity: 330.61, amount: 0.83 },
      { name: 'CCL', quantity: 71087.45, amount: 550.93 },
      { name: 'VAT', amount: 3335.87 },
    ],
  ),
  bill(
    'electricity-2024-11',
    'night units billed as day: 5,000 kWh of night moved to the day rate',
    ['Day', 'Night'],
    'electricity',
    ['2024-11-01', '2024-11-30'],
    [
      { name: 'Day', quantity: 64779.73, amount: 14452.36 },
      { name: 'Night', quantity: 7571.39, amount: 1144.79 },
      { name: 'Standing charge', quantity: 30, amount: 375 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Excess capacity', quantity: 98.35, amount: 8.85 },
      { name: 'Maximum demand', quantity: 203.28, amount: 426.88 },
      { name: 'Reactive power', quantity: 271.46, amount: 0.68 },
      { name: 'CCL', quantity: 72351.12, amount: 560.72 },
      { name: 'VAT', amount: 3447.86 },
    ],
  ),
  bill(
    'electricity-2024-09',
    "maximum demand charged on August's peak (200.78 kVA) instead of September's",
    ['Maximum demand'],
    'electricity',
    ['2024-09-01', '2024-09-30'],
    [
      { name: 'Day', quantity: 57910.07, amount: 12919.74 },
      { name: 'Night', quantity: 11290.25, amount: 1707.09 },
      { name: 'Standing charge', quantity: 30, amount: 375 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Excess capacity', quantity: 456.62, amount: 41.1 },
      { name: 'Maximum demand', quantity: 200.78, amount: 421.64 },
      { name: 'Reactive power', quantity: 284.88, amount: 0.71 },
      { name: 'CCL', quantity: 69200.32, amount: 536.3 },
      { name: 'VAT', amount: 3254.32 },
    ],
  ),
  bill(
    'electricity-2024-06',
    'standing charge for 31 days in a 30-day month',
    ['Standing charge'],
    'electricity',
    ['2024-06-01', '2024-06-30'],
    [
      { name: 'Day', quantity: 65858.4, amount: 14693.01 },
      { name: 'Night', quantity: 11748.84, amount: 1776.42 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6000, amount: 270 },
      { name: 'Excess capacity', quantity: 1114.41, amount: 100.3 },
      { name: 'Maximum demand', quantity: 237.15, amount: 498.01 },
      { name: 'Reactive power', quantity: 229.15, amount: 0.57 },
      { name: 'CCL', quantity: 77607.24, amount: 601.46 },
      { name: 'VAT', amount: 3665.45 },
    ],
  ),
  bill(
    'electricity-2024-12',
    'VAT at 5 % instead of 20 %',
    ['VAT'],
    'electricity',
    ['2024-12-01', '2024-12-31'],
    [
      { name: 'Day', quantity: 47252.93, amount: 10542.13 },
      { name: 'Night', quantity: 11684.13, amount: 1766.64 },
      { name: 'Standing charge', quantity: 31, amount: 387.5 },
      { name: 'Availability', quantity: 6200, amount: 279 },
      { name: 'Maximum demand', quantity: 195.86, amount: 411.3 },
      { name: 'Reactive power', quantity: 682.72, amount: 1.71 },
      { name: 'CCL', quantity: 58937.06, amount: 456.76 },
      { name: 'VAT', amount: 692.25 },
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
