import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { loadConfig } from '../../server/config';
import { NO_ENV_FILE, configRefusal } from './config-helpers';

describe('configuration of what a pull may cost and hold', () => {
  it('defaults to a budget of 1000 DCS calls, 3 minutes for a stalled reader, 8 MB of spool memory in the temporary directory', () => {
    const config = loadConfig({}, NO_ENV_FILE);
    assert.equal(config.dcsCallBudget, 1000);
    assert.equal(config.stalledReaderTimeout, 180);
    assert.equal(config.spoolMemoryMb, 8);
    assert.equal(config.spoolDir, undefined);
  });

  it('reads DCS_CALL_BUDGET, STALLED_READER_TIMEOUT, SPOOL_MEMORY_MB and SPOOL_DIR', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-spool-cfg-'));
    try {
      const config = loadConfig({ DCS_CALL_BUDGET: '250', STALLED_READER_TIMEOUT: '90s', SPOOL_MEMORY_MB: '0.5', SPOOL_DIR: dir }, NO_ENV_FILE);
      assert.equal(config.dcsCallBudget, 250);
      assert.equal(config.stalledReaderTimeout, 90);
      assert.equal(config.spoolMemoryMb, 0.5);
      assert.equal(config.spoolDir, dir);
      assert.equal(loadConfig({ STALLED_READER_TIMEOUT: '5m' }, NO_ENV_FILE).stalledReaderTimeout, 300);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses unusable values, naming the variable and what to give', () => {
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ DCS_CALL_BUDGET: '0' }, 'DCS_CALL_BUDGET', /not a whole number from 1 to/],
      [{ DCS_CALL_BUDGET: 'lots' }, 'DCS_CALL_BUDGET', /not a whole number/],
      [{ STALLED_READER_TIMEOUT: 'never' }, 'STALLED_READER_TIMEOUT', /not a duration/],
      [{ SPOOL_MEMORY_MB: '-4' }, 'SPOOL_MEMORY_MB', /not a number of megabytes/],
      [{ SPOOL_DIR: path.join(os.tmpdir(), 'dcs-no-such-dir-for-spools') }, 'SPOOL_DIR', /not a directory/],
    ];
    for (const [env, variable, message] of cases) {
      const error = configRefusal(env);
      assert.equal(error.variable, variable);
      assert.match(error.message, message);
    }
  });
});
