/**
 * Brings the database schema up to date at start, with node-pg-migrate and the migrations in
 * `./migrations` (compiled next to this file). node-pg-migrate holds an advisory lock while it
 * works, so several instances starting together apply each migration once.
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
  const applied = await runner({
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
