/**
 * Assembles the demo estate's meters and registers: hands out ids in order (meters from 101,
 * registers from 1001, so the same estate gets the same ids on every run) and keeps the indexes
 * (by id, by building, by `<building>.<key>`) that the rest of the simulator looks things up in.
 */

import { EstateRegister, RegisterBehaviour } from './estate';
import { WireMeter, WireRegister } from './wire';

export interface EstateBuilder {
  addMeter(buildingCode: string, fields: Omit<WireMeter, 'id' | 'registers'>): WireMeter;
  /** Adds a register to a meter and names it `<building>.<key>`; returns its id. */
  addRegister(buildingCode: string, meter: WireMeter, key: string, fields: Omit<WireRegister, 'id'>, behaviour: RegisterBehaviour): number;
  readonly meters: WireMeter[];
  readonly registers: Map<number, EstateRegister>;
  readonly registerIdByKey: Map<string, number>;
  readonly buildingOfMeter: Map<number, string>;
}

export function createEstateBuilder(): EstateBuilder {
  const meters: WireMeter[] = [];
  const registers = new Map<number, EstateRegister>();
  const registerIdByKey = new Map<string, number>();
  const buildingOfMeter = new Map<number, string>();
  let nextMeterId = 101;
  let nextRegisterId = 1001;
  return {
    meters,
    registers,
    registerIdByKey,
    buildingOfMeter,
    addMeter(buildingCode, fields) {
      const meter: WireMeter = { id: nextMeterId++, ...fields, registers: [] };
      // Keys in DCS order: mpn/service only when set, registers last.
      if (meter.mpn === undefined) delete meter.mpn;
      if (meter.service === undefined) delete meter.service;
      meters.push(meter);
      buildingOfMeter.set(meter.id, buildingCode);
      return meter;
    },
    addRegister(buildingCode, meter, key, fields, behaviour) {
      const wire: WireRegister = { id: nextRegisterId++, ...fields };
      meter.registers.push(wire);
      registers.set(wire.id, { wire, meter, building: buildingCode, fullName: `${meter.name}: ${wire.name}`, behaviour });
      registerIdByKey.set(`${buildingCode}.${key}`, wire.id);
      return wire.id;
    },
  };
}
