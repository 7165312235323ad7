/**
 * The simulated DCS Web API over node:http: routing, authentication, restrictions, rate
 * limits and injected faults. Behaves as a real DCS server does (see
 * shared docs: dcs-web-api.md) so that any DCS client works against it.
 */

import { createServer, IncomingMessage, ServerResponse } from 'node:http';
import { AddressInfo, Socket } from 'node:net';
import {
  Account,
  canSeeMeter,
  canSeeRegister,
  canSeeVirtualMeter,
  demoAccounts,
  PUBLIC_ACCOUNT,
  SessionStore,
} from './accounts';
import { DEMO_FEATURES, estate } from './demo';
import { DcsRefusal } from './errors';
import { EstateData } from './estate-data';
import { demoFeatureDates } from './features';
import { precomputeProfiles } from './profiles';
import { RateLimiter } from './rate-limit';
import { ReadingsBody } from './readings-body';
import { parseReadingsQuery, ReadingsSource } from './readings-query';
import { sendError, sendJson, streamJson } from './respond';
import { DATA_START_MS, DAY_MS } from './time';
import { Faults, RunningSimulator, SimulatorOptions } from './types';
import { WireMeter } from './wire';

/** DCS's cookie name; real servers may add a suffix, so clients match on this prefix. */
export const COOKIE_NAME = 'COHERENT-DCS-API';
export const APP_VERSION = '3.9.0-simulator';

type Endpoint = 'authenticated' | 'public';
type RouteName = 'signin' | 'signout' | 'meters' | 'virtualMeters' | 'readings';

interface Route {
  name: RouteName;
  endpoint: Endpoint;
  method: 'GET' | 'POST';
}

/** Paths are matched case-insensitively, as on the IIS-hosted original. */
const ROUTES = new Map<string, Route>([
  ['/authentication/signin', { name: 'signin', endpoint: 'authenticated', method: 'POST' }],
  ['/authentication/signout', { name: 'signout', endpoint: 'authenticated', method: 'POST' }],
  ['/meters', { name: 'meters', endpoint: 'authenticated', method: 'GET' }],
  ['/virtualmeters', { name: 'virtualMeters', endpoint: 'authenticated', method: 'GET' }],
  ['/readings', { name: 'readings', endpoint: 'authenticated', method: 'GET' }],
  ['/public/meters', { name: 'meters', endpoint: 'public', method: 'GET' }],
  ['/public/virtualmeters', { name: 'virtualMeters', endpoint: 'public', method: 'GET' }],
  ['/public/readings', { name: 'readings', endpoint: 'public', method: 'GET' }],
]);

const MAX_SIGNIN_BODY = 64 * 1024;

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
}

function validateFaults(faults: Faults): void {
  for (const name of ['latencyMs', 'failEveryNth', 'cutEveryNth'] as const) {
    const value = faults[name];
    if (value !== undefined && (!Number.isFinite(value) || value < 0)) {
      throw new RangeError(`Fault ${name} must be a non-negative number (got ${value}).`);
    }
  }
  if (faults.failStatus !== undefined && !(Number.isInteger(faults.failStatus) && faults.failStatus >= 400 && faults.failStatus <= 599)) {
    throw new RangeError(`Fault failStatus must be an HTTP error status 400-599 (got ${faults.failStatus}).`);
  }
}

function readCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === COOKIE_NAME) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SIGNIN_BODY) {
        reject(new DcsRefusal(413, `The request body is larger than ${MAX_SIGNIN_BODY} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function sourceLabel(source: ReadingsSource): string {
  return source.kind === 'register' ? `register ${source.id} (${source.name})` : `virtual meter ${source.id} (${source.name})`;
}

export async function startSimulator(options: SimulatorOptions = {}): Promise<RunningSimulator> {
  validateOptions(options);
  const clock = options.now ?? (() => new Date());
  const dates = demoFeatureDates(clock());
  const theEstate = estate();
  const data = new EstateData(theEstate, DEMO_FEATURES, dates);
  precomputeProfiles(Math.ceil((clock().getTime() - DATA_START_MS) / DAY_MS) + 1);
  const accounts = demoAccounts(dates.accountExpiry);
  const sessions = new SessionStore(options.sessionTtlSeconds);
  const publicMode = options.publicMode ?? true;
  const limiters = new Map<Endpoint, RateLimiter>();
  if (options.rateLimit) {
    limiters.set('authenticated', new RateLimiter(options.rateLimit.requests, options.rateLimit.periodSeconds));
    limiters.set('public', new RateLimiter(options.rateLimit.requests, options.rateLimit.periodSeconds));
  }

  let faults: Faults = { ...(options.faults ?? {}) };
  let requestCount = 0;
  let faultCalls = 0;
  let readingsCalls = 0;
  const listingCache = new Map<string, string>();

  const listing = (account: Account, what: 'meters' | 'virtualMeters'): string => {
    const key = `${what}:${account.username}`;
    let json = listingCache.get(key);
    if (json === undefined) {
      const items: unknown[] =
        what === 'meters'
          ? theEstate.meters.filter((m: WireMeter) => canSeeMeter(account, theEstate, m.id))
          : theEstate.virtualMeters.filter((vm) => canSeeVirtualMeter(account, theEstate, vm.id));
      json = JSON.stringify(items);
      listingCache.set(key, json);
    }
    return json;
  };

  /** The account a query runs as, or a DcsRefusal (401 / 403). */
  const caller = (req: IncomingMessage, endpoint: Endpoint): Account => {
    if (endpoint === 'public') return PUBLIC_ACCOUNT;
    const found = sessions.lookup(readCookie(req));
    if (found === undefined) {
      throw new DcsRefusal(401, `Not signed in: POST your username and password to /authentication/signin and send the ${COOKIE_NAME} cookie it returns with every request.`);
    }
    if ('expired' in found) {
      throw new DcsRefusal(401, 'Your session has expired: sign in again at /authentication/signin.');
    }
    const account = found.account;
    if (account.expiredOn !== undefined) {
      throw new DcsRefusal(403, `The DCS account "${account.username}" expired on ${account.expiredOn.slice(0, 10)}: ask your DCS administrator to extend it.`);
    }
    return account;
  };

  const signIn = async (req: IncomingMessage, res: ServerResponse, headers: Record<string, string | string[]>): Promise<void> => {
    const text = await readBody(req);
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new DcsRefusal(400, 'The sign-in body must be JSON: {"username": "...", "password": "..."}.');
    }
    const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
    if (typeof username !== 'string' || typeof password !== 'string' || username === '') {
      throw new DcsRefusal(400, 'The sign-in body must give a username and a password as strings: {"username": "...", "password": "..."}.');
    }
    const account = accounts.find((a) => a.username.toLowerCase() === username.toLowerCase() && a.password === password);
    if (!account) throw new DcsRefusal(401, 'Sign-in failed: the username or password is incorrect.');
    const session = sessions.create(account);
    const expires = Number.isFinite(session.expiresAt) ? `; expires=${new Date(session.expiresAt).toUTCString()}` : '';
    sendJson(req, res, 200, JSON.stringify({ username: account.username, role: account.role, appVersion: APP_VERSION }), {
      ...headers,
      'Set-Cookie': `${COOKIE_NAME}=${session.token}${expires}; path=/; samesite=lax; httponly`,
    });
  };

  const signOut = (req: IncomingMessage, res: ServerResponse, headers: Record<string, string | string[]>): void => {
    sessions.revoke(readCookie(req));
    req.resume();
    res.writeHead(204, {
      ...headers,
      'Set-Cookie': `${COOKIE_NAME}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; samesite=lax; httponly`,
    });
    res.end();
  };

  const readings = (req: IncomingMessage, res: ServerResponse, account: Account, url: URL, headers: Record<string, string | string[]>): void => {
    const request = parseReadingsQuery(url.searchParams, data, {
      rangeLimitDays: options.rangeLimitDays,
      checkAccess(source) {
        const allowed = source.kind === 'register' ? canSeeRegister(account, theEstate, source.id) : canSeeVirtualMeter(account, theEstate, source.id);
        if (!allowed) {
          throw new DcsRefusal(403, `The meter restriction profile of "${account.username}" does not allow access to ${sourceLabel(source)}.`);
        }
      },
    });
    readingsCalls++;
    const cut = faults.cutEveryNth !== undefined && faults.cutEveryNth > 0 && readingsCalls % faults.cutEveryNth === 0;
    streamJson(req, res, new ReadingsBody(request, clock().getTime()), { headers, cut });
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    requestCount++;
    const url = new URL(req.url ?? '/', 'http://simulator');
    if (faults.latencyMs) await new Promise((resolve) => setTimeout(resolve, faults.latencyMs));
    if (faults.failEveryNth && faults.failEveryNth > 0 && ++faultCalls % faults.failEveryNth === 0) {
      const status = faults.failStatus ?? 503;
      req.resume();
      throw new DcsRefusal(status, `Simulated fault: this server answers every ${faults.failEveryNth}th request with ${status}.`);
    }
    const path = url.pathname.toLowerCase().replace(/\/+$/, '') || '/';
    const route = ROUTES.get(path);
    if (!route) {
      req.resume();
      throw new DcsRefusal(404, `No such endpoint: ${req.method} ${url.pathname}. The DCS Web API offers /authentication/signin, /authentication/signout, /meters, /virtualMeters, /readings and their /public/... forms.`);
    }
    if (req.method !== route.method) {
      req.resume();
      throw new DcsRefusal(405, `${url.pathname} accepts ${route.method} only (got ${req.method}).`, {}, { Allow: route.method });
    }
    if (route.endpoint === 'public' && !publicMode) {
      req.resume();
      throw new DcsRefusal(404, 'The unauthenticated (public) endpoint is not enabled on this server: sign in at /authentication/signin and use the authenticated endpoint.');
    }
    let headers: Record<string, string | string[]> = {};
    const limiter = limiters.get(route.endpoint);
    if (limiter) {
      const decision = limiter.take();
      if (!decision.allowed) {
        req.resume();
        throw new DcsRefusal(
          429,
          `Rate limit exceeded: this endpoint allows ${options.rateLimit?.requests} requests per ${options.rateLimit?.periodSeconds} s, shared by all users. Retry after ${decision.retryAfterSeconds} s.`,
          { backOffSuggestion: decision.retryAfterSeconds },
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
      }
      headers = decision.headers;
    }
    switch (route.name) {
      case 'signin':
        return signIn(req, res, headers);
      case 'signout':
        return signOut(req, res, headers);
    }
    req.resume();
    const account = caller(req, route.endpoint);
    switch (route.name) {
      case 'meters':
      case 'virtualMeters':
        return sendJson(req, res, 200, listing(account, route.name), headers);
      case 'readings':
        return readings(req, res, account, url, headers);
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => {
      if (res.headersSent) {
        res.destroy(err instanceof Error ? err : undefined);
        return;
      }
      const error = err instanceof DcsRefusal ? err : new DcsRefusal(500, `Internal simulator error: ${err instanceof Error ? err.message : String(err)}`);
      sendError(req, res, error);
    });
  });
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
    setFaults(next: Faults) {
      validateFaults(next);
      faults = { ...next };
      faultCalls = 0;
      readingsCalls = 0;
    },
    expireAllSessions() {
      sessions.expireAll();
    },
    get requestCount() {
      return requestCount;
    },
  };
}
