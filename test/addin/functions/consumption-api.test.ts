/**
 * The add-in's GET /api/consumption call: what it sends (the period exactly as the user gave
 * it, the session's Bearer token) and how the server's answers come back.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ApiRequestError } from '../../../addin/api/client';
import type { Fetch, HttpRequestInit } from '../../../addin/api/http';
import { Session } from '../../../addin/api/session';
import { httpConsumptionApi } from '../../../addin/functions/consumption-api';

function answering(status: number, body: unknown, seen: Array<{ url: string; init?: HttpRequestInit }>): Fetch {
  return async (url, init) => {
    seen.push({ url, init });
    const text = typeof body === 'string' ? body : JSON.stringify(body);
    return { ok: status >= 200 && status < 300, status, headers: { get: () => null }, body: null, json: async () => JSON.parse(text), text: async () => text };
  };
}

function signedIn(): Session {
  const session = new Session();
  session.begin({ username: 'demo', role: 'Operator', token: 'secret-token' });
  return session;
}

const client = (session: Session) => ({ url: (path: string) => `https://dcs.example/${path}`, session });

describe('the consumption call', () => {
  it('sends the ids, the period as given and the zone, with the Bearer token', async () => {
    const seen: Array<{ url: string; init?: HttpRequestInit }> = [];
    const result = { id: 'R1', name: 'n', unit: 'kWh', start: 's', end: 'e', consumption: 5, periods: 48, interpolated: 0, resets: 0, missing: 0 };
    const api = httpConsumptionApi(client(signedIn()), answering(200, { results: [result] }, seen));
    assert.deepEqual(await api.consumption({ ids: ['R1', 'VM2'], start: '2024-04-01', end: '2024-04-30', timeZone: 'Europe/London' }), { results: [result] });
    const url = new URL(seen[0].url);
    assert.equal(url.pathname, '/api/consumption');
    assert.deepEqual(
      Object.fromEntries(url.searchParams),
      { id: 'R1,VM2', start: '2024-04-01', lastDay: '2024-04-30', timeZone: 'Europe/London' },
      'a date as end is the last day included',
    );
    assert.equal(seen[0].init?.headers?.Authorization, 'Bearer secret-token');
  });

  it("passes the server's error message and parameter on", async () => {
    const api = httpConsumptionApi(
      client(signedIn()),
      answering(400, { error: { code: 'bad_request', message: 'end: is before start', parameter: 'end' } }, []),
    );
    await assert.rejects(api.consumption({ ids: ['R1'], start: '2024-04-30', end: '2024-04-01', timeZone: 'UTC' }), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.parameter, 'end');
      assert.equal(error.message, 'end: is before start');
      return true;
    });
  });

  it('ends the session here when the server says it has ended (401)', async () => {
    const session = signedIn();
    const api = httpConsumptionApi(client(session), answering(401, { error: { code: 'unauthenticated', message: 'session expired' } }, []));
    await assert.rejects(
      api.consumption({ ids: ['R1'], start: '2024-04-01', end: '2024-04-30', timeZone: 'UTC' }),
      (error: unknown) => error instanceof ApiRequestError && error.needsSignIn,
    );
    assert.equal(session.isSignedIn, false);
  });

  it('refuses an answer that is not the consumption shape instead of showing a wrong number', async () => {
    const api = httpConsumptionApi(client(signedIn()), answering(200, '<html>proxy login</html>', []));
    await assert.rejects(api.consumption({ ids: ['R1'], start: '2024-04-01', end: '2024-04-30', timeZone: 'UTC' }), /not what the add-in expects/);
  });
});
