/**
 * The readings store's first schema. A series is one source read with one set of query options;
 * its readings are kept only once settled, and `coverage` is the union of the periods whose
 * settled reading is stored (so a gap in it is a period that must be asked of DCS).
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
  pgm.createTable('readings', {
    series_id: { type: 'integer', notNull: true, references: 'series', onDelete: 'CASCADE' },
    ts: { type: 'timestamptz', notNull: true },
    value: { type: 'double precision', comment: 'standard format: the value' },
    total_value: { type: 'double precision', comment: 'complete format: totalValue' },
    period_value: { type: 'double precision', comment: 'complete format: periodValue' },
    status: { type: 'integer', notNull: true },
  });
  pgm.addConstraint('readings', 'readings_pkey', { primaryKey: ['series_id', 'ts'] });
}

export function down(pgm: MigrationBuilder): void {
  pgm.dropTable('readings');
  pgm.dropTable('series');
}
