/**
 * The connection pool of the readings store. A connection the database drops (a restart, a
 * failover) is logged instead of crashing the server: the next query reconnects. pg reports it as
 * an 'error' event on the client; the pool forwards that event only for idle clients and detaches
 * its listener while a client is checked out (the recorder holds one across a whole batch), and an
 * 'error' event nobody listens to is an uncaught exception. So a checked-out client carries a
 * listener of ours until it is released, and the query it was running still rejects for its caller.
 */
import { Pool, type PoolClient } from 'pg';

/** Anything that runs a query: the pool or one checked-out client. */
export type Queryable = Pool | PoolClient;

/**
 * `timeoutMs` bounds the wait for a connection. The reads a pull waits on bound each query too
 * (`query_timeout` per query: client-side, so it holds even when the server has stopped answering
 * on an open connection), so a stalled PostgreSQL fails a store call and the pull goes to DCS
 * instead of hanging. Not pool-wide: pg's query_timeout breaks COPY streams (the recorder's).
 */
export function createPool(databaseUrl: string, maxConnections: number, onError: (error: Error) => void, timeoutMs: number): Pool {
  const pool = new Pool({
    connectionString: databaseUrl,
    max: maxConnections,
    application_name: 'dcs-excel',
    connectionTimeoutMillis: timeoutMs,
  });
  pool.on('error', onError);
  pool.on('acquire', (client) => client.on('error', onError));
  pool.on('release', (_error, client) => client.off('error', onError));
  return pool;
}
