/**
 * The demo invoices (server/bills/demo-bills.ts): the check flags every planted error, on the
 * lines it was planted in and nowhere else, and passes every correct invoice.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { BillsJson } from '../../server/api/types';
import type { DemoBill } from '../../server/bills/demo-bills';
import { basicAuth, getJson, startTestServer, type TestServer } from '../server/helpers';

const AUTH = { Authorization: basicAuth('demo', 'demo') };

describe('demo bills', () => {
  let server: TestServer;
  let demo: DemoBill[];
  let checked: BillsJson;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn' });
    const listed = await getJson<{ bills: DemoBill[] }>(`${server.url}/api/bills/demo`, AUTH);
    assert.equal(listed.status, 200);
    demo = listed.body.bills;
    const res = await fetch(`${server.url}/api/bills`, {
      method: 'POST',
      headers: { ...AUTH, 'Content-Type': 'application/json' },
      body: JSON.stringify({ bills: demo.map((d) => d.request) }),
    });
    assert.equal(res.status, 200);
    checked = (await res.json()) as BillsJson;
  });
  after(async () => {
    await server.close();
  });

  it('has electricity, gas and water, correct invoices and each planted error', () => {
    const kinds = new Set(demo.map((d) => d.name.split('-')[0]));
    assert.deepEqual([...kinds].sort(), ['electricity', 'gas', 'water']);
    assert.ok(demo.filter((d) => d.planted === null).length >= 3);
    const planted = demo.map((d) => d.planted ?? '').join('\n');
    for (const error of [
      /night units billed as day/,
      /maximum demand charged on August/,
      /31 days in a 30-day month/,
      /VAT at 5 %/,
      /without the volume correction factor/,
    ]) {
      assert.match(planted, error);
    }
  });

  it('flags every planted error on its own lines, and nothing on a correct invoice', () => {
    demo.forEach((d, i) => {
      const check = checked.bills[i].check;
      assert.ok(check, d.name);
      const flagged = check.lines.filter((line) => line.verdict !== 'OK').map((line) => line.name);
      assert.deepEqual(flagged.sort(), [...d.flagged].sort(), `${d.name}: ${JSON.stringify(check.lines.filter((l) => l.verdict !== 'OK'))}`);
      for (const line of check.lines.filter((l) => l.verdict !== 'OK')) assert.equal(line.verdict, 'CHECK', `${d.name} ${line.name}`);
      if (d.planted === null) assert.equal(check.summary.atStake, 0, d.name);
      else assert.ok(check.summary.atStake > 0, d.name);
    });
  });

  it('pulls each demo register once for all ten bills', () => {
    assert.equal(checked.sources, 4);
  });

  it('is refused on a server that reads a real DCS', async () => {
    const other = await startTestServer({ logLevel: 'warn' });
    try {
      const real = await startTestServer({ logLevel: 'warn', dcsUrl: other.simulator?.url });
      try {
        const answer = await getJson(`${real.url}/api/bills/demo`, AUTH);
        assert.equal(answer.status, 404);
      } finally {
        await real.close();
      }
    } finally {
      await other.close();
    }
  });
});
