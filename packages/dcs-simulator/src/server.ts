/**
 * The simulated DCS Web API over node:http: the request pipeline (injected faults, routing, rate
 * limits, then the route) and the listening server. Behaves as a real DCS server does (see
 * shared docs: dcs-web-api.md) so that any DCS client works against it. The routes live in
 * `session-routes.ts` and `query-routes.ts`.
 */

import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import { createEndpointLimits } from './endpoint-limits';
import { DcsRefusal } from './errors';
import { validateFaults } from './fault-injector';
import { createListing, readings } from './query-routes';
import { sendError, sendJson } from './respond';
import { resolveRoute } from './routes';
import { callerOf, signIn, signOut } from './session-routes';
import { createSimulatorState, SimulatorState } from './simulator-state';
import { RunningSimulator, SimulatorOptions } from './types';

export { COOKIE_NAME, APP_VERSION } from './session-routes';

function validateOptions(options: SimulatorOptions): void {
  const positive = (name: string, value: number | undefined, allowZero: boolean): void => {
    if (value === undefined) return;
    if (!Number.isFinite(value) || value < 0 || (!allowZero && value === 0)) {
      throw new RangeError(`Simulator option ${name} must be a ${allowZero ? 'non-negative' : 'positive'} number (got ${value}).`);
    }
  };
  positive('rangeLimitDays', options.rangeLimitDays, true);
  positive('sessionTtlSeconds', options.sessionTtlSeconds, false);
  if (options.rateLimit) {
    positive('rateLimit.requests', options.rateLimit.requests, false);
    positive('rateLimit.periodSeconds', options.rateLimit.periodSeconds, false);
  }
  validateFaults(options.faults ?? {});
  // extraBuildings is checked where the estate is built (extra-buildings.ts), before anything listens.
}

type Handler = (req: IncomingMessage, res: ServerResponse) => Promise<void>;

/** One request through the pipeline: faults, route, rate limit, then sessions or a query. */
function createHandler(state: SimulatorState): Handler {
  const publicMode = state.options.publicMode ?? true;
  const limits = createEndpointLimits(state.options.rateLimit);
  const listing = createListing(state.estate);
  return async (req, res) => {
    const url = new URL(req.url ?? '/', 'http://simulator');
    await state.faults.beforeRequest(req);
    const route = resolveRoute(req, url, publicMode);
    const headers = limits.admit(req, route.endpoint);
    switch (route.name) {
      case 'signin':
        return signIn(req, res, state, headers);
      case 'signout':
        return signOut(req, res, state, headers);
    }
    req.resume();
    const account = callerOf(req, route.endpoint, state.sessions);
    switch (route.name) {
      case 'meters':
      case 'virtualMeters':
        return sendJson(req, res, 200, listing(account, route.name), headers);
      case 'readings':
        return readings(req, res, state, account, url, headers);
    }
  };
}

/** A refusal is answered as DCS answers it; anything else is a 500, or a cut if the body had begun. */
function answerFailure(req: IncomingMessage, res: ServerResponse, err: unknown): void {
  if (res.headersSent) {
    res.destroy(err instanceof Error ? err : undefined);
    return;
  }
  const error = err instanceof DcsRefusal ? err : new DcsRefusal(500, `Internal simulator error: ${err instanceof Error ? err.message : String(err)}`);
  sendError(req, res, error);
}

/** Listens; the url it listens on and a close that also ends kept-alive connections. */
async function listen(server: Server, options: SimulatorOptions): Promise<{ url: string; close: () => Promise<void> }> {
  const sockets = new Set<Socket>();
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  return {
    url: `http://${host}:${address.port}/`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const socket of sockets) socket.destroy();
      }),
  };
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  validateOptions(options);
  const state = createSimulatorState(options);
  const handle = createHandler(state);
  let requestCount = 0;
  const server = createServer((req, res) => {
    requestCount++;
    handle(req, res).catch((err: unknown) => answerFailure(req, res, err));
  });
  const { url, close } = await listen(server, options);
  return {
    url,
    close,
    setFaults(next) {
      state.faults.replace(next);
    },
    expireAllSessions() {
      state.sessions.expireAll();
    },
    get requestCount() {
      return requestCount;
    },
  };
}
