/**
 * The ribbon's commands right after Excel starts: a sign-in kept from an earlier session is
 * checked with the server before a command decides the user is signed out (the first "Refresh
 * all" used to answer "Sign in" because the pane had not restored the session yet).
 *
 * The add-in's API module keeps its session in the page's localStorage, read when the module
 * loads; so the page's storage and Office are set up first and the modules loaded after.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { HttpRequestInit } from '../../../addin/api/http';
import { createMemoryExcel } from '../../../addin/preview/memory-excel';

const scope = globalThis as Record<string, unknown>;
const stored = new Map<string, string>([['dcs-excel.session', 'kept-token']]);
const actions: Record<string, (event: { completed(): void }) => void> = {};

describe('ribbon commands after Excel starts', () => {
  before(() => {
    scope.localStorage = {
      getItem: (k: string) => stored.get(k) ?? null,
      setItem: (k: string, v: string) => void stored.set(k, v),
      removeItem: (k: string) => void stored.delete(k),
    };
    scope.Office = { actions: { associate: (name: string, fn: (typeof actions)[string]) => (actions[name] = fn) }, context: {} };
  });
  after(() => {
    delete scope.localStorage;
    delete scope.Office;
  });

  it('Refresh all waits for the kept sign-in to be checked instead of answering "Sign in"', async () => {
    const { configureApiClient, session } = await import('../../../addin/api');
    const { registerCommands } = await import('../../../addin/commands/commands');
    const asked: Array<{ url: string; init?: HttpRequestInit }> = [];
    configureApiClient({
      baseUrl: 'https://dcs.example/metering/',
      fetch: async (url, init) => {
        asked.push({ url, init });
        await new Promise((resolve) => setTimeout(resolve, 20)); // the server takes its time
        const text = JSON.stringify({ username: 'demo', role: 'Operator' });
        return { ok: true, status: 200, headers: { get: () => null }, body: null, json: async () => JSON.parse(text), text: async () => text };
      },
    });
    const memory = createMemoryExcel();
    const shown: Array<{ message: string; kind: string }> = [];
    registerCommands((batch) => memory.run(batch), { show: (message, kind) => shown.push({ message, kind }) });
    assert.equal(session.isSignedIn, false, 'the pane has not restored the session yet');

    await new Promise<void>((resolve) => actions.refreshAll({ completed: resolve }));

    assert.equal(asked[0].url, 'https://dcs.example/metering/api/session');
    assert.equal(asked[0].init?.headers?.Authorization, 'Bearer kept-token');
    assert.equal(session.isSignedIn, true);
    assert.deepEqual(shown, [{ message: 'There are no DCS tables in this workbook yet: use Get readings first.', kind: 'info' }]);
  });
});
