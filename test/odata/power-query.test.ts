/**
 * The feed as Power Query's OData.Feed and Power BI use it, request by request and in the order
 * they send them: the credential test (service root, $metadata), the Navigator's preview of every
 * entity set with $top=1000 and no filter, the filters the editor folds (eq, in, or, date-times
 * with offsets and 7-digit fractions), paging to the end, and what each answer must contain for
 * the model (PeriodValue and Unit, the relationship to Sources).
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CompleteReadingJson, IntervalsJson, ReadingsJson, Source } from '../../server/api/types';
import { DEMO_FEATURES, demoFeatures } from 'dcs-simulator';
import { basicAuth, getJson, SIMULATOR_NOW, startTestServer, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const RESET = `R${DEMO_FEATURES.resetRegisterId}`;
const POWER = `R${DEMO_FEATURES.instantaneousRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const features = demoFeatures(SIMULATOR_NOW);
const PAGE_SIZE = 200;

/** What Power Query's OData connector sends with every request (Basic is sent up front). */
const POWER_QUERY = {
  Accept:
    'application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.7',
  'OData-MaxVersion': '4.0',
  'User-Agent': 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
};
const as = (user: string, password = user) => ({ ...POWER_QUERY, Authorization: basicAuth(user, password) });

interface Reading {
  SourceId: string;
  PeriodType: string;
  Timestamp: string;
  Value: number | string;
  PeriodValue: number | string | null;
  Unit: string;
  Status: number;
}

interface Collection<T> {
  '@odata.nextLink'?: string;
  value: T[];
}

interface ODataErrorBody {
  error: { code: string; message: string; target?: string };
}

const q = (filter: string) => encodeURIComponent(filter);

describe('Power Query replay: credential test, Navigator, folded filters, paging', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false, odataPageSize: PAGE_SIZE, now: () => SIMULATOR_NOW.getTime() });
  });
  after(() => server.close());

  const get = <T>(path: string, headers: Record<string, string> = as('demo')) => getJson<T>(`${server.url}/odata/${path}`, headers);

  /** Follows @odata.nextLink to the end, as OData.Feed does. */
  async function allRows<T>(path: string, headers: Record<string, string> = as('demo')): Promise<{ rows: T[]; pages: number }> {
    const rows: T[] = [];
    let pages = 0;
    let url: string | undefined = `${server.url}/odata/${path}`;
    while (url !== undefined) {
      const res: { status: number; body: Collection<T> } = await getJson<Collection<T>>(url, headers);
      assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 400));
      rows.push(...res.body.value);
      pages++;
      url = res.body['@odata.nextLink'];
      assert.ok(pages < 500, 'paging does not end');
    }
    return { rows, pages };
  }

  it('1. credential test: service root and $metadata answer 200 for a good account', async () => {
    assert.equal((await get('')).status, 200);
    const metadata = await fetch(`${server.url}/odata/$metadata`, { headers: as('demo') });
    assert.equal(metadata.status, 200);
    assert.equal((await get('', as('viewer'))).status, 200, 'a restricted account that can read something passes');
  });

  it('1. credential test: a wrong password fails at once with 401 and a Basic challenge, on the root and $metadata', async () => {
    for (const path of ['', '$metadata']) {
      const res = await get<ODataErrorBody>(path, as('demo', 'wrong'));
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="DCS"/);
    }
  });

  it("1. credential test: an expired account fails at once with 403 and DCS's reason, not at the first refresh", async () => {
    for (const path of ['', '$metadata']) {
      const res = await get<ODataErrorBody>(path, as('expired'));
      assert.equal(res.status, 403, path);
      assert.equal(res.body.error.code, 'forbidden');
      assert.match(res.body.error.message, /expired on \d{4}-\d{2}-\d{2}/, path);
    }
  });

  it('2. $metadata relates Readings to Sources by SourceId (a navigation property with a referential constraint)', async () => {
    const xml = await (await fetch(`${server.url}/odata/$metadata`, { headers: as('demo') })).text();
    const xpath = (expr: string): string[] => {
      const out = execFileSync('xmllint', ['--xpath', expr, '-'], { input: xml, encoding: 'utf8' });
      return [...out.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    };
    const el = (name: string) => `*[local-name()='${name}']`;
    const nav = `//${el('EntityType')}[@Name='Reading']/${el('NavigationProperty')}`;
    assert.deepEqual(xpath(`${nav}/@Name`), ['Source']);
    assert.deepEqual(xpath(`${nav}/@Type`), ['DCS.Source']);
    assert.deepEqual(xpath(`${nav}/${el('ReferentialConstraint')}/@Property`), ['SourceId']);
    assert.deepEqual(xpath(`${nav}/${el('ReferentialConstraint')}/@ReferencedProperty`), ['Id']);
    assert.deepEqual(xpath(`//${el('EntitySet')}[@Name='Readings']/${el('NavigationPropertyBinding')}/@Target`), ['Sources']);
  });

  it("2. expanding the Source column of Readings or Intervals (as Power Query folds it) inlines each row's source", async () => {
    const span = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-01T01:00:00Z';
    const res = await get<Collection<Reading & { Source: { Name: string; Unit: string } | null }>>(
      `Readings?$filter=${q(`SourceId in ('${ELEC}','${VM}') and ${span}`)}&$select=SourceId,Value&$expand=Source($select=Name,Unit)`,
    );
    assert.equal(res.status, 200, JSON.stringify(res.body));
    const sources = (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: basicAuth('demo', 'demo') })).body;
    for (const row of res.body.value) {
      const source = sources.find((s) => s.id === row.SourceId)!;
      assert.deepEqual(Object.keys(row), ['SourceId', 'Value', 'Source']);
      assert.deepEqual(row.Source, { Name: source.name, Unit: source.unit });
    }
    const intervals = await get<Collection<{ Source: { Id: string } }>>(
      `Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-01-01&end=2024-01-02&$expand=Source`,
    );
    assert.equal(intervals.body.value[0].Source.Id, ELEC);
    const wrong = await get<ODataErrorBody>(`Readings?$top=1&$expand=Meter`);
    assert.equal(wrong.status, 400);
    assert.match(wrong.body.error.message, /Reading expands Source only/);
  });

  it('3. Navigator preview: $top=1000 without a filter answers 200 on the small sets; Readings and Intervals say how to bound them', async () => {
    const service = await get<Collection<{ url: string }>>('');
    const sets = service.body.value.map((s) => s.url);
    assert.deepEqual(
      sets.filter((s) => s !== 'Readings' && s !== 'Intervals'),
      ['Sources', 'Meters', 'VirtualMeters'],
    );
    for (const set of sets) {
      const res = await get<Collection<unknown> & ODataErrorBody>(`${set}?$top=1000`);
      if (set === 'Readings' || set === 'Intervals') {
        // The first 1000 rows of everything are the oldest DCS holds: no guess stands in for them.
        assert.equal(res.status, 400, set);
        const column = set === 'Readings' ? 'Timestamp' : 'Start';
        assert.match(
          res.body.error.message,
          new RegExp(`a start \\(${column} ge .*with \\$top, a start is enough.*filter SourceId and ${column} in the step right after the navigation`),
          set,
        );
        continue;
      }
      const { rows } = await allRows<Record<string, unknown>>(`${set}?$top=1000`);
      assert.ok(rows.length > 0 && rows.length <= 1000, `${set}: ${rows.length} rows`);
    }
  });

  it('3. a column filter in the preview folds into $filter with $top: the first rows of what it selects, up to now', async () => {
    const fromDate = await allRows<Reading>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and Timestamp ge 2024-03-05T00:00:00.0000000Z`)}&$top=1000`);
    assert.equal(fromDate.rows[0].Timestamp, '2024-03-05T00:00:00Z');
    assert.equal(fromDate.rows.length, 1000, 'a missing end is now, so $top is what limits the rows');
    assert.equal(fromDate.rows[999].Timestamp, new Date(Date.parse('2024-03-05T00:00:00Z') + 999 * 1_800_000).toISOString().replace('.000', ''));
  });

  it('3. without $top or a filter, Readings still refuses to pull everything, saying what to add', async () => {
    const res = await get<ODataErrorBody>('Readings');
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /needs a SourceId .*, a start \(Timestamp ge \.\.\.\), an end \(Timestamp lt \.\.\.\)/);
  });

  it('4. folded eq, in and or on SourceId, with DateTimeOffset literals carrying offsets and 7-digit fractions', async () => {
    const span = 'Timestamp ge 2024-01-01T01:00:00.0000000+01:00 and Timestamp lt 2024-01-01T12:00:00.0000000-00:00';
    const eq = await allRows<Reading>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span}`)}`);
    assert.equal(eq.rows.length, 24);
    assert.equal(eq.rows[0].Timestamp, '2024-01-01T00:00:00Z');
    const inList = await allRows<Reading>(`Readings?$filter=${q(`SourceId in ('${ELEC}','${VM}') and ${span}`)}`);
    const or = await allRows<Reading>(`Readings?$filter=${q(`(SourceId eq '${ELEC}' or SourceId eq '${VM}') and ${span}`)}`);
    assert.equal(inList.rows.length, 48);
    assert.deepEqual(or.rows, inList.rows);
    const fraction = await allRows<Reading>(
      `Readings?$filter=${q(`SourceId eq '${ELEC}' and Timestamp gt 2024-01-01T00:00:00.0000001Z and Timestamp le 2024-01-01T01:00:00.9999999Z`)}`,
    );
    assert.deepEqual(
      fraction.rows.map((r) => r.Timestamp),
      ['2024-01-01T00:30:00Z', '2024-01-01T01:00:00Z'],
      'gt a tick after 00:00 excludes 00:00; le just before 01:00:01 includes 01:00',
    );
  });

  it("4. text eq is exact, as M's = is: another spelling of an id or a period type matches nothing", async () => {
    const span = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z';
    const lower = await get<Collection<Reading>>(`Readings?$filter=${q(`SourceId eq '${ELEC.toLowerCase()}' and ${span}`)}`);
    assert.equal(lower.status, 200);
    assert.deepEqual(lower.body.value, []);
    const day = await get<Collection<Reading>>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span} and PeriodType eq 'Day'`)}`);
    assert.deepEqual(day.body.value, []);
  });

  it('4. PeriodType with in or or: one type is answered, several are refused with 400 saying why (never an empty table)', async () => {
    const span = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-03T00:00:00Z';
    for (const cond of ["PeriodType in ('day')", "(PeriodType eq 'day' or PeriodType eq 'day')"]) {
      const res = await get<Collection<Reading>>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span} and ${cond}`)}`);
      assert.equal(res.status, 200, cond);
      assert.deepEqual(
        res.body.value.map((r) => r.PeriodType),
        ['day', 'day'],
        cond,
      );
    }
    for (const cond of ["PeriodType in ('day','hour')", "(PeriodType eq 'day' or PeriodType eq 'hour')"]) {
      const res = await get<ODataErrorBody>(`Readings?$filter=${q(`SourceId eq '${ELEC}' and ${span} and ${cond}`)}`);
      assert.equal(res.status, 400, cond);
      assert.match(res.body.error.message, /PeriodType asks for hour and day, but one Readings query reads one period type/, cond);
    }
  });

  it('5. paging to the end: every reading once, in order, over several pages', async () => {
    const filter = `SourceId in ('${ELEC}','${VM}') and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-08T00:00:00Z`;
    const { rows, pages } = await allRows<Reading>(`Readings?$filter=${q(filter)}`);
    assert.equal(rows.length, 2 * 7 * 48);
    assert.equal(pages, Math.ceil(rows.length / PAGE_SIZE));
    assert.equal(new Set(rows.map((r) => `${r.SourceId} ${r.Timestamp}`)).size, rows.length, 'no reading twice');
  });

  async function apiComplete(id: string, start: string, end: string): Promise<CompleteReadingJson[]> {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${id}&start=${start}&end=${end}&format=complete`, {
      Authorization: basicAuth('demo', 'demo'),
    });
    assert.equal(res.status, 200);
    return res.body.sources[0].readings as CompleteReadingJson[];
  }

  it('6. PeriodValue equals /api/readings?format=complete, across a meter exchange; Value is the total', async () => {
    const reset = Date.parse(features.resetTime);
    const start = new Date(reset - 86_400_000).toISOString().replace('.000', '');
    const end = new Date(reset + 86_400_000).toISOString().replace('.000', '');
    const odata = await allRows<Reading>(`Readings?$filter=${q(`SourceId eq '${RESET}' and Timestamp ge ${start} and Timestamp lt ${end}`)}`);
    const api = await apiComplete(RESET, start, end);
    assert.equal(odata.rows.length, api.length);
    assert.ok(
      odata.rows.some((r) => (r.Status & 2) !== 0),
      'the span includes the reset',
    );
    odata.rows.forEach((r, i) => {
      assert.equal(r.Timestamp, api[i].timestamp);
      assert.equal(r.PeriodValue, api[i].periodValue, r.Timestamp);
      assert.equal(r.Value, api[i].totalValue, r.Timestamp);
    });
  });

  it("6. PeriodValue of a per-period virtual meter is its value; instantaneous sources have none; Unit is the source's", async () => {
    const span = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-01T02:00:00Z';
    const sources = (await getJson<Source[]>(`${server.url}/api/sources`, { Authorization: basicAuth('demo', 'demo') })).body;
    const unit = (id: string) => sources.find((s) => s.id === id)!.unit;
    const vm = await allRows<Reading>(`Readings?$filter=${q(`SourceId eq '${VM}' and ${span}`)}`);
    assert.ok(vm.rows.length === 4 && vm.rows.every((r) => r.PeriodValue === r.Value && r.Unit === unit(VM)));
    const power = await allRows<Reading>(`Readings?$filter=${q(`SourceId eq '${POWER}' and ${span}`)}`);
    assert.ok(power.rows.length === 4 && power.rows.every((r) => r.PeriodValue === null && r.Unit === unit(POWER) && r.Unit === 'kW'));
  });

  interface IntervalEntity {
    SourceId: string;
    Interval: string;
    TimeZone: string;
    Start: string;
    End: string;
    Consumption: number | null;
    Mean: number | null;
    Min: number | null;
    Max: number | null;
    MaxAt: string | null;
    MaxDemand: number | null;
    MaxDemandAt: string | null;
    LoadFactor: number | null;
    Baseload: number | null;
    OutOfHours: number | null;
    HeatingDegreeDays: number | null;
    CoolingDegreeDays: number | null;
    Carbon: number | null;
    Previous: number | null;
    Change: number | null;
    ChangePercent: number | null;
    Periods: number;
    Interpolated: number;
    Resets: number;
    Missing: number;
    Invalid: number;
    Unit: string;
  }

  /** /api/intervals' rows in the OData entity's shape (a calculation not asked for is null). */
  async function apiIntervals(query: string): Promise<IntervalEntity[]> {
    const res = await getJson<IntervalsJson>(`${server.url}/api/intervals?${query}`, { Authorization: basicAuth('demo', 'demo') });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    // The request's interval and zone, as the entity's key carries them (defaults: day, UTC).
    const asked = new URLSearchParams(query);
    return res.body.sources.flatMap((source) =>
      source.intervals.map((i) => ({
        SourceId: source.id,
        Interval: asked.get('interval') ?? 'day',
        TimeZone: asked.get('timeZone') ?? 'UTC',
        Start: i.start,
        End: i.end,
        Consumption: i.consumption ?? null,
        Mean: i.mean ?? null,
        Min: i.min ?? null,
        Max: i.max ?? null,
        MaxAt: i.maxAt ?? null,
        MaxDemand: i.maxDemand ?? null,
        MaxDemandAt: i.maxDemandAt ?? null,
        LoadFactor: i.loadFactor ?? null,
        Baseload: i.baseload ?? null,
        OutOfHours: i.outOfHours ?? null,
        HeatingDegreeDays: i.heatingDegreeDays ?? null,
        CoolingDegreeDays: i.coolingDegreeDays ?? null,
        Carbon: i.carbon ?? null,
        Previous: i.previous ?? null,
        Change: i.change ?? null,
        ChangePercent: i.changePercent ?? null,
        Periods: i.periods,
        Interpolated: i.interpolated,
        Resets: i.resets,
        Missing: i.missing,
        Invalid: i.invalid,
        Unit: source.unit,
      })),
    );
  }

  it('7. Intervals equal /api/intervals for the same query (local days across a clock change, default and all calculations)', async () => {
    const ids = [ELEC, RESET, POWER, VM];
    const spring = 'start=2024-03-29&end=2024-04-02&interval=day&timeZone=Europe/London';
    const filter = `SourceId in (${ids.map((id) => `'${id}'`).join(',')})`;
    for (const calc of ['', '&calc=consumption,mean,min,max,maxAt']) {
      const odata = await allRows<IntervalEntity>(`Intervals?$filter=${q(filter)}&${spring}${calc}`);
      const api = await apiIntervals(`id=${ids.join(',')}&${spring}${calc}`);
      assert.equal(api.length, 4 * 4);
      assert.deepEqual(odata.rows, api, calc || 'default calculations');
    }
    const clockChange = (await apiIntervals(`id=${ELEC}&${spring}`)).find((i) => i.Start.startsWith('2024-03-31'));
    assert.equal(clockChange?.Periods, 46, 'the short day has 46 half-hours');
  });

  it("7. Intervals with monitoring and targeting's calculations equal /api/intervals (baseload, out of hours, carbon, degree days, year on year)", async () => {
    const temperature = `R${features.temperatureRegisterId}`;
    const questions: Array<[string[], string]> = [
      // The October clock change: out-of-hours counts the repeated local hour twice.
      [
        [ELEC],
        `start=2024-10-21&end=2024-11-04&interval=day&timeZone=Europe/London&calc=consumption,baseload,outOfHours,carbon&occupied=${q('Mon-Fri 08:00-18:00')}&fuel=electricity`,
      ],
      // Across New Year: each half-hour's carbon takes its own year's factor.
      [[ELEC], 'start=2023-12-25&end=2024-01-08&interval=week&timeZone=Europe/London&calc=consumption,carbon&fuel=electricity'],
      [[temperature], 'start=2024-01-01&end=2024-07-01&interval=month&timeZone=Europe/London&calc=mean,heatingDegreeDays,coolingDegreeDays&baseTemperature=16'],
      // 2024 is a leap year: February against February 2023, days against the weekday 364 days earlier.
      [[ELEC, VM], 'start=2024-01-01&end=2024-04-01&interval=month&timeZone=Europe/London&compare=previousYear'],
      [[ELEC], 'start=2024-02-26&end=2024-03-04&interval=day&timeZone=Europe/London&compare=previousYear'],
    ];
    for (const [ids, options] of questions) {
      const filter = `SourceId in (${ids.map((id) => `'${id}'`).join(',')})`;
      const odata = await allRows<IntervalEntity>(`Intervals?$filter=${q(filter)}&${options}`);
      const api = await apiIntervals(`id=${ids.join(',')}&${options}`);
      assert.ok(api.length > 0);
      assert.deepEqual(odata.rows, api, options);
    }
    // A calculation missing what it needs is refused as /api/intervals refuses it, naming the option once.
    const refused = await getJson<{ error: { message: string; target: string } }>(
      `${server.url}/odata/Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-10-21&end=2024-10-22&calc=outOfHours`,
      as('demo'),
    );
    assert.equal(refused.status, 400);
    assert.equal(refused.body.error.target, 'occupied');
    assert.match(refused.body.error.message, /^occupied: calc=outOfHours needs the occupied hours/);
    const yearOnYear = await apiIntervals(`id=${ELEC}&${questions[3][1]}`);
    assert.ok(
      yearOnYear.every((row) => row.Previous !== null && row.ChangePercent !== null),
      'every month has its year-earlier figure',
    );
  });

  it("7. the connector's DCS.Intervals sends its calculations as the options the feed reads, and types every column the feed gives", async () => {
    const connector = fs.readFileSync(path.resolve(__dirname, '../../../connectors/powerquery/DCS.pq'), 'utf8');
    const list = (name: string): string[] => {
      const match = new RegExp(`^${name} = \\{([^}]*)\\};`, 'm').exec(connector);
      assert.ok(match, `DCS.pq defines ${name}`);
      return [...match[1].matchAll(/"([^"]+)"/g)].map((m) => m[1]);
    };
    // Each calculation option, sent to the feed, changes the answer as /api/intervals' parameter of that name does.
    const options = list('CalculationOptions');
    assert.deepEqual([...options].sort(), ['baseTemperature', 'calc', 'compare', 'fuel', 'occupied']);
    const metadata = await (await fetch(`${server.url}/odata/$metadata`, { headers: as('demo') })).text();
    const intervalType = /<EntityType Name="Interval">([\s\S]*?)<\/EntityType>/.exec(metadata)?.[1] ?? '';
    const properties = [...intervalType.matchAll(/<Property Name="(\w+)"/g)].map((m) => m[1]);
    const typed = list('IntervalColumns');
    const monitoring = ['Baseload', 'OutOfHours', 'HeatingDegreeDays', 'CoolingDegreeDays', 'Carbon', 'Previous', 'Change', 'ChangePercent'];
    for (const name of monitoring) {
      assert.ok(properties.includes(name), `$metadata's Interval has ${name}`);
      assert.ok(typed.includes(name), `the connector's Intervals table has ${name}`);
    }
    for (const name of typed) assert.ok(properties.includes(name), `${name} of the connector is a property of the feed`);
  });

  it('7. Intervals: Start bounds in $filter (offsets, 7-digit fractions) give the same rows as start=/end=', async () => {
    const byOption = await allRows<IntervalEntity>(
      `Intervals?$filter=${q(`SourceId eq '${ELEC}'`)}&start=2024-06-01&end=2024-06-04&interval=day&timeZone=Europe/London`,
    );
    const byFilter = await allRows<IntervalEntity>(
      `Intervals?$filter=${q(`SourceId eq '${ELEC}' and Start ge 2024-06-01T00:00:00.0000000+01:00 and Start lt 2024-06-03T23:00:00.0000000Z`)}&interval=day&timeZone=Europe/London`,
    );
    assert.equal(byOption.rows.length, 3);
    assert.equal(byOption.rows[0].Start, '2024-06-01T00:00:00+01:00');
    assert.deepEqual(byFilter.rows, byOption.rows);
    const later = await allRows<IntervalEntity>(
      `Intervals?$filter=${q(`SourceId eq '${ELEC}' and Start gt 2024-06-01T00:00:00+01:00 and Start lt 2024-06-03T23:00:00Z and Consumption gt 0`)}&interval=day&timeZone=Europe/London`,
    );
    assert.deepEqual(later.rows, byOption.rows.slice(1), 'gt excludes the first day; Consumption gt 0 is applied per row');
  });

  it('7. Intervals page to the end, and refuse an unbounded read without $top', async () => {
    const filter = `SourceId in ('${ELEC}','${VM}')`;
    const { rows, pages } = await allRows<IntervalEntity>(`Intervals?$filter=${q(filter)}&start=2024-01-01&end=2024-01-11&interval=hour`);
    assert.equal(rows.length, 2 * 240);
    assert.equal(pages, Math.ceil(rows.length / PAGE_SIZE));
    assert.deepEqual(rows, await apiIntervals(`id=${ELEC},${VM}&start=2024-01-01&end=2024-01-11&interval=hour`));
    const unbounded = await get<ODataErrorBody>(`Intervals?$filter=${q(filter)}`);
    assert.equal(unbounded.status, 400);
    assert.match(unbounded.body.error.message, /Intervals cannot be listed whole: give a start .*, an end/);
    // Between boundaries, start= selects the intervals that start after it, as Start ge does.
    const between = await allRows<IntervalEntity>(`Intervals?$filter=${q(filter)}&start=2024-01-01T10:00&end=2024-01-03&interval=day`);
    assert.deepEqual(
      between.rows.map((r) => `${r.SourceId} ${r.Start}`),
      [ELEC, VM].map((id) => `${id} 2024-01-02T00:00:00Z`),
    );
    const backwards = await get<ODataErrorBody>(`Intervals?$filter=${q(filter)}&start=2024-01-03&end=2024-01-01`);
    assert.equal(backwards.status, 400);
    assert.equal(backwards.body.error.target, 'end');
    const noneAdmitted = await get<Collection<IntervalEntity>>(`Intervals?$filter=${q(`${filter} and Start ge 2024-01-03T00:00:00Z`)}&end=2024-01-02`);
    assert.equal(noneAdmitted.status, 200);
    assert.deepEqual(noneAdmitted.body.value, [], 'a filter that admits no interval is an empty table');
  });

  it('7. Intervals: $count, $skip, $orderby=SourceId desc, and a sort the calculation cannot give refused with 400', async () => {
    const base = `Intervals?$filter=${q(`SourceId in ('${ELEC}','${VM}')`)}&start=2024-01-01&end=2024-01-04`;
    const count = await fetch(`${server.url}/odata/${base.replace('Intervals?', 'Intervals/$count?')}`, { headers: as('demo') });
    assert.equal(await count.text(), '6');
    const counted = await get<Collection<IntervalEntity> & { '@odata.count': number }>(`${base}&$count=true&$skip=2&$orderby=SourceId desc`);
    assert.equal(counted.body['@odata.count'], 6);
    const order = [ELEC, VM].sort().reverse();
    assert.deepEqual(
      counted.body.value.map((r) => r.SourceId),
      [order[0], order[1], order[1], order[1]],
    );
    const refused = await get<ODataErrorBody>(`${base}&$orderby=Consumption desc`);
    assert.equal(refused.status, 400);
    assert.match(refused.body.error.message, /Intervals can be ordered by SourceId \(asc or desc\), then Start ascending, only/);
  });

  it('7. Intervals relate to Sources', async () => {
    const xml = await (await fetch(`${server.url}/odata/$metadata`, { headers: as('demo') })).text();
    assert.match(
      xml,
      /<EntityType Name="Interval">[\s\S]*?<Property Name="Start" Type="Edm.DateTimeOffset" Nullable="false">[\s\S]*?<NavigationProperty Name="Source" Type="DCS.Source"/,
    );
    assert.match(xml, /<EntitySet Name="Intervals" EntityType="DCS.Interval">\n\s*<NavigationPropertyBinding Path="Source" Target="Sources"\/>/);
  });
});
