#!/usr/bin/env node
/**
 * `dcs-simulator [flags]` (the package's bin: `npx dcs-simulator`; in the repository also
 * `npm run simulator -- [flags]`): runs the DCS simulator on its own, for trying clients
 * (pythondcs, Power Query, curl) against a DCS that is always there.
 */

import { DEMO_ACCOUNTS } from './demo';
import { MAX_EXTRA_BUILDINGS } from './extra-buildings';
import { startSimulator } from './server';
import { SimulatorOptions } from './types';

export const DEFAULT_PORT = 8421;

export const USAGE = `Usage: dcs-simulator [flags]   (in the dcs-excel repository: npm run simulator -- [flags])

Runs a stand-in DCS Web API with a demo estate at http://<host>:<port>/.

Flags:
  --port <p>               port to listen on (default ${DEFAULT_PORT}; 0 = any free port)
  --host <h>               address to listen on (default 127.0.0.1)
  --range-limit-days <N>   refuse /readings spans longer than N days with 400 (default: no cap)
  --rate-limit <R>         per endpoint, shared by all callers: R requests per second,
                           or N/<s>s, N/<m>m, N/<h>h (e.g. 60/1m) (default: no limit)
  --session-ttl <S>        sign-in cookies expire after S seconds (default: never)
  --no-public              disable the unauthenticated /public/... endpoint
  --now <time>             fix the data clock (ISO 8601 UTC, e.g. 2026-01-15T12:00:00Z)
  --extra-buildings <N>    N further buildings after the demo estate's 17 (0-${MAX_EXTRA_BUILDINGS}; default 0),
                           each with electricity (and reactive), gas and water meters
  --latency-ms <ms>        fault: delay every answer
  --fail-every <N>         fault: every Nth request answers --fail-status (default 503)
  --fail-status <code>     status for --fail-every
  --cut-every <N>          fault: every Nth /readings answer breaks off mid-body
  --help                   show this help
`;

export class CliError extends Error {}

function number(flag: string, text: string | undefined, check: (n: number) => boolean, what: string): number {
  if (text === undefined || text.startsWith('--')) throw new CliError(`${flag} needs a value: ${what}.`);
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || !check(value)) throw new CliError(`${flag} ${text} is not valid: ${what}.`);
  return value;
}

const UNIT_SECONDS: Record<string, number> = { s: 1, m: 60, h: 3600, d: 86400 };

/** `10` (per second), `60/1m`, `5/10s`, `1000/1h`. */
export function parseRateLimit(text: string): { requests: number; periodSeconds: number } {
  const what = 'use R (requests per second) or N/<count><unit> with unit s, m, h or d, e.g. 10 or 60/1m';
  const plain = /^\d+$/.exec(text);
  if (plain) {
    const requests = Number(text);
    if (requests < 1) throw new CliError(`--rate-limit ${text} is not valid: ${what}.`);
    return { requests, periodSeconds: 1 };
  }
  const match = /^(\d+)\/(\d*)([smhd])$/i.exec(text);
  if (!match || Number(match[1]) < 1 || match[2] === '0') throw new CliError(`--rate-limit ${text} is not valid: ${what}.`);
  return { requests: Number(match[1]), periodSeconds: Number(match[2] || '1') * UNIT_SECONDS[match[3].toLowerCase()] };
}

export interface CliConfig {
  help: boolean;
  options: SimulatorOptions;
}

export function parseCliArgs(argv: readonly string[]): CliConfig {
  const options: SimulatorOptions = { port: DEFAULT_PORT };
  const faults: NonNullable<SimulatorOptions['faults']> = {};
  let help = false;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i];
    const [name, inline] = flag.includes('=') ? [flag.slice(0, flag.indexOf('=')), flag.slice(flag.indexOf('=') + 1)] : [flag, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    switch (name) {
      case '--help':
      case '-h':
        help = true;
        break;
      case '--port':
        options.port = number(name, value(), (n) => Number.isInteger(n) && n >= 0 && n <= 65535, 'use a port number 0-65535');
        break;
      case '--host': {
        const host = value();
        if (!host || host.startsWith('--')) throw new CliError('--host needs a value: an address such as 127.0.0.1.');
        options.host = host;
        break;
      }
      case '--range-limit-days':
        options.rangeLimitDays = number(name, value(), (n) => n >= 0, 'use a number of days (0 = no cap)');
        break;
      case '--rate-limit': {
        const text = value();
        if (text === undefined) throw new CliError('--rate-limit needs a value, e.g. 10 or 60/1m.');
        options.rateLimit = parseRateLimit(text);
        break;
      }
      case '--session-ttl':
        options.sessionTtlSeconds = number(name, value(), (n) => n > 0, 'use a number of seconds above 0');
        break;
      case '--no-public':
        options.publicMode = false;
        break;
      case '--now': {
        const text = value();
        const ms = text === undefined ? NaN : Date.parse(text);
        if (!Number.isFinite(ms)) throw new CliError(`--now ${text ?? ''} is not valid: use an ISO 8601 time such as 2026-01-15T12:00:00Z.`);
        options.now = () => new Date(ms);
        break;
      }
      case '--extra-buildings':
        options.extraBuildings = number(
          name,
          value(),
          (n) => Number.isInteger(n) && n >= 0 && n <= MAX_EXTRA_BUILDINGS,
          `use a whole number of buildings, 0-${MAX_EXTRA_BUILDINGS}`,
        );
        break;
      case '--latency-ms':
        faults.latencyMs = number(name, value(), (n) => n >= 0, 'use a number of milliseconds');
        break;
      case '--fail-every':
        faults.failEveryNth = number(name, value(), (n) => Number.isInteger(n) && n >= 1, 'use a whole number, 1 or more');
        break;
      case '--fail-status':
        faults.failStatus = number(name, value(), (n) => Number.isInteger(n) && n >= 400 && n <= 599, 'use an HTTP error status 400-599');
        break;
      case '--cut-every':
        faults.cutEveryNth = number(name, value(), (n) => Number.isInteger(n) && n >= 1, 'use a whole number, 1 or more');
        break;
      default:
        throw new CliError(`Unknown flag ${flag}. Run with --help for the list of flags.`);
    }
  }
  if (Object.keys(faults).length > 0) options.faults = faults;
  return { help, options };
}

function describe(options: SimulatorOptions): string[] {
  const lines: string[] = [];
  lines.push(`  span cap:     ${options.rangeLimitDays ? `${options.rangeLimitDays} days per /readings call` : 'none'}`);
  lines.push(`  rate limit:   ${options.rateLimit ? `${options.rateLimit.requests} requests per ${options.rateLimit.periodSeconds} s per endpoint` : 'none'}`);
  lines.push(`  session TTL:  ${options.sessionTtlSeconds ? `${options.sessionTtlSeconds} s` : 'never expires'}`);
  lines.push(`  public mode:  ${options.publicMode === false ? 'disabled' : 'enabled (/public/...)'}`);
  if (options.extraBuildings) lines.push(`  estate:       the demo estate and ${options.extraBuildings} further buildings`);
  if (options.now) lines.push(`  data clock:   fixed at ${options.now().toISOString()}`);
  if (options.faults) lines.push(`  faults:       ${JSON.stringify(options.faults)}`);
  return lines;
}

async function main(): Promise<void> {
  let config: CliConfig;
  try {
    config = parseCliArgs(process.argv.slice(2));
  } catch (err) {
    if (err instanceof CliError) {
      process.stderr.write(`${err.message}\n`);
      process.exit(2);
    }
    throw err;
  }
  if (config.help) {
    process.stdout.write(USAGE);
    return;
  }
  const simulator = await startSimulator(config.options);
  const lines = [
    `DCS simulator listening at ${simulator.url}`,
    ...describe(config.options),
    'Demo accounts (username / password):',
    ...DEMO_ACCOUNTS.map((a) => `  ${a.username} / ${a.password}  (${a.role}) ${a.description}`),
    'Press Ctrl+C to stop.',
  ];
  process.stdout.write(lines.join('\n') + '\n');
  const stop = (): void => {
    simulator.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}

if (require.main === module) {
  main().catch((err: unknown) => {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EADDRINUSE') process.stderr.write('That port is already in use: choose another with --port <p>.\n');
    else process.stderr.write(`The simulator could not start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
