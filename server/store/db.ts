/**
 * The connection pool of the readings store. A pool error on an idle connection (the database
 * restarted) is logged instead of crashing the server: the next query reconnects.
 */
import { Pool, type PoolClient } from 'pg';

/** Anything that runs a query: the pool or one checked-out client. */
export type Queryable = Pool | PoolClient;

export function createPool(databaseUrl: string, maxConnections: number, onError: (error: Error) => void): Pool {
  const pool = new Pool({ connectionString: databaseUrl, max: maxConnections, application_name: 'dcs-excel' });
  pool.on('error', onError);
  return pool;
}
