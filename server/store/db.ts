/**
 * The connection pool of the readings store. A pool error on an idle connection (the database
 * restarted) is logged instead of crashing the server: the next query reconnects.
 */
import { Pool, type PoolClient } from 'pg';

/** Anything that runs a query: the pool or one checked-out client. */
export type Queryable = Pool | PoolClient;

/**
 * `timeoutMs` bounds both the wait for a connection and each query (client-side, so it holds even
 * when the server has stopped answering on an open connection): a stalled PostgreSQL fails a
 * store call, and the caller falls back to DCS or answers 503, instead of hanging.
 */
export function createPool(databaseUrl: string, maxConnections: number, onError: (error: Error) => void, timeoutMs: number): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    application_name: 'dcs-excel',
    connectionTimeoutMillis: timeoutMs,
    query_timeout: timeoutMs,
  });
  pool.on('error', onError);
  return pool;
}
