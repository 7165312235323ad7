import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { DcsQueryError, type PeriodType } from '../src';
import { ELECTRICITY, collect, countRequests, demoClient, iso, plain, withSimulator } from './helpers';

interface Case {
  periodType: PeriodType;
  start: string;
  end: string;
  maxWindowDays: number;
  windows: number;
  readings: number;
}

// Each span is pulled in windows and as one request; the two must agree reading for reading.
const CASES: Case[] = [
  { periodType: 'halfHour', start: '2024-02-27', end: '2024-03-03', maxWindowDays: 1.5, windows: 4, readings: 5 * 48 }, // over a leap day
  { periodType: 'hour', start: '2025-03-29', end: '2025-04-02', maxWindowDays: 1, windows: 4, readings: 4 * 24 },
  { periodType: 'day', start: '2023-12-01', end: '2025-03-01', maxWindowDays: 100, windows: 5, readings: 456 },
  { periodType: 'week', start: '2024-01-01', end: '2025-01-06', maxWindowDays: 30, windows: 14, readings: 53 }, // Mondays; 4 weeks per window
  { periodType: 'month', start: '2023-01-01', end: '2025-04-01', maxWindowDays: 92, windows: 9, readings: 27 }, // calendar quarters: 90/91 to 92 days
];

describe('largeReadings', () => {
  for (const c of CASES) {
    it(`${c.periodType}: the fewest windows, contiguous, no reading lost or repeated at an edge`, async () => {
      await withSimulator({}, async (sim) => {
        const client = demoClient(sim);
        await client.meters();
        const query = { id: ELECTRICITY, start: c.start, end: c.end, periodType: c.periodType };
        const single = await client.readings(query);
        const windows: { start: string; end: string }[] = [];
        let stream: Awaited<ReturnType<typeof client.largeReadings>> | undefined;
        let readings: unknown[] = [];
        const requests = await countRequests(sim, async () => {
          stream = await client.largeReadings(query, {
            maxWindowDays: c.maxWindowDays,
            onWindow: (w) => windows.push({ start: iso(w.start), end: iso(w.end) }),
          });
          readings = await collect(stream);
        });
        assert.equal(windows.length, c.windows);
        assert.equal(requests, c.windows, 'one request per window');
        assert.equal(windows[0].start, iso(new Date(c.start)));
        assert.equal(windows[windows.length - 1].end, iso(new Date(c.end)));
        for (let i = 1; i < windows.length; i++) assert.equal(windows[i].start, windows[i - 1].end, 'windows are contiguous');
        assert.equal(single.readings.length, c.readings);
        assert.deepEqual(plain(readings as typeof single.readings), plain(single.readings));
        assert.equal(iso(stream!.header.startTime), iso(new Date(c.start)));
        assert.equal(iso(stream!.header.endTime), iso(new Date(c.end)));
        assert.equal(stream!.header.periodType, c.periodType);
      });
    });
  }

  it('asks for months as calendar months: January, then a leap February, then March', async () => {
    await withSimulator({}, async (sim) => {
      const windows: string[] = [];
      const stream = await demoClient(sim).largeReadings(
        { id: ELECTRICITY, start: '2024-01-01', end: '2024-04-01', periodType: 'month' },
        { maxWindowDays: 31, onWindow: (w) => windows.push(`${iso(w.start)}/${iso(w.end)}`) },
      );
      assert.deepEqual(
        (await collect(stream)).map((r) => iso(r.timestamp)),
        ['2024-01-01T00:00:00Z', '2024-02-01T00:00:00Z', '2024-03-01T00:00:00Z'],
      );
      assert.deepEqual(windows, [
        '2024-01-01T00:00:00Z/2024-02-01T00:00:00Z',
        '2024-02-01T00:00:00Z/2024-03-01T00:00:00Z',
        '2024-03-01T00:00:00Z/2024-04-01T00:00:00Z',
      ]);
    });
  });

  it('uses one window when the span fits the default 365 days', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      await client.meters();
      const requests = await countRequests(sim, async () => {
        const readings = await collect(await client.largeReadings({ id: ELECTRICITY, start: '2024-03-01', end: '2025-03-01' }));
        assert.equal(readings.length, 365 * 48);
      });
      assert.equal(requests, 1);
    });
  });

  it('swaps a reversed start and end', async () => {
    await withSimulator({}, async (sim) => {
      const stream = await demoClient(sim).largeReadings({ id: ELECTRICITY, start: '2025-02-01', end: '2025-01-01', periodType: 'day' });
      assert.equal(iso(stream.header.startTime), '2025-01-01T00:00:00Z');
      const readings = await collect(stream);
      assert.equal(readings.length, 31);
      assert.equal(iso(readings[0].timestamp), '2025-01-01T00:00:00Z');
    });
  });

  it('refuses a span that is not aligned to the period type, saying how to align it, before sending anything', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const requests = await countRequests(sim, async () => {
        await assert.rejects(
          client.largeReadings({ id: ELECTRICITY, start: '2024-03-05', end: '2024-09-01', periodType: 'month' }),
          (error: unknown) =>
            error instanceof DcsQueryError && /start 2024-03-05T00:00:00Z is not the start of a month; use 2024-03-01T00:00:00Z/.test(error.message),
        );
        await assert.rejects(
          client.largeReadings({ id: ELECTRICITY, start: '2024-01-01', end: '2024-03-06', periodType: 'week' }),
          /end 2024-03-06T00:00:00Z is not the start of a week .* use 2024-03-11T00:00:00Z/,
        );
        await assert.rejects(client.largeReadings({ id: ELECTRICITY, start: '2024-01-01', end: undefined as never }), /needs both start and end/);
        await assert.rejects(client.largeReadings({ id: ELECTRICITY, start: '2024-01-01', end: '2024-02-01', periodCount: 3 }), /leave periodCount out/);
      });
      assert.equal(requests, 0);
    });
  });

  it('streams the complete format across windows', async () => {
    await withSimulator({}, async (sim) => {
      const client = demoClient(sim);
      const query = { id: ELECTRICITY, start: '2025-01-01', end: '2025-01-05', format: 'complete' as const };
      const single = await client.readings(query);
      const windowed = await collect(await client.largeReadings(query, { maxWindowDays: 1 }));
      assert.deepEqual(plain(windowed), plain(single.readings));
      assert.ok(windowed.every((r) => 'totalValue' in r && 'periodValue' in r));
    });
  });
});
