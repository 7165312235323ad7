/**
 * The readings store's first schema. A series is one source read with one set of query options;
 * its settled readings are kept packed in blocks (see `../packing`), and `coverage` is the union
 * of the periods whose settled reading is stored (so a gap in it is a period to ask DCS for).
 */
import type { MigrationBuilder } from 'node-pg-migrate';

export function up(pgm: MigrationBuilder): void {
  pgm.createTable('series', {
    id: 'id',
    endpoint: { type: 'text', notNull: true, comment: 'DCS Web API root the readings came from' },
    source: { type: 'text', notNull: true, comment: 'normalised source id: R733, VM9' },
    period_type: { type: 'text', notNull: true },
    calibrated: { type: 'boolean', notNull: true },
    interpolated: { type: 'boolean', notNull: true },
    format: { type: 'text', notNull: true },
    name: { type: 'text' },
    unit: { type: 'text' },
    duration: { type: 'integer' },
    coverage: { type: 'tstzmultirange', notNull: true, default: pgm.func("'{}'::tstzmultirange") },
  });
  pgm.addConstraint('series', 'series_identity', {
    unique: ['endpoint', 'source', 'period_type', 'calibrated', 'interpolated', 'format'],
  });
  pgm.createTable('blocks', {
    series_id: { type: 'integer', notNull: true, references: 'series', onDelete: 'CASCADE' },
    block_start: { type: 'timestamptz', notNull: true, comment: 'a UTC day, month or year: see server/store/packing.ts' },
    data: { type: 'bytea', notNull: true, comment: "the block's settled readings, packed" },
  });
  pgm.addConstraint('blocks', 'blocks_pkey', { primaryKey: ['series_id', 'block_start'] });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable('blocks');
  pgm.dropTable('series');
}
