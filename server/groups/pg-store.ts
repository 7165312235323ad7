/**
 * Groups in PostgreSQL (DATABASE_URL), table `source_groups` (migration
 * server/store/migrations/1796515200000_groups.ts, applied with the readings store's). Every
 * instance of the server sees the same groups; uniqueness of id and name is the database's.
 */
import type { Pool } from 'pg';
import { createPool } from '../store/db';
import { applyMigrations } from '../store/migrate';
import type { Group } from './group';
import { GroupConflictError, nameKey, type GroupStore } from './store';

interface GroupRow {
  id: string;
  name: string;
  members: string[];
  created_by: string;
  created_at: Date;
  updated_at: Date;
}

const COLUMNS = 'id, name, members, created_by, created_at, updated_at';

function groupOf(row: GroupRow): Group {
  return {
    id: row.id,
    name: row.name,
    members: row.members,
    createdBy: row.created_by,
    createdAt: row.created_at.toISOString(),
    updatedAt: row.updated_at.toISOString(),
  };
}

/** PostgreSQL's unique_violation. */
const UNIQUE_VIOLATION = '23505';

export interface PgGroupStoreOptions {
  databaseUrl: string;
  timeoutMs: number;
  onError: (error: Error) => void;
}

/** Connects and applies pending migrations (the server's store has usually applied them already). */
export async function openPgGroupStore(options: PgGroupStoreOptions): Promise<GroupStore> {
  const pool = createPool(options.databaseUrl, 2, options.onError, options.timeoutMs);
  try {
    const client = await pool.connect();
    try {
      await applyMigrations(client);
    } finally {
      client.release();
    }
  } catch (error) {
    await pool.end();
    throw error;
  }
  return new PgGroupStore(pool);
}

class PgGroupStore implements GroupStore {
  constructor(private readonly pool: Pool) {}

  async list(): Promise<Group[]> {
    const { rows } = await this.pool.query<GroupRow>(`SELECT ${COLUMNS} FROM source_groups ORDER BY created_at, id`);
    return rows.map(groupOf);
  }

  async get(id: string): Promise<Group | undefined> {
    const { rows } = await this.pool.query<GroupRow>(`SELECT ${COLUMNS} FROM source_groups WHERE id = $1`, [id]);
    return rows.length === 0 ? undefined : groupOf(rows[0]);
  }

  async create(group: Group): Promise<void> {
    try {
      await this.pool.query(`INSERT INTO source_groups (id, name, name_key, members, created_by, created_at, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7)`, [
        group.id,
        group.name,
        nameKey(group.name),
        group.members,
        group.createdBy,
        group.createdAt,
        group.updatedAt,
      ]);
    } catch (error) {
      throw await this.conflictOr(error, group, false);
    }
  }

  async update(group: Group): Promise<boolean> {
    try {
      const { rowCount } = await this.pool.query(`UPDATE source_groups SET name = $2, name_key = $3, members = $4, updated_at = $5 WHERE id = $1`, [
        group.id,
        group.name,
        nameKey(group.name),
        group.members,
        group.updatedAt,
      ]);
      return rowCount === 1;
    } catch (error) {
      throw await this.conflictOr(error, group, true);
    }
  }

  async delete(id: string): Promise<boolean> {
    const { rowCount } = await this.pool.query('DELETE FROM source_groups WHERE id = $1', [id]);
    return rowCount === 1;
  }

  close(): Promise<void> {
    return this.pool.end();
  }

  /** A unique violation becomes the conflict, naming the group already there (another one, when `updating`). */
  private async conflictOr(error: unknown, group: Group, updating: boolean): Promise<unknown> {
    if ((error as { code?: string }).code !== UNIQUE_VIOLATION) return error;
    const { rows } = await this.pool.query<GroupRow>(
      `SELECT ${COLUMNS} FROM source_groups WHERE (id = $1 OR name_key = $2) AND NOT ($3 AND id = $1) ORDER BY id <> $1 LIMIT 1`,
      [group.id, nameKey(group.name), updating],
    );
    return rows[0] ? new GroupConflictError(groupOf(rows[0])) : error;
  }
}
