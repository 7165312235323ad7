/**
 * What each register and virtual meter reads at a given half hour. Time is counted in half
 * hours since 1900-01-01T00:00Z ("k"). Values are integers in the source's scaled units
 * (value × 10^decimals) so that totals and period values are exactly consistent.
 */

import { Scaling } from './scaling';
import { dayInfo, FamilyProfile, familyProfile, FamilyName, HALF_HOURS_PER_DAY, unitHash } from './profiles';
import { compileExpression, Evaluator } from './expression';

/** Half-hour indices [start, end). */
export interface Spell {
  start: number;
  end: number;
}

function inSpells(spells: readonly Spell[], k: number): Spell | undefined {
  for (const spell of spells) if (k >= spell.start && k < spell.end) return spell;
  return undefined;
}

export interface CumulativeSpec {
  kind: 'cumulative';
  family: FamilyName;
  /** Average consumption per half hour, in the register's unit (before growth and seasons). */
  perHalfHour: number;
  /** The meter's total on 1900-01-01. */
  initialTotal: number;
  decimals: number;
  seed: number;
}

export interface CumulativeFeatures {
  /** Missing readings: absent, or interpolated (status 1) when asked. */
  gaps: Spell[];
  /** Readings whose value is NaN. */
  nanSpells: Spell[];
  /** A register reset (meter exchange): the total restarts at 0 from this half hour, status 2. */
  resetAt?: number;
  /** A calibration reading: from this half hour, calibrated totals carry the offset. */
  calibration?: { from: number; offset: number };
  /** Equipment left running: from this half hour on, every half hour adds `perHalfHour` more. */
  leftOn?: { from: number; perHalfHour: number };
}

/** Slow drift every SLOW_KNOT half hours, small jitter every half hour: both telescope in the total. */
const SLOW_KNOT = 8;

export class CumulativeModel {
  readonly scaling: Scaling;
  private readonly profile: FamilyProfile;
  private readonly fastNoise: number;
  private readonly slowNoise: number;
  private readonly resetAdjustment: number;
  private readonly calibrationOffset: number;
  /** Outside [featuresFrom, featuresTo) no feature applies: the fast path. */
  private readonly featuresFrom: number;
  private readonly featuresTo: number;

  constructor(
    readonly spec: CumulativeSpec,
    readonly features: CumulativeFeatures = { gaps: [], nanSpells: [] },
  ) {
    this.scaling = new Scaling(spec.decimals);
    this.profile = familyProfile(spec.family);
    // Noise may take back at most 3/4 of the smallest half-hour consumption, so it never runs backwards.
    const floor = spec.perHalfHour * this.profile.minimumPerHalfHour;
    this.fastNoise = 0.25 * floor;
    this.slowNoise = 0.5 * floor * SLOW_KNOT;
    const spells = [...features.gaps, ...features.nanSpells];
    const starts = spells.map((s) => s.start);
    const ends = spells.map((s) => s.end);
    if (features.resetAt !== undefined) {
      starts.push(features.resetAt);
      ends.push(Infinity);
    }
    if (features.calibration) {
      starts.push(features.calibration.from);
      ends.push(Infinity);
    }
    this.featuresFrom = starts.length ? Math.min(...starts) : Infinity;
    this.featuresTo = ends.length ? Math.max(...ends) : -Infinity;
    this.resetAdjustment = features.resetAt === undefined ? 0 : this.trueScaled(features.resetAt);
    this.calibrationOffset = features.calibration ? this.scaling.scale(features.calibration.offset) : 0;
  }

  // The slow drift's current knot pair: consecutive half hours share it.
  private knot = -1;
  private knotFrom = 0;
  private knotTo = 0;

  /** The meter's physical running total at k, as a float, before any feature. */
  trueTotal(k: number): number {
    const seed = this.spec.seed;
    const knot = Math.floor(k / SLOW_KNOT);
    if (knot !== this.knot) {
      this.knot = knot;
      this.knotFrom = unitHash(knot, seed);
      this.knotTo = unitHash(knot + 1, seed);
    }
    const f = (k - knot * SLOW_KNOT) / SLOW_KNOT;
    const slow = this.knotFrom * (1 - f) + this.knotTo * f;
    const leftOn = this.features.leftOn;
    const extra = leftOn !== undefined && k > leftOn.from ? leftOn.perHalfHour * (k - leftOn.from) : 0;
    return this.spec.initialTotal + this.spec.perHalfHour * this.profile.total(k) + this.fastNoise * unitHash(k, seed ^ 0x5bd1) + this.slowNoise * slow + extra;
  }

  private trueScaled(k: number): number {
    return Math.round(this.trueTotal(k) * this.scaling.factor);
  }

  isMissing(k: number): boolean {
    return k >= this.featuresFrom && k < this.featuresTo && inSpells(this.features.gaps, k) !== undefined;
  }

  isNaN(k: number): boolean {
    return k >= this.featuresFrom && k < this.featuresTo && inSpells(this.features.nanSpells, k) !== undefined;
  }

  /** 2 (reset) on the first reading after a register reset, else 0; 1 is added by the caller for gaps. */
  resetStatus(k: number): number {
    return k === this.features.resetAt ? 2 : 0;
  }

  /**
   * The continuous total in scaled units: what the meter would read with no reset, with
   * missing readings linearly interpolated between their neighbours (as DCS estimates them).
   * Differences of this are consumption.
   */
  continuousScaled(k: number): number {
    if (k >= this.featuresFrom && k < this.featuresTo) {
      const gap = inSpells(this.features.gaps, k);
      if (gap) {
        const before = this.trueScaled(gap.start - 1);
        const after = this.trueScaled(gap.end);
        return Math.round(before + ((after - before) * (k - gap.start + 1)) / (gap.end - gap.start + 1));
      }
    }
    return this.trueScaled(k);
  }

  /** The total DCS shows at k (scaled units): after any reset, and calibrated if asked. */
  displayScaled(k: number, calibrated: boolean): number {
    if (k < this.featuresFrom) return this.trueScaled(k);
    let total = this.continuousScaled(k);
    if (this.features.resetAt !== undefined && k >= this.features.resetAt) total -= this.resetAdjustment;
    if (calibrated && this.features.calibration && k >= this.features.calibration.from) total += this.calibrationOffset;
    return total;
  }

  /** Consumption over [k1, k2) in scaled units (correct across a reset), NaN if an end is NaN. */
  consumptionScaled(k1: number, k2: number): number {
    if (this.isNaN(k1) || this.isNaN(k2)) return NaN;
    return this.continuousScaled(k2) - this.continuousScaled(k1);
  }
}

/**
 * Reactive energy (kVArh) of an electricity incomer: a share of its active energy (inductive
 * load) plus a constant part (transformer magnetising, fluorescent ballasts) that does not fall
 * with the load. So the power factor is poor at night and good at peak, 0.85–0.98 on the demo's
 * incomers, and the running total stays a closed form of the active one (any half-hour, no history).
 */
export class ReactiveModel extends CumulativeModel {
  /** kVArh per kWh of the inductive share. */
  static readonly RATIO = 0.19;
  /** The constant part, as a share of the active register's average kWh per half-hour. */
  static readonly BASE_SHARE = 0.07;

  constructor(
    private readonly active: CumulativeModel,
    initialTotal: number,
    decimals: number,
    seed: number,
  ) {
    super({ kind: 'cumulative', family: active.spec.family, perHalfHour: 0, initialTotal, decimals, seed });
  }

  override trueTotal(k: number): number {
    const active = this.active;
    return (
      this.spec.initialTotal + ReactiveModel.RATIO * (active.trueTotal(k) - active.spec.initialTotal) + ReactiveModel.BASE_SHARE * active.spec.perHalfHour * k
    );
  }
}

export type InstantaneousSpec =
  | { kind: 'power'; decimals: number; seed: number; source: CumulativeModel }
  | { kind: 'voltage'; decimals: number; seed: number; nominal: number; phase: number; load: CumulativeModel }
  | { kind: 'current'; decimals: number; seed: number; phase: number; load: CumulativeModel; volts: number }
  | { kind: 'temperature'; decimals: number; seed: number };

/** Outside air: coldest around 05:00 UTC, warmest around 15:00, 3 °C either side of the day's mean. */
const DIURNAL_SWING = 3;

export interface InstantaneousFeatures {
  /** Readings alternating "Infinity" and "-Infinity" (a failing transducer). */
  infinitySpells: Spell[];
}

export class InstantaneousModel {
  readonly scaling: Scaling;

  constructor(
    readonly spec: InstantaneousSpec,
    readonly features: InstantaneousFeatures = { infinitySpells: [] },
  ) {
    this.scaling = new Scaling(spec.decimals);
  }

  /** Mean power over the half hour before k, from a cumulative energy register (kWh → kW). */
  private static power(source: CumulativeModel, k: number): number {
    const from = Math.max(0, k - 1);
    return 2 * (source.trueTotal(from + 1) - source.trueTotal(from));
  }

  value(k: number): number {
    if (this.features.infinitySpells.length > 0) {
      const spell = inSpells(this.features.infinitySpells, k);
      if (spell) return (k - spell.start) % 2 === 0 ? Infinity : -Infinity;
    }
    const spec = this.spec;
    const jitter = unitHash(k, spec.seed) - 0.5;
    switch (spec.kind) {
      case 'power':
        return InstantaneousModel.power(spec.source, k) * (1 + 0.04 * jitter);
      case 'voltage': {
        const loadRatio = InstantaneousModel.power(spec.load, k) / (2 * spec.load.spec.perHalfHour);
        const daily = Math.sin((2 * Math.PI * (k % 48)) / 48 + spec.phase);
        return spec.nominal * (1 + 0.006 * daily - 0.01 * loadRatio + 0.004 * jitter);
      }
      case 'current': {
        const imbalance = 1 + 0.06 * Math.sin(spec.phase * 2.1 + 0.7);
        return ((InstantaneousModel.power(spec.load, k) * 1000) / (3 * spec.volts * 0.95)) * imbalance * (1 + 0.03 * jitter);
      }
      case 'temperature': {
        // The day's mean temperature (the one heating loads follow) plus a swing whose 48 half-hours
        // sum to zero, so the mean of a UTC day's half-hourly values is the day's mean before rounding.
        const d = Math.floor(k / HALF_HOURS_PER_DAY);
        const h = k - d * HALF_HOURS_PER_DAY;
        return dayInfo(d).temperature - DIURNAL_SWING * Math.cos((2 * Math.PI * (h - 10)) / HALF_HOURS_PER_DAY);
      }
    }
  }

  valueScaled(k: number): number {
    const value = this.value(k);
    return this.scaling.scale(value);
  }
}

export type SourceModel = CumulativeModel | InstantaneousModel;

export class VirtualMeterModel {
  readonly scaling: Scaling;
  private readonly evaluator: Evaluator;
  /** Models in the evaluator's alias order. */
  readonly inputs: SourceModel[];
  private readonly values: Float64Array;

  constructor(expression: string, decimals: number, modelOfAlias: (alias: string) => SourceModel) {
    const compiled = compileExpression(expression);
    this.evaluator = compiled.evaluate;
    this.inputs = compiled.aliases.map(modelOfAlias);
    this.values = new Float64Array(this.inputs.length);
    this.scaling = new Scaling(decimals);
  }

  /** Consumption over [k1, k2) combined by the expression, in the VM's scaled units. */
  consumptionScaled(k1: number, k2: number): number {
    const values = this.values;
    for (let i = 0; i < this.inputs.length; i++) {
      const input = this.inputs[i] as CumulativeModel;
      values[i] = input.consumptionScaled(k1, k2) / input.scaling.factor;
    }
    return this.scale(this.evaluator(values));
  }

  /** Instantaneous value at k combined by the expression, in scaled units. */
  instantaneousScaled(k: number): number {
    const values = this.values;
    for (let i = 0; i < this.inputs.length; i++) values[i] = (this.inputs[i] as InstantaneousModel).value(k);
    return this.scale(this.evaluator(values));
  }

  private scale(value: number): number {
    return this.scaling.scale(value);
  }
}
