/**
 * Throwaway Redis and PostgreSQL servers for tests: Debian's `redis-server` and `postgresql`
 * binaries, each started on a free loopback port in its own temporary directory and removed
 * again by `stop()`. When a binary is missing, `skipWithoutRedis()` / `skipWithoutPostgres()`
 * skip the suite with a warning saying what to install, except on CI, where a skipped suite
 * would pass unnoticed: there the test file fails instead (`.ci/run` installs both).
 *
 * PostgreSQL refuses to run as root, so as root the server is run as the `postgres` user
 * (`runuser -u postgres --`), owning its temporary directory.
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';
import { test } from 'node:test';
import { promisify } from 'node:util';

const run = promisify(execFile);

export interface RunningService {
  /** Connection URL: `redis://127.0.0.1:PORT` or `postgres://postgres@127.0.0.1:PORT/postgres`. */
  url: string;
  port: number;
  /** The server's process id, for Redis and PostgreSQL (tests freeze or kill it). */
  pid?: number;
  stop(): Promise<void>;
}

const REDIS_BINARY = '/usr/bin/redis-server';
const NGINX_BINARY = '/usr/sbin/nginx';

/** Why Redis tests cannot run here, or undefined when they can. */
function redisUnavailable(): string | undefined {
  return fs.existsSync(REDIS_BINARY)
    ? undefined
    : `redis-server not found at ${REDIS_BINARY}; install Debian's redis-server package (.ci/run does) to run this test`;
}

/** The newest PostgreSQL server binaries directory, e.g. /usr/lib/postgresql/15/bin. */
function postgresBinDir(): string | undefined {
  const root = '/usr/lib/postgresql';
  if (!fs.existsSync(root)) return undefined;
  const versions = fs
    .readdirSync(root)
    .filter((v) => /^\d+$/.test(v))
    .sort((a, b) => Number(b) - Number(a));
  const found = versions.map((v) => path.join(root, v, 'bin')).find((dir) => fs.existsSync(path.join(dir, 'pg_ctl')));
  return found;
}

const isRoot = process.getuid?.() === 0;

/** Why PostgreSQL tests cannot run here, or undefined when they can. */
function postgresUnavailable(): string | undefined {
  if (!postgresBinDir()) {
    return "PostgreSQL server binaries not found under /usr/lib/postgresql/<version>/bin; install Debian's postgresql package (.ci/run does) to run this test";
  }
  if (isRoot && !userExists('postgres')) return 'running as root but there is no postgres user to run PostgreSQL as';
  return undefined;
}

/** The `skip` option of a suite needing Redis; `testFile` is the test's `__filename`. */
export function skipWithoutRedis(testFile: string): string | false {
  return skipBecause(redisUnavailable(), testFile);
}

/** The `skip` option of a suite needing nginx (Debian's `nginx` package); `testFile` is the test's `__filename`. */
export function skipWithoutNginx(testFile: string): string | false {
  return skipBecause(fs.existsSync(NGINX_BINARY) ? undefined : `${NGINX_BINARY} is missing: install it (apt-get install -y nginx)`, testFile);
}

/** The `skip` option of a suite needing PostgreSQL; `testFile` is the test's `__filename`. */
export function skipWithoutPostgres(testFile: string): string | false {
  return skipBecause(postgresUnavailable(), testFile);
}

function skipBecause(reason: string | undefined, testFile: string): string | false {
  return reason === undefined ? false : skipSuite(path.basename(testFile), reason);
}

/**
 * The `skip` option of a suite that cannot run here for `reason` (a missing program or service):
 * on CI (`CI` set) the test file fails instead, since a skipped suite would pass unnoticed; elsewhere
 * a warning, and a skipped test in the suite's name so that the run's count of skipped tests shows
 * it (node:test does not count the tests of a skipped suite). The reason should say what to install.
 */
export function skipSuite(suite: string, reason: string): string {
  const message = `\n!!! ${reason}\n`;
  if (process.env.CI) throw new Error(message);
  console.warn(`${message}!!! Skipping ${suite} (it fails on CI).\n`);
  test(`${suite}: every test`, { skip: reason }, () => undefined);
  return reason;
}

function userExists(name: string): boolean {
  try {
    return fs
      .readFileSync('/etc/passwd', 'utf8')
      .split('\n')
      .some((line) => line.startsWith(`${name}:`));
  } catch {
    return false;
  }
}

/** A port free right now on 127.0.0.1 (another process could still take it: callers retry). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Resolves once something accepts connections on the port; rejects after `timeoutMs`. */
async function waitForPort(port: number, timeoutMs: number, exited: () => string | undefined): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, '127.0.0.1');
      socket.once('connect', () => {
        socket.destroy();
        resolve(true);
      });
      socket.once('error', () => resolve(false));
    });
    if (ok) return;
    const why = exited();
    if (why !== undefined) throw new Error(why);
    if (Date.now() > deadline) throw new Error(`nothing listened on port ${port} within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

/** Starts a private, non-persistent redis-server; retries on another port if one was taken meanwhile. */
/**
 * Starts a server program and waits until it listens on `port`; if it exits or never listens, it
 * is killed, its folder removed, and the error says what it printed.
 */
async function spawnListening(name: string, binary: string, args: string[], port: number, dir: string): Promise<ChildProcess> {
  const child = spawn(binary, args, { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const exited = (): string | undefined => (child.exitCode !== null || child.signalCode !== null ? `${name} exited at start: ${stderr.trim()}` : undefined);
  try {
    await waitForPort(port, 10_000, exited);
  } catch (error) {
    child.kill('SIGKILL');
    fs.rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  return child;
}

export async function startRedis(): Promise<RunningService> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await startRedisOnce(await freePort());
    } catch (error) {
      lastError = error;
    }
  }
  throw lastError;
}

async function startRedisOnce(port: number): Promise<RunningService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-redis-'));
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'no', '--daemonize', 'no', '--loglevel', 'warning'];
  const child = await spawnListening('redis-server', REDIS_BINARY, args, port, dir);
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    pid: child.pid!,
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const done = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await done;
  clearTimeout(timer);
}

/** Runs a PostgreSQL tool, as the postgres user when we are root (PostgreSQL refuses root). */
async function pgTool(bin: string, args: string[]): Promise<void> {
  const file = path.join(postgresBinDir() as string, bin);
  const [command, argv] = isRoot ? ['runuser', ['-u', 'postgres', '--', file, ...args]] : [file, args];
  await run(command, argv, { timeout: 60_000 });
}

/**
 * Creates a cluster in a temporary directory (trust authentication, loopback only, no fsync:
 * throwaway data) and starts it on a free port. The database is `postgres`, user `postgres`.
 */
export async function startPostgres(): Promise<RunningService> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-postgres-'));
  fs.chmodSync(dir, 0o755);
  const data = path.join(dir, 'data');
  if (isRoot) await run('chown', ['postgres:postgres', dir]);
  const remove = (): void => fs.rmSync(dir, { recursive: true, force: true });
  try {
    await pgTool('initdb', ['-D', data, '-U', 'postgres', '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  } catch (error) {
    remove();
    throw error;
  }
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off -c full_page_writes=off`;
    try {
      await pgTool('pg_ctl', ['-D', data, '-l', path.join(dir, 'log'), '-o', options, '-w', '-t', '60', 'start']);
    } catch (error) {
      lastError = error;
      continue;
    }
    return {
      url: `postgres://postgres@127.0.0.1:${port}/postgres`,
      port,
      // The postmaster's pid is the first line of postmaster.pid.
      pid: Number(fs.readFileSync(path.join(data, 'postmaster.pid'), 'utf8').split('\n')[0]),
      stop: async () => {
        const pidFile = path.join(data, 'postmaster.pid');
        try {
          // A test may have shut it down already (killed the postmaster), or it may still be going
          // down: its pid file can vanish between this check and pg_ctl's, which then fails.
          if (fs.existsSync(pidFile))
            await pgTool('pg_ctl', ['-D', data, '-m', 'immediate', '-w', 'stop']).catch((error: unknown) => {
              if (fs.existsSync(pidFile)) throw error;
            });
        } finally {
          remove();
        }
      },
    };
  }
  remove();
  throw lastError;
}

export interface RunningNginx extends RunningService {
  /** The access log so far: one line per request, `<status> <upstream address> <request URI>`. */
  accessLog(): string;
}

/**
 * Starts nginx in the foreground with its own prefix in a temporary directory (pid, logs, temp
 * files), serving `site` (the contents of a sites-enabled file, e.g. deploy/nginx/dcs-excel.conf
 * with its listen addresses made local) inside Debian's usual `http` block. Its `port` is the one
 * `site` listens on, which the caller chose. As root, nginx's workers run as root too, so that
 * they can use the temporary directory.
 */
export async function startNginx(site: string, port: number): Promise<RunningNginx> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-nginx-'));
  fs.writeFileSync(path.join(dir, 'site.conf'), site);
  const main = [
    isRoot ? 'user root;' : '',
    'worker_processes 1;',
    `pid ${dir}/nginx.pid;`,
    `error_log ${dir}/error.log warn;`,
    'events { worker_connections 256; }',
    'http {',
    '  default_type application/octet-stream;',
    "  log_format upstreams '$status $upstream_addr $request_uri';",
    `  access_log ${dir}/access.log upstreams;`,
    ...['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((kind) => `  ${kind}_temp_path ${dir}/${kind}-temp;`),
    `  include ${dir}/site.conf;`,
    '}',
  ];
  fs.writeFileSync(path.join(dir, 'nginx.conf'), main.join('\n'));
  const child = await spawnListening('nginx', NGINX_BINARY, ['-p', dir, '-c', path.join(dir, 'nginx.conf'), '-g', 'daemon off;'], port, dir);
  return {
    url: `https://localhost:${port}`,
    port,
    accessLog: () => fs.readFileSync(path.join(dir, 'access.log'), 'utf8'),
    stop: async () => {
      await stopChild(child);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
