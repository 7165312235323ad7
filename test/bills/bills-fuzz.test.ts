/**
 * POST /api/bills with generated bad input: a valid one-day bill with one field, anywhere in it,
 * replaced by an arbitrary JSON value (or removed, or joined by an unknown field). Every answer is
 * a 200 or a 4xx; a 400 names a field that exists on the path that was changed.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import { DEMO_TARIFFS } from '../../server/bills/demo-bills';
import { basicAuth, startTestServer, type ApiErrorBody, type TestServer } from '../server/helpers';

const VALID = {
  supply: { import: 'R1001', reactive: 'R1147' },
  period: { firstDay: '2024-10-27', lastDay: '2024-10-27', timeZone: 'Europe/London' },
  tariff: DEMO_TARIFFS.electricity,
  invoice: { lines: [{ name: 'Day', quantity: 100, amount: 22.31 }] },
};

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

/** Every path to a value in the bill, e.g. ['tariff', 'units', 1, 'rate']. */
function paths(value: Json, prefix: (string | number)[] = []): (string | number)[][] {
  const here = prefix.length > 0 ? [prefix] : [];
  if (Array.isArray(value)) return [...here, ...value.flatMap((v, i) => paths(v, [...prefix, i]))];
  if (value !== null && typeof value === 'object') return [...here, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))];
  return here;
}

function changed(path: (string | number)[], change: { kind: 'set'; value: Json } | { kind: 'remove' } | { kind: 'add' }): Json {
  const copy = structuredClone(VALID) as unknown as Json;
  let parent = copy as Record<string | number, Json>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string | number, Json>;
  const last = path[path.length - 1];
  if (change.kind === 'set') parent[last] = change.value;
  else if (change.kind === 'remove') delete parent[last];
  else if (typeof parent[last] === 'object' && parent[last] !== null && !Array.isArray(parent[last])) (parent[last] as Record<string, Json>).surprise = 1;
  return copy;
}

describe('POST /api/bills with generated bad input', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logLevel: 'error' });
  });
  after(async () => {
    await server.close();
  });

  it('answers 200 or a 4xx, and a 400 names a field on the changed path', async () => {
    const all = paths(VALID);
    const change = fc.oneof(
      fc.record({ kind: fc.constant('set' as const), value: fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json> }),
      fc.constant({ kind: 'remove' as const }),
      fc.constant({ kind: 'add' as const }),
    );
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...all), change, async (path, how) => {
        const res = await fetch(`${server.url}/api/bills`, {
          method: 'POST',
          headers: { Authorization: basicAuth('demo', 'demo'), 'Content-Type': 'application/json' },
          body: JSON.stringify(changed(path, how)),
        });
        const body = (await res.json()) as ApiErrorBody;
        assert.ok(res.status === 200 || (res.status >= 400 && res.status < 500), `${res.status} for ${path.join('.')}: ${JSON.stringify(body)}`);
        if (res.status === 400) {
          const named = body.error.parameter ?? '';
          const top = String(path[0]);
          assert.ok(named.startsWith(top) || named === 'body', `${named} for a change at ${path.join('.')}`);
        }
      }),
      { numRuns: 150, seed: 20 },
    );
  });
});
