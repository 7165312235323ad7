/**
 * The consumption shapes of the demo estate, built so that a meter's running total at any
 * half hour since 1900 is known in closed form (no summing from 1900 per request).
 *
 * A day's consumption is the sum of a few shared components (base load, occupancy, heating,
 * lighting, solar…), each with a per-day amount (weekday/weekend, term time, weather, season,
 * long-term growth) and an intraday curve. Per-component running sums over days are computed
 * once; a "family" (academic building, hospital, gas heating…) weights the components, and a
 * register scales a family. A total is then: prefix[day] + amount(day) * curveFraction[halfHour].
 */

import { DATA_START_MS, DAY_MS } from './time';

export const HALF_HOURS_PER_DAY = 48;

/** A well-mixed 32-bit hash of two integers: the simulator's only source of "randomness". */
export function hash32(a: number, b: number): number {
  let h = Math.imul(a ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul((b + 0x632be5ab) | 0, 0xc2b2ae35);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  h = Math.imul(h, 0x846ca68b);
  h ^= h >>> 16;
  return h >>> 0;
}

/** A deterministic pseudo-random number in [0, 1). */
export function unitHash(a: number, b: number): number {
  return hash32(a, b) / 4294967296;
}

/** Everything about a calendar day that drives consumption. `d` counts days from 1900-01-01. */
export interface DayInfo {
  d: number;
  /** 0 = Monday … 6 = Sunday (1900-01-01 was a Monday). */
  dow: number;
  weekend: boolean;
  year: number;
  /** 0 = January. */
  month: number;
  /** 0-based day of the year. */
  doy: number;
  /** Mean outdoor temperature, °C. */
  temperature: number;
  heatingDegrees: number;
  coolingDegrees: number;
  /** University activity: 1 in term, less in vacations, near 0 at the Christmas closure. */
  term: number;
  /** Students living in: lower in the summer and over Christmas. */
  residence: number;
  closure: boolean;
  /** 1 in midwinter, 0 at midsummer. */
  darkness: number;
  /** Solar yield relative to a clear midsummer day. */
  solar: number;
  /** Long-term growth of the campus since 1900. */
  growth: number;
  /** Electric vehicles arrived from about 2012. */
  evAdoption: number;
}

const YEAR_DAYS = 365.25;
/** Day of the year (0-based) of the June solstice: the longest day, in the UK as everywhere north. */
const MIDSUMMER_DOY = 172;

/** 1 at midwinter, 0 at midsummer: nights are longest in December, solar yield highest in June. */
function darknessOn(doy: number): number {
  return 0.5 - 0.5 * Math.cos((2 * Math.PI * (doy - MIDSUMMER_DOY)) / YEAR_DAYS);
}

function smoothNoise(d: number, salt: number): number {
  // Weather persists for a few days: average neighbouring daily draws. Result in [-1, 1].
  return (unitHash(d - 1, salt) + 2 * unitHash(d, salt) + unitHash(d + 1, salt)) / 2 - 1;
}

function termFactor(month: number, dayOfMonth: number, doy: number): { term: number; residence: number; closure: boolean } {
  const closure = (month === 11 && dayOfMonth >= 24) || (month === 0 && dayOfMonth === 1);
  if (closure) return { term: 0.1, residence: 0.2, closure };
  if ((month === 11 && dayOfMonth >= 15) || (month === 0 && dayOfMonth <= 8)) return { term: 0.55, residence: 0.35, closure };
  if (doy >= 166 && doy <= 262) return { term: 0.6, residence: 0.35, closure };
  if (doy >= 84 && doy <= 104) return { term: 0.75, residence: 0.6, closure };
  return { term: 1, residence: 1, closure };
}

export function dayInfo(d: number): DayInfo {
  const date = new Date(DATA_START_MS + d * DAY_MS);
  const year = date.getUTCFullYear();
  const month = date.getUTCMonth();
  const dayOfMonth = date.getUTCDate();
  const doy = Math.floor((date.getTime() - Date.UTC(year, 0, 1)) / DAY_MS);
  const dow = d % 7;
  const season = Math.cos((2 * Math.PI * (doy - 20)) / YEAR_DAYS);
  const temperature = 10.5 - 6.8 * season + 3.5 * smoothNoise(d, 11);
  const darkness = darknessOn(doy);
  const clearSky = 0.12 + 0.88 * (1 - darkness);
  const cloud = 0.3 + 0.7 * unitHash(d, 23);
  const yearFraction = year + doy / YEAR_DAYS;
  const { term, residence, closure } = termFactor(month, dayOfMonth, doy);
  return {
    d,
    dow,
    weekend: dow >= 5,
    year,
    month,
    doy,
    temperature,
    heatingDegrees: Math.max(0, 15.5 - temperature),
    coolingDegrees: Math.max(0, temperature - 16),
    term,
    residence,
    closure,
    darkness,
    solar: clearSky * cloud,
    growth: 0.55 + 0.45 / (1 + Math.exp(-(yearFraction - 1985) / 12)),
    evAdoption: 0.03 + 0.97 / (1 + Math.exp(-(yearFraction - 2019) / 2.5)),
  };
}

/** Cumulative fractions of a day's amount at each half-hour boundary: 49 values, 0 … 1. */
type Curve = Float64Array;

function curveFromHourly(weight: (hour: number) => number): Curve {
  const cumulative = new Float64Array(HALF_HOURS_PER_DAY + 1);
  let sum = 0;
  for (let i = 0; i < HALF_HOURS_PER_DAY; i++) {
    sum += Math.max(0, weight((i + 0.5) / 2));
    cumulative[i + 1] = sum;
  }
  for (let i = 0; i <= HALF_HOURS_PER_DAY; i++) cumulative[i] /= sum;
  return cumulative;
}

function between(hour: number, from: number, to: number): boolean {
  return hour >= from && hour < to;
}

const FLAT = curveFromHourly(() => 1);
const OCCUPIED_WEEKDAY = curveFromHourly((h) =>
  h < 6 ? 0.12 : h < 8 ? 0.12 + (h - 6) * 0.44 : h < 17 ? (between(h, 12, 13.5) ? 1.08 : 1) : h < 19 ? 1 - (h - 17) * 0.35 : h < 22 ? 0.3 : 0.12,
);
const OCCUPIED_WEEKEND = curveFromHourly((h) => (between(h, 9, 17) ? 0.6 : 0.15));
const CLINICAL = curveFromHourly((h) => (between(h, 7, 19) ? 1 : between(h, 19, 23) ? 0.55 : 0.3));
const EVENING = curveFromHourly((h) => (h < 1 ? 0.6 : h < 6 ? 0.15 : h < 9 ? 0.8 : h < 16 ? 0.35 : h < 23 ? 1 : 0.8));
const LIGHTING = curveFromHourly((h) => (between(h, 6, 9) || between(h, 15, 22) ? 1 : between(h, 9, 15) ? 0.25 : 0.08));
const HEATING = curveFromHourly((h) => (between(h, 4, 6) ? 1.5 : between(h, 6, 18) ? 1 : between(h, 18, 21) ? 0.6 : 0.08));
const COOLING = curveFromHourly((h) => (between(h, 9, 20) ? Math.sin((Math.PI * (h - 9)) / 11) : 0.02));
const HOT_WATER = curveFromHourly((h) => (between(h, 6, 9) ? 1.2 : between(h, 9, 17) ? 0.5 : between(h, 17, 21) ? 0.9 : 0.15));
const EV_CHARGING = curveFromHourly((h) => (between(h, 7, 10) ? 1.2 : between(h, 10, 16) ? 0.6 : between(h, 16, 20) ? 0.7 : 0.1));
const SOLAR_BY_MONTH: readonly Curve[] = Array.from({ length: 12 }, (_, month) => {
  const darkness = darknessOn(month * 30.4 + 15);
  const halfDay = 4.1 + 4.2 * (1 - darkness);
  const sunrise = 12.1 - halfDay;
  return curveFromHourly((h) => (between(h, sunrise, sunrise + 2 * halfDay) ? Math.sin((Math.PI * (h - sunrise)) / (2 * halfDay)) ** 1.5 : 0));
});

interface Component {
  /** The day's amount, in units where 48 means one unit per half hour. */
  amount(day: DayInfo): number;
  curve(day: DayInfo): Curve;
}

const COMPONENTS = {
  base: { amount: (i) => 48 * i.growth, curve: () => FLAT },
  occupancy: {
    amount: (i) => 48 * i.growth * i.term * (i.weekend ? 0.2 : 1.25) * (i.closure ? 0.1 : 1) * (0.92 + 0.16 * unitHash(i.d, 31)),
    curve: (i) => (i.weekend ? OCCUPIED_WEEKEND : OCCUPIED_WEEKDAY),
  },
  // Wards, theatres and A&E never close; only elective clinics stop at weekends (a hospital's weekend is ~90 % of a weekday).
  clinical: { amount: (i) => 48 * i.growth * (i.weekend ? 0.85 : 1.05) * (0.95 + 0.1 * unitHash(i.d, 37)), curve: () => CLINICAL },
  evening: { amount: (i) => 48 * i.growth * i.residence * (i.weekend ? 1.15 : 0.95), curve: () => EVENING },
  lighting: { amount: (i) => 48 * i.growth * (0.3 + 1.4 * i.darkness), curve: () => LIGHTING },
  heating: { amount: (i) => (48 * i.growth * i.heatingDegrees) / 8, curve: () => HEATING },
  cooling: { amount: (i) => (48 * i.growth * i.coolingDegrees) / 3, curve: () => COOLING },
  hotWater: { amount: (i) => 48 * i.growth * (i.weekend ? 0.8 : 1.1), curve: () => HOT_WATER },
  solar: { amount: (i) => 48 * i.solar, curve: (i) => SOLAR_BY_MONTH[i.month] },
  evCharging: { amount: (i) => 48 * i.evAdoption * (i.weekend ? 0.5 : 1.2) * (0.85 + 0.3 * unitHash(i.d, 41)), curve: () => EV_CHARGING },
} satisfies Record<string, Component>;

export type ComponentName = keyof typeof COMPONENTS;
const COMPONENT_NAMES = Object.keys(COMPONENTS) as ComponentName[];

export type FamilyWeights = Partial<Record<ComponentName, number>>;

/** Consumption shapes, as weights over the shared components. */
export const FAMILIES = {
  academic: { base: 0.35, occupancy: 0.45, lighting: 0.12, cooling: 0.05 },
  laboratory: { base: 0.6, occupancy: 0.3, cooling: 0.08, lighting: 0.05 },
  studentsUnion: { base: 0.3, occupancy: 0.2, evening: 0.45, lighting: 0.08 },
  sports: { base: 0.5, occupancy: 0.25, evening: 0.2, lighting: 0.08 },
  residence: { base: 0.3, evening: 0.55, lighting: 0.15 },
  office: { base: 0.25, occupancy: 0.55, lighting: 0.15, cooling: 0.05 },
  dataCentre: { base: 0.92, cooling: 0.08 },
  hospital: { base: 0.55, clinical: 0.35, lighting: 0.07, cooling: 0.05 },
  carPark: { base: 0.25, evCharging: 0.6, lighting: 0.2 },
  gasHeating: { base: 0.05, hotWater: 0.2, heating: 0.75 },
  gasHospital: { base: 0.25, hotWater: 0.25, heating: 0.5 },
  gasPool: { base: 0.45, hotWater: 0.15, heating: 0.4 },
  gasCatering: { base: 0.05, hotWater: 0.15, occupancy: 0.2, heating: 0.6 },
  gasBoilerHouse: { base: 0.15, hotWater: 0.1, heating: 0.75 },
  waterOccupancy: { base: 0.15, occupancy: 0.85 },
  waterResidence: { base: 0.15, hotWater: 0.3, evening: 0.55 },
  waterHospital: { base: 0.35, clinical: 0.5, hotWater: 0.15 },
  waterPool: { base: 0.6, occupancy: 0.3, evening: 0.1 },
  heat: { base: 0.08, hotWater: 0.12, heating: 0.8 },
  solar: { solar: 1 },
  none: {},
} satisfies Record<string, FamilyWeights>;

export type FamilyName = keyof typeof FAMILIES;

/** Lower bound of `growth`: the base load per half hour never falls below this many units. */
export const MIN_BASE_PER_HALF_HOUR = 0.55;

/**
 * Per-component running sums over days since 1900, extended on demand as the clock advances.
 */
class ComponentPrefixes {
  private days = 0;
  private readonly sums = new Map<ComponentName, Float64Array>();

  constructor() {
    for (const name of COMPONENT_NAMES) this.sums.set(name, new Float64Array(0));
  }

  /** Running sum of a component over days [0, d). */
  prefix(name: ComponentName, d: number): number {
    if (d >= this.days) this.extend(d + 1);
    return (this.sums.get(name) as Float64Array)[d];
  }

  private extend(needed: number): void {
    const target = Math.max(needed, Math.ceil(this.days * 1.25), 1024);
    const grown = new Map<ComponentName, Float64Array>();
    for (const name of COMPONENT_NAMES) {
      const array = new Float64Array(target);
      array.set(this.sums.get(name) as Float64Array);
      grown.set(name, array);
    }
    for (let d = Math.max(this.days, 1); d < target; d++) {
      const info = dayInfo(d - 1);
      for (const name of COMPONENT_NAMES) {
        const array = grown.get(name) as Float64Array;
        array[d] = array[d - 1] + COMPONENTS[name].amount(info);
      }
    }
    for (const [name, array] of grown) this.sums.set(name, array);
    this.days = target;
  }
}

const prefixes = new ComponentPrefixes();

/** Computes the running sums up to a day in advance, so that no request waits for them. */
export function precomputeProfiles(untilDay: number): void {
  prefixes.prefix('base', Math.max(0, untilDay));
}

/**
 * A family's normalised running total, one day at a time: `total(k)` for half hour k since
 * 1900-01-01 is `dayCumulative(day)[k % 48]`. The last day computed is cached, as readings are
 * asked for in time order and several registers share a family.
 */
export class FamilyProfile {
  private readonly weights: Array<[ComponentName, number]>;
  // Two cached days (a period value often needs the next day's first total). Plain fields,
  // not arrays, so that the per-reading lookup stays small enough to be inlined.
  private day0 = -1;
  private day1 = -1;
  private slot0 = new Float64Array(HALF_HOURS_PER_DAY + 1);
  private slot1 = new Float64Array(HALF_HOURS_PER_DAY + 1);
  /** Per half hour, the least a day can contribute: base weight × minimum growth. */
  readonly minimumPerHalfHour: number;

  constructor(readonly name: FamilyName) {
    const weights: FamilyWeights = FAMILIES[name];
    this.weights = Object.entries(weights) as Array<[ComponentName, number]>;
    this.minimumPerHalfHour = (weights.base ?? 0) * MIN_BASE_PER_HALF_HOUR;
  }

  /** Normalised total at half hour k since 1900-01-01. */
  total(k: number): number {
    const d = Math.floor(k / HALF_HOURS_PER_DAY);
    const h = k - d * HALF_HOURS_PER_DAY;
    if (d === this.day0) return this.slot0[h];
    if (d === this.day1) return this.slot1[h];
    return this.load(d)[h];
  }

  /** Computes day d into the older slot: the total at each of its 49 half-hour boundaries. */
  private load(d: number): Float64Array {
    // Keep the most recent day in slot 0.
    const out = this.slot1;
    this.slot1 = this.slot0;
    this.day1 = this.day0;
    out.fill(0);
    if (this.weights.length > 0) {
      const info = dayInfo(d);
      for (const [name, weight] of this.weights) {
        const start = weight * prefixes.prefix(name, d);
        const amount = weight * COMPONENTS[name].amount(info);
        const curve = COMPONENTS[name].curve(info);
        for (let h = 0; h <= HALF_HOURS_PER_DAY; h++) out[h] += start + amount * curve[h];
      }
    }
    this.slot0 = out;
    this.day0 = d;
    return out;
  }
}

const familyProfiles = new Map<FamilyName, FamilyProfile>();

/** One shared profile per family (their per-day cache works best shared). */
export function familyProfile(name: FamilyName): FamilyProfile {
  let profile = familyProfiles.get(name);
  if (!profile) {
    profile = new FamilyProfile(name);
    familyProfiles.set(name, profile);
  }
  return profile;
}
