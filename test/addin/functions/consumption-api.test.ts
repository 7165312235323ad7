/**
 * The add-in's POST /api/consumption/batch call: what it sends (each period exactly as the user
 * gave it, the session's Bearer token) and how the server's answers come back.
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

const APRIL = { id: 'R1', start: '2024-04-01', end: '2024-04-30', timeZone: 'Europe/London' };

describe('the consumption call', () => {
  it('posts the requests as given, with the Bearer token, and returns one answer per request', async () => {
    const seen: Array<{ url: string; init?: HttpRequestInit }> = [];
    const result = { id: 'R1', name: 'n', unit: 'kWh', start: 's', end: 'e', consumption: 5, periods: 48, interpolated: 0, resets: 0, missing: 0 };
    const failed = { status: 404, error: { code: 'not_found', message: 'requests[1].id: there is no source VM2', parameter: 'requests[1].id' } };
    const api = httpConsumptionApi(client(signedIn()), answering(200, { results: [{ result }, failed] }, seen));
    const requests = [APRIL, { ...APRIL, id: 'VM2' }];
    assert.deepEqual(await api.batch(requests), [{ result }, failed]);
    assert.equal(new URL(seen[0].url).pathname, '/api/consumption/batch');
    assert.equal(seen[0].init?.method, 'POST');
    assert.deepEqual(JSON.parse(seen[0].init?.body ?? ''), { requests });
    assert.equal(seen[0].init?.headers?.Authorization, 'Bearer secret-token');
    assert.equal(seen[0].init?.headers?.['Content-Type'], 'application/json');
  });

  it("passes the server's refusal of the whole batch on", async () => {
    const api = httpConsumptionApi(
      client(signedIn()),
      answering(400, { error: { code: 'bad_request', message: 'requests: is empty', parameter: 'requests' } }, []),
    );
    await assert.rejects(api.batch([APRIL]), (error: unknown) => {
      assert.ok(error instanceof ApiRequestError);
      assert.equal(error.status, 400);
      assert.equal(error.message, 'requests: is empty');
      return true;
    });
  });

  it('ends the session here when the server says it has ended (401)', async () => {
    const session = signedIn();
    const api = httpConsumptionApi(client(session), answering(401, { error: { code: 'unauthenticated', message: 'session expired' } }, []));
    await assert.rejects(api.batch([APRIL]), (error: unknown) => error instanceof ApiRequestError && error.needsSignIn);
    assert.equal(session.isSignedIn, false);
  });

  it('refuses an answer that is not the batch shape, or answers fewer requests than asked, instead of showing a wrong number', async () => {
    const html = httpConsumptionApi(client(signedIn()), answering(200, '<html>proxy login</html>', []));
    await assert.rejects(html.batch([APRIL]), /not what the add-in expects/);
    const short = httpConsumptionApi(client(signedIn()), answering(200, { results: [] }, []));
    await assert.rejects(short.batch([APRIL]), /answered 0 of 1/);
  });
});
