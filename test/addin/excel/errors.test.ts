/**
 * What the pane and the ribbon say when the server refuses: its own words, except those written
 * for API callers (paths, methods, headers), which the pane says in its own terms (issue 19).
 * The refusals are the real server's.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ApiClient, ApiRequestError } from '../../../addin/api/client';
import { Session } from '../../../addin/api/session';
import { messageOf } from '../../../addin/excel/errors';
import { startTestServer, type TestServer } from '../../server/helpers';

const API_WORDS = /\/api\/|Authorization|POST|DELETE|GET /;

describe("the pane's words for the server's refusals", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer({ logLevel: 'warn', maxSessionsPerUser: 1 });
  });
  after(() => server.close());

  function client(session = new Session()): ApiClient {
    return new ApiClient({ baseUrl: `${server.url}/`, fetch: globalThis.fetch.bind(globalThis), session });
  }

  async function refusal(work: () => Promise<unknown>): Promise<ApiRequestError> {
    try {
      await work();
    } catch (error) {
      assert.ok(error instanceof ApiRequestError, String(error));
      return error;
    }
    assert.fail('the server did not refuse');
  }

  it('an ended session: sign in again, without the API hint', async () => {
    const session = new Session();
    await client(session).signIn('demo', 'demo');
    // The session ends on the server (signed out elsewhere): this pane still holds its token.
    await fetch(`${server.url}/api/session`, { method: 'DELETE', headers: session.authorizationHeaders() });
    const ended = await refusal(() => client(session).sources(''));
    assert.match(ended.message, API_WORDS, 'the server speaks to API callers');
    assert.equal(ended.status, 401);
    assert.doesNotMatch(messageOf(ended), API_WORDS);
    assert.match(messageOf(ended), /Sign in again\.$/);
  });

  it('too many sessions: the Sign out button of another pane, without DELETE /api/session', async () => {
    const first = client();
    await first.signIn('demo', 'demo');
    const tooMany = await refusal(() => client().signIn('demo', 'demo'));
    assert.match(tooMany.message, /DELETE \/api\/session/);
    assert.doesNotMatch(messageOf(tooMany), API_WORDS);
    assert.match(messageOf(tooMany), /Choose Sign out in the DCS pane of another workbook/);
    await first.signOut();
  });

  it("a refusal of a value names the pane's field, not the request's parameter", async () => {
    const session = new Session();
    await client(session).signIn('demo', 'demo');
    // The pane never sends an unknown zone, but a saved table's query may have been edited.
    const refused = await refusal(() =>
      client(session).intervals({ ids: ['R1001'], start: '2024-04-01', end: '2024-04-02', interval: 'day', timeZone: 'Mars/Olympus' }),
    );
    assert.equal(refused.parameter, 'timeZone');
    assert.match(messageOf(refused), /^Time zone: /);
    assert.equal(messageOf(refused).slice('Time zone: '.length), refused.message.slice('timeZone: '.length));
    await client(session).signOut();
  });

  it("a wrong password and other refusals keep the server's words", async () => {
    const wrong = await refusal(() => client().signIn('demo', 'not the password'));
    assert.equal(messageOf(wrong), wrong.message);
    assert.equal(messageOf(new Error('plain')), 'plain');
  });
});
