/**
 * Brings the database schema up to date at start, with node-pg-migrate and the migrations in
 * `./migrations` (compiled next to this file). Several instances starting together queue on one
 * advisory lock and each migration is applied once (node-pg-migrate's own lock would instead
 * fail every instance but the first).
 */
import * as path from 'node:path';
import { runner } from 'node-pg-migrate';
import type { ClientBase } from 'pg';

/** The table recording which migrations have run (kept apart from any other tool's). */
const MIGRATIONS_TABLE = 'store_migrations';

/** Compiled output holds source maps and declarations next to the migrations: not migrations. */
const NOT_MIGRATIONS = '(\\..*)|(.*\\.map)|(.*\\.d\\.ts)';

export const MIGRATIONS_DIR = path.join(__dirname, 'migrations');

/** Applies every pending migration; returns the names of those applied. */
export async function applyMigrations(client: ClientBase, log: (message: string) => void = () => undefined): Promise<string[]> {
  await client.query('SELECT pg_advisory_lock(hashtext($1))', [LOCK_NAME]);
  try {
    return await runMigrations(client, log);
  } finally {
    await client.query('SELECT pg_advisory_unlock(hashtext($1))', [LOCK_NAME]);
  }
}

const LOCK_NAME = 'dcs-excel readings store migrations';

async function runMigrations(client: ClientBase, log: (message: string) => void): Promise<string[]> {
  const applied = await runner({
    noLock: true,
    dbClient: client,
    dir: MIGRATIONS_DIR,
    ignorePattern: NOT_MIGRATIONS,
    migrationsTable: MIGRATIONS_TABLE,
    direction: 'up',
    checkOrder: true,
    singleTransaction: true,
    log,
  });
  return applied.map((migration) => migration.name);
}
