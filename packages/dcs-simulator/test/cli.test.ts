import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as path from 'node:path';
import { CliError, DEFAULT_PORT, parseCliArgs, parseRateLimit } from '../src/cli';
import { MAX_EXTRA_BUILDINGS } from '../src';

const CLI = path.join(__dirname, '..', 'src', 'cli.js');

describe('simulator CLI', () => {
  it('defaults to a fixed port with no span cap, rate limit or session expiry', () => {
    const { help, options } = parseCliArgs([]);
    assert.equal(help, false);
    assert.deepEqual(options, { port: DEFAULT_PORT });
  });

  it('reads every flag, in both --flag value and --flag=value forms', () => {
    const { options } = parseCliArgs([
      '--port',
      '9000',
      '--range-limit-days=365',
      '--rate-limit',
      '60/1m',
      '--session-ttl',
      '1800',
      '--no-public',
      '--cut-every',
      '3',
    ]);
    assert.equal(options.port, 9000);
    assert.equal(options.rangeLimitDays, 365);
    assert.deepEqual(options.rateLimit, { requests: 60, periodSeconds: 60 });
    assert.equal(options.sessionTtlSeconds, 1800);
    assert.equal(options.publicMode, false);
    assert.deepEqual(options.faults, { cutEveryNth: 3 });
  });

  it('reads --rate-limit as requests per second, or N per seconds, minutes or hours', () => {
    assert.deepEqual(parseRateLimit('10'), { requests: 10, periodSeconds: 1 });
    assert.deepEqual(parseRateLimit('5/10s'), { requests: 5, periodSeconds: 10 });
    assert.deepEqual(parseRateLimit('60/1m'), { requests: 60, periodSeconds: 60 });
    assert.deepEqual(parseRateLimit('100/m'), { requests: 100, periodSeconds: 60 });
    assert.deepEqual(parseRateLimit('1000/2h'), { requests: 1000, periodSeconds: 7200 });
    for (const bad of ['0', 'ten', '5/0s', '5/1y', '-1', '']) assert.throws(() => parseRateLimit(bad), CliError, bad);
  });

  it('refuses bad flags with a message naming the problem', () => {
    assert.throws(() => parseCliArgs(['--port', 'abc']), /--port abc is not valid/);
    assert.throws(() => parseCliArgs(['--port']), /--port needs a value/);
    assert.throws(() => parseCliArgs(['--session-ttl', '0']), /above 0/);
    assert.throws(() => parseCliArgs(['--frobnicate']), /Unknown flag --frobnicate/);
  });

  it('reads --extra-buildings as a whole number of further buildings, up to MAX_EXTRA_BUILDINGS', () => {
    assert.equal(parseCliArgs(['--extra-buildings', '5']).options.extraBuildings, 5);
    assert.equal(parseCliArgs([`--extra-buildings=${MAX_EXTRA_BUILDINGS}`]).options.extraBuildings, MAX_EXTRA_BUILDINGS);
    for (const bad of ['-1', '2.5', String(MAX_EXTRA_BUILDINGS + 1), 'many']) {
      assert.throws(
        () => parseCliArgs(['--extra-buildings', bad]),
        new RegExp(`--extra-buildings ${bad} is not valid: use a whole number of buildings, 0-${MAX_EXTRA_BUILDINGS}`),
      );
    }
  });

  it('exits with code 2 and a message on stderr for a bad flag, and prints usage for --help', () => {
    const bad = spawnSync(process.execPath, [CLI, '--rate-limit', 'lots'], { encoding: 'utf8' });
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--rate-limit lots is not valid/);
    const help = spawnSync(process.execPath, [CLI, '--help'], { encoding: 'utf8' });
    assert.equal(help.status, 0);
    assert.match(help.stdout, /--range-limit-days/);
  });
});
