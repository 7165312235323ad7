import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ApiClient } from '../../../addin/api/client';
import type { Fetch, HttpRequestInit } from '../../../addin/api/http';
import { Session, webTokenStore, type KeyValueStorage } from '../../../addin/api/session';

/** localStorage's shape over a Map. */
function memoryStorage(): KeyValueStorage & { entries: Map<string, string> } {
  const entries = new Map<string, string>();
  return {
    entries,
    getItem: (key) => entries.get(key) ?? null,
    setItem: (key, value) => void entries.set(key, value),
    removeItem: (key) => void entries.delete(key),
  };
}

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { 'Content-Type': 'application/json' } });

/** A server that knows one token until it is revoked. */
function fakeServer(): { fetch: Fetch; revoke(): void; seen: Array<HttpRequestInit | undefined> } {
  let live = true;
  const seen: Array<HttpRequestInit | undefined> = [];
  const fetch = async (url: string, init?: HttpRequestInit) => {
    seen.push(init);
    const path = new URL(url).pathname;
    if (path === '/api/session' && init?.method === 'POST') return json({ username: 'demo', role: 'Operator', token: 'tok-1' });
    if (path === '/api/session' && init?.method === 'DELETE') {
      live = false;
      return new Response(null, { status: 204 });
    }
    if (path === '/api/session') {
      return live && init?.headers?.Authorization === 'Bearer tok-1'
        ? json({ username: 'demo', role: 'Operator' })
        : json({ error: { code: 'unauthenticated', message: 'Sign in again' } }, 401);
    }
    return json({ error: { code: 'not_found', message: '?' } }, 404);
  };
  return { fetch: fetch, revoke: () => (live = false), seen };
}

function pane(storage: KeyValueStorage, server: ReturnType<typeof fakeServer>): ApiClient {
  const session = new Session(webTokenStore(storage, () => 'partition-'));
  return new ApiClient({ baseUrl: 'https://dcs.example/', fetch: server.fetch, session });
}

describe('a sign-in kept across reopening the workbook', () => {
  it('keeps only the server token, under the partition key, and a reopened pane is signed in with it', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    await pane(storage, server).signIn('demo', 'secret-password');
    assert.deepEqual([...storage.entries], [['partition-dcs-excel.session', 'tok-1']]);
    assert.doesNotMatch(JSON.stringify([...storage.entries]), /secret-password/);

    const reopened = pane(storage, server);
    assert.equal(reopened.session.isSignedIn, false, 'not signed in before the server confirms');
    const info = await reopened.resumeSession();
    assert.equal(info?.username, 'demo');
    assert.equal(reopened.session.user?.username, 'demo');
    assert.deepEqual(reopened.session.authorizationHeaders(), { Authorization: 'Bearer tok-1' });
  });

  it('forgets a token the server has ended, and asks for a sign-in', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    await pane(storage, server).signIn('demo', 'pw');
    server.revoke();
    const reopened = pane(storage, server);
    assert.equal(await reopened.resumeSession(), undefined);
    assert.equal(reopened.session.isSignedIn, false);
    assert.equal(storage.entries.size, 0, 'the dead token is not kept');
  });

  it('clears the kept token at sign-out and revokes it on the server', async () => {
    const storage = memoryStorage();
    const server = fakeServer();
    const client = pane(storage, server);
    await client.signIn('demo', 'pw');
    await client.signOut();
    assert.equal(storage.entries.size, 0);
    assert.equal(server.seen.at(-1)?.method, 'DELETE');
    assert.equal(await pane(storage, server).resumeSession(), undefined, 'nothing left to resume');
  });

  it('still signs in where the browser blocks storage', async () => {
    const blocked: KeyValueStorage = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('SecurityError');
      },
      removeItem: () => {
        throw new Error('SecurityError');
      },
    };
    const client = pane(blocked, fakeServer());
    await client.signIn('demo', 'pw');
    assert.equal(client.session.isSignedIn, true);
    assert.equal(await pane(blocked, fakeServer()).resumeSession(), undefined);
  });
});
