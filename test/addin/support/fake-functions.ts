/**
 * What the cell functions' unit tests share: a fake server that answers every request with one
 * JSON body (or an HTTP error) and records the URLs asked, behind a signed-in session; and the
 * check that a call fails as a given Excel error.
 */
import assert from 'node:assert/strict';
import { ApiClient } from '../../../addin/api/client';
import type { Fetch } from '../../../addin/api/http';
import { Session } from '../../../addin/api/session';
import type { FunctionsContext } from '../../../addin/functions/cell-functions';
import { ConsumptionMemo } from '../../../addin/functions/consumption-api';
import { FunctionFailure } from '../../../addin/functions/failure';

/** How a function's API is made from the add-in's client parts (`httpIntervalsApi`, `httpCusumApi`, ...). */
type ApiParts = (client: { url: (path: string) => string; session: Session }, fetch: Fetch) => Partial<FunctionsContext>;

/** A functions context whose HTTP answers are `answer` (status `status`), with the URLs it was asked. */
export function fakeFunctionsServer(answer: unknown, status: number, apis: ApiParts): { ctx: FunctionsContext; urls: URL[] } {
  const urls: URL[] = [];
  const fetch: Fetch = async (url, init) => {
    urls.push(new URL(url));
    assert.equal((init as { headers: Record<string, string> }).headers.Authorization, 'Bearer t0k');
    return { ok: status < 400, status, text: async () => JSON.stringify(answer) } as never;
  };
  const session = new Session();
  session.begin({ username: 'ann', role: 'user', token: 't0k', public: false });
  const ctx: FunctionsContext = {
    session,
    consumption: new ConsumptionMemo({ batch: async () => [] }),
    api: { sources: async () => [], readings: async function* () {} },
    defaultTimeZone: () => 'Europe/London',
    ...apis({ url: (path) => `http://127.0.0.1:9/${path}`, session }, fetch),
  };
  return { ctx, urls };
}

/** `promise` rejects with a FunctionFailure of `code` whose message matches `message`. */
export async function failsWith(promise: Promise<unknown>, code: 'invalidValue' | 'notAvailable', message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof FunctionFailure, `expected a FunctionFailure, got ${String(error)}`);
    assert.equal(error.code, code);
    assert.match(error.message, message);
    return true;
  });
}

/** A functions context signed in as demo on a real test server (`serverUrl`), its zone UTC. */
export async function realFunctionsContext(serverUrl: string, apis: ApiParts): Promise<{ ctx: FunctionsContext; session: Session }> {
  const fetch = globalThis.fetch.bind(globalThis) as unknown as Fetch;
  const session = new Session();
  const client = new ApiClient({ baseUrl: `${serverUrl}/`, fetch, session });
  await client.signIn('demo', 'demo');
  const ctx: FunctionsContext = {
    session,
    consumption: new ConsumptionMemo({ batch: async () => [] }),
    api: { sources: async () => [], readings: async function* () {} },
    defaultTimeZone: () => 'UTC',
    ...apis(client, fetch),
  };
  return { ctx, session };
}
