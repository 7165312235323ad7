/**
 * Injected misbehaviour (latency, failed requests, readings cut mid-body) and the counters that
 * decide which request is the Nth. One object, so that replacing the faults also restarts the count.
 */

import { IncomingMessage } from 'node:http';
import { DcsRefusal } from './errors';
import { Faults } from './types';

export interface FaultInjector {
  /** Waits the injected latency, then refuses the request if it is the Nth to fail. */
  beforeRequest(req: IncomingMessage): Promise<void>;
  /** Counts one readings answer and says whether it is the Nth, to be cut mid-body. */
  cutThisReadings(): boolean;
  /** New faults, counted afresh from the next request. */
  replace(next: Faults): void;
}

export function validateFaults(faults: Faults): void {
  for (const name of ['latencyMs', 'failEveryNth', 'cutEveryNth'] as const) {
    const value = faults[name];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`Fault ${name} must be a non-negative number (got ${value}).`);
    }
  }
  if (faults.failStatus !== undefined && !(Number.isInteger(faults.failStatus) && faults.failStatus >= 400 && faults.failStatus <= 599)) {
    throw new RangeError(`Fault failStatus must be an HTTP error status 400-599 (got ${faults.failStatus}).`);
  }
}

export function createFaultInjector(initial: Faults = {}): FaultInjector {
  let faults: Faults = { ...initial };
  let failCalls = 0;
  let readingsCalls = 0;
  return {
    async beforeRequest(req) {
      if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
      if (faults.failEveryNth && faults.failEveryNth > 0 && ++failCalls % faults.failEveryNth === 0) {
        const status = faults.failStatus ?? 503;
        req.resume();
        throw new DcsRefusal(status, `Simulated fault: this server answers every ${faults.failEveryNth}th request with ${status}.`);
      }
    },
    cutThisReadings() {
      readingsCalls++;
      return faults.cutEveryNth !== undefined && faults.cutEveryNth > 0 && readingsCalls % faults.cutEveryNth === 0;
    },
    replace(next) {
      validateFaults(next);
      faults = { ...next };
      failCalls = 0;
      readingsCalls = 0;
    },
  };
}
