/**
 * Where the add-in sends its API calls: next to the page it was served from, so a server under a
 * path (PUBLIC_URL / ADDIN_BASE_URL such as https://host/metering/) gets them under that path.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { pageBaseUrl } from '../../../addin/api';
import { ApiClient } from '../../../addin/api/client';
import { Session } from '../../../addin/api/session';

describe("the add-in's API address", () => {
  it('is the folder of the page, path included, without its query or fragment', () => {
    assert.equal(
      pageBaseUrl({ href: 'https://estates.example/metering/taskpane.html?_host_Info=Excel', origin: 'https://estates.example' }),
      'https://estates.example/metering/',
    );
    assert.equal(pageBaseUrl({ href: 'https://estates.example/taskpane.html#x', origin: 'https://estates.example' }), 'https://estates.example/');
    assert.equal(pageBaseUrl({ href: 'https://host:8443/a/b/commands.html', origin: 'https://host:8443' }), 'https://host:8443/a/b/');
  });

  it("puts the API's paths under it", async () => {
    const seen: string[] = [];
    const client = new ApiClient({
      baseUrl: pageBaseUrl({ href: 'https://estates.example/metering/taskpane.html', origin: 'https://estates.example' }),
      fetch: async (url) => {
        seen.push(url);
        return { ok: true, status: 200, headers: { get: () => null }, body: null, json: async () => [], text: async () => '[]' };
      },
      session: new Session(),
    });
    await client.sources('');
    assert.equal(new URL(seen[0]).pathname, '/metering/api/sources');
  });

  it('refuses to guess without a page address', () => {
    assert.throws(() => pageBaseUrl({ href: 'about:blank', origin: 'null' }), /API address is unknown/);
  });
});
