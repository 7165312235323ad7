/**
 * /manifest.xml as served (server/http/addin-manifest.ts): at the address callers reach the server
 * at when that is known (PUBLIC_URL, or a trusted proxy's forwarded headers), else as built.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestFor } from '../../server/http/addin-manifest';
import { startTestServer, type TestServer } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const BUILT = fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8');
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the webpack config is plain CommonJS
const { rewriteManifest } = require(path.join(ROOT, 'webpack.config.js')) as { rewriteManifest: (content: string, baseUrl: string) => string };

function addresses(xml: string): string[] {
  return [...xml.matchAll(/DefaultValue="(https?:[^"]+)"/g)].map((m) => m[1]);
}

describe('the add-in manifest as served', () => {
  it('moves every address of the development build under the public address, and the AppDomain to its origin', () => {
    const served = manifestFor(BUILT, 'https://energy.example.ac.uk/metering');
    const built = addresses(BUILT);
    assert.deepEqual(
      addresses(served),
      built.map((a) => a.replace('https://localhost:3000/', 'https://energy.example.ac.uk/metering/')),
    );
    assert.match(served, /<AppDomain>https:\/\/energy\.example\.ac\.uk<\/AppDomain>/);
    assert.doesNotMatch(served, /https:\/\/localhost/);
  });

  it('re-bases a production build made for another address, without doubling a port', () => {
    const production = rewriteManifest(BUILT, 'https://old.example.org/dcs/');
    const served = manifestFor(production, 'https://localhost:8443/metering/');
    assert.ok(addresses(served).every((a) => a.startsWith('https://localhost:8443/metering/')));
    assert.match(served, /<AppDomain>https:\/\/localhost:8443<\/AppDomain>/);
    assert.doesNotMatch(served, /old\.example\.org/);
  });

  describe('over HTTP', () => {
    let plain: TestServer;
    let behind: TestServer;
    const dist = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-manifest-'));
    before(async () => {
      fs.writeFileSync(path.join(dist, 'manifest.xml'), BUILT);
      plain = await startTestServer({ staticDir: dist });
      behind = await startTestServer({ staticDir: dist, publicUrl: 'https://energy.example.ac.uk/metering' });
    });
    after(async () => {
      await plain?.close();
      await behind?.close();
      fs.rmSync(dist, { recursive: true, force: true });
    });

    it('serves the file as built to a caller that came straight to the server', async () => {
      const res = await fetch(`${plain.url}/manifest.xml`, { headers: { 'X-Forwarded-Host': 'evil.example', 'X-Forwarded-Prefix': '/x' } });
      assert.equal(await res.text(), BUILT, 'forwarded headers from an untrusted caller change nothing');
    });

    it('serves it at PUBLIC_URL when that is set', async () => {
      const res = await fetch(`${behind.url}/manifest.xml`);
      assert.equal(res.status, 200);
      assert.match(res.headers.get('content-type') ?? '', /xml/);
      assert.equal(res.headers.get('cache-control'), 'no-cache');
      assert.equal(await res.text(), manifestFor(BUILT, 'https://energy.example.ac.uk/metering'));
    });
  });
});
