/**
 * Reading a configuration from a given environment in tests, without a `.env` file.
 */
import assert from 'node:assert/strict';
import * as os from 'node:os';
import * as path from 'node:path';
import { ConfigError, loadConfig, type ServerConfig } from '../../server/config';

/** A `.env` that does not exist, so that only the environment given is read. */
export const NO_ENV_FILE = { envFile: path.join(os.tmpdir(), 'dcs-excel-no-such.env') };

/** The configuration these variables give. */
export function loadFromEnv(env: Record<string, string>): ServerConfig {
  return loadConfig({ ...env }, NO_ENV_FILE);
}

/** The ConfigError these variables are refused with; fails the test if they are accepted. */
export function configRefusal(env: Record<string, string>): ConfigError {
  try {
    loadFromEnv(env);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected a ConfigError, got ${String(error)}`);
    return error;
  }
  assert.fail(`configuration ${JSON.stringify(env)} was accepted`);
}
