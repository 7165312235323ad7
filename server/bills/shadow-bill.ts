/**
 * The bill a supply should have had, line by line, from its half-hours and its tariff: unit
 * lines per rate, standing charge per day, availability on agreed kVA and excess on measured kVA,
 * maximum demand, reactive energy beyond the allowance, levies per kWh, sewerage, then VAT on the
 * net. Each line's amount is quantity × rate rounded to the penny (money.ts); quantities are exact.
 * Pure: the half-hours come in already pulled.
 */
import type { BillDemandJson, BillJson, BillLineJson, BillQualityJson } from '../api/types';
import { cleanNumber } from '../intervals/accumulator';
import { formatIntervalTime } from '../intervals/wire';
import { measurePeriod, type PeriodMeasures } from './measure-period';
import { addMoney, roundToPence } from './money';
import type { BillRequest } from './request';
import type { HalfHourSeries } from './series';
import { MJ_PER_KWH, type Tariff } from './tariff';

export function shadowBill(request: BillRequest, active: HalfHourSeries, reactive?: HalfHourSeries): BillJson {
  const { period, tariff, supply } = request;
  const m = measurePeriod(request, active, reactive);
  const lines = billLines(tariff, period.days, m, active.unit);
  const net = addMoney(lines.map((line) => line.amount));
  const vat = roundToPence(net * tariff.vatRate);
  const bill: BillJson = {
    supply: { ...supply },
    period: {
      firstDay: period.firstDay,
      lastDay: period.lastDay,
      timeZone: period.timeZone,
      start: formatIntervalTime(period.startMs, period.timeZone),
      end: formatIntervalTime(period.endMs, period.timeZone),
      days: period.days,
    },
    lines,
    net,
    vatRate: tariff.vatRate,
    vat,
    total: addMoney([net, vat]),
    quality: qualityOf(m, active, reactive, kwhPerUnit(tariff)),
  };
  if (tariff.gas) {
    const { correctionFactor, calorificValue } = tariff.gas;
    bill.gas = { volume: cleanNumber(m.total), unit: active.unit, correctionFactor, calorificValue, kwh: cleanNumber(m.total * kwhPerUnit(tariff)) };
  } else if (!tariff.water) bill.demand = demandOf(m, reactive !== undefined, period.timeZone);
  return bill;
}

/** What one unit of the register is in billed units: kWh per m³ for gas, else 1. */
export function kwhPerUnit(tariff: Tariff): number {
  return tariff.gas ? (tariff.gas.correctionFactor * tariff.gas.calorificValue) / MJ_PER_KWH : 1;
}

function line(name: string, quantity: number, unit: string, rate: number, at?: string): BillLineJson {
  const exact = cleanNumber(quantity);
  const json: BillLineJson = { name, quantity: exact, unit, rate, amount: roundToPence(exact * rate) };
  if (at !== undefined) json.at = at;
  return json;
}

function billLines(tariff: Tariff, days: number, m: PeriodMeasures, registerUnit: string): BillLineJson[] {
  const factor = kwhPerUnit(tariff);
  const unitName = tariff.water ? registerUnit : 'kWh';
  const lines = tariff.units.map((u, i) => line(u.name, m.units[i] * factor, unitName, u.rate));
  if (tariff.standingChargePerDay !== undefined) lines.push(line('Standing charge', days, 'day', tariff.standingChargePerDay));
  lines.push(...electricityLines(tariff, days, m));
  for (const levy of tariff.levies) lines.push(line(levy.name, m.total * factor, 'kWh', levy.ratePerKwh));
  if (tariff.water) {
    lines.push(line('Sewerage', m.total * tariff.water.returnToSewer, registerUnit, tariff.water.sewerageRate));
    const standing = tariff.water.sewerageStandingChargePerDay;
    if (standing !== undefined) lines.push(line('Sewerage standing charge', days, 'day', standing));
  }
  return lines;
}

function electricityLines(tariff: Tariff, days: number, m: PeriodMeasures): BillLineJson[] {
  const lines: BillLineJson[] = [];
  const { capacity, maxDemand, reactive } = tariff;
  if (capacity) {
    lines.push(line('Availability', capacity.kva * days, 'kVA-day', capacity.ratePerKvaPerDay));
    const excess = Math.max(0, cleanNumber((m.maxKva?.value ?? 0) - capacity.kva));
    if (capacity.excessRatePerKvaPerDay !== undefined && excess > 0)
      lines.push(line('Excess capacity', excess * days, 'kVA-day', capacity.excessRatePerKvaPerDay));
  }
  if (maxDemand) {
    const peak = maxDemand.measure === 'kVA' ? m.maxKva : m.maxKw;
    lines.push(line('Maximum demand', peak?.value ?? 0, maxDemand.measure, maxDemand.rate));
  }
  if (reactive) lines.push(line('Reactive power', m.excessKvarh, 'kVArh', reactive.rate));
  return lines;
}

function qualityOf(m: PeriodMeasures, active: HalfHourSeries, reactive: HalfHourSeries | undefined, factor: number): BillQualityJson {
  const sources = [active, ...(reactive ? [reactive] : [])].map((s) => ({
    id: s.id,
    name: s.name,
    unit: s.unit,
    ...(m.perSource.get(s.id) ?? { missing: 0, estimated: 0, resets: 0 }),
  }));
  return {
    periods: m.periods,
    missing: m.missing,
    estimated: m.estimated,
    resets: m.resets,
    complete: m.missing === 0 && m.estimated === 0,
    unbanded: { periods: m.unbanded.periods, quantity: cleanNumber(m.unbanded.quantity * factor) },
    sources,
  };
}

function demandOf(m: PeriodMeasures, paired: boolean, timeZone: string): BillDemandJson {
  const at = (peak: { atMs: number } | null): string | null => (peak === null ? null : formatIntervalTime(peak.atMs, timeZone));
  const usable = m.periods - m.missing;
  const meanKw = usable > 0 ? (2 * m.total) / usable : null;
  const demand: BillDemandJson = {
    kwh: cleanNumber(m.total),
    maxDemandKw: m.maxKw === null ? null : cleanNumber(m.maxKw.value),
    maxDemandKwAt: at(m.maxKw),
    loadFactor: meanKw === null || m.maxKw === null || m.maxKw.value === 0 ? null : cleanNumber(meanKw / m.maxKw.value),
  };
  if (!paired) return demand;
  const apparent = Math.hypot(m.pairedKwh, m.pairedKvarh);
  return {
    ...demand,
    maxDemandKva: m.maxKva === null ? null : cleanNumber(m.maxKva.value),
    maxDemandKvaAt: at(m.maxKva),
    kvarh: cleanNumber(m.kvarh),
    powerFactor: apparent === 0 ? null : cleanNumber(m.pairedKwh / apparent),
    excessKvarh: cleanNumber(m.excessKvarh),
  };
}
