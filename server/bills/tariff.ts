/**
 * A tariff in its documented JSON form (docs/checking-bills.md), read and checked. Money is in
 * the invoice's currency (pounds in the UK), rates per unit as the supplier states them.
 */
import { BandSyntaxError, parseBand, type Band } from '../time/bands';
import { arrayAt, BillInputError, numberAt, objectAt, optionalNumberAt, rateAt, textAt, type JsonObject } from './input';

/** m³ to kWh: volume correction (temperature and pressure) used by UK gas suppliers. */
export const GAS_CORRECTION_FACTOR = 1.02264;
/** MJ in a kWh. */
export const MJ_PER_KWH = 3.6;
/** The UK distributors' reactive allowance: kVArh up to 0.33 × kWh per half-hour is free. */
export const REACTIVE_ALLOWANCE = 0.33;
/** Water returned to the sewer, when the tariff does not say. */
export const RETURN_TO_SEWER = 0.95;
/** A unit rate without `times` applies to every half-hour. */
const ALL_DAY = 'Mon-Sun 00:00-24:00';

export interface UnitRate {
  name: string;
  rate: number;
  band: Band;
}

export interface Tariff {
  standingChargePerDay?: number;
  units: UnitRate[];
  capacity?: { kva: number; ratePerKvaPerDay: number; excessRatePerKvaPerDay?: number };
  maxDemand?: { measure: 'kW' | 'kVA'; rate: number };
  reactive?: { allowance: number; rate: number };
  levies: { name: string; ratePerKwh: number }[];
  vatRate: number;
  /** The supply's register counts m³ of gas: kWh = m³ × correctionFactor × calorificValue ÷ 3.6. */
  gas?: { calorificValue: number; correctionFactor: number };
  /** The supply's register counts m³ of water: units are per m³, sewerage on a share of them. */
  water?: { sewerageRate: number; returnToSewer: number; sewerageStandingChargePerDay?: number };
}

const TARIFF_FIELDS = ['standingChargePerDay', 'units', 'capacity', 'maxDemand', 'reactive', 'levies', 'vatRate', 'gas', 'water'] as const;

export function parseTariff(value: unknown, field = 'tariff'): Tariff {
  const t = objectAt(value, field, TARIFF_FIELDS);
  const tariff: Tariff = {
    standingChargePerDay: t.standingChargePerDay === undefined ? undefined : rateAt(t.standingChargePerDay, `${field}.standingChargePerDay`, '12.5'),
    units: parseUnits(t.units, `${field}.units`),
    capacity: t.capacity === undefined ? undefined : parseCapacity(t.capacity, `${field}.capacity`),
    maxDemand: t.maxDemand === undefined ? undefined : parseMaxDemand(t.maxDemand, `${field}.maxDemand`),
    reactive: t.reactive === undefined ? undefined : parseReactive(t.reactive, `${field}.reactive`),
    levies: t.levies === undefined ? [] : parseLevies(t.levies, `${field}.levies`),
    vatRate: numberAt(t.vatRate, `${field}.vatRate`, { min: 0, max: 1, example: '0.2 for 20 %' }),
    gas: t.gas === undefined ? undefined : parseGas(t.gas, `${field}.gas`),
    water: t.water === undefined ? undefined : parseWater(t.water, `${field}.water`),
  };
  checkUtility(tariff, t, field);
  return tariff;
}

/** Gas and water tariffs have no capacity, demand or reactive charges, and a tariff is one or the other. */
function checkUtility(tariff: Tariff, t: JsonObject, field: string): void {
  const utility = tariff.gas ? 'gas' : tariff.water ? 'water' : undefined;
  if (tariff.gas && tariff.water) throw new BillInputError(`${field}.water`, 'a tariff is for gas or for water, not both; give one of them');
  if (utility === undefined) return;
  if (tariff.water && tariff.levies.length > 0) throw new BillInputError(`${field}.levies`, 'are charged per kWh; a water tariff bills m³, so it takes none');
  for (const name of ['capacity', 'maxDemand', 'reactive'] as const) {
    if (t[name] !== undefined) throw new BillInputError(`${field}.${name}`, `is an electricity charge; a ${utility} tariff does not take it`);
  }
}

function parseUnits(value: unknown, field: string): UnitRate[] {
  const list = arrayAt(value, field, 'unit rates, e.g. [{"name": "Day", "rate": 0.2231, "times": "Mon-Sun 07:00-24:00"}]');
  if (list.length === 0) throw new BillInputError(field, 'needs at least one unit rate, e.g. [{"name": "Units", "rate": 0.25}]');
  const names = new Set<string>();
  return list.map((entry, i) => {
    const at = `${field}[${i}]`;
    const u = objectAt(entry, at, ['name', 'rate', 'times']);
    const name = textAt(u.name, `${at}.name`, '"Day"');
    if (names.has(name.toLowerCase())) throw new BillInputError(`${at}.name`, `'${name}' is the name of an earlier unit rate; give each a name of its own`);
    names.add(name.toLowerCase());
    return { name, rate: rateAt(u.rate, `${at}.rate`, '0.2231'), band: readBand(u.times, `${at}.times`) };
  });
}

function readBand(value: unknown, field: string): Band {
  if (value === undefined) return parseBand(ALL_DAY);
  try {
    return parseBand(textAt(value, field, '"Mon-Fri 16:00-19:00"'));
  } catch (error) {
    if (error instanceof BandSyntaxError) throw new BillInputError(field, error.message);
    throw error;
  }
}

function parseCapacity(value: unknown, field: string): NonNullable<Tariff['capacity']> {
  const c = objectAt(value, field, ['kva', 'ratePerKvaPerDay', 'excessRatePerKvaPerDay']);
  return {
    kva: numberAt(c.kva, `${field}.kva`, { min: 0, aboveMin: true, example: '500' }),
    ratePerKvaPerDay: rateAt(c.ratePerKvaPerDay, `${field}.ratePerKvaPerDay`, '0.045'),
    excessRatePerKvaPerDay: c.excessRatePerKvaPerDay === undefined ? undefined : rateAt(c.excessRatePerKvaPerDay, `${field}.excessRatePerKvaPerDay`, '0.09'),
  };
}

function parseMaxDemand(value: unknown, field: string): NonNullable<Tariff['maxDemand']> {
  const m = objectAt(value, field, ['measure', 'rate']);
  const measure = m.measure === undefined ? 'kW' : m.measure;
  if (measure !== 'kW' && measure !== 'kVA') throw new BillInputError(`${field}.measure`, `must be "kW" or "kVA" (the period's peak half-hour, × 2)`);
  return { measure, rate: rateAt(m.rate, `${field}.rate`, '2.1') };
}

function parseReactive(value: unknown, field: string): NonNullable<Tariff['reactive']> {
  const r = objectAt(value, field, ['allowance', 'rate']);
  return {
    allowance: optionalNumberAt(r.allowance, `${field}.allowance`, { min: 0, max: 10, example: '0.33 (kVArh per kWh, per half-hour)' }) ?? REACTIVE_ALLOWANCE,
    rate: rateAt(r.rate, `${field}.rate`, '0.0025'),
  };
}

function parseLevies(value: unknown, field: string): Tariff['levies'] {
  return arrayAt(value, field, 'levies, e.g. [{"name": "CCL", "ratePerKwh": 0.00775}]').map((entry, i) => {
    const l = objectAt(entry, `${field}[${i}]`, ['name', 'ratePerKwh']);
    return { name: textAt(l.name, `${field}[${i}].name`, '"CCL"'), ratePerKwh: rateAt(l.ratePerKwh, `${field}[${i}].ratePerKwh`, '0.00775') };
  });
}

function parseGas(value: unknown, field: string): NonNullable<Tariff['gas']> {
  const g = objectAt(value, field, ['calorificValue', 'correctionFactor']);
  return {
    calorificValue: numberAt(g.calorificValue, `${field}.calorificValue`, { min: 20, max: 60, example: '39.5 (MJ/m³, printed on the bill)' }),
    correctionFactor:
      optionalNumberAt(g.correctionFactor, `${field}.correctionFactor`, { min: 0.9, max: 1.1, example: String(GAS_CORRECTION_FACTOR) }) ??
      GAS_CORRECTION_FACTOR,
  };
}

function parseWater(value: unknown, field: string): NonNullable<Tariff['water']> {
  const w = objectAt(value, field, ['sewerageRate', 'returnToSewer', 'sewerageStandingChargePerDay']);
  return {
    sewerageRate: rateAt(w.sewerageRate, `${field}.sewerageRate`, '1.85'),
    returnToSewer: optionalNumberAt(w.returnToSewer, `${field}.returnToSewer`, { min: 0, max: 1, example: '0.95' }) ?? RETURN_TO_SEWER,
    sewerageStandingChargePerDay:
      w.sewerageStandingChargePerDay === undefined ? undefined : rateAt(w.sewerageStandingChargePerDay, `${field}.sewerageStandingChargePerDay`, '0.5'),
  };
}
