/**
 * Groups of sources (server/groups/), kept here when DATABASE_URL is set: one row per group,
 * shared by every user. `name_key` (the name folded as `nameKey` folds it) keeps two groups from
 * having names that differ only in case or punctuation.
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.createTable('source_groups', {
    id: { type: 'text', primaryKey: true, comment: 'group:<slug>' },
    name: { type: 'text', notNull: true },
    name_key: { type: 'text', notNull: true, unique: true },
    members: { type: 'text[]', notNull: true, comment: 'normalised source ids: R733, VM9' },
    created_by: { type: 'text', notNull: true, comment: 'DCS user name of the creator' },
    created_at: { type: 'timestamptz', notNull: true },
    updated_at: { type: 'timestamptz', notNull: true },
  });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable('source_groups');
}
