/**
 * The queries a signed-in (or public) account runs: GET /meters and /virtualMeters (the listings
 * it may see, serialised once per account) and GET /readings (streamed).
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import { Account, canSeeMeter, canSeeRegister, canSeeVirtualMeter } from './accounts';
import { DcsRefusal } from './errors';
import { Estate } from './estate';
import { ReadingsBody } from './readings-body';
import { parseReadingsQuery, ReadingsSource } from './readings-query';
import { streamJson } from './respond';
import { Headers, SimulatorState } from './simulator-state';
import { WireMeter } from './wire';

export type Listing = (account: Account, what: 'meters' | 'virtualMeters') => string;

/** The JSON of a listing as an account sees it; the estate never changes, so each is made once. */
export function createListing(estate: Estate): Listing {
  const cache = new Map<string, string>();
  return (account, what) => {
    const key = `${what}:${account.username}`;
    let json = cache.get(key);
    if (json === undefined) {
      const items: unknown[] =
        what === 'meters'
          ? estate.meters.filter((m: WireMeter) => canSeeMeter(account, estate, m.id))
          : estate.virtualMeters.filter((vm) => canSeeVirtualMeter(account, estate, vm.id));
      json = JSON.stringify(items);
      cache.set(key, json);
    }
    return json;
  };
}

function sourceLabel(source: ReadingsSource): string {
  return source.kind === 'register' ? `register ${source.id} (${source.name})` : `virtual meter ${source.id} (${source.name})`;
}

export function readings(req: IncomingMessage, res: ServerResponse, state: SimulatorState, account: Account, url: URL, headers: Headers): void {
  const { estate } = state;
  const request = parseReadingsQuery(url.searchParams, state.data, {
    rangeLimitDays: state.options.rangeLimitDays,
    checkAccess(source) {
      const allowed = source.kind === 'register' ? canSeeRegister(account, estate, source.id) : canSeeVirtualMeter(account, estate, source.id);
      if (!allowed) {
        throw new DcsRefusal(403, `The meter restriction profile of "${account.username}" does not allow access to ${sourceLabel(source)}.`);
      }
    },
  });
  const cut = state.faults.cutThisReadings();
  streamJson(req, res, new ReadingsBody(request, state.clock().getTime()), { headers, cut });
}
