/**
 * Shadow bills for many supplies and periods at once, costing DCS one pull per source over the
 * span of all the bills that read it (a supply's twelve monthly bills are one year's pull).
 * HTTP-free: refusals are BillInputError (a field and a message); the route (routes/bills.ts) is
 * thin. Series are held only while a bill still needs them.
 */
import type { BillJson } from '../api/types';
import type { DcsClient } from 'dcs-client';
import type { CatalogueSource } from '../catalogue';
import { HALF_HOUR_MS } from '../time/wall-calendar';
import type { SourceIntervalsOptions } from '../intervals/source-intervals';
import { fieldPath, BillInputError } from './input';
import { checkInvoice } from './invoice-check';
import type { BillRequest } from './request';
import { loadSeries, type HalfHourSeries } from './series';
import { shadowBill } from './shadow-bill';

export { BillInputError } from './input';
export { parseBillsBody, type BillRequest } from './request';

/** Each source's span: from the earliest bill's start to the latest bill's end that reads it. */
export function planPulls(requests: readonly BillRequest[]): Map<string, { startMs: number; endMs: number }> {
  const spans = new Map<string, { startMs: number; endMs: number }>();
  for (const { supply, period } of requests) {
    for (const id of [supply.import, supply.reactive]) {
      if (id === undefined) continue;
      const span = spans.get(id);
      const startMs = Math.floor(period.startMs / HALF_HOUR_MS) * HALF_HOUR_MS;
      const endMs = Math.ceil(period.endMs / HALF_HOUR_MS) * HALF_HOUR_MS;
      spans.set(id, span === undefined ? { startMs, endMs } : { startMs: Math.min(span.startMs, startMs), endMs: Math.max(span.endMs, endMs) });
    }
  }
  return spans;
}

/** Refuses a supply whose registers cannot carry the bill, naming the field. */
export function checkSupplySources(requests: readonly BillRequest[], sourceOf: (id: string) => CatalogueSource, fieldOf: (index: number) => string): void {
  requests.forEach((request, index) => {
    const at = (name: string): string => fieldPath(fieldOf(index), name);
    for (const [name, id] of [
      ['supply.import', request.supply.import],
      ['supply.reactive', request.supply.reactive],
    ] as const) {
      if (id === undefined) continue;
      const source = sourceOf(id);
      if (source.isInstantaneous) {
        throw new BillInputError(at(name), `${id} (${source.name}) is instantaneous (${source.unit}); a bill needs an energy or volume register`);
      }
    }
    const unit = sourceOf(request.supply.import).unit.toLowerCase();
    const isVolume = unit === 'm3' || unit === 'm³';
    if (request.tariff.gas && !isVolume) {
      throw new BillInputError(
        at('tariff.gas'),
        `converts m³ to kWh, but ${request.supply.import} counts ${unit}; leave gas out when the register is already in kWh`,
      );
    }
    if (request.tariff.water && !isVolume)
      throw new BillInputError(at('tariff.water'), `needs a volume register (m³); ${request.supply.import} counts ${unit}`);
  });
}

export interface ComputeBillsOptions extends SourceIntervalsOptions {
  sourceOf: (id: string) => CatalogueSource;
}

/** The bills in the order asked; sources pulled once each, in the order the bills first need them. */
export async function computeBills(dcs: DcsClient, requests: readonly BillRequest[], options: ComputeBillsOptions): Promise<BillJson[]> {
  const spans = planPulls(requests);
  const order = requests.map((_, i) => i).sort((a, b) => keyOf(requests[a]).localeCompare(keyOf(requests[b])) || a - b);
  const lastUse = new Map<string, number>();
  order.forEach((index, position) => {
    const { supply } = requests[index];
    lastUse.set(supply.import, position);
    if (supply.reactive !== undefined) lastUse.set(supply.reactive, position);
  });
  const held = new Map<string, HalfHourSeries>();
  const load = async (id: string): Promise<HalfHourSeries> => {
    let series = held.get(id);
    if (series === undefined) {
      const span = spans.get(id) as { startMs: number; endMs: number };
      series = await loadSeries(dcs, options.sourceOf(id), span.startMs, span.endMs, options);
      held.set(id, series);
    }
    return series;
  };
  const bills: BillJson[] = new Array<BillJson>(requests.length);
  for (const [position, index] of order.entries()) {
    const request = requests[index];
    const active = await load(request.supply.import);
    const reactive = request.supply.reactive === undefined ? undefined : await load(request.supply.reactive);
    const bill = shadowBill(request, active, reactive);
    if (request.invoice) bill.check = checkInvoice(bill, request.invoice);
    bills[index] = bill;
    for (const [id, last] of lastUse) if (last === position) held.delete(id);
  }
  return bills;
}

function keyOf(request: BillRequest): string {
  return `${request.supply.import} ${request.supply.reactive ?? ''}`;
}
