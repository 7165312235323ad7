/**
 * The OData feed over HTTP, as Excel's "From OData Feed" and Power BI's OData connector use it:
 * service document, $metadata, a filtered Readings query followed page by page to the end.
 * Every reading must equal what GET /api/readings gives for the same query.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ReadingsJson, Source, StandardReadingJson } from '../../server/api/types';
import { ConfigError, loadConfig } from '../../server/config';
import { DEMO_FEATURES, demoFeatures } from 'dcs-simulator';
import { basicAuth, getJson, rawGet, SIMULATOR_NOW, startTestServer, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const NAN = `R${DEMO_FEATURES.nanRegisterId}`;
const INFINITE = `R${DEMO_FEATURES.infinityRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const GAPPY = `R${DEMO_FEATURES.gapRegisterId}`;
const FORBIDDEN = `R${DEMO_FEATURES.viewerForbiddenRegisterId}`;
const features = demoFeatures(SIMULATOR_NOW);

/** What Power Query's OData connector sends with every request. */
const POWER_QUERY = {
  Accept:
    'application/json;odata.metadata=minimal;q=1.0,application/json;odata=minimalmetadata;q=0.9,application/atomsvc+xml;q=0.8,application/atom+xml;q=0.8,application/xml;q=0.7,text/plain;q=0.7',
  'OData-MaxVersion': '4.0',
  'User-Agent': 'Microsoft.Data.Mashup (https://go.microsoft.com/fwlink/?LinkID=304225)',
};

interface ReadingEntity {
  SourceId: string;
  PeriodType: string;
  Timestamp: string;
  Value: number | string;
  Status: number;
  Interpolated: boolean;
  Reset: boolean;
}

interface Collection<T> {
  '@odata.context': string;
  '@odata.count'?: number;
  '@odata.nextLink'?: string;
  value: T[];
}

interface ODataErrorBody {
  error: { code: string; message: string; target?: string };
}

/** A reading as both APIs can be compared: non-finite values as numbers. */
interface Comparable {
  id: string;
  timestamp: string;
  value: number;
  status: number;
}

function odataNumber(value: number | string): number {
  if (typeof value === 'number') return value;
  return value === 'NaN' ? NaN : value === 'INF' ? Infinity : value === '-INF' ? -Infinity : assert.fail(`'${value}' is not an OData Edm.Double`);
}

function apiNumber(value: number | string): number {
  return typeof value === 'number' ? value : Number(value); // "NaN", "Infinity", "-Infinity"
}

function fromOData(rows: ReadingEntity[]): Comparable[] {
  return rows.map((r) => {
    assert.equal(r.Interpolated, (r.Status & 1) !== 0);
    assert.equal(r.Reset, (r.Status & 2) !== 0);
    return { id: r.SourceId, timestamp: r.Timestamp, value: odataNumber(r.Value), status: r.Status };
  });
}

const encodeFilter = (filter: string) => encodeURIComponent(filter);

describe('OData feed: what Excel and Power BI ask for', () => {
  let server: TestServer;
  before(async () => {
    // 30-day DCS windows, so long spans take several DCS calls (as against a capped real DCS).
    server = await startTestServer({ dcsMaxWindowDays: 30 });
  });
  after(() => server.close());

  const odata = (path: string, headers: Record<string, string> = {}) =>
    getJson<Collection<ReadingEntity>>(`${server.url}/odata/${path}`, { ...POWER_QUERY, ...headers });

  async function apiReadings(query: string): Promise<Comparable[]> {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?${query}`);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.sources.flatMap((s) =>
      s.readings.map((r) => ({ id: s.id, timestamp: r.timestamp, value: apiNumber((r as StandardReadingJson).value), status: r.status })),
    );
  }

  /** Follows @odata.nextLink from `path` to the end, as Power Query does. */
  async function allPages<T = ReadingEntity>(
    path: string,
    headers: Record<string, string> = {},
  ): Promise<{ rows: T[]; pageSizes: number[]; links: string[]; counts: Array<number | undefined> }> {
    const rows: T[] = [];
    const pageSizes: number[] = [];
    const links: string[] = [];
    const counts: Array<number | undefined> = [];
    let url: string | undefined = `${server.url}/odata/${path}`;
    while (url !== undefined) {
      const res: { status: number; body: Collection<T> } = await getJson<Collection<T>>(url, { ...POWER_QUERY, ...headers });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      rows.push(...res.body.value);
      pageSizes.push(res.body.value.length);
      counts.push(res.body['@odata.count']);
      url = res.body['@odata.nextLink'];
      if (url !== undefined) links.push(url);
      assert.ok(pageSizes.length < 1000, 'paging does not end');
    }
    return { rows, pageSizes, links, counts };
  }

  it('serves the service document at /odata/ (and /odata) with @odata.context and every entity set', async () => {
    for (const path of ['/odata/', '/odata']) {
      const res = await getJson<Collection<{ name: string; kind: string; url: string }>>(`${server.url}${path}`, POWER_QUERY);
      assert.equal(res.status, 200);
      assert.equal(res.headers.get('odata-version'), '4.0');
      assert.match(res.headers.get('content-type') ?? '', /^application\/json;odata\.metadata=minimal/);
      assert.equal(res.body['@odata.context'], `${server.url}/odata/$metadata`);
      assert.deepEqual(
        res.body.value.map((s) => [s.name, s.kind, s.url]),
        ['Sources', 'Meters', 'VirtualMeters', 'Readings', 'Intervals'].map((n) => [n, 'EntitySet', n]),
      );
    }
  });

  it('ignores X-Forwarded-Proto/-Host/-Prefix from a proxy not named in TRUST_PROXY: links name the server itself', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const res = await odata(`Readings?$filter=${filter}`, {
      Prefer: 'odata.maxpagesize=5',
      'X-Forwarded-Proto': 'https',
      'X-Forwarded-Host': 'dcs.example.com',
      'X-Forwarded-Prefix': '/metering',
    });
    assert.equal(res.body['@odata.context'], `${server.url}/odata/$metadata#Readings`);
    assert.ok(res.body['@odata.nextLink']?.startsWith(`${server.url}/odata/Readings?`));
  });

  it('serves $metadata as well-formed CSDL XML declaring the entity types, keys and property types', async () => {
    const res = await fetch(`${server.url}/odata/$metadata`, { headers: { ...POWER_QUERY, Accept: 'application/xml' } });
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('odata-version'), '4.0');
    assert.match(res.headers.get('content-type') ?? '', /^application\/xml/);
    const xml = await res.text();
    execFileSync('xmllint', ['--noout', '-'], { input: xml }); // throws on malformed XML
    const xpath = (expr: string): string[] => {
      const out = execFileSync('xmllint', ['--xpath', expr, '-'], { input: xml, encoding: 'utf8' });
      return [...out.matchAll(/="([^"]*)"/g)].map((m) => m[1]);
    };
    const el = (name: string) => `*[local-name()='${name}']`;
    assert.deepEqual(xpath(`/${el('Edmx')}/@Version`), ['4.0']);
    assert.deepEqual(xpath(`//${el('EntityType')}/@Name`), ['Source', 'Meter', 'VirtualMeter', 'Reading', 'Interval']);
    assert.deepEqual(xpath(`//${el('EntitySet')}/@Name`), ['Sources', 'Meters', 'VirtualMeters', 'Readings', 'Intervals']);
    const reading = `//${el('EntityType')}[@Name='Reading']`;
    assert.deepEqual(xpath(`${reading}/${el('Key')}/${el('PropertyRef')}/@Name`), ['SourceId', 'PeriodType', 'Timestamp']);
    assert.deepEqual(xpath(`${reading}/${el('Property')}/@Name`), [
      'SourceId',
      'PeriodType',
      'Timestamp',
      'Value',
      'Status',
      'Interpolated',
      'Reset',
      'PeriodValue',
      'Unit',
    ]);
    assert.deepEqual(xpath(`${reading}/${el('Property')}/@Type`), [
      'Edm.String',
      'Edm.String',
      'Edm.DateTimeOffset',
      'Edm.Double',
      'Edm.Int32',
      'Edm.Boolean',
      'Edm.Boolean',
      'Edm.Double',
      'Edm.String',
    ]);
    const source = `//${el('EntityType')}[@Name='Source']`;
    assert.deepEqual(xpath(`${source}/${el('Key')}/${el('PropertyRef')}/@Name`), ['Id']);
    assert.deepEqual(xpath(`${source}/${el('Property')}/@Name`), ['Id', 'Kind', 'Name', 'Unit', 'IsInstantaneous', 'MeterId', 'MeterName']);
    assert.deepEqual(xpath(`//${el('EntitySet')}[@Name='Readings']/${el('Annotation')}/@Term`), [
      'Core.Description',
      'Capabilities.FilterRestrictions',
      'Capabilities.SortRestrictions',
      'Capabilities.IndexableByKey',
      'Capabilities.NavigationRestrictions',
    ]);
  });

  it('answers a filtered Readings query with the same readings as /api/readings', async () => {
    const filter = `SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`;
    const res = await odata(`Readings?$filter=${encodeFilter(filter)}`);
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('odata-version'), '4.0');
    assert.equal(res.body['@odata.context'], `${server.url}/odata/$metadata#Readings`);
    assert.equal(res.body['@odata.nextLink'], undefined);
    assert.equal(res.body.value.length, 48);
    assert.deepEqual(res.body.value[0], { ...res.body.value[0], SourceId: ELEC, PeriodType: 'halfHour', Timestamp: '2024-01-01T00:00:00Z' });
    assert.deepEqual(fromOData(res.body.value), await apiReadings(`id=${ELEC}&start=2024-01-01&end=2024-01-02`));
  });

  it('replays a Power BI refresh: service root, $metadata, then Readings of two sources page by page to the end', async () => {
    assert.equal((await odata('')).status, 200);
    assert.equal((await fetch(`${server.url}/odata/$metadata`, { headers: POWER_QUERY })).status, 200);
    const filter = `(SourceId eq '${ELEC}' or SourceId eq '${VM}') and Timestamp ge 2024-03-01T00:00:00Z and Timestamp lt 2024-03-04T00:00:00Z`;
    const { rows, pageSizes, links } = await allPages(`Readings?$filter=${encodeFilter(filter)}`, { Prefer: 'odata.maxpagesize=100' });
    assert.deepEqual(pageSizes, [100, 100, 88], 'two sources x 144 half-hours, 100 per page');
    for (const link of links) {
      assert.ok(link.startsWith(`${server.url}/odata/Readings?`), link);
      assert.match(link, /\$skiptoken=/);
    }
    assert.deepEqual(fromOData(rows), await apiReadings(`id=${ELEC},${VM}&start=2024-03-01&end=2024-03-04`));
  });

  it('pages with ODATA_PAGE_SIZE by default and says when it applied a smaller odata.maxpagesize', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const whole = await odata(`Readings?$filter=${filter}`);
    assert.equal(whole.headers.get('preference-applied'), null);
    const paged = await odata(`Readings?$filter=${filter}`, { Prefer: 'odata.maxpagesize=10' });
    assert.equal(paged.headers.get('preference-applied'), 'odata.maxpagesize=10');
    assert.equal(paged.body.value.length, 10);
    assert.ok(paged.body['@odata.nextLink']);
  });

  it('resumes each page where the last ended: the next page asks DCS only for the rest of the span', async () => {
    // Three years of daily readings = 1095 rows in 37 DCS windows of 30 days.
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2021-01-01T00:00:00Z and Timestamp lt 2024-01-01T00:00:00Z`);
    const first = await odata(`Readings?$filter=${filter}&periodType=day`, { Prefer: 'odata.maxpagesize=500' });
    const second = await getJson<Collection<ReadingEntity>>(first.body['@odata.nextLink']!, { ...POWER_QUERY, Prefer: 'odata.maxpagesize=500' });
    assert.equal(second.body.value[0].Timestamp, '2022-05-16T00:00:00Z', 'day 501 starts page 2');
    const before = server.simulator!.requestCount;
    const third = await getJson<Collection<ReadingEntity>>(second.body['@odata.nextLink']!, { ...POWER_QUERY, Prefer: 'odata.maxpagesize=500' });
    const dcsCalls = server.simulator!.requestCount - before;
    assert.equal(third.body.value.length, 95);
    assert.equal(third.body.value[0].Timestamp, '2023-09-28T00:00:00Z');
    assert.equal(third.body['@odata.nextLink'], undefined);
    assert.ok(dcsCalls <= 4, `the last 95 days need at most 4 windows of 30 days, not the whole span's 37 (made ${dcsCalls} DCS calls)`);
  });

  it('applies $select, $top and $skip to Readings, carrying the remaining $top into the next link', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const api = await apiReadings(`id=${ELEC}&start=2024-01-01&end=2024-01-02`);
    const selected = await odata(`Readings?$filter=${filter}&$select=Timestamp,Value&$top=5&$skip=10`);
    assert.equal(selected.status, 200);
    assert.equal(selected.body['@odata.context'], `${server.url}/odata/$metadata#Readings(Timestamp,Value)`);
    assert.deepEqual(
      selected.body.value,
      api.slice(10, 15).map((r) => ({ Timestamp: r.timestamp, Value: r.value })),
    );
    const paged = await allPages(`Readings?$filter=${filter}&$top=25&$skip=3`, { Prefer: 'odata.maxpagesize=10' });
    assert.deepEqual(paged.pageSizes, [10, 10, 5]);
    assert.match(paged.links[0], /\$top=15&/);
    assert.doesNotMatch(paged.links[0], /\$skip=/);
    assert.deepEqual(fromOData(paged.rows), api.slice(3, 28));
  });

  it('counts with /$count and $count=true (the same total on every page), honouring the whole filter', async () => {
    const day = `SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`;
    const count = await fetch(`${server.url}/odata/Readings/$count?$filter=${encodeFilter(day)}`, { headers: POWER_QUERY });
    assert.equal(count.status, 200);
    assert.match(count.headers.get('content-type') ?? '', /^text\/plain/);
    assert.equal(await count.text(), '48');
    const api = await apiReadings(`id=${ELEC}&start=2024-01-01&end=2024-01-02`);
    const threshold = api[30].value;
    const above = api.filter((r) => r.value > threshold).length;
    const filtered = await fetch(`${server.url}/odata/Readings/$count?$filter=${encodeFilter(`${day} and Value gt ${threshold}`)}`, { headers: POWER_QUERY });
    assert.equal(await filtered.text(), String(above));
    const pages = await allPages(`Readings?$filter=${encodeFilter(day)}&$count=true&$top=30`, { Prefer: 'odata.maxpagesize=20' });
    assert.deepEqual(pages.counts, [48, 48], '@odata.count is the whole total, ignoring $top, on each page');
    assert.equal(pages.rows.length, 30);
  });

  it('orders by Timestamp desc (newest first) across pages and DCS windows', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-04-01T00:00:00Z`);
    const { rows, pageSizes } = await allPages(`Readings?$filter=${filter}&periodType=hour&$orderby=Timestamp desc`, { Prefer: 'odata.maxpagesize=700' });
    assert.equal(pageSizes.length, 4);
    assert.ok(pageSizes.every((n) => n <= 700));
    const api = await apiReadings(`id=${ELEC}&start=2024-01-01&end=2024-04-01&periodType=hour`);
    assert.deepEqual(fromOData(rows), [...api].reverse());
  });

  it('interleaves several sources by time for $orderby=Timestamp,SourceId desc', async () => {
    const filter = encodeFilter(`SourceId in ('${ELEC}','${VM}') and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const { rows } = await allPages(`Readings?$filter=${filter}&$orderby=Timestamp,SourceId desc`, { Prefer: 'odata.maxpagesize=7' });
    const api = await apiReadings(`id=${ELEC},${VM}&start=2024-01-01&end=2024-01-02`);
    const expected = [...api].sort((a, b) => a.timestamp.localeCompare(b.timestamp) || b.id.localeCompare(a.id));
    assert.deepEqual(fromOData(rows), expected);
  });

  it('orders source by source newest first for $orderby=SourceId desc,Timestamp desc', async () => {
    const filter = encodeFilter(`SourceId in ('${ELEC}','${VM}') and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const { rows } = await allPages(`Readings?$filter=${filter}&$orderby=SourceId desc,Timestamp desc`, { Prefer: 'odata.maxpagesize=10' });
    const api = await apiReadings(`id=${ELEC},${VM}&start=2024-01-01&end=2024-01-02`);
    const expected = [...api].sort((a, b) => b.id.localeCompare(a.id) || b.timestamp.localeCompare(a.timestamp));
    assert.deepEqual(fromOData(rows), expected);
  });

  it('pages through missing readings (a DCS gap) without losing or repeating any, in either direction', async () => {
    const from = new Date(Date.parse(features.gapSpell.start) - 86_400_000).toISOString().slice(0, 10);
    const to = new Date(Date.parse(features.gapSpell.end) + 2 * 86_400_000).toISOString().slice(0, 10);
    // interpolated=false: DCS leaves the gap empty instead of estimating it.
    const api = await apiReadings(`id=${GAPPY}&start=${from}&end=${to}&interpolated=false`);
    const expectedCount = (Date.parse(to) - Date.parse(from)) / 1_800_000;
    assert.ok(api.length < expectedCount - 100, `the gap leaves out readings (${api.length} of ${expectedCount})`);
    const filter = encodeFilter(`SourceId eq '${GAPPY}' and Timestamp ge ${from}T00:00:00Z and Timestamp lt ${to}T00:00:00Z`);
    const ascending = await allPages(`Readings?$filter=${filter}&interpolated=false`, { Prefer: 'odata.maxpagesize=40' });
    assert.deepEqual(fromOData(ascending.rows), api);
    const descending = await allPages(`Readings?$filter=${filter}&interpolated=false&$orderby=Timestamp desc`, { Prefer: 'odata.maxpagesize=40' });
    assert.deepEqual(fromOData(descending.rows), [...api].reverse());
  });

  it('writes NaN and infinite values as the OData strings "NaN", "INF" and "-INF", and can filter on them', async () => {
    const nanStart = features.nanSpell.start;
    const nan = await odata(
      `Readings?$filter=${encodeFilter(`SourceId eq '${NAN}' and Timestamp ge ${nanStart} and Timestamp lt ${features.nanSpell.end}`)}&$top=3`,
    );
    assert.deepEqual(
      nan.body.value.map((r) => r.Value),
      ['NaN', 'NaN', 'NaN'],
    );
    const spell = `SourceId eq '${INFINITE}' and Timestamp ge ${features.infinitySpell.start} and Timestamp lt ${features.infinitySpell.end}`;
    const infinite = await odata(`Readings?$filter=${encodeFilter(spell)}`);
    assert.equal(infinite.status, 200);
    const values = new Set(infinite.body.value.map((r) => r.Value));
    assert.deepEqual([...values].sort(), ['-INF', 'INF']);
    const api = await apiReadings(`id=${INFINITE}&start=${features.infinitySpell.start}&end=${features.infinitySpell.end}`);
    assert.deepEqual(fromOData(infinite.body.value), api);
    const positive = await odata(`Readings?$filter=${encodeFilter(`${spell} and Value eq INF`)}`);
    assert.ok(positive.body.value.length > 0);
    assert.ok(positive.body.value.every((r) => r.Value === 'INF'));
  });

  it('lists Sources, Meters and VirtualMeters, with $filter, $orderby, $count, keys and paging', async () => {
    const api = await getJson<Source[]>(`${server.url}/api/sources`);
    const sources = await allPages<{ Id: string; Kind: string; MeterId: number | null }>('Sources', { Prefer: 'odata.maxpagesize=7' });
    assert.ok(sources.pageSizes.length > 2);
    assert.deepEqual(
      sources.rows.map((s) => s.Id),
      api.body.map((s) => s.id),
    );
    const vms = await getJson<Collection<{ Id: string }>>(
      `${server.url}/odata/Sources?$filter=${encodeFilter("Kind eq 'virtualMeter'")}&$orderby=Id desc&$count=true`,
      POWER_QUERY,
    );
    const apiVms = api.body.filter((s) => s.kind === 'virtualMeter').map((s) => s.id);
    assert.equal(vms.body['@odata.count'], apiVms.length);
    assert.deepEqual(
      vms.body.value.map((s) => s.Id),
      [...apiVms].sort().reverse(),
    );
    const one = await getJson<{ '@odata.context': string; Id: string; Unit: string }>(`${server.url}/odata/Sources('${ELEC}')`, POWER_QUERY);
    assert.equal(one.status, 200);
    assert.equal(one.body['@odata.context'], `${server.url}/odata/$metadata#Sources/$entity`);
    assert.equal(one.body.Unit, 'kWh');
    const meters = new Set(api.body.filter((s) => s.meter).map((s) => s.meter!.id));
    const meterCount = await fetch(`${server.url}/odata/Meters/$count`, { headers: POWER_QUERY });
    assert.equal(await meterCount.text(), String(meters.size));
    const ieee = await getJson<Collection<{ Id: unknown }>>(`${server.url}/odata/Meters?$top=1&$select=Id`, {
      Accept: 'application/json;odata.metadata=minimal;IEEE754Compatible=true',
    });
    assert.equal(typeof ieee.body.value[0].Id, 'string', 'Int64 as a string for IEEE754Compatible clients');
    assert.equal((await getJson(`${server.url}/odata/Sources('R999999')`, POWER_QUERY)).status, 404);
  });

  it('answers what it cannot do with 400 (never a 5xx) in the OData error format, saying what to do', async () => {
    const day = 'Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z';
    const cases: Array<[string, number, RegExp]> = [
      ['Readings', 400, /Readings cannot be listed whole.*For example: http:\/\/127\.0\.0\.1:\d+\/odata\/Readings\?\$filter=SourceId eq 'R1' and Timestamp ge/],
      [
        `Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z`)}`,
        400,
        /needs an end \(Timestamp lt \.\.\.\).*SourceId eq '(R\d+)'/,
      ],
      [
        `Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and ${day} and Value add 1 gt 2`)}`,
        400,
        /operator 'add' is not supported.*Supported in \$filter/,
      ],
      [
        `Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and ${day}`)}&$orderby=Value`,
        400,
        /ordered by Value only with \$top \(Sort, then Keep top rows/,
      ],
      [`Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and ${day}`)}&$skiptoken=garbage`, 400, /\$skiptoken: is not a token this feed issued/],
      [`Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and ${day}`)}&$top=-1`, 400, /\$top: '-1' is not a whole number/],
      [`Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and ${day}`)}&periodType=fortnight`, 400, /'fortnight' is not a period type/],
      [`Sources?$select=Colour`, 400, /Source has no property 'Colour'; choose from Id, Kind/],
      [`Sources?$expand=Meter`, 400, /\$expand: this entity set has no navigation properties to expand/],
      [`Sources?$Top=1`, 400, /system query options are lower case: write \$top/],
      [`readings`, 404, /case-sensitive: Readings/],
    ];
    for (const [path, status, message] of cases) {
      const res = await getJson<ODataErrorBody>(`${server.url}/odata/${path}`, POWER_QUERY);
      assert.equal(res.status, status, path);
      assert.equal(res.headers.get('odata-version'), '4.0', path);
      assert.equal(typeof res.body.error.code, 'string', path);
      assert.match(res.body.error.message, message, path);
    }
  });

  it('refuses a $skiptoken taken from a different query', async () => {
    const filter = (id: string) => encodeFilter(`SourceId eq '${id}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const page = await odata(`Readings?$filter=${filter(ELEC)}`, { Prefer: 'odata.maxpagesize=5' });
    const token = /\$skiptoken=([^&]+)/.exec(page.body['@odata.nextLink']!)![1];
    const res = await getJson<ODataErrorBody>(`${server.url}/odata/Readings?$filter=${filter(VM)}&$skiptoken=${token}`, POWER_QUERY);
    assert.equal(res.status, 400);
    assert.match(res.body.error.message, /belongs to a different query/);
  });

  it('serves anonymous callers through DCS public access when the server allows it', async () => {
    const res = await getJson<Collection<ReadingEntity>>(
      `${server.url}/odata/Readings?$filter=${encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-01T01:00:00Z`)}`,
    );
    assert.equal(res.status, 200);
    assert.equal(res.body.value.length, 2);
  });

  it('leaves a page that fails midway malformed and cut short, never a well-formed partial result', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-05-01T00:00:00Z`);
    server.simulator!.setFaults({ failEveryNth: 3, failStatus: 500 });
    try {
      const res = await rawGet(`${server.url}/odata/Readings?$filter=${filter}`, POWER_QUERY);
      assert.equal(res.status, 200, 'rows were on their way when DCS failed');
      assert.equal(res.complete, false, 'the HTTP body must not end cleanly');
      assert.ok(res.body.length > 64 * 1024);
      assert.throws(() => JSON.parse(res.body), 'the payload is not valid JSON');
      const tail = res.body.slice(-400);
      assert.ok(/\{"error":\{"code":"dcs_failed","message":"DCS failed/.test(tail), `the error is written where the rows stop: ...${tail}`);
      assert.ok(!/\]\}\s*$/.test(tail), 'the collection is not closed');
    } finally {
      server.simulator!.setFaults({});
    }
  });

  it('answers a proper error status when DCS fails before the first rows are sent', async () => {
    const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    server.simulator!.setFaults({ failEveryNth: 1, failStatus: 500 });
    try {
      const res = await getJson<ODataErrorBody>(`${server.url}/odata/Readings?$filter=${filter}`, POWER_QUERY);
      assert.equal(res.status, 502);
      assert.equal(res.body.error.code, 'dcs_failed');
    } finally {
      server.simulator!.setFaults({});
    }
  });
});

describe('OData feed: authentication as Power BI sends it', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ dcsPublicAccess: false });
  });
  after(() => server.close());
  const day = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);

  it('challenges for Basic on the service root, $metadata and data when there is no public access', async () => {
    for (const path of ['', '$metadata', `Readings?$filter=${day}`]) {
      const res = await getJson<ODataErrorBody>(`${server.url}/odata/${path}`, POWER_QUERY);
      assert.equal(res.status, 401, path);
      assert.match(res.headers.get('www-authenticate') ?? '', /^Basic realm="DCS"/, path);
      assert.equal(res.headers.get('odata-version'), '4.0');
      assert.equal(res.body.error.code, 'unauthenticated');
    }
  });

  it('accepts DCS credentials as Basic on every resource (the credential test and the refresh)', async () => {
    const auth = { ...POWER_QUERY, Authorization: basicAuth('demo', 'demo') };
    assert.equal((await getJson(`${server.url}/odata/`, auth)).status, 200);
    assert.equal((await fetch(`${server.url}/odata/$metadata`, { headers: auth })).status, 200);
    const readings = await getJson<Collection<ReadingEntity>>(`${server.url}/odata/Readings?$filter=${day}`, auth);
    assert.equal(readings.status, 200);
    assert.equal(readings.body.value.length, 48);
  });

  it('refuses a wrong password with a new challenge, and a source the account may not see with 404 (no credential prompt)', async () => {
    const wrong = await getJson<ODataErrorBody>(`${server.url}/odata/`, { ...POWER_QUERY, Authorization: basicAuth('demo', 'wrong') });
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get('www-authenticate') ?? '', /^Basic realm="DCS"/);
    const filter = encodeFilter(`SourceId eq '${FORBIDDEN}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
    const forbidden = await getJson<ODataErrorBody>(`${server.url}/odata/Readings?$filter=${filter}`, {
      ...POWER_QUERY,
      Authorization: basicAuth('viewer', 'viewer'),
    });
    assert.equal(forbidden.status, 404);
    assert.equal(forbidden.body.error.code, 'not_found');
  });
});

describe('OData feed: page size', () => {
  it('takes the server page size from the ODATA_PAGE_SIZE setting', async () => {
    const server = await startTestServer({ odataPageSize: 20 });
    try {
      const filter = encodeFilter(`SourceId eq '${ELEC}' and Timestamp ge 2024-01-01T00:00:00Z and Timestamp lt 2024-01-02T00:00:00Z`);
      const page = await getJson<Collection<ReadingEntity>>(`${server.url}/odata/Readings?$filter=${filter}`, POWER_QUERY);
      assert.equal(page.body.value.length, 20);
      assert.ok(page.body['@odata.nextLink']);
      const larger = await getJson<Collection<ReadingEntity>>(`${server.url}/odata/Readings?$filter=${filter}`, {
        ...POWER_QUERY,
        Prefer: 'odata.maxpagesize=30',
      });
      assert.equal(larger.body.value.length, 20, 'a client may ask for smaller pages, not larger ones');
    } finally {
      await server.close();
    }
  });

  it('reads ODATA_PAGE_SIZE at start-up and refuses one that is not a whole number of rows, saying what to give', () => {
    const noEnvFile = { envFile: path.join(os.tmpdir(), 'dcs-excel-no-such.env') };
    assert.equal(loadConfig({}, noEnvFile).odataPageSize, 10_000);
    assert.equal(loadConfig({ ODATA_PAGE_SIZE: ' 500 ' }, noEnvFile).odataPageSize, 500);
    for (const bad of ['0', 'lots', '1e3', '2000000']) {
      assert.throws(
        () => loadConfig({ ODATA_PAGE_SIZE: bad }, noEnvFile),
        (error: unknown) => error instanceof ConfigError && /ODATA_PAGE_SIZE: '.*' is not a whole number from 1 to 1000000/.test(error.message),
      );
    }
  });
});
