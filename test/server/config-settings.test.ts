import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { ConfigError, fieldOf, loadConfig, resolveConfig, SETTINGS } from '../../server/config';
import { startTestServer } from './helpers';

const NO_ENV_FILE = { envFile: path.join(os.tmpdir(), 'dcs-excel-no-such.env') };

function refusalOf(read: () => unknown): string {
  try {
    read();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error.message;
  }
  assert.fail('the value was accepted');
}

/** The variables named in the first column of the Configuration table in docs/operating.md. */
function readmeVariables(): string[] {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'operating.md'), 'utf8');
  const section = readme.slice(readme.indexOf('## Configuration'), readme.indexOf('### Trusting the development certificate'));
  const names: string[] = [];
  for (const line of section.split('\n')) {
    const first = /^\| ([^|]+) \|/.exec(line)?.[1];
    if (first) for (const match of first.matchAll(/`([A-Z][A-Z0-9_]+)`/g)) names.push(match[1]);
  }
  return names;
}

describe('one name per setting', () => {
  it('names each config field after its variable, in camelCase, and sets it from the environment', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-settings-'));
    const pem = path.join(dir, 'x.pem');
    fs.writeFileSync(pem, 'x');
    const samples: Record<string, string> = {
      DCS_URL: 'https://dcs.example.com/DCSWebApi/',
      DCS_PUBLIC_ACCESS: '0',
      DCS_MAX_WINDOW_DAYS: '30',
      DCS_RATE_LIMIT: '2',
      DCS_TIMEOUT_MS: '5000',
      DCS_RATE_LIMIT_MAX_WAIT: '2m',
      DCS_CALL_BUDGET: '50',
      DEFAULT_TIME_ZONE: 'Europe/London',
      CARBON_FACTORS_FILE: pem,
      STALLED_READER_TIMEOUT: '30s',
      SPOOL_MEMORY_MB: '2',
      SPOOL_DIR: dir,
      SESSION_TTL: '2h',
      SIGN_IN_LIMIT: '4',
      MAX_SESSIONS_PER_USER: '2',
      MAX_SESSIONS: '9',
      MAX_REQUESTS_PER_USER: '3',
      ODATA_PAGE_SIZE: '100',
      ALLOWED_ORIGINS: 'https://a.example.com',
      PUBLIC_URL: 'https://dcs-excel.example.com',
      TRUST_PROXY: 'loopback',
      PORT: '8080',
      HOST: '0.0.0.0',
      HTTPS: '0',
      TLS_CERT: pem,
      TLS_KEY: pem,
      CERT_DIR: dir,
      STATIC_DIR: dir,
      DATA_DIR: dir,
      LOG_LEVEL: 'warn',
      REDIS_URL: 'redis://cache.example.com:6379/0',
      SESSION_ENCRYPTION_KEY: Buffer.alloc(32, 7).toString('base64'),
      REDIS_TIMEOUT: '0.5',
      DATABASE_TIMEOUT: '5s',
      DATABASE_URL: 'postgres://dcs@db.example.com/dcs',
      SETTLE_AGE: '3d',
      MIRROR_SCHEDULE: '30 2 * * *',
      MIRROR_SOURCES: 'r0733,VM9',
      MIRROR_SINCE: '30d',
      DCS_USERNAME: 'reporting',
      DCS_PASSWORD: 'not-a-real-password',
    };
    try {
      assert.deepEqual(Object.keys(samples).sort(), Object.keys(SETTINGS).sort(), 'a sample for every setting');
      const config = loadConfig({ ...samples }, NO_ENV_FILE);
      const defaults = resolveConfig({});
      for (const variable of Object.keys(SETTINGS)) {
        const field = fieldOf(variable);
        assert.equal(
          field,
          variable.toLowerCase().replace(/_(.)/g, (_, c: string) => c.toUpperCase()),
        );
        assert.notDeepEqual(config[field], defaults[field], `${variable} sets ${field}`);
      }
      assert.equal(config.dcsRateLimitMaxWait, 120, 'durations are seconds');
      assert.equal(config.spoolMemoryMb, 2, 'a unit in the name is the unit of the value');
      assert.equal(config.dcsTimeoutMs, 5000);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('documents every setting in the Configuration table of docs/operating.md, and no other', () => {
    assert.deepEqual(readmeVariables().sort(), Object.keys(SETTINGS).sort());
  });

  it('still obeys DCS_TIMEOUT, renamed DCS_TIMEOUT_MS, and warns that it is deprecated', async () => {
    const old = loadConfig({ DCS_TIMEOUT: '750' }, NO_ENV_FILE);
    assert.equal(old.dcsTimeoutMs, 750);
    assert.deepEqual(old.warnings, ['DCS_TIMEOUT is deprecated and will be removed: rename it DCS_TIMEOUT_MS (same value).']);
    const both = loadConfig({ DCS_TIMEOUT: '750', DCS_TIMEOUT_MS: '900' }, NO_ENV_FILE);
    assert.equal(both.dcsTimeoutMs, 900, 'the current name wins');
    assert.equal(both.warnings, undefined);
    const server = await startTestServer(old);
    try {
      const lines = server.logs.map((line) => JSON.parse(line) as { level: string; msg: string; detail?: string });
      assert.ok(
        lines.some((l) => l.level === 'warn' && l.msg === 'deprecated setting' && /DCS_TIMEOUT_MS/.test(l.detail ?? '')),
        'the warning is logged',
      );
    } finally {
      await server.close();
    }
  });
});

describe('one validation path', () => {
  it('refuses the same values from the environment and from code, with the same words', () => {
    const cases: [string, string, unknown][] = [
      ['PORT', '70000', 70000],
      ['DCS_CALL_BUDGET', '0', 0],
      ['DCS_RATE_LIMIT_MAX_WAIT', '0', 0],
      ['SESSION_TTL', '0', 0],
      ['SPOOL_MEMORY_MB', '70000', 70000],
      ['ODATA_PAGE_SIZE', '2000000', 2000000],
      ['SIGN_IN_LIMIT', '0', 0],
      ['LOG_LEVEL', 'loud', 'loud'],
      ['ALLOWED_ORIGINS', 'https://a.example.com/path', ['https://a.example.com/path']],
      ['SPOOL_DIR', path.join(os.tmpdir(), 'dcs-no-such-spool-dir'), path.join(os.tmpdir(), 'dcs-no-such-spool-dir')],
      ['DCS_URL', 'https://user:pw@dcs.example.com/', 'https://user:pw@dcs.example.com/'],
    ];
    for (const [variable, text, value] of cases) {
      const fromEnv = refusalOf(() => loadConfig({ [variable]: text }, NO_ENV_FILE));
      const fromCode = refusalOf(() => resolveConfig({ [fieldOf(variable)]: value }));
      assert.equal(fromCode, fromEnv, variable);
      assert.match(fromEnv, new RegExp(`^${variable}: `));
    }
  });

  it('accepts in code what it accepts from the environment, normalised the same way', () => {
    const fromEnv = loadConfig({ ALLOWED_ORIGINS: 'https://a.example.com/', PUBLIC_URL: 'https://x.example.com/m/' }, NO_ENV_FILE);
    const fromCode = resolveConfig({ allowedOrigins: ['https://a.example.com/'], publicUrl: 'https://x.example.com/m/' });
    assert.deepEqual(fromCode.allowedOrigins, fromEnv.allowedOrigins);
    assert.equal(fromCode.publicUrl, fromEnv.publicUrl);
  });
});
