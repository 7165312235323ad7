/**
 * server/store/db.ts: the readings store's pool survives PostgreSQL dropping a connection that is
 * checked out (the recorder holds one across a batch), as it does an idle one: the loss is
 * reported, the query that was running rejects, and the process goes on.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Pool } from 'pg';
import { createPool } from '../../server/store/db';
import { skipWithoutPostgres, startPostgres, type RunningService } from '../support/services';

describe('the readings store pool when PostgreSQL drops a connection', { skip: skipWithoutPostgres(__filename) }, () => {
  let postgres: RunningService;
  let pool: Pool;
  const reported: Error[] = [];
  const uncaught: Error[] = [];
  const onUncaught = (error: Error) => uncaught.push(error);

  before(async () => {
    postgres = await startPostgres();
    pool = createPool(postgres.url, 4, (error) => reported.push(error), 5000);
    // An 'error' event without a listener is thrown as an uncaught exception; catch it here so
    // the test can say so instead of the runner failing somewhere else.
    process.prependListener('uncaughtException', onUncaught);
  });
  after(async () => {
    process.off('uncaughtException', onUncaught);
    await pool?.end();
    await postgres?.stop();
  });

  test('a checked-out connection ended by the server is reported, its query rejects, nothing is thrown', async () => {
    const client = await pool.connect();
    const { rows } = await client.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
    const ended = new Promise<void>((resolve) => client.once('end', () => resolve()));
    await pool.query('SELECT pg_terminate_backend($1)', [rows[0].pid]);
    await ended;
    await new Promise((resolve) => setImmediate(resolve));
    await assert.rejects(client.query('SELECT 1'));
    client.release(true);
    assert.deepEqual(uncaught, [], 'no uncaught exception');
    assert.ok(
      reported.some((error) => /terminat/i.test(error.message)),
      `reported: ${reported.map((e) => e.message).join('; ')}`,
    );
    assert.equal((await pool.query<{ one: number }>('SELECT 1 AS one')).rows[0].one, 1, 'the pool goes on with a new connection');
  });
});
