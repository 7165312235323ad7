import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../server/config';
import { configRefusal, loadFromEnv } from './config-helpers';

/** An env file path that does not exist, so a developer's own .env cannot leak into tests. */
describe('configuration from the environment', () => {
  it('defaults to HTTPS on port 3000 with the embedded simulator and public access', () => {
    const config = loadFromEnv({});
    assert.equal(config.port, 3000);
    assert.equal(config.https, true);
    assert.equal(config.dcsUrl, undefined);
    assert.equal(config.dcsPublicAccess, true);
    assert.equal(config.dcsMaxWindowDays, 365);
    assert.equal(config.logLevel, 'info');
  });

  it('reads every documented variable', () => {
    const config = loadFromEnv({
      PORT: '8443',
      HTTPS: '0',
      DCS_URL: 'https://dcs.example.com/DCSWebApi',
      DCS_MAX_WINDOW_DAYS: '90',
      DCS_RATE_LIMIT: '2.5',
      SESSION_TTL: '15m',
      ALLOWED_ORIGINS: 'https://a.example.com, https://b.example.com:8443',
      LOG_LEVEL: 'WARN',
    });
    assert.equal(config.port, 8443);
    assert.equal(config.https, false);
    assert.equal(config.dcsUrl, 'https://dcs.example.com/DCSWebApi');
    assert.equal(config.dcsPublicAccess, false, 'a real DCS gets no anonymous access unless asked');
    assert.equal(config.dcsMaxWindowDays, 90);
    assert.equal(config.dcsRateLimit, 2.5);
    assert.equal(config.sessionTtl, 900);
    assert.deepEqual(config.allowedOrigins, ['https://a.example.com', 'https://b.example.com:8443']);
    assert.equal(config.logLevel, 'warn');
    assert.equal(loadFromEnv({ DCS_URL: 'https://dcs.example.com/', DCS_PUBLIC_ACCESS: 'yes' }).dcsPublicAccess, true);
  });

  it('refuses bad values with a message naming the variable and what to give', () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ PORT: 'eighty' }, 'PORT', /'eighty' is not a whole number from 0 to 65535/],
      [{ PORT: '70000' }, 'PORT', /0 to 65535/],
      [{ HTTPS: 'maybe' }, 'HTTPS', /use 1 or 0/],
      [{ DCS_URL: 'dcs.example.com' }, 'DCS_URL', /is not a URL/],
      [{ DCS_URL: 'https://user:pw@dcs.example.com/' }, 'DCS_URL', /must not contain a user name or password/],
      [{ DCS_PUBLIC_ACCESS: 'sometimes' }, 'DCS_PUBLIC_ACCESS', /yes\/no/],
      [{ DCS_MAX_WINDOW_DAYS: '0' }, 'DCS_MAX_WINDOW_DAYS', /positive number of days/],
      [{ DCS_RATE_LIMIT: '-1' }, 'DCS_RATE_LIMIT', /positive number of requests per second/],
      [{ SESSION_TTL: 'forever' }, 'SESSION_TTL', /not a duration/],
      [{ ALLOWED_ORIGINS: 'https://a.example.com/path' }, 'ALLOWED_ORIGINS', /not an origin/],
      [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL', /use one of debug, info, warn, error, silent/],
      [{ TLS_CERT: '/no/such/cert.pem' }, 'TLS_CERT', /does not exist/],
    ];
    for (const [env, variable, message] of cases) {
      const error = configRefusal(env);
      assert.equal(error.variable, variable);
      assert.match(error.message, new RegExp(`^${variable}: `));
      assert.match(error.message, message);
    }
  });

  it('needs TLS_CERT and TLS_KEY together', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-cfg-'));
    const cert = path.join(dir, 'cert.pem');
    fs.writeFileSync(cert, 'x');
    try {
      assert.match(configRefusal({ TLS_CERT: cert }).message, /TLS_CERT and TLS_KEY must be given together/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('reads a .env file, with the real environment winning over it', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-env-'));
    const envFile = path.join(dir, '.env');
    fs.writeFileSync(envFile, '# local settings\nPORT=4000\nLOG_LEVEL="debug"\nSESSION_TTL=2h # two hours\n');
    try {
      const config = loadConfig({ PORT: '5000' }, { envFile });
      assert.equal(config.port, 5000);
      assert.equal(config.logLevel, 'debug');
      assert.equal(config.sessionTtl, 7200);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('makes `npm start` exit with code 2 and name the variable when a value is invalid', () => {
    const main = path.join(__dirname, '..', '..', 'server', 'main.js');
    const cwd = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-start-'));
    try {
      const result = spawnSync(process.execPath, [main], {
        env: { PATH: process.env.PATH, PORT: 'not-a-port', HTTPS: '0' },
        cwd,
        encoding: 'utf8',
        timeout: 20_000,
      });
      assert.equal(result.status, 2);
      assert.match(result.stderr, /PORT: 'not-a-port' is not a whole number/);
    } finally {
      fs.rmSync(cwd, { recursive: true, force: true });
    }
  });
});
