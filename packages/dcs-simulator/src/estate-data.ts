/**
 * The demo estate's data: a value model for every register and virtual meter, with the data
 * features (gaps, reset, NaN and infinity spells, calibration) placed for a given clock.
 */

import { Estate, EstateRegister } from './estate';
import { DemoFeatureDates } from './features';
import { DemoFeatureIds } from './demo';
import { CumulativeFeatures, CumulativeModel, InstantaneousModel, ReactiveModel, SourceModel, Spell, VirtualMeterModel } from './models';
import { DATA_START_MS, HALF_HOUR_MS } from './time';
import { TimeSpell } from './features';

/** Half-hour index of a wire timestamp. */
function halfHourIndex(timestamp: string): number {
  return (Date.parse(timestamp) - DATA_START_MS) / HALF_HOUR_MS;
}

function toSpell(spell: TimeSpell): Spell {
  return { start: halfHourIndex(spell.start), end: halfHourIndex(spell.end) };
}

export class EstateData {
  private readonly registerModels = new Map<number, SourceModel>();
  private readonly virtualMeterModels = new Map<number, VirtualMeterModel>();

  constructor(
    readonly estate: Estate,
    ids: DemoFeatureIds,
    dates: DemoFeatureDates,
  ) {
    const cumulativeFeatures = new Map<number, CumulativeFeatures>([
      [ids.gapRegisterId, { gaps: [toSpell(dates.gapSpell), toSpell(dates.recentGapSpell)], nanSpells: [] }],
      [ids.resetRegisterId, { gaps: [], nanSpells: [], resetAt: halfHourIndex(dates.resetTime) }],
      [ids.nanRegisterId, { gaps: [], nanSpells: [toSpell(dates.nanSpell), toSpell(dates.recentNanSpell)] }],
      [ids.calibratedRegisterId, { gaps: [], nanSpells: [], calibration: { from: halfHourIndex(dates.calibrationTime), offset: dates.calibrationOffset } }],
      [ids.boilerRegisterId, { gaps: [], nanSpells: [], leftOn: { from: halfHourIndex(dates.boilerLeftOn), perHalfHour: dates.boilerLeftOnKwhPerHalfHour } }],
    ]);
    const infinitySpells = new Map<number, Spell[]>([[ids.infinityRegisterId, [toSpell(dates.infinitySpell)]]]);

    // Cumulative registers first: instantaneous ones derive from them.
    for (const register of estate.registers.values()) {
      const b = register.behaviour;
      if (b.kind !== 'cumulative') continue;
      this.registerModels.set(
        register.wire.id,
        new CumulativeModel(
          { kind: 'cumulative', family: b.family, perHalfHour: b.perHalfHour, initialTotal: b.initialTotal, decimals: b.decimals, seed: register.wire.id },
          cumulativeFeatures.get(register.wire.id),
        ),
      );
    }
    for (const register of estate.registers.values()) {
      const b = register.behaviour;
      const seed = register.wire.id;
      const features = { infinitySpells: infinitySpells.get(seed) ?? [] };
      switch (b.kind) {
        case 'cumulative':
          break;
        case 'temperature':
          this.registerModels.set(seed, new InstantaneousModel({ kind: 'temperature', decimals: b.decimals, seed }, features));
          break;
        case 'reactive':
          this.registerModels.set(seed, new ReactiveModel(this.cumulative(b.sourceRegisterId), b.initialTotal, b.decimals, seed));
          break;
        case 'power':
          this.registerModels.set(
            seed,
            new InstantaneousModel({ kind: 'power', decimals: b.decimals, seed, source: this.cumulative(b.sourceRegisterId) }, features),
          );
          break;
        case 'voltage':
          this.registerModels.set(
            seed,
            new InstantaneousModel(
              { kind: 'voltage', decimals: b.decimals, seed, nominal: 240, phase: b.phase, load: this.cumulative(b.loadRegisterId) },
              features,
            ),
          );
          break;
        case 'current':
          this.registerModels.set(
            seed,
            new InstantaneousModel(
              { kind: 'current', decimals: b.decimals, seed, phase: b.phase, volts: 240, load: this.cumulative(b.loadRegisterId) },
              features,
            ),
          );
          break;
      }
    }
    for (const vm of estate.virtualMeterById.values()) {
      const aliasIds = new Map(vm.wire.registerAliases.map((a) => [a.alias, a.registerId]));
      const model = new VirtualMeterModel(vm.wire.expression, vm.wire.decimalPlaces, (alias) => {
        const id = aliasIds.get(alias);
        if (id === undefined) throw new Error(`Virtual meter ${vm.wire.id} uses undefined alias ${alias}`);
        return this.register(id);
      });
      this.virtualMeterModels.set(vm.wire.id, model);
    }
  }

  register(id: number): SourceModel {
    const model = this.registerModels.get(id);
    if (!model) throw new Error(`No model for register ${id}`);
    return model;
  }

  private cumulative(id: number): CumulativeModel {
    const model = this.register(id);
    if (!(model instanceof CumulativeModel)) throw new Error(`Register ${id} is not cumulative`);
    return model;
  }

  virtualMeter(id: number): VirtualMeterModel {
    const model = this.virtualMeterModels.get(id);
    if (!model) throw new Error(`No model for virtual meter ${id}`);
    return model;
  }

  registerInfo(id: number): EstateRegister | undefined {
    return this.estate.registers.get(id);
  }
}
