/**
 * Starting and stopping the whole server: configuration, the embedded simulator when no DCS is
 * configured, TLS, the session store and the Express app. Used by `main.ts` (npm start) and by
 * every HTTP-level test.
 */
import { hkdfSync } from 'node:crypto';
import * as http from 'node:http';
import * as https from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import { createApp } from './app';
import { resolveConfig, type ServerConfig } from './config';
import type { AppContext } from './http/context';
import { dcsClientFactory, logRequestPolicy } from './dcs-settings';
import { RequestsInProgress } from './http/requests-in-progress';
import { createLogger, type Logger } from './http/logger';
import { SessionStore } from './http/sessions';
import { openSharedState, type SharedState } from './shared-state';
import { startSimulator, type RunningSimulator } from 'dcs-simulator';
import { openServerStore } from './store-setup';
import { openGroupStore } from './groups';
import type { GroupStore } from './groups/store';
import { loadTls, type TlsMaterial } from './tls';

export interface StartedServer {
  /** Root URL without a trailing slash, e.g. `http://127.0.0.1:41234`. */
  url: string;
  close(): Promise<void>;
  config: ServerConfig;
  /** The embedded simulator, when no DCS_URL was configured. */
  simulator?: RunningSimulator;
  /** The TLS material in use (HTTPS only). */
  tls?: TlsMaterial;
  /** The DCS Web API root in use (the simulator's when embedded). */
  dcsUrl: string;
  /** What the routers share: configuration, sessions, logger (for tests and tools). */
  context: AppContext;
}

/** How long shutdown waits for DCS sign-outs before giving up on them. */
const SIGN_OUT_GRACE_MS = 3000;

/** How long an idle keep-alive connection is kept open for its client to reuse (see createServer below). */
const KEEP_ALIVE_TIMEOUT_MS = 65_000;

/**
 * Starts the server. Overrides are merged over the defaults (not over the environment: use
 * `loadConfig()` for that). With no `dcsUrl`, an embedded simulator is started in-process on
 * a free loopback port, with `overrides.simulator` as its options.
 */
export async function startServer(overrides: Partial<ServerConfig> = {}): Promise<StartedServer> {
  const config = resolveConfig(overrides);
  const logger = createLogger(config.logLevel, config.logSink);
  for (const warning of config.warnings ?? []) logger.warn('deprecated setting', { detail: warning });
  const now = config.now ?? Date.now;

  const tls = config.https ? await loadTls(config) : undefined;
  const simulator = config.dcsUrl === undefined ? await startSimulator({ host: '127.0.0.1', port: 0, ...config.simulator }) : undefined;
  const dcsUrl = config.dcsUrl ?? simulator!.url;
  let shared: SharedState | undefined;
  try {
    shared = await openShared(config, logger);
  } catch (error) {
    await simulator?.close();
    throw error;
  }

  const clients = dcsClientFactory(config, dcsUrl, { ...(shared ? { endpoints: shared } : {}), hooks: logRequestPolicy(logger) });
  const sessions = new SessionStore({
    ...(shared ? { shared, basicKey: basicKeyFrom(config.sessionEncryptionKey!) } : {}),
    sessionTtl: config.sessionTtl,
    newClient: clients,
    signInLimit: config.signInLimit,
    ...(config.signInWindowSeconds !== undefined ? { signInWindowSeconds: config.signInWindowSeconds } : {}),
    maxSessionsPerUser: config.maxSessionsPerUser,
    maxSessions: config.maxSessions,
    logger,
    now,
  });
  let store: Awaited<ReturnType<typeof openServerStore>>;
  let groups: GroupStore;
  try {
    store = await openServerStore(config, logger, clients);
    groups = await openGroupStore(config, (error) => logger.warn('groups database trouble', { error: error.message })).catch(async (error: unknown) => {
      await store?.close();
      throw error;
    });
  } catch (error) {
    await sessions.close();
    await simulator?.close();
    throw error;
  }
  const ctx: AppContext = {
    config,
    sessions,
    logger,
    dcsUrl,
    simulator: simulator !== undefined,
    readingsStore: store?.readings,
    groups,
    requestsInProgress: new RequestsInProgress(),
  };
  const app = createApp(ctx);
  const server = tls ? https.createServer({ cert: tls.cert, key: tls.key }, app) : http.createServer(app);
  // Streams of readings can take minutes; the request timeout must not cut them.
  server.requestTimeout = 0;
  // The client (a browser, a proxy's pool, Node's fetch) retires an idle connection, never this
  // server: with Node's 5 s default, a connection reused at the moment the server's timer closes
  // it (likelier when the event loop lags under many large batches) is reset, and a POST on it
  // fails ("other side closed", ECONNRESET). 65 s outlives common pools and proxies (60 s).
  server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
  // Above keepAliveTimeout, so a reused connection's next headers are not judged late.
  server.headersTimeout = KEEP_ALIVE_TIMEOUT_MS + 5_000;
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });

  try {
    await listen(server, config.port, config.host);
  } catch (error) {
    await store?.close();
    await groups.close();
    await sessions.close();
    await shared?.close();
    await simulator?.close();
    throw error;
  }
  const { port } = server.address() as AddressInfo;
  const url = `${tls ? 'https' : 'http'}://${urlHost(config.host)}:${port}`;
  ctx.listeningUrl = url;
  if (config.publicUrl === undefined && (config.host === '0.0.0.0' || config.host === '::' || config.host === '')) {
    logger.warn(
      'PUBLIC_URL is not set: links in OData answers name this machine as ' +
        url +
        ', which other machines cannot reach; set PUBLIC_URL to the address they use',
    );
  }
  logger.info('server listening', { url, dcsUrl, simulator: simulator !== undefined, publicAccess: config.dcsPublicAccess, sharedState: shared !== undefined });

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= (async () => {
      const stopped = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeIdleConnections();
      for (const socket of sockets) socket.destroy();
      await stopped;
      await Promise.race([sessions.close(), delay(SIGN_OUT_GRACE_MS)]);
      await store?.close();
      await groups.close();
      await shared?.close().catch((error: unknown) => logger.warn('closing the Redis connection failed', { error }));
      await simulator?.close();
      logger.info('server stopped', { url });
    })();
    return closing;
  };

  return { url, close, config, simulator, tls, dcsUrl, context: ctx };
}

/** The shared state when REDIS_URL is set (config has checked the key); rejects saying what to fix. */
async function openShared(config: ServerConfig, logger: Logger): Promise<SharedState | undefined> {
  if (config.redisUrl === undefined) return undefined;
  return openSharedState({
    redisUrl: config.redisUrl,
    sessionEncryptionKey: config.sessionEncryptionKey!,
    lockLeaseMs: config.sessionLockLeaseMs,
    commandTimeoutMs: config.redisTimeout * 1000,
    onError: (error) => logger.warn('shared state (Redis) trouble', { error: error.message }),
  });
}

/** The HMAC key naming Basic credentials: the same on every instance, and not the cookie key itself. */
function basicKeyFrom(sessionEncryptionKey: string): Buffer {
  return Buffer.from(hkdfSync('sha256', sessionEncryptionKey.trim(), Buffer.alloc(0), 'dcs-excel basic credentials', 32));
}

function listen(server: http.Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error): void => reject(error);
    server.once('error', onError);
    server.listen(port, host, () => {
      server.off('error', onError);
      resolve();
    });
  });
}

/** A host for URLs: wildcard addresses become loopback, IPv6 gets brackets. */
function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}
