/**
 * What one running simulator holds: its options, data clock, demo estate and values, accounts and
 * sessions, and the faults it injects. Built once at start and handed to every route.
 */

import { Account, demoAccounts, SessionStore } from './accounts';
import { DEMO_FEATURES, estate } from './demo';
import { Estate } from './estate';
import { EstateData } from './estate-data';
import { createFaultInjector, FaultInjector } from './fault-injector';
import { demoFeatureDates } from './features';
import { precomputeProfiles } from './profiles';
import { DATA_START_MS, DAY_MS } from './time';
import { SimulatorOptions } from './types';

/** Headers every answer carries (the rate limit's), added to by each route. */
export type Headers = Record<string, string | string[]>;

export interface SimulatorState {
  options: SimulatorOptions;
  clock: () => Date;
  estate: Estate;
  data: EstateData;
  accounts: Account[];
  sessions: SessionStore;
  faults: FaultInjector;
}

/** Expects validated options. */
export function createSimulatorState(options: SimulatorOptions): SimulatorState {
  const clock = options.now ?? (() => new Date());
  const dates = demoFeatureDates(clock());
  const theEstate = estate({ extraBuildings: options.extraBuildings });
  const data = new EstateData(theEstate, DEMO_FEATURES, dates);
  precomputeProfiles(Math.ceil((clock().getTime() - DATA_START_MS) / DAY_MS) + 1);
  return {
    options,
    clock,
    estate: theEstate,
    data,
    accounts: demoAccounts(dates.accountExpiry),
    sessions: new SessionStore(options.sessionTtlSeconds, options.sessionClock),
    faults: createFaultInjector(options.faults ?? {}),
  };
}
