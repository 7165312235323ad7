/// <reference types="custom-functions-runtime" />
/**
 * Custom functions as real Excel runs them: cancelable, with Excel's cancel reaching the
 * request to the server (defect 6); spilled dates shown as dates (defect 5, see also
 * cell-functions.test.ts); date cells of a 1904 workbook read and written in its own system
 * (defect 11).
 */
import assert from 'node:assert/strict';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { generateCustomFunctionsMetadata } from 'custom-functions-metadata';
import type { ConsumptionBatchAnswer, NdjsonRecord } from '../../../server/api/types';
import { configureApiClient, session, type Fetch } from '../../../addin/api';
import type { ReadingsRequest } from '../../../addin/api/client';
import * as fns from '../../../addin/functions/cell-functions';
import { ConsumptionMemo, type ConsumptionRequest } from '../../../addin/functions/consumption-api';
import { dateCellKind } from '../../../addin/functions/date-cells';
import { readings as readingsEntryPoint } from '../../../addin/functions/functions';

const FUNCTIONS_SOURCE = path.resolve(__dirname, '../../../../addin/functions/functions.ts');
const APRIL_1 = 45383; // 2024-04-01 in the 1900 date system
const APRIL_1_1904 = APRIL_1 - 1462;

describe('functions.json as the build generates it', () => {
  it('declares every DCS function cancelable, so Excel can stop a slow one', async () => {
    const result = await generateCustomFunctionsMetadata(FUNCTIONS_SOURCE);
    assert.deepEqual(result.errors, []);
    const metadata = JSON.parse(result.metadataJson) as {
      allowCustomDataForDataTypeAny?: boolean;
      functions: Array<{ id: string; options?: { cancelable?: boolean }; result: { type?: string; dimensionality?: string } }>;
    };
    const ids = metadata.functions.map((f) => f.id).sort();
    assert.deepEqual(ids, ['CONSUMPTION', 'CUSUM', 'DEMAND', 'INTERVALS', 'QUALITY', 'READINGS', 'SOURCES']);
    for (const f of metadata.functions) assert.equal(f.options?.cancelable, true, `${f.id} is cancelable`);
    assert.equal(metadata.allowCustomDataForDataTypeAny, true, 'spills may hold formatted dates');
    for (const id of ['READINGS', 'INTERVALS', 'CUSUM']) {
      const spill = metadata.functions.find((f) => f.id === id)!;
      assert.equal(spill.result.type ?? 'any', 'any', `${id} returns any, which admits date cells`);
    }
  });
});

describe('cancelling a formula', () => {
  const scope = globalThis as { CustomFunctions?: unknown };
  before(() => {
    class CustomFunctionsError extends Error {
      constructor(
        readonly code: string,
        message?: string,
      ) {
        super(message);
      }
    }
    scope.CustomFunctions = { Error: CustomFunctionsError, ErrorCode: { invalidValue: '#VALUE!', notAvailable: '#N/A' } };
    session.begin({ username: 'ann', role: 'user', token: 't0k', public: false });
  });
  after(() => {
    delete scope.CustomFunctions;
    session.end();
  });

  it('aborts the request to the server when Excel cancels DCS.READINGS', async () => {
    const signals: Array<AbortSignal | undefined> = [];
    const fetch: Fetch = (_url, init) => {
      const signal = init?.signal;
      signals.push(signal);
      return new Promise((_resolve, reject) => {
        signal?.addEventListener('abort', () => reject(Object.assign(new Error('aborted'), { name: 'AbortError' })));
      });
    };
    configureApiClient({ baseUrl: 'http://127.0.0.1:9/', fetch });
    const invocation: { onCanceled?: () => void } = {};
    const cell = readingsEntryPoint('R101', APRIL_1, APRIL_1, null, null, invocation);
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.equal(typeof invocation.onCanceled, 'function', "the function listens for Excel's cancel");
    invocation.onCanceled!();
    await assert.rejects(cell, /cancelled/);
    assert.equal(signals.length, 1);
    assert.equal(signals[0]?.aborted, true, 'the fetch was aborted');
  });

  it('stops waiting for a shared consumption figure without cancelling it for the other formulas', async () => {
    let answer!: (answers: ConsumptionBatchAnswer[]) => void;
    const server = {
      calls: 0,
      batch(_requests: ConsumptionRequest[]): Promise<ConsumptionBatchAnswer[]> {
        this.calls++;
        return new Promise((resolve) => (answer = resolve));
      },
    };
    const ctx: fns.FunctionsContext = {
      session: { isSignedIn: true },
      consumption: new ConsumptionMemo(server),
      api: { sources: async () => [], readings: async function* () {} },
      defaultTimeZone: () => 'UTC',
    };
    const controller = new AbortController();
    const cancelled = fns.consumption(ctx, 'R1', '2024-04-01', '2024-04-30', null, controller.signal);
    const other = fns.consumption(ctx, 'R1', '2024-04-01', '2024-04-30', null);
    controller.abort();
    await assert.rejects(cancelled, /cancelled/);
    await new Promise((resolve) => setTimeout(resolve, 100)); // the batch is sent
    answer([{ result: { id: 'R1', name: 'x', unit: 'kWh', start: '', end: '', consumption: 7, periods: 1, interpolated: 0, resets: 0, missing: 0 } }]);
    assert.equal(await other, 7);
    assert.equal(server.calls, 1);
  });
});

describe('dates in spilled results, per Excel build', () => {
  /** A build's requirement sets: CustomFunctionsRuntime and the highest ExcelApi it has. */
  const build = (customFunctions: string, excelApi: number) => (set: string, version: string) =>
    set === 'CustomFunctionsRuntime'
      ? Number(version.split('.')[1]) <= Number(customFunctions.split('.')[1])
      : set === 'ExcelApi' && Number(version.split('.')[1]) <= excelApi;

  it('uses a Double with a number format from ExcelApi 1.19 (Version 2504), a FormattedNumber on 1.16 to 1.18, bare serials before', () => {
    assert.equal(dateCellKind(build('1.4', 20)), 'Double');
    assert.equal(dateCellKind(build('1.4', 19)), 'Double');
    assert.equal(dateCellKind(build('1.4', 18)), 'FormattedNumber'); // Version 2208 to 2503
    assert.equal(dateCellKind(build('1.4', 16)), 'FormattedNumber');
    assert.equal(dateCellKind(build('1.4', 15)), 'serial');
    assert.equal(dateCellKind(build('1.3', 19)), 'serial'); // no formatted numbers from functions at all
  });
});

describe('1904 workbooks', () => {
  function recordingContext() {
    const consumptionCalls: ConsumptionRequest[] = [];
    const readingsCalls: ReadingsRequest[] = [];
    const records: NdjsonRecord[] = [
      { source: { id: 'R101', name: 'Main', unit: 'kWh', periodType: 'day', format: 'standard', startTime: '', endTime: '', expectedCount: 1 } },
      { id: 'R101', timestamp: '2024-04-01T00:00:00Z', value: 5, status: 0 },
      { end: { sources: 1, readings: 1 } },
    ];
    const ctx: fns.FunctionsContext = {
      session: { isSignedIn: true },
      consumption: new ConsumptionMemo({
        async batch(requests) {
          consumptionCalls.push(...requests);
          return requests.map(() => ({
            result: { id: 'R101', name: 'x', unit: 'kWh', start: '', end: '', consumption: 1, periods: 1, interpolated: 0, resets: 0, missing: 0 },
          }));
        },
      }),
      api: {
        sources: async () => [],
        readings: async function* (request) {
          readingsCalls.push(request);
          yield* records;
        },
      },
      defaultTimeZone: () => 'UTC',
      dateSystem: async () => 1904,
    };
    return { ctx, consumptionCalls, readingsCalls };
  }

  it('reads a date cell of a 1904 workbook as the date it shows', async () => {
    const { ctx, consumptionCalls } = recordingContext();
    await fns.consumption(ctx, 'R101', APRIL_1_1904, APRIL_1_1904 + 29, null);
    assert.deepEqual(
      consumptionCalls.map((c) => [c.start, c.lastDay ?? c.end]),
      [['2024-04-01', '2024-04-30']],
    );
  });

  it('spills bare serials where Excel cannot take formatted numbers from functions (before CustomFunctionsRuntime 1.4)', async () => {
    const { ctx } = recordingContext();
    const table = await fns.readings({ ...ctx, dateCellKind: () => 'serial' }, 'R101', APRIL_1_1904, APRIL_1_1904, 'day', 'timeZone=UTC');
    assert.equal(table[1][0], APRIL_1_1904);
  });

  it('spills FormattedNumber dates on builds with ExcelApi 1.16 to 1.18, where a Double keeps no number format', async () => {
    const { ctx } = recordingContext();
    const table = await fns.readings({ ...ctx, dateCellKind: () => 'FormattedNumber' }, 'R101', APRIL_1_1904, APRIL_1_1904, 'day', 'timeZone=UTC');
    assert.deepEqual(table[1][0], { type: 'FormattedNumber', basicValue: APRIL_1_1904, numberFormat: 'yyyy-mm-dd' });
  });

  it('spills dates a 1904 workbook shows correctly', async () => {
    const { ctx, readingsCalls } = recordingContext();
    const table = await fns.readings(ctx, 'R101', APRIL_1_1904, APRIL_1_1904, 'day', 'timeZone=UTC');
    assert.equal(readingsCalls[0].start, '2024-04-01T00:00:00');
    assert.deepEqual(table[1][0], { type: 'Double', basicValue: APRIL_1_1904, numberFormat: 'yyyy-mm-dd' });
  });
});
