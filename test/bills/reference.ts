/**
 * A second, deliberately plain computation of a bill, for tests only: from the raw half-hours
 * /api/readings gives (DCS's period values), with local times read through Intl here and bands
 * written as predicates, so nothing of server/bills/ or server/time/bands.ts stands behind the
 * figures the tests expect.
 */
import assert from 'node:assert/strict';
import type { ReadingsJson } from '../../server/api/types';
import { getJson } from '../server/helpers';

export interface RawHalfHour {
  /** Start, epoch ms. */
  t: number;
  kwh: number;
  kvarh?: number;
}

export interface LocalTime {
  weekday: string;
  hour: number;
  minute: number;
}

export function localTime(t: number, zone: string): LocalTime {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, weekday: 'short', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(t);
  const part = (type: string): string => parts.find((p) => p.type === type)?.value ?? '';
  return { weekday: part('weekday'), hour: Number(part('hour')), minute: Number(part('minute')) };
}

/** DCS's half-hourly period values of a register over [startIso, endIso), from /api/readings. */
export async function periodValues(url: string, id: string, startIso: string, endIso: string): Promise<Map<number, number>> {
  const params = new URLSearchParams({ id, start: startIso, end: endIso, periodType: 'halfHour', format: 'complete', output: 'json' });
  const { status, body } = await getJson<ReadingsJson>(`${url}/api/readings?${params}`);
  assert.equal(status, 200, JSON.stringify(body));
  const values = new Map<number, number>();
  for (const r of body.sources[0].readings) if ('periodValue' in r && typeof r.periodValue === 'number') values.set(Date.parse(r.timestamp), r.periodValue);
  return values;
}

export async function rawHalfHours(url: string, active: string, reactive: string | undefined, startIso: string, endIso: string): Promise<RawHalfHour[]> {
  const p = await periodValues(url, active, startIso, endIso);
  const q = reactive === undefined ? undefined : await periodValues(url, reactive, startIso, endIso);
  return [...p.entries()].sort((a, b) => a[0] - b[0]).map(([t, kwh]) => ({ t, kwh, kvarh: q?.get(t) }));
}

/** Half away from zero to the penny (the figures here are positive). */
export function pence(value: number): number {
  return Math.round(value * 100 + 1e-7) / 100;
}

export const sum = (values: number[]): number => values.reduce((a, b) => a + b, 0);

/** Peak kW (kWh × 2) and peak kVA (√(kWh² + kVArh²) × 2), worked out here. */
export function peaks(halfHours: RawHalfHour[]): { kw: number; kva: number; kvaAt: number } {
  let kw = 0;
  let kva = 0;
  let kvaAt = 0;
  for (const h of halfHours) {
    kw = Math.max(kw, 2 * h.kwh);
    const apparent = 2 * Math.sqrt(h.kwh * h.kwh + (h.kvarh ?? 0) ** 2);
    if (apparent > kva) [kva, kvaAt] = [apparent, h.t];
  }
  return { kw, kva, kvaAt };
}

export function excessReactive(halfHours: RawHalfHour[], allowance: number): number {
  return sum(halfHours.map((h) => Math.max(0, (h.kvarh ?? 0) - allowance * h.kwh)));
}

/** Expected line: name, quantity, amount (quantity × rate to the penny). */
export interface ExpectedLine {
  name: string;
  quantity: number;
  amount: number;
}

export function expectedLine(name: string, quantity: number, rate: number): ExpectedLine {
  return { name, quantity, amount: pence(quantity * rate) };
}
