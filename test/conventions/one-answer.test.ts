/**
 * One question, one answer (issue 19): a table of questions (sources × interval × zone × range,
 * across the October and March clock changes, a register reset and virtual meters) is asked of
 * every surface that gives consumption per period — /api/intervals, /api/consumption, OData
 * Intervals, OData Readings summed, the functions' code (DCS.INTERVALS, DCS.CONSUMPTION), the
 * pane's table writer and the pandas recipe of docs/python-and-sql.md — and every answer must be
 * the one computed here, independently, from the simulator's raw half-hours: DCS's own period
 * value of each half-hour of a register, a virtual meter's value, grouped by the local date (or
 * month, or half-hour) that `Intl` gives for the half-hour's start.
 */
import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import type { ConsumptionJson, IntervalsJson, IntervalType } from '../../server/api/types';
import { DcsClient } from 'dcs-client';
import { DEMO_FEATURES } from 'dcs-simulator';
import { ApiClient } from '../../addin/api/client';
import type { Fetch } from '../../addin/api/http';
import { Session } from '../../addin/api/session';
import type { FunctionsContext } from '../../addin/functions/cell-functions';
import * as cells from '../../addin/functions/cell-functions';
import { ConsumptionMemo, httpConsumptionApi } from '../../addin/functions/consumption-api';
import { httpIntervalsApi } from '../../addin/functions/intervals-api';
import { intervals as intervalsFunction } from '../../addin/functions/intervals-function';
import type { IntervalsQuery } from '../../addin/query/intervals-query';
import { fetchIntervals, writeIntervalTables } from '../../addin/runtime/interval-pull';
import { mockExcel } from '../addin/support/workbook';
import { codeBlocks } from '../docs/readme-blocks';
import { findPython } from '../docs/example-runner';
import { basicAuth, getJson, startTestServer, type TestServer } from '../server/helpers';

const ELEC = `R${DEMO_FEATURES.electricityRegisterId}`;
const RESET = `R${DEMO_FEATURES.resetRegisterId}`;
const CAMPUS_VM = `VM${DEMO_FEATURES.cumulativeVirtualMeterId}`;
const NET_VM = `VM${DEMO_FEATURES.netVirtualMeterId}`;

/** A question as a user asks it: the first and last day included, local to the zone. */
interface Question {
  what: string;
  ids: string[];
  interval: Extract<IntervalType, 'halfHour' | 'day' | 'month'>;
  zone: string;
  firstDay: string;
  lastDay: string;
}

const QUESTIONS: Question[] = [
  { what: 'days over the October clock change', ids: [ELEC, CAMPUS_VM], interval: 'day', zone: 'Europe/London', firstDay: '2024-10-26', lastDay: '2024-10-28' },
  { what: 'days over the March clock change', ids: [ELEC, NET_VM], interval: 'day', zone: 'Europe/London', firstDay: '2024-03-30', lastDay: '2024-04-01' },
  { what: 'the half-hours of the October change day', ids: [ELEC], interval: 'halfHour', zone: 'Europe/London', firstDay: '2024-10-27', lastDay: '2024-10-27' },
  { what: 'days over a register reset', ids: [RESET], interval: 'day', zone: 'UTC', firstDay: '2023-12-30', lastDay: '2024-01-02' },
  { what: 'months over the March change', ids: [CAMPUS_VM, ELEC], interval: 'month', zone: 'Europe/London', firstDay: '2024-03-01', lastDay: '2024-04-30' },
  { what: 'months over the reset, local', ids: [RESET], interval: 'month', zone: 'Europe/London', firstDay: '2023-12-01', lastDay: '2024-01-31' },
];

/** One source's answer: consumption by interval key (local date, month's first day, or half-hour with offset). */
type Answer = Map<string, number>;
type Answers = Map<string, Answer>;

const DAY_MS = 86_400_000;
const HALF_HOUR_MS = 1_800_000;

let server: TestServer;
let dcs: DcsClient;
let client: ApiClient;
before(async () => {
  server = await startTestServer({ logLevel: 'warn' });
  dcs = await DcsClient.connect({ url: server.simulator!.url, username: 'demo', password: 'demo' });
  const fetch = globalThis.fetch.bind(globalThis) as unknown as Fetch;
  client = new ApiClient({ baseUrl: `${server.url}/`, fetch, session: new Session() });
  await client.signIn('demo', 'demo');
});
after(async () => {
  await dcs.signOut();
  await server.close();
});

// ---- the expected answer, from the simulator's raw half-hours ---------------------------------

/** The wall clock and offset of an instant in a zone, from Intl alone. */
function localParts(ms: number, zone: string): { date: string; time: string; offset: string } {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', {
      timeZone: zone,
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      hourCycle: 'h23',
      timeZoneName: 'longOffset',
    })
      .formatToParts(ms)
      .map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName === 'GMT' ? '+00:00' : parts.timeZoneName.replace('GMT', '');
  return { date: `${parts.year}-${parts.month}-${parts.day}`, time: `${parts.hour}:${parts.minute}`, offset };
}

/** Which interval a half-hour starting at `ms` belongs to. */
function keyOf(ms: number, question: Question): string {
  const local = localParts(ms, question.zone);
  if (question.interval === 'day') return local.date;
  if (question.interval === 'month') return `${local.date.slice(0, 7)}-01`;
  return `${local.date}T${local.time}${local.offset}`;
}

/** A UTC span wide enough to hold the question's local days in any zone. */
function utcSpan(question: Question): { start: number; end: number } {
  return { start: Date.parse(`${question.firstDay}T00:00:00Z`) - DAY_MS, end: Date.parse(`${question.lastDay}T00:00:00Z`) + 2 * DAY_MS };
}

async function expectedAnswers(question: Question): Promise<Answers> {
  const answers: Answers = new Map();
  const span = utcSpan(question);
  for (const id of question.ids) {
    const register = id.startsWith('R');
    const result = await dcs.readings({
      id,
      start: new Date(span.start),
      end: new Date(span.end),
      periodType: 'halfHour',
      format: register ? 'complete' : 'standard',
    });
    const answer: Answer = new Map();
    for (const reading of result.readings) {
      const ms = reading.timestamp.getTime();
      const date = localParts(ms, question.zone).date;
      if (date < question.firstDay || date > question.lastDay) continue;
      const kwh = 'periodValue' in reading ? reading.periodValue : reading.value;
      const key = keyOf(ms, question);
      answer.set(key, (answer.get(key) ?? 0) + kwh);
    }
    answers.set(id, answer);
  }
  return answers;
}

function assertSameAnswers(actual: Answers, expected: Answers, surface: string): void {
  assert.deepEqual([...actual.keys()], [...expected.keys()], `${surface}: the sources`);
  for (const [id, want] of expected) {
    const got = actual.get(id)!;
    assert.deepEqual([...got.keys()], [...want.keys()], `${surface}, ${id}: the intervals`);
    for (const [key, value] of want) {
      const figure = got.get(key)!;
      assert.ok(Math.abs(figure - value) <= 1e-9 * Math.max(1, Math.abs(value)), `${surface}, ${id}, ${key}: ${figure}, expected ${value}`);
    }
  }
}

// ---- the surfaces ---------------------------------------------------------------------------------

function dayAfter(date: string): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + DAY_MS).toISOString().slice(0, 10);
}

/** An ISO time with offset as an interval key. */
function keyOfIso(iso: string, question: Question): string {
  const offset = iso.endsWith('Z') ? '+00:00' : iso.slice(-6);
  if (question.interval === 'halfHour') return `${iso.slice(0, 16)}${offset}`;
  return question.interval === 'month' ? `${iso.slice(0, 7)}-01` : iso.slice(0, 10);
}

async function fromApiIntervals(question: Question): Promise<Answers> {
  const query = { id: question.ids.join(','), start: question.firstDay, lastDay: question.lastDay, interval: question.interval, timeZone: question.zone };
  const { status, body } = await getJson<IntervalsJson>(`${server.url}/api/intervals?${new URLSearchParams(query)}`);
  assert.equal(status, 200, JSON.stringify(body));
  return new Map(body.sources.map((s) => [s.id, new Map(s.intervals.map((i) => [keyOfIso(i.start, question), i.consumption!]))]));
}

/** One /api/consumption call per interval of the expected answer: a day or month by start and lastDay, a half-hour by start and end. */
async function fromApiConsumption(question: Question, expected: Answers): Promise<Answers> {
  const answers: Answers = new Map();
  for (const [id, want] of expected) {
    const answer: Answer = new Map();
    for (const key of want.keys()) {
      const span: Record<string, string> =
        question.interval === 'halfHour'
          ? { start: key, end: new Date(Date.parse(key) + HALF_HOUR_MS).toISOString() }
          : { start: key, lastDay: question.interval === 'day' ? key : lastDayOfMonth(key) };
      const { status, body } = await getJson<ConsumptionJson>(`${server.url}/api/consumption?${new URLSearchParams({ id, ...span, timeZone: question.zone })}`);
      assert.equal(status, 200, JSON.stringify(body));
      answer.set(key, body.results[0].consumption);
    }
    answers.set(id, answer);
  }
  return answers;
}

function lastDayOfMonth(first: string): string {
  const [year, month] = first.split('-').map(Number);
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

async function odata<T>(url: string): Promise<T[]> {
  const rows: T[] = [];
  let next: string | undefined = url;
  while (next) {
    const page: { status: number; body: { value: T[]; '@odata.nextLink'?: string } } = await getJson(next, { Authorization: basicAuth('demo', 'demo') });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    rows.push(...page.body.value);
    next = page.body['@odata.nextLink'];
  }
  return rows;
}

async function fromODataIntervals(question: Question): Promise<Answers> {
  const answers: Answers = new Map();
  for (const id of question.ids) {
    const query = `$filter=${encodeURIComponent(`SourceId eq '${id}'`)}&start=${question.firstDay}&end=${dayAfter(question.lastDay)}&interval=${question.interval}&timeZone=${question.zone}`;
    const rows = await odata<{ Start: string; Consumption: number }>(`${server.url}/odata/Intervals?${query}`);
    answers.set(id, new Map(rows.map((r) => [keyOfIso(r.Start, question), r.Consumption])));
  }
  return answers;
}

/** OData's half-hourly Readings (PeriodValue), summed here by the question's local intervals. */
async function fromODataReadings(question: Question, expected: Answers): Promise<Answers> {
  const answers: Answers = new Map();
  const span = utcSpan(question);
  for (const id of question.ids) {
    const filter = `SourceId eq '${id}' and Timestamp ge ${new Date(span.start).toISOString()} and Timestamp lt ${new Date(span.end).toISOString()}`;
    const rows = await odata<{ Timestamp: string; PeriodValue: number }>(`${server.url}/odata/Readings?$filter=${encodeURIComponent(filter)}`);
    const answer: Answer = new Map();
    for (const row of rows) {
      const key = keyOf(Date.parse(row.Timestamp), question);
      if (expected.get(id)!.has(key)) answer.set(key, (answer.get(key) ?? 0) + row.PeriodValue);
    }
    answers.set(id, answer);
  }
  return answers;
}

function functionsContext(): FunctionsContext {
  const fetch = globalThis.fetch.bind(globalThis) as unknown as Fetch;
  return {
    session: client.session,
    consumption: new ConsumptionMemo(httpConsumptionApi(client, fetch)),
    api: { sources: async () => [], readings: async function* () {} },
    intervals: httpIntervalsApi(client, fetch),
    defaultTimeZone: () => 'UTC',
  };
}

/** A spilled date cell's wall clock, `YYYY-MM-DDTHH:mm`. */
function wallClockOf(cell: unknown): string {
  const serial = typeof cell === 'number' ? cell : (cell as { basicValue: number }).basicValue;
  return new Date(Math.round((serial - 25_569) * DAY_MS)).toISOString().slice(0, 16);
}

function keyOfWallClock(wall: string, offset: string, question: Question): string {
  if (question.interval === 'halfHour') return `${wall}${offset}`;
  return question.interval === 'month' ? `${wall.slice(0, 7)}-01` : wall.slice(0, 10);
}

/** =DCS.INTERVALS(ids, first day, last day, interval, "consumption", zone), read from its spill. */
async function fromIntervalsFunction(question: Question): Promise<Answers> {
  const table = await intervalsFunction(
    functionsContext(),
    question.ids.join(','),
    question.firstDay,
    question.lastDay,
    question.interval,
    'consumption',
    question.zone,
  );
  const [header, ...rows] = table;
  const subDay = header[1] === 'UTC offset';
  const answers: Answers = new Map();
  question.ids.forEach((id, i) => {
    const column = (subDay ? 2 : 1) + i;
    answers.set(id, new Map(rows.map((row) => [keyOfWallClock(wallClockOf(row[0]), subDay ? (row[1] as string) : '', question), Number(row[column])])));
  });
  return answers;
}

/** =DCS.CONSUMPTION(id, first day, last day, zone) for each day or month (whole days only). */
async function fromConsumptionFunction(question: Question, expected: Answers): Promise<Answers> {
  const ctx = functionsContext();
  const answers: Answers = new Map();
  for (const [id, want] of expected) {
    const answer: Answer = new Map();
    for (const key of want.keys())
      answer.set(key, await cells.consumption(ctx, id, key, question.interval === 'day' ? key : lastDayOfMonth(key), question.zone));
    answers.set(id, answer);
  }
  return answers;
}

/** The pane: a fixed range, fetched and written as one table per source into the in-memory workbook, read back. */
async function fromPaneTables(question: Question): Promise<Answers> {
  const query: IntervalsQuery = {
    version: 1,
    kind: 'intervals',
    sourceIds: question.ids,
    range: { kind: 'fixed', start: `${question.firstDay}T00:00:00`, end: `${dayAfter(question.lastDay)}T00:00:00` },
    interval: question.interval,
    timeZone: question.zone,
    what: 'consumption',
    calcs: ['consumption'],
    layout: 'perSource',
  };
  const fetched = await fetchIntervals(query, {
    intervals: (request, signal) => client.intervals(request, signal),
    now: () => new Date('2025-06-01T00:00:00Z'),
  });
  const { context, view } = mockExcel();
  const { created } = await writeIntervalTables(context, fetched, 'newSheet', false);
  const answers: Answers = new Map();
  created.forEach((result, i) => {
    const [header, ...rows] = view.tableValues(result.table);
    const value = header.findIndex((h) => String(h).startsWith('Consumption'));
    const offset = header.indexOf('UTC offset');
    answers.set(question.ids[i], new Map(rows.map((row) => [keyOfWallClock(wallClockOf(row[0]), String(row[offset]), question), Number(row[value])])));
  });
  return answers;
}

/** The recipe of docs/python-and-sql.md, run as written (its server address pointed here), grouped as it says. */
async function fromPandasRecipe(python: string, question: Question): Promise<Answers> {
  const docs = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'python-and-sql.md'), 'utf8');
  const recipe = codeBlocks(docs, 'docs/python-and-sql.md').find((b) => b.info === 'python' && b.code.includes('def half_hours('));
  assert.ok(recipe, 'the pandas recipe is in docs/python-and-sql.md');
  const grouping = { day: '%Y-%m-%d', month: '%Y-%m-01', halfHour: '%Y-%m-%dT%H:%M%z' }[question.interval];
  const script = [
    'import getpass',
    'getpass.getpass = lambda prompt="": "demo"',
    recipe.code.replace('https://localhost:3000', server.url).replace('ZONE = "Europe/London"', `ZONE = ${JSON.stringify(question.zone)}`),
    'import json',
    'answers = {}',
    `for source_id in ${JSON.stringify(question.ids)}:`,
    `    df = half_hours(source_id, ${JSON.stringify(question.firstDay)}, ${JSON.stringify(dayAfter(question.lastDay))})`,
    `    answers[source_id] = df.groupby(df["timestamp"].dt.strftime(${JSON.stringify(grouping)}), sort=False)["consumption"].sum().to_dict()`,
    'print("ANSWERS " + json.dumps(answers))',
  ].join('\n');
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-recipe-'));
  try {
    const file = path.join(dir, 'recipe.py');
    fs.writeFileSync(file, script);
    // Not spawnSync: the server answering the recipe runs in this process.
    const run = await promisify(execFile)(python, [file], { cwd: dir, encoding: 'utf8', timeout: 120_000 });
    const line = run.stdout.split('\n').find((l) => l.startsWith('ANSWERS '))!;
    const parsed = JSON.parse(line.slice('ANSWERS '.length)) as Record<string, Record<string, number>>;
    // %z writes +0100; the keys here write +01:00 (%:z needs Python 3.12).
    const colon = (key: string) => key.replace(/([+-]\d{2})(\d{2})$/, '$1:$2');
    return new Map(Object.entries(parsed).map(([id, byKey]) => [id, new Map(Object.entries(byKey).map(([key, value]) => [colon(key), value]))]));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

// ---- the table ------------------------------------------------------------------------------------

const python = findPython();

for (const question of QUESTIONS) {
  describe(`${question.what}: ${question.ids.join(', ')}, ${question.interval}s in ${question.zone}, ${question.firstDay} to ${question.lastDay} included`, () => {
    let expected: Answers;
    before(async () => {
      expected = await expectedAnswers(question);
    });

    it('/api/intervals', async () => assertSameAnswers(await fromApiIntervals(question), expected, '/api/intervals'));
    it('/api/consumption, interval by interval', async () => assertSameAnswers(await fromApiConsumption(question, expected), expected, '/api/consumption'));
    it('OData Intervals', async () => assertSameAnswers(await fromODataIntervals(question), expected, 'OData Intervals'));
    it('OData Readings, summed', async () => assertSameAnswers(await fromODataReadings(question, expected), expected, 'OData Readings'));
    it('=DCS.INTERVALS', async () => assertSameAnswers(await fromIntervalsFunction(question), expected, 'DCS.INTERVALS'));
    it('=DCS.CONSUMPTION, day by day or month by month', { skip: question.interval === 'halfHour' && 'the function takes whole days' }, async () =>
      assertSameAnswers(await fromConsumptionFunction(question, expected), expected, 'DCS.CONSUMPTION'),
    );
    it("the pane's table writer", async () => assertSameAnswers(await fromPaneTables(question), expected, 'pane'));
    it('the pandas recipe of docs/python-and-sql.md', { skip: python === undefined && 'needs python3 with pandas and requests' }, async () =>
      assertSameAnswers(await fromPandasRecipe(python!, question), expected, 'pandas recipe'),
    );
  });
}
