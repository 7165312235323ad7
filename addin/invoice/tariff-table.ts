/**
 * The Tariffs sheet's table: the tariff JSON of `POST /api/bills` (docs/checking-bills.md) as
 * rows a person can read and edit, one row per charge, and back. Columns: Tariff (the tariff's
 * name, which invoice lines give), Charge (the bill line's name), Kind (which tariff field the row
 * is), Rate, Times (a unit rate's band), Value (the kind's other figure: agreed kVA, reactive
 * allowance, kW or kVA, calorific value, correction factor, return-to-sewer share) and Lookup
 * key (Tariff | Charge, a formula: what the Bill check sheet finds a row by). DOM-free and
 * Excel-free.
 */
import type { TariffJson } from '../../server/api/types';
import { DEMO_TARIFFS } from '../../server/bills/demo-bills';

export const TARIFF_HEADERS = ['Tariff', 'Charge', 'Kind', 'Rate', 'Times', 'Value', 'Lookup key'] as const;

/** Each kind, the JSON field it stands for, and the line name a bill gives it (unit rates and levies are named by the tariff). */
export const CHARGE_KINDS = {
  unit: { field: 'units[].rate, units[].times', line: undefined },
  'standing charge': { field: 'standingChargePerDay', line: 'Standing charge' },
  availability: { field: 'capacity.ratePerKvaPerDay; Value: capacity.kva', line: 'Availability' },
  'excess capacity': { field: 'capacity.excessRatePerKvaPerDay', line: 'Excess capacity' },
  'maximum demand': { field: 'maxDemand.rate; Value: maxDemand.measure (kW or kVA)', line: 'Maximum demand' },
  reactive: { field: 'reactive.rate; Value: reactive.allowance', line: 'Reactive power' },
  levy: { field: 'levies[].ratePerKwh', line: undefined },
  vat: { field: 'vatRate', line: 'VAT' },
  'calorific value': { field: 'Value: gas.calorificValue (MJ/m³)', line: 'Calorific value' },
  'correction factor': { field: 'Value: gas.correctionFactor', line: 'Correction factor' },
  sewerage: { field: 'water.sewerageRate; Value: water.returnToSewer', line: 'Sewerage' },
  'sewerage standing charge': { field: 'water.sewerageStandingChargePerDay', line: 'Sewerage standing charge' },
} as const;

export type ChargeKind = keyof typeof CHARGE_KINDS;

/** Kinds that are figures of the tariff, not lines of a bill. */
export const NOT_A_LINE: ReadonlySet<ChargeKind> = new Set(['calorific value', 'correction factor']);

export interface TariffRow {
  tariff: string;
  charge: string;
  kind: ChargeKind;
  rate: number | '';
  times: string;
  /** A number, or kW / kVA for maximum demand; '' when the kind has none. */
  value: number | string;
}

/** The defaults the API applies when the JSON leaves a figure out (server/bills/tariff.ts). */
export const TARIFF_DEFAULTS = { reactiveAllowance: 0.33, correctionFactor: 1.02264, returnToSewer: 0.95 } as const;

/** One tariff as Tariffs rows, in the order a bill lists its lines. */
export function tariffRows(name: string, t: TariffJson): TariffRow[] {
  const row = (kind: ChargeKind, charge: string, rate: number | '', value: number | string = '', times = ''): TariffRow => ({
    tariff: name,
    charge,
    kind,
    rate,
    times,
    value,
  });
  const rows = t.units.map((u) => row('unit', u.name, u.rate, '', u.times ?? ''));
  if (t.standingChargePerDay !== undefined) rows.push(row('standing charge', 'Standing charge', t.standingChargePerDay));
  if (t.capacity) {
    rows.push(row('availability', 'Availability', t.capacity.ratePerKvaPerDay, t.capacity.kva));
    if (t.capacity.excessRatePerKvaPerDay !== undefined) rows.push(row('excess capacity', 'Excess capacity', t.capacity.excessRatePerKvaPerDay));
  }
  if (t.maxDemand) rows.push(row('maximum demand', 'Maximum demand', t.maxDemand.rate, t.maxDemand.measure));
  if (t.reactive) rows.push(row('reactive', 'Reactive power', t.reactive.rate, t.reactive.allowance ?? TARIFF_DEFAULTS.reactiveAllowance));
  for (const levy of t.levies ?? []) rows.push(row('levy', levy.name, levy.ratePerKwh));
  if (t.water) {
    rows.push(row('sewerage', 'Sewerage', t.water.sewerageRate, t.water.returnToSewer ?? TARIFF_DEFAULTS.returnToSewer));
    if (t.water.sewerageStandingChargePerDay !== undefined)
      rows.push(row('sewerage standing charge', 'Sewerage standing charge', t.water.sewerageStandingChargePerDay));
  }
  if (t.gas) {
    rows.push(row('calorific value', 'Calorific value', '', t.gas.calorificValue));
    rows.push(row('correction factor', 'Correction factor', '', t.gas.correctionFactor ?? TARIFF_DEFAULTS.correctionFactor));
  }
  rows.push(row('vat', 'VAT', t.vatRate));
  return rows;
}

/** A Tariffs cell that cannot be read: its row (1 = the table's first data row) and column. */
export class TariffTableError extends Error {
  constructor(
    readonly row: number,
    readonly column: string,
    why: string,
  ) {
    super(`Tariffs table, row ${row}, ${column}: ${why}`);
    this.name = 'TariffTableError';
  }
}

/** A cell's value as text: Excel gives numbers, text, booleans or blanks. */
function cellText(value: unknown): string {
  return typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? String(value).trim() : '';
}

/** The table's data rows (values as Excel gives them) read back, by tariff name (case kept as written). */
export function readTariffTable(values: ReadonlyArray<ReadonlyArray<unknown>>): Map<string, TariffRow[]> {
  const tariffs = new Map<string, TariffRow[]>();
  values.forEach((cells, i) => {
    const text = (c: number): string => cellText(cells[c]);
    if (cells.slice(0, 6).every((c) => cellText(c) === '')) return;
    const at = (column: string, why: string) => new TariffTableError(i + 1, column, why);
    const tariff = text(0);
    if (tariff === '') throw at('Tariff', 'is empty; give the tariff a name, which invoice lines then give');
    const kind = text(2).toLowerCase();
    if (!(kind in CHARGE_KINDS)) throw at('Kind', `"${text(2)}" is not a kind; use one of ${Object.keys(CHARGE_KINDS).join(', ')}`);
    const charge = text(1);
    if (charge === '') throw at('Charge', 'is empty; give the name the bill prints for this line');
    const rate = cells[3] === '' || cells[3] === null || cells[3] === undefined ? '' : Number(cells[3]);
    if (rate !== '' && !Number.isFinite(rate)) throw at('Rate', `"${cellText(cells[3])}" is not a number`);
    if (rate === '' && !NOT_A_LINE.has(kind as ChargeKind)) throw at('Rate', 'is empty; give the money per unit');
    const value = typeof cells[5] === 'number' ? cells[5] : text(5);
    const list = tariffs.get(tariff) ?? [];
    if (list.some((r) => r.charge.toLowerCase() === charge.toLowerCase())) throw at('Charge', `"${charge}" is already a charge of tariff "${tariff}"`);
    list.push({ tariff, charge, kind: kind as ChargeKind, rate, times: text(4), value });
    tariffs.set(tariff, list);
  });
  return tariffs;
}

/** The Lookup key column's formula: what the Bill check sheet finds a charge by. */
export const LOOKUP_KEY_FORMULA = '=[@Tariff]&" | "&[@Charge]';

/** Rows as the table's cells, in TARIFF_HEADERS order. */
export function tariffTableCells(rows: readonly TariffRow[]): Array<Array<string | number>> {
  return rows.map((r) => [r.tariff, r.charge, r.kind, r.rate, r.times, r.value, LOOKUP_KEY_FORMULA]);
}

/**
 * The Tariffs sheet's example against a real DCS (the demo's tariffs need the simulator): the
 * docs' electricity tariff, as the demo's electricity bills use it, with 500 kVA agreed.
 */
export const EXAMPLE_TARIFF: TariffJson = { ...DEMO_TARIFFS.electricity, capacity: { ...DEMO_TARIFFS.electricity.capacity, kva: 500 } };
