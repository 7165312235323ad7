/**
 * Maximum demand and load factor, as a bill states them: demand is energy per hour, so a
 * half-hour's kWh × 2 is its mean demand in kW; the maximum demand of an interval is its
 * largest half-hour's; the load factor is mean demand ÷ maximum demand (1 = perfectly flat).
 *
 * Defined for sources that measure energy per half-hour: cumulative registers and per-period
 * virtual meters whose unit is Wh, kWh or MWh. A register in m³ or an instantaneous one (kW
 * already, or a temperature) has no demand, so these calculations are left out for it.
 */
import type { IntervalCalc } from '../api/types';
import { cleanNumber, type IntervalFigures } from './accumulator';

/** The calculations of this module. */
export const DEMAND_CALCS: readonly IntervalCalc[] = ['maxDemand', 'maxDemandAt', 'loadFactor'];

const DEMAND_UNITS: Readonly<Record<string, string>> = { Wh: 'W', kWh: 'kW', MWh: 'MW' };

/** Half-hours per hour: a half-hour's energy × 2 is its mean power. */
const HALF_HOURS_PER_HOUR = 2;

/** The unit of demand for a source's unit (kWh → kW), or undefined when the source has no demand. */
export function demandUnit(source: { unit: string; isInstantaneous: boolean }): string | undefined {
  return source.isInstantaneous ? undefined : DEMAND_UNITS[source.unit];
}

/** Maximum demand in the interval: the largest half-hour's energy × 2 (kWh → kW). */
export function maxDemand(figures: IntervalFigures): number | null {
  return figures.max === null ? null : cleanNumber(figures.max * HALF_HOURS_PER_HOUR);
}

/** Mean demand ÷ maximum demand over the usable half-hours; null when the maximum is not above zero. */
export function loadFactor(figures: IntervalFigures): number | null {
  if (figures.mean === null || figures.max === null || figures.max <= 0) return null;
  return cleanNumber(figures.mean / figures.max);
}
