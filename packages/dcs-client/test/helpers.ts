/**
 * Shared set-up for the DCS client's behaviour tests: a simulator on a free loopback port, and
 * clients with short timeouts and back-offs so that failure paths run in milliseconds.
 */
import { DcsClient } from '../src';
import type { AnyReading, DcsClientOptions, ReadingsStream, RetryOptions } from '../src';
import { startSimulator, DEMO_FEATURES, demoFeatures, type RunningSimulator, type SimulatorOptions } from 'dcs-simulator';

export { DEMO_FEATURES, demoFeatures };

/** Retry options with a 1 ms first back-off (so retries cost nothing), plus any given. */
export function fastRetry(extra: RetryOptions = {}): RetryOptions {
  return { ...extra, backoff: { initialMs: 1, ...extra.backoff } };
}

/** Options that keep failure paths fast in tests. */
export const FAST: Partial<DcsClientOptions> = {
  retry: fastRetry(),
  timeoutMs: 5_000,
  idleTimeoutMs: 5_000,
  connectTimeoutMs: 2_000,
};

export const ELECTRICITY = `R${DEMO_FEATURES.electricityRegisterId}`;

/**
 * Runs `body` with a fresh simulator, closing it afterwards. The data clock is fixed so that the
 * demo's features (in the previous calendar year) sit at known dates: 2025.
 */
export async function withSimulator<T>(options: SimulatorOptions, body: (sim: RunningSimulator) => Promise<T>): Promise<T> {
  const sim = await startSimulator({ now: () => new Date('2026-06-15T12:00:00Z'), ...options });
  try {
    return await body(sim);
  } finally {
    await sim.close();
  }
}

export function demoClient(sim: RunningSimulator, extra: Partial<DcsClientOptions> = {}): DcsClient {
  return new DcsClient({ url: sim.url, username: 'demo', password: 'demo', ...FAST, ...extra, retry: fastRetry(extra.retry) });
}

export function publicClient(sim: RunningSimulator, extra: Partial<DcsClientOptions> = {}): DcsClient {
  return new DcsClient({ url: sim.url, ...FAST, ...extra, retry: fastRetry(extra.retry) });
}

/** Every reading of a stream, in order. */
export async function collect<R extends AnyReading>(stream: ReadingsStream<R>): Promise<R[]> {
  const out: R[] = [];
  for await (const reading of stream) out.push(reading);
  return out;
}

/** Readings as comparable plain values (NaN and infinities kept distinct). */
export function plain(readings: readonly AnyReading[]): string[] {
  return readings.map((r) =>
    JSON.stringify({ ...r, timestamp: r.timestamp.toISOString() }, (_k, v: unknown) => (typeof v === 'number' && !Number.isFinite(v) ? String(v) : v)),
  );
}

/** The number of requests `body` makes to the simulator. */
export async function countRequests(sim: RunningSimulator, body: () => Promise<unknown>): Promise<number> {
  const before = sim.requestCount;
  await body();
  return sim.requestCount - before;
}

export const iso = (d: Date): string => d.toISOString().replace('.000Z', 'Z');
