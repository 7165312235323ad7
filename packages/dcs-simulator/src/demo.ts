/**
 * What tests and users may rely on in the demo estate: the accounts, the ids of registers and
 * virtual meters that carry each data feature, and the estate itself.
 */

import { buildEstate, Estate, EstateOptions } from './estate';
import { DemoFeatureDates, demoFeatureDates } from './features';
import { DemoAccount } from './types';
import { WireMeter, WireVirtualMeter } from './wire';

export const DEMO_ACCOUNTS: readonly DemoAccount[] = [
  { username: 'demo', password: 'demo', role: 'Operator', description: 'Sees every meter and virtual meter.' },
  {
    username: 'viewer',
    password: 'viewer',
    role: 'Viewer',
    description:
      "Restricted to the Main Library, Students' Union and Sports Centre meters (and virtual meters built only from them); anything else answers 403.",
  },
  {
    username: 'expired',
    password: 'expired',
    role: 'Viewer',
    description: 'An expired account: sign-in succeeds, every query answers 403 saying the account has expired.',
  },
];

/** The account the public (unauthenticated) endpoint runs as: it sees the whole estate. */
export const PUBLIC_ACCOUNT_NAME = 'public';

let sharedEstate: Estate | undefined;

/**
 * The demo estate, built once (it is deterministic and read-only); with further buildings
 * (`options.extraBuildings`), built anew: the demo's part of it is the same, ids included.
 */
export function estate(options: EstateOptions = {}): Estate {
  if (options.extraBuildings !== undefined && options.extraBuildings !== 0) return buildEstate(options);
  sharedEstate ??= buildEstate();
  return sharedEstate;
}

function registerId(key: string): number {
  const id = estate().registerIdByKey.get(key);
  if (id === undefined) throw new Error(`Demo estate has no register ${key}`);
  return id;
}

function virtualMeterId(name: string): number {
  const id = estate().virtualMeterIdByName.get(name);
  if (id === undefined) throw new Error(`Demo estate has no virtual meter "${name}"`);
  return id;
}

/** Register and virtual meter ids with a known role in the demo estate. */
export interface DemoFeatureIds {
  /** Main Library electricity import (kWh): a clean cumulative register, visible to `viewer`. */
  electricityRegisterId: number;
  /** Chemistry Laboratories electricity import (kWh): readings missing in `gapSpell` and `recentGapSpell`. */
  gapRegisterId: number;
  /** Sports Centre water (m3): the meter was exchanged at `resetTime`; visible to `viewer`. */
  resetRegisterId: number;
  /** Medical School heat energy (kWh): "NaN" throughout `nanSpell` and `recentNanSpell`. */
  nanRegisterId: number;
  /** Data Centre active power (kW, instantaneous): "Infinity"/"-Infinity" throughout `infinitySpell`. */
  infinityRegisterId: number;
  /** Oakwood Hall gas (m3): a calibration reading at `calibrationTime` adds `calibrationOffset` to calibrated totals. */
  calibratedRegisterId: number;
  /** Main Library active power (kW). */
  instantaneousRegisterId: number;
  /** Main Library voltage L1-N (V). */
  voltageRegisterId: number;
  /** Engineering Building electricity export (kWh): solar PV, zero at night. */
  exportRegisterId: number;
  /** Campus Electricity Import: the sum of every building's import register. */
  cumulativeVirtualMeterId: number;
  /** Engineering Building Net Electricity: import minus export (R1-R2). */
  netVirtualMeterId: number;
  /** Campus Electrical Demand (kW): an instantaneous virtual meter. */
  instantaneousVirtualMeterId: number;
  /** Teaching Hospital Main Block electricity import: hidden from `viewer` (403). */
  viewerForbiddenRegisterId: number;
  viewerAllowedRegisterId: number;
  /** Hospital Electricity: hidden from `viewer`. */
  viewerForbiddenVirtualMeterId: number;
  /** Sports Centre Net Electricity: visible to `viewer`. */
  viewerAllowedVirtualMeterId: number;
  /** Energy Centre outside air temperature (°C, instantaneous): the day's mean drives every heating load. */
  temperatureRegisterId: number;
  /** Birch Hall boiler-house gas (kWh): its boiler is left on from `boilerLeftOn`. */
  boilerRegisterId: number;
  /** Readings exist from here on (and never at or after now). */
  dataStart: string;
}

function featureIds(): DemoFeatureIds {
  return {
    electricityRegisterId: registerId('LIB.import'),
    gapRegisterId: registerId('CHEM.import'),
    resetRegisterId: registerId('SPORT.water'),
    nanRegisterId: registerId('MED.heat'),
    infinityRegisterId: registerId('DC.power'),
    calibratedRegisterId: registerId('OAK.gas'),
    instantaneousRegisterId: registerId('LIB.power'),
    voltageRegisterId: registerId('LIB.voltage1'),
    exportRegisterId: registerId('ENG.export'),
    cumulativeVirtualMeterId: virtualMeterId('Campus Electricity Import'),
    netVirtualMeterId: virtualMeterId('Engineering Building Net Electricity'),
    instantaneousVirtualMeterId: virtualMeterId('Campus Electrical Demand'),
    viewerForbiddenRegisterId: registerId('HOSP.import'),
    viewerAllowedRegisterId: registerId('LIB.import'),
    viewerForbiddenVirtualMeterId: virtualMeterId('Hospital Electricity'),
    viewerAllowedVirtualMeterId: virtualMeterId('Sports Centre Net Electricity'),
    temperatureRegisterId: registerId('EC.outsideTemperature'),
    boilerRegisterId: registerId('BIRCH.boilerGas'),
    dataStart: '1900-01-01T00:00:00Z',
  };
}

/** The ids of the demo estate's feature carriers (fixed; the dates depend on the clock: see demoFeatures). */
export const DEMO_FEATURES: Readonly<DemoFeatureIds> = Object.freeze(featureIds());

export type DemoFeatures = DemoFeatureIds & DemoFeatureDates;

/**
 * The feature ids and where the features sit in time for a simulator whose clock read `now`
 * when it started (features sit in the previous calendar year; see features.ts).
 */
export function demoFeatures(now: Date = new Date()): DemoFeatures {
  return { ...DEMO_FEATURES, ...demoFeatureDates(now) };
}

/**
 * Every meter and virtual meter of the demo estate (with `options.extraBuildings`, of that larger
 * estate), as `/meters` and `/virtualMeters` list them for `demo`.
 */
export function demoEstate(options: EstateOptions = {}): { meters: WireMeter[]; virtualMeters: WireVirtualMeter[] } {
  const { meters, virtualMeters } = estate(options);
  return structuredClone({ meters, virtualMeters });
}
