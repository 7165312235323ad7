/**
 * One version, package.json's: the server reports it in /api/health, the add-in's manifest carries
 * it (set when the add-in is built), and CHANGELOG.md has a section for it.
 */
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startTestServer, type TestServer } from './helpers';

const ROOT = path.resolve(__dirname, '../../..');
const { version } = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { version: string };
// eslint-disable-next-line @typescript-eslint/no-require-imports -- the webpack config is plain CommonJS
const { withPackageVersion } = require(path.join(ROOT, 'webpack.config.js')) as { withPackageVersion: (content: string) => string };

describe("the product's version", () => {
  let server: TestServer;
  before(async () => {
    server = await startTestServer();
  });
  after(async () => {
    await server?.close();
  });

  it("is package.json's in /api/health", async () => {
    const health = (await (await fetch(`${server.url}/api/health`)).json()) as { version: string };
    assert.equal(health.version, version);
  });

  it('is in the built manifest, as the four-part version Office requires', () => {
    const built = withPackageVersion(fs.readFileSync(path.join(ROOT, 'manifest.xml'), 'utf8'));
    const versions = [...built.matchAll(/<Version>([^<]*)<\/Version>/g)].map((m) => m[1]);
    assert.deepEqual(versions, [`${version.split(/[-+]/)[0]}.0`]);
    const dist = path.join(ROOT, 'dist', 'manifest.xml');
    if (fs.existsSync(dist))
      assert.match(fs.readFileSync(dist, 'utf8'), new RegExp(`<Version>${version.replace(/\./g, '\\.')}\\.0</Version>`), 'dist/manifest.xml');
  });

  it('has its section in CHANGELOG.md, under Unreleased', () => {
    const changelog = fs.readFileSync(path.join(ROOT, 'CHANGELOG.md'), 'utf8');
    const sections = [...changelog.matchAll(/^## \[([^\]]+)\](?: - (\d{4}-\d{2}-\d{2}))?$/gm)].map((m) => m[1]);
    assert.equal(sections[0], 'Unreleased');
    assert.equal(sections[1], version, 'the newest released section is the version package.json names');
  });
});
