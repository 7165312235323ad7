/**
 * Round two of the feed as Power BI refreshes it (issue 18), each item replayed as Power Query
 * sends it: a next link followed after the clock has moved on, `$top` after a partial filter,
 * the steps Power Query folds when folding partly fails, sorting then keeping the top rows, a
 * literal `+` in an offset, a source the caller may not see, and what $metadata promises.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { IntervalsJson, ReadingsJson, Source } from '../../server/api/types';
import { DEMO_FEATURES } from 'dcs-simulator';
import { basicAuth, getJson, SIMULATOR_NOW, startTestServer, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;

/** What Power Query's OData connector sends with every request (Basic is sent up front). */
const POWER_QUERY = {
  Accept: 'application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/xml;q=0.7,text/plain;q=0.7',
  'OData-MaxVersion': '4.0',
  'User-Agent': 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
};
const as = (user: string, extra: Record<string, string> = {}) => ({ ...POWER_QUERY, Authorization: basicAuth(user, user), ...extra });
const q = (text: string) => encodeURIComponent(text);
const iso = (ms: number) => new Date(ms).toISOString().replace('.000Z', 'Z');

interface Reading {
  SourceId: string;
  Timestamp: string;
  Value: number | string;
  PeriodValue: number | string | null;
}

interface Collection<T> {
  '@odata.nextLink'?: string;
  value: T[];
}

interface ODataErrorBody {
  error: { code: string; message: string; target?: string };
}

describe('Power BI round two: next links across the clock, $top, folding fallbacks', () => {
  // The server's and the simulator's clock, moved by the tests: DCS's data grows with it.
  let clock = Date.parse('2025-05-31T02:24:50Z');
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, odataPageSize: 100, now: () => clock, simulator: { now: () => new Date(clock) } });
  });
  after(() => server.close());

  const get = <T>(path: string, headers: Record<string, string> = as('demo')) => getJson<T>(`${server.url}/odata/${path}`, headers);

  async function follow<T>(url: string, between: (page: number) => void = () => {}): Promise<{ rows: T[]; pages: number }> {
    const rows: T[] = [];
    let pages = 0;
    let next: string | undefined = url;
    while (next !== undefined) {
      if (pages > 0) between(pages);
      const res: { status: number; body: Collection<T> } = await getJson<Collection<T>>(next, as('demo', { Prefer: 'odata.maxpagesize=40' }));
      assert.equal(res.status, 200, `page ${pages + 1}: ${JSON.stringify(res.body).slice(0, 300)}`);
      rows.push(...res.body.value);
      pages++;
      next = res.body['@odata.nextLink'];
      assert.ok(pages < 100, 'paging does not end');
    }
    return { rows, pages };
  }

  async function apiReadings(id: string, startMs: number, endMs: number): Promise<ReadingsJson> {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${id}&start=${iso(startMs)}&end=${iso(endMs)}`, {
      Authorization: basicAuth('demo', 'demo'),
    });
    assert.equal(res.status, 200);
    return res.body;
  }

  it('1. a next link followed after the clock crossed the half-hour (and more data arrived) serves the page it promised', async () => {
    clock = Date.parse('2025-05-31T02:24:50Z');
    const start = Date.parse('2025-05-29T02:30:00Z');
    // An open-ended refresh partition: the end is tomorrow, so "now" decides where the data stops.
    const filter = `SourceId in ('${ELEC}','${VM}') and Timestamp ge ${iso(start)} and Timestamp lt ${iso(clock + 86_400_000)}`;
    const url = `${server.url}/odata/Readings?$filter=${q(filter)}`;
    // Every page at the first page's clock: what the pages must add up to.
    const whole = (await follow<Reading>(url)).rows;
    const clockAtFirstPage = clock;
    const paged = await follow<Reading>(url, (page) => {
      // 02:24:50 → 02:25:05 moves DCS's available end from 02:30 to 03:00; then an hour later.
      clock = page === 1 ? clockAtFirstPage + 15_000 : clockAtFirstPage + 15_000 + page * 3_600_000;
    });
    assert.ok(paged.pages > 3, `${paged.pages} pages`);
    const key = (r: Reading) => `${r.SourceId} ${r.Timestamp}`;
    assert.deepEqual(paged.rows.map(key), whole.map(key), 'no row twice, none missing, none added');
    // Values too, but for the half-hour that was in progress at the first page: DCS completed it since.
    const settled = (r: Reading) => r.Timestamp < '2025-05-31T02:00:00Z';
    assert.deepEqual(paged.rows.filter(settled), whole.filter(settled));
    // Independently: /api/readings over the span as it stood at the first page.
    const endAtFirstPage = Date.parse('2025-05-31T02:30:00Z');
    for (const id of [ELEC, VM]) {
      const api = (await apiReadings(id, start, endAtFirstPage)).sources[0].readings;
      const odata = paged.rows.filter((r) => r.SourceId === id);
      assert.deepEqual(
        odata.map((r) => r.Timestamp),
        api.map((r) => r.timestamp),
        id,
      );
    }
    // A new refresh started now does see the data that arrived meanwhile.
    const fresh = await follow<Reading>(url);
    assert.ok(fresh.rows.length > whole.length);
  });

  it('1. an Intervals next link followed after the clock moved serves the rows it promised', async () => {
    clock = Date.parse('2025-05-31T02:24:50Z');
    const url = `${server.url}/odata/Intervals?$filter=${q(`SourceId in ('${ELEC}','${VM}') and Start ge ${iso(clock - 86_400_000)}`)}&interval=halfHour&$top=100000`;
    const whole = (await follow<{ SourceId: string; Start: string }>(url)).rows;
    const startClock = clock;
    const paged = await follow<{ SourceId: string; Start: string }>(url, (page) => {
      clock = startClock + page * 3_600_000;
    });
    assert.ok(paged.pages > 1);
    const key = (r: { SourceId: string; Start: string }) => `${r.SourceId} ${r.Start}`;
    assert.deepEqual(paged.rows.map(key), whole.map(key));
    // The last interval is the one in progress at the first page (02:00–02:30), for each source.
    assert.equal(whole.at(-1)!.Start, '2025-05-31T02:00:00Z');
    assert.equal(whole.length, 2 * 48, 'from 02:30 (the first start at or after the bound) a day ago');
  });

  it('2. $top after a filter with a start only: exactly the first N rows of what the filter selects, across sources', async () => {
    clock = SIMULATOR_NOW.getTime();
    const start = Date.parse('2025-05-30T00:00:00Z');
    const top = 5000;
    const res = await follow<Reading>(
      `${server.url}/odata/Readings?$filter=${q(`SourceId in ('${ELEC}','${VM}') and Timestamp ge ${iso(start)}`)}&$top=${top}`,
    );
    // The filter selects both sources from the start up to now; in the feed's order (per source).
    const expected = [];
    for (const id of [ELEC, VM].sort()) {
      for (const r of (await apiReadings(id, start, clock)).sources[0].readings) expected.push({ SourceId: id, Timestamp: r.timestamp });
    }
    assert.equal(expected.length, 2 * 96, 'fewer rows than $top: all of them');
    assert.deepEqual(
      res.rows.map((r) => ({ SourceId: r.SourceId, Timestamp: r.Timestamp })),
      expected.slice(0, top),
    );
  });

  it('2. a one-day filter with $top and no SourceId reads every source the caller may see, not the first ten', async () => {
    clock = SIMULATOR_NOW.getTime();
    const sources = (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: basicAuth('demo', 'demo') })).body;
    const cumulative = sources.filter((s) => !s.isInstantaneous);
    const day = 'Start ge 2024-01-01T00:00:00Z and Start lt 2024-01-02T00:00:00Z';
    const res = await follow<{ SourceId: string }>(`${server.url}/odata/Intervals?$filter=${q(day)}&interval=day&$top=5000`);
    assert.ok(sources.length > 10);
    assert.equal(res.rows.length, sources.length, 'one day per source');
    assert.deepEqual(new Set(res.rows.map((r) => r.SourceId)), new Set(sources.map((s) => s.id)));
    const readings = await follow<{ SourceId: string }>(
      `${server.url}/odata/Readings?$filter=${q(day.replaceAll('Start', 'Timestamp'))}&periodType=day&$top=5000`,
    );
    assert.deepEqual(new Set(readings.rows.map((r) => r.SourceId)), new Set(cumulative.map((s) => s.id)), 'every source that has days');
  });

  it('2. $top without a start is refused, saying how to bound it', async () => {
    const res = await get<ODataErrorBody>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and Timestamp lt 2024-02-01T00:00:00Z`)}&$top=100`);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /needs a start \(Timestamp ge \.\.\.\).*with \$top, a start is enough/);
  });

  it('7. a literal + in an offset (as typed into a URL) is a plus, not a space', async () => {
    clock = SIMULATOR_NOW.getTime();
    const plus = await get<Collection<Reading>>(
      `Readings?$filter=SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T01:00:00+01:00 and Timestamp lt 2024-01-01T02:00:00+01:00`,
    );
    assert.equal(plus.status, 200, JSON.stringify(plus.body));
    assert.deepEqual(
      plus.body.value.map((r) => r.Timestamp),
      ['2024-01-01T00:00:00Z', '2024-01-01T00:30:00Z'],
    );
    const encoded = await get<Collection<Reading>>(
      `Readings?$filter=${q(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T01:00:00+01:00 and Timestamp lt 2024-01-01T02:00:00+01:00`)}`,
    );
    assert.deepEqual(encoded.body.value, plus.body.value);
    const start = await get<Collection<{ Start: string }>>(
      `Intervals?$filter=SourceId eq '${ELEC}'&start=2024-01-01T00:00:00+00:00&end=2024-01-03T00:00:00+00:00`,
    );
    assert.equal(start.status, 200, JSON.stringify(start.body));
    assert.equal(start.body.value.length, 2);
  });

  it('4. $select may name the navigation property Source (Choose Columns keeping it), with $expand', async () => {
    clock = SIMULATOR_NOW.getTime();
    const span = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-01T01:00:00Z';
    const res = await get<Collection<{ Timestamp: string; Source: { Unit: string } }>>(
      `Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span}`)}&$select=Timestamp,Source&$expand=Source($select=Unit)`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.value, [
      { Timestamp: '2024-01-01T00:00:00Z', Source: { Unit: 'kWh' } },
      { Timestamp: '2024-01-01T00:30:00Z', Source: { Unit: 'kWh' } },
    ]);
  });

  it('9. a source the account may not see: the same 404 from Readings and Intervals, never a 403 (a credential prompt)', async () => {
    clock = SIMULATOR_NOW.getTime();
    const hidden = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
    const span = (column: string) => `${column} ge 2024-01-01T00:00:00Z and ${column} lt 2024-01-02T00:00:00Z`;
    const readings = await get<ODataErrorBody>(`Readings?$filter=${q(`SourceId eq '${hidden}' and ${span('Timestamp')}`)}`, as('viewer'));
    const intervals = await get<ODataErrorBody>(`Intervals?$filter=${q(`SourceId eq '${hidden}' and ${span('Start')}`)}`, as('viewer'));
    for (const res of [readings, intervals]) {
      assert.equal(res.status, 404);
      assert.equal(res.body.error.code, 'not_found');
    }
    assert.equal(readings.body.error.message, intervals.body.error.message);
    assert.match(readings.body.error.message, new RegExp(`no source ${hidden} that you may see in DCS; the Sources table lists the ids you may read`));
    const visible = await get<Collection<Reading>>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span('Timestamp')}`)}`, as('viewer'));
    assert.equal(visible.status, 200, 'the same account reads what it may see');
  });

  it('10. $metadata: Source may be null, Intervals keyed by interval and zone too, key access and navigation declared unsupported', async () => {
    const xml = await (await fetch(`${server.url}/odata/$metadata`, { headers: as('demo') })).text();
    assert.match(xml, /<NavigationProperty Name="Source" Type="DCS.Source">/);
    assert.doesNotMatch(xml, /<NavigationProperty[^>]*Nullable="false"/);
    const intervalKey = /<EntityType Name="Interval">\s*<Key>([\s\S]*?)<\/Key>/.exec(xml)![1];
    assert.deepEqual(
      [...intervalKey.matchAll(/Name="(\w+)"/g)].map((m) => m[1]),
      ['SourceId', 'Interval', 'TimeZone', 'Start'],
    );
    for (const set of ['Readings', 'Intervals']) {
      const body = new RegExp(`<EntitySet Name="${set}"[\\s\\S]*?</EntitySet>`).exec(xml)![0];
      assert.match(body, /<Annotation Term="Capabilities.IndexableByKey" Bool="false"\/>/, set);
      assert.match(body, /EnumMember="Capabilities.NavigationType\/None"/, set);
    }
    // The same instant starts a day in London and in Lisbon: the rows differ by key.
    const day = (zone: string) =>
      get<Collection<{ Interval: string; TimeZone: string; Start: string }>>(
        `Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-01-01&end=2024-01-02&timeZone=${zone}`,
      );
    const [london, lisbon] = [(await day('Europe/London')).body.value[0], (await day('Europe/Lisbon')).body.value[0]];
    assert.equal(london.Start, lisbon.Start);
    assert.notEqual(london.TimeZone, lisbon.TimeZone);
  });

  it("10. odata.metadata=full and Atom are refused with 406; Power Query's Accept list and lower-case z / 12-digit fractions are answered", async () => {
    clock = SIMULATOR_NOW.getTime();
    for (const accept of ['application/json;odata.metadata=full', 'application/atom+xml', 'application/xml']) {
      const res = await get<ODataErrorBody>('Sources', as('demo', { Accept: accept }));
      assert.equal(res.status, 406, accept);
      assert.match(res.body.error.message, /answers in JSON with minimal metadata/);
    }
    assert.equal((await get('Sources?$format=application/json;odata.metadata=full')).status, 406);
    assert.equal((await get('Sources')).status, 200, "Power Query's Accept");
    const res = await get<Collection<Reading>>(
      `Readings?$filter=${q(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01t00:00:00z and Timestamp lt 2024-01-01T01:00:00.000000000000Z`)}`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.equal(res.body.value.length, 2);
  });

  it('5. what Power Query falls back to when folding partly fails: Source/Unit, date(), indexof, substring', async () => {
    clock = SIMULATOR_NOW.getTime();
    const sources = (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: basicAuth('demo', 'demo') })).body;
    // A filter on the expanded Source column: decided on the caller's Sources, so it narrows the sources.
    const kwh = sources.filter((s) => s.unit === 'kWh').map((s) => s.id);
    const byUnit = await follow<Reading>(
      `${server.url}/odata/Readings?$filter=${q("Source/Unit eq 'kWh' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-01T00:30:00Z")}&$top=10000`,
    );
    assert.deepEqual(new Set(byUnit.rows.map((r) => r.SourceId)), new Set(kwh));
    const mixed = await get<ODataErrorBody>(
      `Readings?$filter=${q(`(Source/Unit eq 'kWh' or Value gt 1) and SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z`)}&$top=1`,
    );
    assert.equal(mixed.status, 400);
    assert.match(mixed.body.error.message, /Source\/Unit can be filtered on in a condition of its own only/);
    // Date.From([Timestamp]) = #date(2024, 1, 5) folds to date(Timestamp) eq 2024-01-05: a UTC day of readings.
    const day = await follow<Reading>(`${server.url}/odata/Readings?$filter=${q(`SourceId eq '${ELEC}' and date(Timestamp) eq 2024-01-05`)}`);
    assert.equal(day.rows.length, 48);
    assert.ok(day.rows.every((r) => r.Timestamp.startsWith('2024-01-05T')));
    // On Intervals, date(Start) is the local date in timeZone: a summer day in London is 24 hours from 00:00+01:00.
    const local = await follow<{ Start: string }>(
      `${server.url}/odata/Intervals?$filter=${q(`SourceId eq '${ELEC}' and date(Start) eq 2024-07-01`)}&interval=hour&timeZone=Europe/London`,
    );
    assert.equal(local.rows.length, 24);
    assert.equal(local.rows[0].Start, '2024-07-01T00:00:00+01:00');
    const hoursAfterSix = await follow<{ Start: string }>(
      `${server.url}/odata/Intervals?$filter=${q(`SourceId eq '${ELEC}' and date(Start) eq 2024-07-01 and hour(Start) ge 18`)}&interval=hour&timeZone=Europe/London`,
    );
    assert.deepEqual(
      hoursAfterSix.rows.map((r) => r.Start.slice(11, 13)),
      ['18', '19', '20', '21', '22', '23'],
      'hour() is local too',
    );
    // Text.PositionOf and Text.Start fold to indexof and substring.
    const vms = sources.filter((s) => s.id.startsWith('VM')).map((s) => s.id);
    const byIndex = await follow<{ Id: string }>(`${server.url}/odata/Sources?$filter=${q("indexof(Id,'VM') eq 0")}`);
    const bySubstring = await follow<{ Id: string }>(`${server.url}/odata/Sources?$filter=${q("substring(Id,0,2) eq 'VM'")}`);
    assert.deepEqual(
      byIndex.rows.map((r) => r.Id),
      vms,
    );
    assert.deepEqual(
      bySubstring.rows.map((r) => r.Id),
      vms,
    );
    const tail = await follow<{ Id: string }>(`${server.url}/odata/Sources?$filter=${q(`substring(Id,2) eq '${ELEC.slice(2)}'`)}`);
    assert.ok(tail.rows.some((r) => r.Id === ELEC));
    // Nothing folded at all: a 400 that says what to add and where.
    const bare = await get<ODataErrorBody>('Readings');
    assert.equal(bare.status, 400);
    assert.match(bare.body.error.message, /filter SourceId and Timestamp in the step right after the navigation, so that the filter folds/);
  });

  it('6. Sort then Keep top: the peak half-hours ($orderby=PeriodValue desc&$top=10) and the latest intervals (Start desc)', async () => {
    clock = SIMULATOR_NOW.getTime();
    const [start, end] = [Date.parse('2024-01-01T00:00:00Z'), Date.parse('2024-01-08T00:00:00Z')];
    const res = await get<Collection<Reading>>(
      `Readings?$filter=${q(`SourceId in ('${ELEC}','${VM}') and Timestamp ge ${iso(start)} and Timestamp lt ${iso(end)}`)}&$orderby=PeriodValue desc&$top=10`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // Independently: every half-hour's period value from /api/readings (a register's periodValue
    // in the complete format; a per-period virtual meter's value), sorted, the first ten.
    const all: Array<{ SourceId: string; Timestamp: string; PeriodValue: number }> = [];
    for (const id of [ELEC, VM]) {
      const format = id === ELEC ? '&format=complete' : '';
      const body = (
        await getJson<ReadingsJson>(`${server.url}/api/readings?id=${id}&start=${iso(start)}&end=${iso(end)}${format}`, {
          Authorization: basicAuth('demo', 'demo'),
        })
      ).body;
      for (const r of body.sources[0].readings as Array<{ timestamp: string; periodValue?: number; value?: number }>) {
        all.push({ SourceId: id, Timestamp: r.timestamp, PeriodValue: (r.periodValue ?? r.value)! });
      }
    }
    const peaks = [...all].sort((a, b) => b.PeriodValue - a.PeriodValue).slice(0, 10);
    assert.deepEqual(
      res.body.value.map((r) => r.PeriodValue),
      peaks.map((p) => p.PeriodValue),
    );
    assert.equal(res.body['@odata.nextLink'], undefined);
    const latest = await get<Collection<{ Start: string }>>(
      `Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-01-01&end=2024-02-01&interval=day&$orderby=Start desc&$top=3`,
    );
    assert.equal(latest.status, 200, JSON.stringify(latest.body));
    assert.deepEqual(
      latest.body.value.map((r) => r.Start),
      ['2024-01-31T00:00:00Z', '2024-01-30T00:00:00Z', '2024-01-29T00:00:00Z'],
    );
    const unbounded = await get<ODataErrorBody>(`Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-01-01&end=2024-02-01&$orderby=Start desc`);
    assert.equal(unbounded.status, 400);
    assert.match(unbounded.body.error.message, /Any other order needs \$top/);
  });

  it('8. DCS.Intervals over incremental-refresh partitions that are not on interval boundaries: each week in exactly one partition', async () => {
    clock = SIMULATOR_NOW.getTime();
    // Monthly partitions (RangeStart/RangeEnd, zone-less: local to timeZone) against weekly intervals.
    const partitions = [
      ['2024-01-01T00:00:00', '2024-02-01T00:00:00'],
      ['2024-02-01T00:00:00', '2024-03-01T00:00:00'],
      ['2024-03-01T00:00:00', '2024-04-01T00:00:00'],
    ];
    const starts: string[] = [];
    for (const [from, to] of partitions) {
      const res = await follow<{ Start: string }>(
        `${server.url}/odata/Intervals?$filter=${q(`SourceId in ('${ELEC}')`)}&interval=week&timeZone=Europe/London&start=${from}&end=${to}`,
      );
      for (const row of res.rows) {
        const local = row.Start.slice(0, 19);
        assert.ok(local >= from && local < to, `${row.Start} starts in [${from}, ${to})`);
      }
      starts.push(...res.rows.map((r) => r.Start));
    }
    // Independently: every Monday from the first on or after 1 January to the last before 1 April.
    const mondays: string[] = [];
    for (let day = Date.UTC(2024, 0, 1); day < Date.UTC(2024, 3, 1); day += 86_400_000) {
      if (new Date(day).getUTCDay() === 1) mondays.push(new Date(day).toISOString().slice(0, 10));
    }
    assert.deepEqual(
      starts.map((s) => s.slice(0, 10)),
      mondays,
      'no week twice, none missing',
    );
  });

  it('11. the connector reads a list of ids in one query (SourceId in ...), with $select, $orderby, $skip, $top and $count folded', async () => {
    clock = SIMULATOR_NOW.getTime();
    const ids = (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: basicAuth('demo', 'demo') })).body
      .filter((s) => !s.isInstantaneous)
      .map((s) => s.id)
      .slice(0, 30);
    const filter = `SourceId in (${ids.map((id) => `'${id}'`).join(',')}) and Timestamp ge 2024-01-01T00:00:00.0000000Z and Timestamp lt 2024-01-02T00:00:00.0000000Z`;
    const all = await follow<Reading>(`${server.url}/odata/Readings?periodType=halfHour&$filter=${q(filter)}`);
    assert.equal(all.rows.length, ids.length * 48);
    assert.deepEqual([...new Set(all.rows.map((r) => r.SourceId))], ids, 'in the order of the list');
    const count = await fetch(`${server.url}/odata/Readings/$count?periodType=halfHour&$filter=${q(filter)}`, {
      headers: as('demo', { Accept: 'text/plain' }),
    });
    assert.equal(await count.text(), String(ids.length * 48));
    // Choose columns, Remove top rows 5, Keep top rows 3: the 6th to 8th rows of the list's answer.
    const page = await follow<Record<string, unknown>>(
      `${server.url}/odata/Readings?periodType=halfHour&$filter=${q(filter)}&$select=SourceId,Timestamp&$skip=5&$top=3`,
    );
    assert.deepEqual(
      page.rows,
      all.rows.slice(5, 8).map((r) => ({ SourceId: r.SourceId, Timestamp: r.Timestamp })),
    );
    const sorted = await follow<Reading>(`${server.url}/odata/Readings?periodType=halfHour&$filter=${q(filter)}&$orderby=Value desc&$top=4`);
    assert.deepEqual(
      sorted.rows.map((r) => r.Value),
      all.rows
        .map((r) => r.Value as number)
        .sort((a, b) => b - a)
        .slice(0, 4),
    );
  });

  it("12. the guide's refresh recipe (daily kWh in UK time, filter steps only) equals /api/intervals", async () => {
    clock = SIMULATOR_NOW.getTime();
    // As the recipe's Table.SelectRows folds, over the October 2024 clock change.
    const filter = `SourceId eq '${ELEC}' and Interval eq 'day' and TimeZone eq 'Europe/London' and Start ge 2024-10-20T00:00:00.0000000+00:00 and Start lt 2024-11-01T00:00:00.0000000+00:00`;
    const odata = await follow<{ Start: string; Consumption: number; Periods: number; Interval: string; TimeZone: string }>(
      `${server.url}/odata/Intervals?$filter=${q(filter)}&$select=SourceId,Interval,TimeZone,Start,Consumption,Periods`,
    );
    const api = await getJson<IntervalsJson>(`${server.url}/api/intervals?id=${ELEC}&start=2024-10-21&end=2024-11-01&interval=day&timeZone=Europe/London`, {
      Authorization: basicAuth('demo', 'demo'),
    });
    // Start ge 20 Oct 00:00 UTC is 01:00 in London: the first whole local day starting after it is the 21st.
    assert.deepEqual(
      odata.rows.map((r) => [r.Start, r.Consumption, r.Periods]),
      api.body.sources[0].intervals.map((i) => [i.start, i.consumption, i.periods]),
    );
    assert.ok(
      odata.rows.some((r) => r.Periods === 50),
      'the clock-change day has 50 half-hours',
    );
    assert.ok(odata.rows.every((r) => r.Interval === 'day' && r.TimeZone === 'Europe/London'));
    const conflict = await get<ODataErrorBody>(`Intervals?$filter=${q(filter)}&interval=hour`);
    assert.equal(conflict.status, 400);
    assert.match(conflict.body.error.message, /Interval eq 'day' conflicts with interval=hour; give one/);
  });
});
