/**
 * The demo estate: a university campus with a teaching hospital, metered by DCS. Fixed and
 * deterministic: the same ids, names and values on every run. This module describes WHAT
 * exists (meters, registers, virtual meters, who may see them); `models.ts` says what they read.
 */

import { createEstateBuilder, EstateBuilder } from './estate-builder';
import { extraBuildings } from './extra-buildings';
import { FamilyName, hash32 } from './profiles';
import { WireMeter, WireRegister, WireVirtualMeter } from './wire';

type BuildingCode = 'LIB' | 'ENG' | 'CHEM' | 'MED' | 'SU' | 'SPORT' | 'OAK' | 'BIRCH' | 'SEN' | 'LT' | 'DC' | 'EC' | 'HOSP' | 'MAT' | 'OPD' | 'EST' | 'CP';

interface SupplyDef {
  family: FamilyName;
  m3PerHalfHour: number;
}

interface BuildingDef {
  code: BuildingCode;
  name: string;
  electricity: {
    family: FamilyName;
    kwhPerHalfHour: number;
    meterType: string;
    /** Solar PV export, average kWh per half hour over the year (0: no PV). */
    pvPerHalfHour?: number;
    /** Voltage and current on all three phases, not just L1. */
    allPhases?: boolean;
  };
  gas?: SupplyDef;
  water?: SupplyDef;
  heat?: { kwhPerHalfHour: number };
}

/** The buildings, in the order their meters are numbered (estate-builder.ts gives ids in turn). */
const BUILDING_NAMES: Record<BuildingCode, string> = {
  LIB: 'Main Library',
  ENG: 'Engineering Building',
  CHEM: 'Chemistry Laboratories',
  MED: 'Medical School',
  SU: "Students' Union",
  SPORT: 'Sports Centre',
  OAK: 'Oakwood Hall',
  BIRCH: 'Birchfield Hall',
  SEN: 'Senate House',
  LT: 'Lecture Theatre Complex',
  DC: 'Data Centre',
  EC: 'Energy Centre',
  HOSP: 'Teaching Hospital Main Block',
  MAT: 'Maternity Wing',
  OPD: 'Outpatients Department',
  EST: 'Estates Workshop',
  CP: 'Multi-storey Car Park',
};

/** Every building's electricity meter: its load profile, average kWh per half hour and meter model. */
const ELECTRICITY: Record<BuildingCode, BuildingDef['electricity']> = {
  LIB: { family: 'academic', kwhPerHalfHour: 62, meterType: 'Schneider Electric PM5560' },
  ENG: { family: 'laboratory', kwhPerHalfHour: 138, meterType: 'Schneider Electric PM5560', pvPerHalfHour: 9.5, allPhases: true },
  CHEM: { family: 'laboratory', kwhPerHalfHour: 176, meterType: 'Elster A1700', allPhases: true },
  MED: { family: 'academic', kwhPerHalfHour: 108, meterType: 'Landis+Gyr E650' },
  SU: { family: 'studentsUnion', kwhPerHalfHour: 44, meterType: 'Socomec Diris A40' },
  SPORT: { family: 'sports', kwhPerHalfHour: 71, meterType: 'Socomec Diris A40', pvPerHalfHour: 6.2 },
  OAK: { family: 'residence', kwhPerHalfHour: 49, meterType: 'Elster A1700' },
  BIRCH: { family: 'residence', kwhPerHalfHour: 38, meterType: 'Elster A1700' },
  SEN: { family: 'office', kwhPerHalfHour: 33, meterType: 'Landis+Gyr E650' },
  LT: { family: 'academic', kwhPerHalfHour: 41, meterType: 'Schneider Electric PM5560' },
  DC: { family: 'dataCentre', kwhPerHalfHour: 246, meterType: 'Schneider Electric PM5560', allPhases: true },
  EC: { family: 'laboratory', kwhPerHalfHour: 29, meterType: 'Landis+Gyr E650', allPhases: true },
  HOSP: { family: 'hospital', kwhPerHalfHour: 405, meterType: 'Elster A1700', allPhases: true },
  MAT: { family: 'hospital', kwhPerHalfHour: 88, meterType: 'Landis+Gyr E650' },
  OPD: { family: 'office', kwhPerHalfHour: 57, meterType: 'Socomec Diris A40' },
  EST: { family: 'office', kwhPerHalfHour: 14, meterType: 'Socomec Diris A40' },
  CP: { family: 'carPark', kwhPerHalfHour: 26, meterType: 'Socomec Diris A40', pvPerHalfHour: 4.1 },
};

/** The buildings with a gas meter: its profile and average m³ per half hour. */
const GAS: Partial<Record<BuildingCode, SupplyDef>> = {
  LIB: { family: 'gasHeating', m3PerHalfHour: 5.8 },
  ENG: { family: 'gasHeating', m3PerHalfHour: 11.2 },
  CHEM: { family: 'gasHeating', m3PerHalfHour: 19.5 },
  SU: { family: 'gasCatering', m3PerHalfHour: 7.4 },
  SPORT: { family: 'gasPool', m3PerHalfHour: 24.5 },
  OAK: { family: 'gasHeating', m3PerHalfHour: 14.8 },
  SEN: { family: 'gasHeating', m3PerHalfHour: 4.9 },
  EC: { family: 'gasBoilerHouse', m3PerHalfHour: 48 },
  HOSP: { family: 'gasHospital', m3PerHalfHour: 96 },
  MAT: { family: 'gasHospital', m3PerHalfHour: 21 },
  EST: { family: 'gasHeating', m3PerHalfHour: 2.6 },
};

/** The buildings with a water meter: its profile and average m³ per half hour. */
const WATER: Partial<Record<BuildingCode, SupplyDef>> = {
  LIB: { family: 'waterOccupancy', m3PerHalfHour: 0.42 },
  ENG: { family: 'waterOccupancy', m3PerHalfHour: 0.95 },
  CHEM: { family: 'waterOccupancy', m3PerHalfHour: 2.6 },
  MED: { family: 'waterOccupancy', m3PerHalfHour: 1.3 },
  SU: { family: 'waterOccupancy', m3PerHalfHour: 0.85 },
  SPORT: { family: 'waterPool', m3PerHalfHour: 3.7 },
  OAK: { family: 'waterResidence', m3PerHalfHour: 2.9 },
  BIRCH: { family: 'waterResidence', m3PerHalfHour: 2.3 },
  SEN: { family: 'waterOccupancy', m3PerHalfHour: 0.31 },
  LT: { family: 'waterOccupancy', m3PerHalfHour: 0.48 },
  EC: { family: 'waterOccupancy', m3PerHalfHour: 0.6 },
  HOSP: { family: 'waterHospital', m3PerHalfHour: 7.8 },
  MAT: { family: 'waterHospital', m3PerHalfHour: 1.9 },
  OPD: { family: 'waterOccupancy', m3PerHalfHour: 0.9 },
  EST: { family: 'waterOccupancy', m3PerHalfHour: 0.18 },
};

/** The buildings on the heat network, with their average kWh per half hour (the Energy Centre's is computed). */
const HEAT: Partial<Record<BuildingCode, number>> = {
  MED: 92,
  BIRCH: 41,
  LT: 36,
  EC: 0,
  OPD: 44,
};

/** Each building with the supplies it has, read from the tables above. */
const BUILDINGS: readonly BuildingDef[] = (Object.keys(BUILDING_NAMES) as BuildingCode[]).map((code) => {
  const gas = GAS[code];
  const water = WATER[code];
  const heat = HEAT[code];
  return {
    code,
    name: BUILDING_NAMES[code],
    electricity: ELECTRICITY[code],
    ...(gas && { gas }),
    ...(water && { water }),
    ...(heat !== undefined && { heat: { kwhPerHalfHour: heat } }),
  };
});

/** The heat network loses about 11% between the Energy Centre and the buildings. */
const HEAT_NETWORK_LOSS = 1.11;

/** Buildings whose meters the restricted `viewer` account may see. */
export const VIEWER_BUILDINGS: ReadonlySet<string> = new Set<BuildingCode>(['LIB', 'SU', 'SPORT']);

/** How a register's values are made (resolved into models by models.ts at start). */
export type RegisterBehaviour =
  | { kind: 'cumulative'; family: FamilyName; perHalfHour: number; initialTotal: number; decimals: number }
  | { kind: 'power'; decimals: number; sourceRegisterId: number }
  | { kind: 'reactive'; decimals: number; sourceRegisterId: number; initialTotal: number }
  | { kind: 'voltage'; decimals: number; phase: number; loadRegisterId: number }
  | { kind: 'current'; decimals: number; phase: number; loadRegisterId: number }
  | { kind: 'temperature'; decimals: number };

export interface EstateRegister {
  wire: WireRegister;
  meter: WireMeter;
  building: string;
  /** `<meter name>: <register name>`, as DCS names a register's readings. */
  fullName: string;
  behaviour: RegisterBehaviour;
}

export interface EstateVirtualMeter {
  wire: WireVirtualMeter;
  /** Register ids the expression reads. */
  registerIds: number[];
}

export interface Estate {
  meters: WireMeter[];
  virtualMeters: WireVirtualMeter[];
  registers: Map<number, EstateRegister>;
  virtualMeterById: Map<number, EstateVirtualMeter>;
  /** Meter id → building code. */
  buildingOfMeter: Map<number, string>;
  /** Named registers, e.g. `LIB.import`, for wiring features and virtual meters. */
  registerIdByKey: Map<string, number>;
  virtualMeterIdByName: Map<string, number>;
}

function digits(seed: number, salt: number, count: number): string {
  let text = '';
  for (let i = 0; text.length < count; i++) text += String(hash32(seed, salt * 97 + i) % 100000).padStart(5, '0');
  return text.slice(0, count);
}

/** A 13-digit MPAN core with a valid check digit (the standard prime-weighted sum). */
function mpanCore(distributor: string, seed: number): string {
  const body = distributor + digits(seed, 1, 10);
  const primes = [3, 5, 7, 13, 17, 19, 23, 29, 31, 37, 41, 43];
  const sum = primes.reduce((total, prime, i) => total + prime * Number(body[i]), 0);
  return body + ((sum % 11) % 10);
}

function serialNumber(meterType: string, seed: number): string {
  if (meterType.startsWith('Schneider')) return `ME-${19 + (seed % 5)}${digits(seed, 2, 2)}A${digits(seed, 3, 4)}`;
  if (meterType.startsWith('Elster A1700')) return `K${digits(seed, 2, 2)}B${digits(seed, 3, 5)}`;
  if (meterType.startsWith('Landis')) return digits(seed, 2, 8);
  if (meterType.startsWith('Socomec')) return `SD${digits(seed, 2, 7)}`;
  if (meterType.startsWith('Kamstrup')) return `7${digits(seed, 2, 7)}`;
  if (meterType.startsWith('Elster BK')) return `G${digits(seed, 2, 2)}E${digits(seed, 3, 6)}`;
  return `W${digits(seed, 2, 2)}-${digits(seed, 3, 6)}`;
}

const initialTotal = (seed: number, magnitude: number): number => Math.round((magnitude * (1 + (hash32(seed, 7) % 9000))) / 10) / 100;

/** A building as its meters are made from it: the demo's (BuildingDef) or a further one (extra-buildings.ts). */
export type MeteredBuilding = Omit<BuildingDef, 'code'> & { code: string };

/** The electricity main incomer: import, export, power, and voltage and current per phase. */
function addElectricity(builder: EstateBuilder, building: MeteredBuilding, index: number): void {
  const network = index + 1;
  const e = building.electricity;
  const add = builder.addRegister.bind(builder, building.code);
  const elecMeter = builder.addMeter(building.code, {
    name: `${building.name} - Electricity Main Incomer`,
    connectionMethod: 'tcp',
    deviceId: 1 + (index % 4),
    meterType: e.meterType,
    remoteAddress: `10.40.${network}.21:502`,
    serialNumber: serialNumber(e.meterType, 100 + index),
    mpn: mpanCore(building.code === 'HOSP' || building.code === 'MAT' || building.code === 'OPD' ? '23' : '16', 100 + index),
    service: 'Electricity',
    status: 'online',
  });
  const ct = e.kwhPerHalfHour > 100 ? '' : '1';
  const importId = add(
    elecMeter,
    'import',
    { address: 2700, isInstantaneous: false, name: 'Active Energy Import', scaleFactor: '', defaultScaleFactor: ct, unit: 'kWh' },
    { kind: 'cumulative', family: e.family, perHalfHour: e.kwhPerHalfHour, initialTotal: initialTotal(index, 1000), decimals: 2 },
  );
  add(
    elecMeter,
    'export',
    { address: 2702, isInstantaneous: false, name: 'Active Energy Export', scaleFactor: '', defaultScaleFactor: ct, unit: 'kWh' },
    {
      kind: 'cumulative',
      family: e.pvPerHalfHour ? 'solar' : 'none',
      perHalfHour: e.pvPerHalfHour ?? 0,
      initialTotal: e.pvPerHalfHour ? initialTotal(index + 50, 10) : 0,
      decimals: 2,
    },
  );
  add(
    elecMeter,
    'power',
    { address: 3060, isInstantaneous: true, name: 'Active Power', scaleFactor: '', defaultScaleFactor: '1', unit: 'kW' },
    { kind: 'power', decimals: 2, sourceRegisterId: importId },
  );
  const phases = e.allPhases ? [1, 2, 3] : [1];
  for (const phase of phases) {
    add(
      elecMeter,
      `voltage${phase}`,
      { address: 3026 + 2 * phase, isInstantaneous: true, name: `Voltage L${phase}-N`, scaleFactor: '', defaultScaleFactor: '1', unit: 'V' },
      { kind: 'voltage', decimals: 1, phase, loadRegisterId: importId },
    );
  }
  for (const phase of phases) {
    add(
      elecMeter,
      `current${phase}`,
      { address: 3000 + 2 * phase, isInstantaneous: true, name: `Current L${phase}`, scaleFactor: '', defaultScaleFactor: '1', unit: 'A' },
      { kind: 'current', decimals: 2, phase, loadRegisterId: importId },
    );
  }
}

function addGas(builder: EstateBuilder, building: MeteredBuilding, gas: NonNullable<BuildingDef['gas']>, index: number): void {
  const viaModem = index % 3 === 0;
  const gasMeter = builder.addMeter(building.code, {
    name: `${building.name} - Gas`,
    connectionMethod: viaModem ? 'modem' : 'idc',
    deviceId: viaModem ? 0 : 10 + index,
    meterType: 'Elster BK-G40 (pulse)',
    remoteAddress: viaModem ? `01632 960${String(100 + index * 7).padStart(3, '0')}` : `10.40.${index + 1}.35:4001`,
    serialNumber: serialNumber('Elster BK', 200 + index),
    mpn: digits(200 + index, 4, 10).replace(/^0/, '7'),
    service: 'Gas',
    status: building.code === 'EST' ? 'disabled' : 'online',
  });
  builder.addRegister(
    building.code,
    gasMeter,
    'gas',
    { address: 1, isInstantaneous: false, name: 'Gas Volume', scaleFactor: '0.01', defaultScaleFactor: '1', unit: 'm3' },
    { kind: 'cumulative', family: gas.family, perHalfHour: gas.m3PerHalfHour, initialTotal: initialTotal(200 + index, 100), decimals: 3 },
  );
}

function addWater(builder: EstateBuilder, building: MeteredBuilding, water: NonNullable<BuildingDef['water']>, index: number): void {
  const waterMeter = builder.addMeter(building.code, {
    name: `${building.name} - Water`,
    connectionMethod: 'idc',
    deviceId: 30 + index,
    meterType: 'Elster Kent V100 (pulse)',
    remoteAddress: `10.40.${index + 1}.36:4001`,
    serialNumber: serialNumber('Kent', 300 + index),
    mpn: `30${digits(300 + index, 5, 8)}W1${index % 10}`,
    service: 'Water',
    status: building.code === 'EST' ? 'offline' : 'online',
  });
  builder.addRegister(
    building.code,
    waterMeter,
    'water',
    { address: 2, isInstantaneous: false, name: 'Water Volume', scaleFactor: '0.001', defaultScaleFactor: '', unit: 'm3' },
    { kind: 'cumulative', family: water.family, perHalfHour: water.m3PerHalfHour, initialTotal: initialTotal(300 + index, 50), decimals: 3 },
  );
}

/** A building's heat meter; the Energy Centre's measures the whole network's flow, losses included. */
function addHeat(builder: EstateBuilder, building: BuildingDef, heat: NonNullable<BuildingDef['heat']>, index: number): void {
  const isNetworkFlow = building.code === 'EC';
  const heatPerHalfHour = isNetworkFlow
    ? HEAT_NETWORK_LOSS * BUILDINGS.reduce((sum, b) => sum + (b.code !== 'EC' && b.heat ? b.heat.kwhPerHalfHour : 0), 0)
    : heat.kwhPerHalfHour;
  const add = builder.addRegister.bind(builder, building.code);
  const heatMeter = builder.addMeter(building.code, {
    name: isNetworkFlow ? 'Energy Centre - Heat Network Flow' : `${building.name} - Heat`,
    connectionMethod: 'tcp',
    deviceId: 40 + index,
    meterType: 'Kamstrup MULTICAL 603 (M-Bus)',
    remoteAddress: `10.40.${index + 1}.50:10001`,
    serialNumber: serialNumber('Kamstrup', 400 + index),
    service: 'Heat',
    status: 'online',
  });
  const heatId = add(
    heatMeter,
    'heat',
    { address: 60, isInstantaneous: false, name: 'Heat Energy', scaleFactor: '', defaultScaleFactor: '1', unit: 'kWh' },
    { kind: 'cumulative', family: 'heat', perHalfHour: heatPerHalfHour, initialTotal: initialTotal(400 + index, 1000), decimals: 1 },
  );
  add(
    heatMeter,
    'heatVolume',
    { address: 68, isInstantaneous: false, name: 'Volume', scaleFactor: '', defaultScaleFactor: '1', unit: 'm3' },
    { kind: 'cumulative', family: 'heat', perHalfHour: heatPerHalfHour / 23, initialTotal: initialTotal(450 + index, 40), decimals: 2 },
  );
  add(
    heatMeter,
    'heatPower',
    { address: 80, isInstantaneous: true, name: 'Heat Power', scaleFactor: '', defaultScaleFactor: '1', unit: 'kW' },
    { kind: 'power', decimals: 1, sourceRegisterId: heatId },
  );
}

/**
 * The main incomer's reactive energy (kVArh), paired with its active import for power factor and
 * kVA. Added after every other register so that the ids handed out before stay as they were.
 */
function addReactive(builder: EstateBuilder, building: MeteredBuilding, index: number): void {
  const importId = builder.registerIdByKey.get(`${building.code}.import`) as number;
  const meter = builder.registers.get(importId)?.meter as WireMeter;
  const ct = building.electricity.kwhPerHalfHour > 100 ? '' : '1';
  builder.addRegister(
    building.code,
    meter,
    'reactive',
    { address: 2706, isInstantaneous: false, name: 'Reactive Energy Import', scaleFactor: '', defaultScaleFactor: ct, unit: 'kVArh' },
    { kind: 'reactive', decimals: 2, sourceRegisterId: importId, initialTotal: initialTotal(index + 500, 100) },
  );
}

/** What to build beyond the demo estate; `{}` is the demo estate itself. */
export interface EstateOptions {
  /**
   * Further buildings after the demo's (0 to MAX_EXTRA_BUILDINGS, default 0), each with an
   * electricity main incomer (and its reactive register), gas and water: four more cumulative
   * sources each (import, export, gas, water). The demo estate's ids, names and values stay as they are.
   */
  extraBuildings?: number;
}

export function buildEstate(options: EstateOptions = {}): Estate {
  const builder = createEstateBuilder();
  // Ids are handed out in this order: building by building, electricity, gas, water, heat; then
  // the registers added later, at the end, so that earlier ids never move.
  BUILDINGS.forEach((building, index) => {
    addElectricity(builder, building, index);
    if (building.gas) addGas(builder, building, building.gas, index);
    if (building.water) addWater(builder, building, building.water, index);
    if (building.heat) addHeat(builder, building, building.heat, index);
  });
  BUILDINGS.forEach((building, index) => addReactive(builder, building, index));
  addMonitoringAndTargeting(builder);
  addExtraBuildings(builder, options.extraBuildings ?? 0);
  const { meters, registers, registerIdByKey, buildingOfMeter } = builder;
  const { virtualMeters, virtualMeterById, virtualMeterIdByName } = buildVirtualMeters(registers, registerIdByKey);
  return { meters, virtualMeters, registers, virtualMeterById, buildingOfMeter, registerIdByKey, virtualMeterIdByName };
}

/** Boiler-house gas per half-hour (kWh) before weather and seasons: Birch Hall heats with gas. */
const BOILER_KWH_PER_HALF_HOUR = 60;

/**
 * Added after everything else so earlier ids never move: the Energy Centre's outside air
 * temperature (the weather every heating load follows) and Birch Hall's boiler-house gas in kWh,
 * whose boiler is left on from a date (features.ts `boilerLeftOn`) for CUSUM to find.
 */
function addMonitoringAndTargeting(builder: EstateBuilder): void {
  const weather = builder.addMeter('EC', {
    name: 'Energy Centre - Weather Station',
    connectionMethod: 'tcp',
    deviceId: 90,
    meterType: 'Vaisala WXT536 (Modbus)',
    remoteAddress: '10.40.12.90:502',
    serialNumber: `V${digits(900, 2, 7)}`,
    status: 'online',
  });
  builder.addRegister(
    'EC',
    weather,
    'outsideTemperature',
    { address: 1, isInstantaneous: true, name: 'Outside Air Temperature', scaleFactor: '0.1', defaultScaleFactor: '0.1', unit: '°C' },
    { kind: 'temperature', decimals: 1 },
  );
  const boiler = builder.addMeter('BIRCH', {
    name: 'Birch Hall - Boiler House Gas',
    connectionMethod: 'tcp',
    deviceId: 91,
    meterType: 'Elster BK-G40 with volume corrector (kWh)',
    remoteAddress: '10.40.8.91:4001',
    serialNumber: serialNumber('Elster BK', 291),
    service: 'Gas',
    status: 'online',
  });
  builder.addRegister(
    'BIRCH',
    boiler,
    'boilerGas',
    { address: 1, isInstantaneous: false, name: 'Gas Energy', scaleFactor: '0.1', defaultScaleFactor: '1', unit: 'kWh' },
    { kind: 'cumulative', family: 'gasBoilerHouse', perHalfHour: BOILER_KWH_PER_HALF_HOUR, initialTotal: initialTotal(291, 1000), decimals: 1 },
  );
}

/**
 * The further buildings of `EstateOptions.extraBuildings`, after everything else so that the demo
 * estate's ids never move; each building's meters are numbered together (its reactive register
 * right after its water). The campus virtual meters stay the demo's: they do not include them.
 */
function addExtraBuildings(builder: EstateBuilder, count: number): void {
  extraBuildings(count).forEach((building, n) => {
    const index = BUILDINGS.length + n;
    addElectricity(builder, building, index);
    if (building.gas) addGas(builder, building, building.gas, index);
    if (building.water) addWater(builder, building, building.water, index);
    addReactive(builder, building, index);
  });
}

interface VirtualMeterDef {
  name: string;
  /** Expression over aliases R1…Rn, which stand for `keys` in order. */
  expression: string;
  keys: string[];
  decimalPlaces: number;
  isInstantaneous: boolean;
  unit: string;
}

const UNIVERSITY: readonly BuildingCode[] = ['LIB', 'ENG', 'CHEM', 'MED', 'SU', 'SPORT', 'OAK', 'BIRCH', 'SEN', 'LT', 'DC', 'EC', 'EST', 'CP'];
const HOSPITAL: readonly BuildingCode[] = ['HOSP', 'MAT', 'OPD'];

function sumOf(count: number): string {
  return Array.from({ length: count }, (_, i) => `R${i + 1}`).join('+');
}

function virtualMeterDefs(has: (key: string) => boolean): VirtualMeterDef[] {
  const allImports = BUILDINGS.map((b) => `${b.code}.import`);
  const universityImports = UNIVERSITY.map((code) => `${code}.import`);
  const hospitalImports = HOSPITAL.map((code) => `${code}.import`);
  const gas = BUILDINGS.map((b) => `${b.code}.gas`).filter(has);
  const water = BUILDINGS.map((b) => `${b.code}.water`).filter(has);
  const heatConsumers = BUILDINGS.filter((b) => b.heat && b.code !== 'EC').map((b) => `${b.code}.heat`);
  const demand = BUILDINGS.map((b) => `${b.code}.power`);
  return [
    { name: 'Campus Electricity Import', expression: sumOf(allImports.length), keys: allImports, decimalPlaces: 2, isInstantaneous: false, unit: 'kWh' },
    {
      name: 'University Electricity',
      expression: sumOf(universityImports.length),
      keys: universityImports,
      decimalPlaces: 2,
      isInstantaneous: false,
      unit: 'kWh',
    },
    { name: 'Hospital Electricity', expression: sumOf(hospitalImports.length), keys: hospitalImports, decimalPlaces: 2, isInstantaneous: false, unit: 'kWh' },
    {
      name: 'Engineering Building Net Electricity',
      expression: 'R1-R2',
      keys: ['ENG.import', 'ENG.export'],
      decimalPlaces: 2,
      isInstantaneous: false,
      unit: 'kWh',
    },
    {
      name: 'Sports Centre Net Electricity',
      expression: 'R1-R2',
      keys: ['SPORT.import', 'SPORT.export'],
      decimalPlaces: 2,
      isInstantaneous: false,
      unit: 'kWh',
    },
    {
      name: 'Campus Solar Generation',
      expression: 'R1+R2+R3',
      keys: ['ENG.export', 'SPORT.export', 'CP.export'],
      decimalPlaces: 2,
      isInstantaneous: false,
      unit: 'kWh',
    },
    { name: 'Campus Gas', expression: sumOf(gas.length), keys: gas, decimalPlaces: 3, isInstantaneous: false, unit: 'm3' },
    // m3 to kWh: volume correction 1.02264 x calorific value 39.3 MJ/m3 / 3.6 MJ per kWh.
    { name: 'Oakwood Hall Gas Energy', expression: 'R1*1.02264*39.3/3.6', keys: ['OAK.gas'], decimalPlaces: 1, isInstantaneous: false, unit: 'kWh' },
    { name: 'Campus Water', expression: sumOf(water.length), keys: water, decimalPlaces: 3, isInstantaneous: false, unit: 'm3' },
    {
      name: 'Heat Network Losses',
      expression: `R1-(${heatConsumers.map((_, i) => `R${i + 2}`).join('+')})`,
      keys: ['EC.heat', ...heatConsumers],
      decimalPlaces: 1,
      isInstantaneous: false,
      unit: 'kWh',
    },
    { name: 'Main Library Electricity Intensity', expression: 'R1/5200', keys: ['LIB.import'], decimalPlaces: 4, isInstantaneous: false, unit: 'kWh/m2' },
    {
      name: 'Hospital Electricity Carbon',
      expression: `(${sumOf(hospitalImports.length)})*0.20705`,
      keys: hospitalImports,
      decimalPlaces: 2,
      isInstantaneous: false,
      unit: 'kgCO2e',
    },
    { name: 'Campus Electrical Demand', expression: sumOf(demand.length), keys: demand, decimalPlaces: 1, isInstantaneous: true, unit: 'kW' },
    {
      name: 'Data Centre Average Voltage',
      expression: '(R1+R2+R3)/3',
      keys: ['DC.voltage1', 'DC.voltage2', 'DC.voltage3'],
      decimalPlaces: 1,
      isInstantaneous: true,
      unit: 'V',
    },
    { name: 'Sports Centre Demand', expression: 'R1', keys: ['SPORT.power'], decimalPlaces: 2, isInstantaneous: true, unit: 'kW' },
  ];
}

function buildVirtualMeters(registers: Map<number, EstateRegister>, registerIdByKey: Map<string, number>) {
  const virtualMeters: WireVirtualMeter[] = [];
  const virtualMeterById = new Map<number, EstateVirtualMeter>();
  const virtualMeterIdByName = new Map<string, number>();
  const defs = virtualMeterDefs((key) => registerIdByKey.has(key));
  defs.forEach((def, index) => {
    const registerIds = def.keys.map((key) => {
      const id = registerIdByKey.get(key);
      if (id === undefined) throw new Error(`Virtual meter "${def.name}" refers to unknown register ${key}`);
      return id;
    });
    const wire: WireVirtualMeter = {
      id: 3 + index * 2,
      name: def.name,
      expression: def.expression,
      decimalPlaces: def.decimalPlaces,
      isInstantaneous: def.isInstantaneous,
      unit: def.unit,
      registerAliases: registerIds.map((registerId, i) => ({
        alias: `R${i + 1}`,
        registerId,
        registerName: (registers.get(registerId) as EstateRegister).fullName,
      })),
    };
    virtualMeters.push(wire);
    virtualMeterById.set(wire.id, { wire, registerIds });
    virtualMeterIdByName.set(def.name, wire.id);
  });
  return { virtualMeters, virtualMeterById, virtualMeterIdByName };
}
