/**
 * A bounded soak under the simulator's fault knobs: 5xx every Nth call, answers cut mid-body,
 * sessions expiring mid-pull, sign-ins failing. Every pull must either complete and be identical
 * to the same pull without faults, or fail visibly (an error status, or a body that never ends
 * properly); never a complete-looking answer that differs. Afterwards the server still answers
 * and no spool file is left behind.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEMO_FEATURES, type Faults } from 'dcs-simulator';
import { rawGet, signIn, startTestServer, type RawResponse, type TestServer } from './helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const GAPPY = `R${DEMO_FEATURES.gapRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;

/** Each pull spans several 30-day windows, so faults land mid-pull as well as at its start. */
const PULLS = [
  { name: 'ndjson, anonymous', path: `/api/readings?id=${ELEC}&start=2024-01-01&end=2024-04-01&output=ndjson`, signedIn: false },
  { name: 'csv of two sources, signed in', path: `/api/readings?id=${GAPPY},${VM}&start=2024-02-01&end=2024-04-01&output=csv`, signedIn: true },
  {
    name: 'OData page, signed in',
    path: `/odata/Readings?$filter=${encodeURIComponent(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-03-01T00:00:00Z`)}&periodType=hour`,
    signedIn: true,
  },
];

interface Scenario {
  name: string;
  faults: Faults;
  /** Expire every DCS session this often (ms) during the scenario. */
  expireEveryMs?: number;
}

const SCENARIOS: Scenario[] = [
  { name: '503 every 4th call', faults: { failEveryNth: 4, failStatus: 503 } },
  { name: '502 every 5th call, with latency', faults: { failEveryNth: 5, failStatus: 502, latencyMs: 5 } },
  { name: '500 every 5th call (not retried)', faults: { failEveryNth: 5, failStatus: 500 } },
  { name: 'every 3rd readings answer cut mid-body', faults: { cutEveryNth: 3 } },
  { name: 'cuts and 503s together', faults: { cutEveryNth: 4, failEveryNth: 6, failStatus: 503 } },
  { name: 'sessions expiring mid-pull', faults: { latencyMs: 10 }, expireEveryMs: 150 },
  { name: 'sessions expiring while sign-ins fail with 503', faults: { failEveryNth: 3, failStatus: 503 }, expireEveryMs: 100 },
];
const ROUNDS = 2;

type Outcome = 'identical' | 'failed before the answer' | 'cut off visibly';

function classify(answer: RawResponse, clean: RawResponse, what: string): Outcome {
  if (answer.status >= 400) {
    assert.ok(answer.status < 600, what);
    assert.ok(answer.complete, `${what}: an error answer is itself complete`);
    assert.match(answer.body, /"error":\{"code":"/, `${what}: an error answer says what went wrong`);
    return 'failed before the answer';
  }
  assert.equal(answer.status, 200, what);
  if (answer.complete) {
    assert.equal(answer.body, clean.body, `${what}: a complete answer must be identical to the clean pull`);
    return 'identical';
  }
  // Cut off: no reader may mistake it for a whole table.
  assert.notEqual(answer.body, clean.body, `${what}: a cut answer is not the whole answer`);
  assert.doesNotMatch(answer.body, /\{"end":/, `${what}: an ndjson pull that failed has no end record`);
  return 'cut off visibly';
}

describe('fault soak: every pull is complete and identical, or visibly failed', () => {
  let server: TestServer;
  let spoolDir: string;
  let bearer: Record<string, string>;
  before(async () => {
    spoolDir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-soak-'));
    server = await startTestServer({ dcsMaxWindowDays: 30, spoolMemoryMb: 32 / 1024, spoolDir, logLevel: 'error' });
    bearer = { Authorization: `Bearer ${(await signIn(server.url)).token}` };
  });
  after(async () => {
    await server.close();
    fs.rmSync(spoolDir, { recursive: true, force: true });
  });

  it(`runs ${SCENARIOS.length} fault scenarios × ${ROUNDS} rounds × ${PULLS.length} concurrent pulls within 50 s`, { timeout: 50_000 }, async () => {
    const sim = server.simulator!;
    const get = (pull: (typeof PULLS)[number]): Promise<RawResponse> => rawGet(`${server.url}${pull.path}`, pull.signedIn ? bearer : {});
    const clean = await Promise.all(PULLS.map(get));
    for (const [i, answer] of clean.entries()) assert.ok(answer.status === 200 && answer.complete && answer.body.length > 10_000, `clean ${PULLS[i].name}`);

    const tally = new Map<Outcome, number>();
    for (const scenario of SCENARIOS) {
      sim.setFaults(scenario.faults);
      const expiring = scenario.expireEveryMs === undefined ? undefined : setInterval(() => sim.expireAllSessions(), scenario.expireEveryMs);
      try {
        for (let round = 0; round < ROUNDS; round++) {
          const answers = await Promise.all(PULLS.map(get));
          for (const [i, answer] of answers.entries()) {
            const outcome = classify(answer, clean[i], `${scenario.name}, ${PULLS[i].name}`);
            tally.set(outcome, (tally.get(outcome) ?? 0) + 1);
          }
        }
      } finally {
        clearInterval(expiring);
        sim.setFaults({});
      }
    }

    assert.ok((tally.get('identical') ?? 0) >= SCENARIOS.length, `most faults are recovered from: ${JSON.stringify([...tally])}`);
    assert.ok((tally.get('failed before the answer') ?? 0) + (tally.get('cut off visibly') ?? 0) > 0, 'unrecoverable faults do surface');
    // The server is still well: a clean pull after the soak is identical, and nothing is left spooled.
    assert.equal((await get(PULLS[0])).body, clean[0].body);
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.deepEqual(fs.readdirSync(spoolDir), [], 'every spool file was deleted');
  });
});
