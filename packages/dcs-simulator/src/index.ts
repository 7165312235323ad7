/**
 * The DCS simulator: a stand-in DCS Web API with a deterministic demo estate. The embedded
 * default of the product; also `npm run simulator`.
 */

export { startSimulator, COOKIE_NAME, APP_VERSION } from './server';
export type { SimulatorOptions, RunningSimulator, Faults, DemoAccount } from './types';
export { DEMO_ACCOUNTS, DEMO_FEATURES, demoFeatures, demoEstate } from './demo';
export type { DemoFeatureIds, DemoFeatures } from './demo';
export type { EstateOptions } from './estate';
export { MAX_EXTRA_BUILDINGS } from './extra-buildings';
export type { DemoFeatureDates, TimeSpell } from './features';
export type { WireMeter, WireRegister, WireVirtualMeter, WireRegisterAlias } from './wire';
export { virtualClock, type VirtualClock } from './virtual-clock';
