import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { NdjsonRecord, ReadingsJson, StandardReadingJson, CompleteReadingJson } from '../../server/api/types';
import { DEMO_FEATURES, demoFeatures } from 'dcs-simulator';
import { type ApiErrorBody, getJson, rawGet, signIn, SIMULATOR_NOW, startTestServer, type TestServer } from './helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const features = demoFeatures(SIMULATOR_NOW);
const DAY = 'start=2024-01-01&end=2024-01-02';

describe('GET /api/readings: output formats', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());
  const readings = (query: string, headers: Record<string, string> = {}) => rawGet(`${server.url}/api/readings?${query}`, headers);

  it('answers json by default: a header per source and its readings with UTC timestamps', async () => {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&${DAY}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /^application\/json/);
    assert.equal(res.body.sources.length, 1);
    const [source] = res.body.sources;
    assert.equal(source.id, ELEC);
    assert.equal(source.unit, 'kWh');
    assert.match(source.name, /Library/);
    assert.equal(source.periodType, 'halfHour');
    assert.equal(source.format, 'standard');
    assert.equal(source.startTime, '2024-01-01T00:00:00Z');
    assert.equal(source.endTime, '2024-01-02T00:00:00Z');
    assert.equal(source.expectedCount, 48);
    assert.equal(source.readings.length, 48);
    const first = source.readings[0] as StandardReadingJson;
    assert.equal(first.timestamp, '2024-01-01T00:00:00Z');
    assert.equal(source.readings[47].timestamp, '2024-01-01T23:30:00Z');
    assert.equal(typeof first.value, 'number');
    assert.equal(first.status, 0);
  });

  it('gives the same readings as ndjson: header, one line per reading with its id, then an end record', async () => {
    const json = (await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&${DAY}`)).body.sources[0];
    const res = await readings(`id=${ELEC}&${DAY}`, { Accept: 'application/x-ndjson' });
    assert.equal(res.status, 200);
    assert.match(String(res.headers['content-type']), /^application\/x-ndjson/);
    assert.ok(res.complete);
    const lines = res.body
      .trimEnd()
      .split('\n')
      .map((l) => JSON.parse(l) as NdjsonRecord);
    assert.equal(lines.length, 1 + 48 + 1);
    const { readings: jsonReadings, ...header } = json;
    assert.deepEqual(lines[0], { source: header });
    assert.deepEqual(lines[1], { id: ELEC, ...jsonReadings[0] });
    assert.deepEqual(
      lines.slice(1, 49),
      jsonReadings.map((r) => ({ id: ELEC, ...r })),
    );
    assert.deepEqual(lines[49], { end: { sources: 1, readings: 48 } });
  });

  it('gives the same readings as csv, chosen by Accept or by ?output=csv', async () => {
    const json = (await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&${DAY}`)).body.sources[0];
    for (const res of [
      await readings(`id=${ELEC}&${DAY}`, { Accept: 'text/csv' }),
      await readings(`id=${ELEC}&${DAY}&output=csv`, { Accept: 'application/json' }),
    ]) {
      assert.equal(res.status, 200);
      assert.match(String(res.headers['content-type']), /^text\/csv/);
      const lines = res.body.trimEnd().split('\n');
      assert.equal(lines[0], 'id,timestamp,value,status');
      assert.equal(lines.length, 49);
      assert.deepEqual(
        lines.slice(1),
        json.readings.map((r) => `${ELEC},${r.timestamp},${(r as StandardReadingJson).value},${r.status}`),
      );
    }
  });

  it('writes csv timestamps with the zone offset when timeZone is given, reading naive start/end in that zone', async () => {
    const res = await readings(`id=${ELEC}&start=2024-06-01&end=2024-06-02&timeZone=Europe/London&output=csv`);
    assert.equal(res.status, 200);
    const rows = res.body.trimEnd().split('\n').slice(1);
    assert.equal(rows.length, 48);
    assert.match(rows[0], new RegExp(`^${ELEC},2024-06-01T00:00:00\\+01:00,`));
    assert.match(rows[47], /,2024-06-01T23:30:00\+01:00,/);
    const json = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&start=2024-06-01&end=2024-06-02&timeZone=Europe/London`);
    assert.equal(json.body.sources[0].startTime, '2024-05-31T23:00:00Z', 'json stays in UTC');
  });

  it('serves the complete format: totalValue and periodValue columns', async () => {
    const csv = await readings(`id=${ELEC}&${DAY}&format=complete&output=csv`);
    const lines = csv.body.trimEnd().split('\n');
    assert.equal(lines[0], 'id,timestamp,totalValue,periodValue,status');
    assert.equal(lines.length, 49);
    const json = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&${DAY}&format=complete`);
    const first = json.body.sources[0].readings[0] as CompleteReadingJson;
    assert.equal(json.body.sources[0].format, 'complete');
    assert.equal(typeof first.totalValue, 'number');
    assert.equal(typeof first.periodValue, 'number');
    assert.equal(lines[1], `${ELEC},${first.timestamp},${first.totalValue},${first.periodValue},${first.status}`);
  });

  it('serves several sources in one call (id repeated or comma-separated), in the order asked', async () => {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC},${VM}&id=${ELEC}&periodType=hour&${DAY}`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.sources.map((s) => [s.id, s.periodType, s.readings.length]),
      [
        [ELEC, 'hour', 24],
        [VM, 'hour', 24],
      ],
    );
    const csv = await readings(`id=${ELEC}&id=${VM}&periodType=hour&${DAY}&output=csv`);
    const ids = csv.body
      .trimEnd()
      .split('\n')
      .slice(1)
      .map((l) => l.split(',')[0]);
    assert.deepEqual(ids, [...Array(24).fill(ELEC), ...Array(24).fill(VM)]);
  });

  it('accepts start with periodCount instead of end', async () => {
    const res = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${ELEC}&start=2024-01-01T10:00&periodCount=4`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.sources[0].readings.map((r) => r.timestamp),
      ['2024-01-01T10:00:00Z', '2024-01-01T10:30:00Z', '2024-01-01T11:00:00Z', '2024-01-01T11:30:00Z'],
    );
    assert.equal(res.body.sources[0].endTime, '2024-01-01T12:00:00Z');
  });

  it('passes NaN and Infinity through: literally in csv, as DCS strings in json', async () => {
    const nan = `R${DEMO_FEATURES.nanRegisterId}`;
    const span = `start=${features.nanSpell.start}&periodCount=2`;
    const csv = await readings(`id=${nan}&${span}&output=csv`);
    assert.deepEqual(
      csv.body
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
      ['NaN', 'NaN'],
    );
    const json = await getJson<ReadingsJson>(`${server.url}/api/readings?id=${nan}&${span}`);
    assert.deepEqual(
      json.body.sources[0].readings.map((r) => (r as StandardReadingJson).value),
      ['NaN', 'NaN'],
    );
    const inf = `R${DEMO_FEATURES.infinityRegisterId}`;
    const infCsv = await readings(`id=${inf}&start=${features.infinitySpell.start}&periodCount=4&output=csv`);
    const values = new Set(
      infCsv.body
        .trimEnd()
        .split('\n')
        .slice(1)
        .map((l) => l.split(',')[2]),
    );
    assert.deepEqual([...values].sort(), ['-Infinity', 'Infinity']);
    const infNdjson = await readings(`id=${inf}&start=${features.infinitySpell.start}&periodCount=2&output=ndjson`);
    const ndValues = infNdjson.body
      .trimEnd()
      .split('\n')
      .slice(1, 3)
      .map((l) => (JSON.parse(l) as StandardReadingJson).value);
    assert.ok(
      ndValues.every((v) => v === 'Infinity' || v === '-Infinity'),
      JSON.stringify(ndValues),
    );
  });
});

describe('GET /api/readings: refusing bad requests', () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(() => server.close());

  const refusal = async (query: string) => {
    const res = await getJson<ApiErrorBody>(`${server.url}/api/readings?${query}`);
    assert.equal(res.status, 400, `${query} -> ${res.status} ${JSON.stringify(res.body)}`);
    assert.equal(res.body.error.code, 'bad_request');
    return res.body.error;
  };

  it('names the parameter and says why, for each kind of mistake', async () => {
    const cases: Array<[string, string, RegExp]> = [
      [DAY, 'id', /^id: missing; give one or more source ids/],
      [`id=M12&${DAY}`, 'id', /^id: 'M12' is not a source id; use R<register id> or VM<virtual meter id>/],
      [`id=${ELEC}&start=2024-13-01&end=2024-02-01`, 'start', /^start: '2024-13-01' is not a date; use YYYY-MM-DD or YYYY-MM-DDTHH:mm/],
      [`id=${ELEC}&end=2024-01-02`, 'start', /^start: missing; give start and end .* or start and periodCount/],
      [`id=${ELEC}&start=2024-01-01`, 'end', /^end: missing; give start and end .* or start and periodCount/],
      [`id=${ELEC}&start=2024-01-02&end=2024-01-01`, 'end', /^end: '2024-01-01' is not after start/],
      [`id=${ELEC}&${DAY}&periodCount=3`, 'periodCount', /either end or periodCount, not both/],
      [`id=${ELEC}&start=2024-01-01&periodCount=0`, 'periodCount', /not a whole number of periods/],
      [`id=${ELEC}&${DAY}&periodType=fortnight`, 'periodType', /'fortnight' is not a period type; use one of halfHour, hour, day, week, month/],
      [`id=${ELEC}&start=2024-01-01T12:00&end=2024-01-03&periodType=day`, 'start', /is not at 00:00 UTC; DCS day periods/],
      [
        `id=${ELEC}&start=2024-06-01&end=2024-06-03&periodType=day&timeZone=Europe/London`,
        'start',
        /'2024-06-01' in Europe\/London is 2024-05-31T23:00:00Z, which is not at 00:00 UTC/,
      ],
      [`id=${ELEC}&${DAY}&timeZone=Europe/Londn`, 'timeZone', /'Europe\/Londn' is not a time zone/],
      [`id=${ELEC}&${DAY}&format=full`, 'format', /use standard .* or complete/],
      [`id=${ELEC}&${DAY}&output=xlsx`, 'output', /use json, ndjson or csv/],
      [`id=${ELEC}&${DAY}&calibrated=perhaps`, 'calibrated', /not true or false/],
      [`id=${ELEC}&start=2024-01-01&start=2024-01-02&end=2024-01-03`, 'start', /give it once/],
    ];
    for (const [query, parameter, message] of cases) {
      const error = await refusal(query);
      assert.equal(error.parameter, parameter, query);
      assert.match(error.message, message);
    }
  });

  it('answers 403 when DCS refuses the data to this user', async () => {
    const expired = await signIn(server.url, 'expired', 'expired');
    const res = await getJson<ApiErrorBody>(`${server.url}/api/readings?id=${ELEC}&${DAY}&output=csv`, { Cookie: expired.cookie });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'forbidden');
    assert.match(res.body.error.message, /expired/i);
  });
});
