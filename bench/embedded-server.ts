/**
 * What the benches that measure the server against "one pull of each source" share: the server
 * with its embedded simulator in this process (so DCS calls are counted), signed in as the demo
 * account, and that one pull, as readings CSV.
 */
import type { Source } from '../server/api/types';
import type { ServerConfig } from '../server/config';
import { startServer, type StartedServer } from '../server/server';

export interface BenchServer {
  server: StartedServer;
  /** DCS calls the simulator has answered so far. */
  dcsCalls: () => number;
  /** The demo account's Authorization header. */
  auth: { Authorization: string };
  sources: Source[];
}

/**
 * Starts the server on a free port with its simulator (given `simulator` options, such as a larger
 * estate) and a DCS call budget no bench reaches, and lists the sources.
 */
export async function startBenchServer(simulator?: ServerConfig['simulator']): Promise<BenchServer> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    https: false,
    logLevel: 'warn',
    dcsCallBudget: 1_000_000,
    ...(simulator ? { simulator } : {}),
  });
  try {
    const embedded = server.simulator;
    if (!embedded) throw new Error('the bench needs the embedded simulator');
    const auth = { Authorization: `Basic ${Buffer.from('demo:demo').toString('base64')}` };
    const sources = (await (await fetch(`${server.url}/api/sources`, { headers: auth })).json()) as Source[];
    return { server, dcsCalls: () => embedded.requestCount, auth, sources };
  } catch (error) {
    await server.close();
    throw error;
  }
}

/**
 * Pulls each group's sources once over `span` (query parameters: start, end, timeZone) as
 * readings CSV, 50 ids a request, each group in its format: the yardstick the benches compare with.
 */
export async function pullEachOnce(
  bench: BenchServer,
  groups: ReadonlyArray<readonly [ids: readonly string[], format: 'complete' | 'standard']>,
  span: string,
): Promise<{ seconds: number; dcsCalls: number }> {
  const before = bench.dcsCalls();
  const started = performance.now();
  for (const [group, format] of groups) {
    for (let i = 0; i < group.length; i += 50) {
      const query = `id=${group.slice(i, i + 50).join(',')}&${span}&format=${format}&output=csv`;
      const answer = await fetch(`${bench.server.url}/api/readings?${query}`, { headers: bench.auth });
      if (answer.status !== 200) throw new Error(`readings answered ${answer.status}: ${(await answer.text()).slice(0, 300)}`);
      await answer.arrayBuffer();
    }
  }
  return { seconds: (performance.now() - started) / 1000, dcsCalls: bench.dcsCalls() - before };
}
