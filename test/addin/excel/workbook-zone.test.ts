/**
 * One time zone per workbook (issue 19): kept in the workbook's settings, absent until chosen,
 * and the zone every function given none uses.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { IntervalsJson } from '../../../server/api/types';
import { Session } from '../../../addin/api/session';
import type { Fetch } from '../../../addin/api/http';
import { ConsumptionMemo } from '../../../addin/functions/consumption-api';
import type { FunctionsContext } from '../../../addin/functions/cell-functions';
import { httpIntervalsApi } from '../../../addin/functions/intervals-api';
import { intervals } from '../../../addin/functions/intervals-function';
import { readWorkbookZone, WORKBOOK_ZONE_SETTING, writeWorkbookZone } from '../../../addin/excel/workbook-zone';
import { mockExcel } from '../support/workbook';

describe("the workbook's time zone", () => {
  it('is absent until chosen, then kept in the workbook settings', async () => {
    const { context, view } = mockExcel();
    assert.equal(await readWorkbookZone(context), undefined);
    await writeWorkbookZone(context, 'Europe/London');
    assert.equal(await readWorkbookZone(context), 'Europe/London');
    assert.equal(view.settings()[WORKBOOK_ZONE_SETTING], 'Europe/London', 'saved with the workbook');
    await writeWorkbookZone(context, 'America/New_York');
    assert.equal(await readWorkbookZone(context), 'America/New_York');
  });

  it('is the zone a function given none asks the server for', async () => {
    const urls: URL[] = [];
    const answer: IntervalsJson = { sources: [] };
    const fetch: Fetch = async (url) => {
      urls.push(new URL(url));
      return { ok: true, status: 200, text: async () => JSON.stringify(answer), json: async () => answer } as never;
    };
    const session = new Session();
    session.begin({ username: 'ann', role: 'user', token: 't', public: false });
    const ctx: FunctionsContext = {
      session,
      consumption: new ConsumptionMemo({ batch: async () => [] }),
      api: { sources: async () => [], readings: async function* () {} },
      intervals: httpIntervalsApi({ url: (p) => `http://127.0.0.1:9/${p}`, session }, fetch),
      // As the runtime's: read from the workbook, asynchronously.
      defaultTimeZone: async () => 'Australia/Sydney',
    };
    await intervals(ctx, 'R1001', '2024-04-01', '2024-04-02', 'day', null, null).catch(() => undefined);
    assert.equal(urls[0]?.searchParams.get('timeZone'), 'Australia/Sydney');
  });
});
