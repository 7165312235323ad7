import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';

const ROOT = path.resolve(__dirname, '../../..');
const MANIFEST = path.join(ROOT, 'manifest.xml');
/**
 * Microsoft's manifest schemas are not part of the project: OFFICE_MANIFEST_XSD_DIR names the folder
 * holding them (`.ci/run` sets it when it has them). Without it the validation is a counted skip.
 */
const SCHEMA_DIR = process.env.OFFICE_MANIFEST_XSD_DIR;
const SCHEMA_FILE = 'OfficeAppManifestV1_1.xsd';
const noSchemas = SCHEMA_DIR
  ? false
  : `OFFICE_MANIFEST_XSD_DIR is not set: name the folder holding Microsoft's ${SCHEMA_FILE} (and the schemas it includes) to validate manifest.xml`;

function xmllintAvailable(): boolean {
  return spawnSync('xmllint', ['--version'], { encoding: 'utf8' }).status === 0;
}

describe('Add-in manifest', () => {
  const xml = fs.readFileSync(MANIFEST, 'utf8');

  it('validates offline against the Office add-in manifest schemas', { skip: noSchemas }, () => {
    assert.ok(
      xmllintAvailable(),
      'xmllint is not installed, so manifest.xml cannot be checked. Install it (apt-get install -y libxml2-utils) and run the tests again.',
    );
    const schema = path.resolve(SCHEMA_DIR!, SCHEMA_FILE);
    assert.ok(fs.existsSync(schema), `OFFICE_MANIFEST_XSD_DIR=${SCHEMA_DIR} holds no ${SCHEMA_FILE}.`);
    const result = spawnSync('xmllint', ['--noout', '--schema', schema, MANIFEST], { encoding: 'utf8' });
    assert.equal(result.status, 0, `manifest.xml does not validate:\n${result.stderr}`);
    assert.match(result.stderr, /validates/);
  });

  it('puts Get readings (opens the pane) and Refresh all (runs without it) on a DCS tab', () => {
    const tab = /<CustomTab id="DCS.Tab">([\s\S]*?)<\/CustomTab>/.exec(xml)?.[1] ?? '';
    assert.match(xml, /<bt:String id="Tab.Label" DefaultValue="DCS"\/>/);
    assert.match(tab, /id="DCS.GetReadings">[\s\S]*?<Action xsi:type="ShowTaskpane">/);
    assert.match(tab, /id="DCS.RefreshAll">[\s\S]*?<Action xsi:type="ExecuteFunction">\s*<FunctionName>refreshAll<\/FunctionName>/);
    assert.match(tab, /id="DCS.NewInvoiceCheck">[\s\S]*?<FunctionName>newInvoiceCheck<\/FunctionName>/);
  });

  it('runs pane, commands and custom functions (namespace DCS) in one shared runtime', () => {
    assert.match(xml, /<Set Name="SharedRuntime" MinVersion="1.1"\/>/);
    assert.match(xml, /<Runtime resid="Taskpane.Url" lifetime="long"\/>/);
    assert.match(xml, /<FunctionFile resid="Taskpane.Url"\/>/);
    assert.match(xml, /<ExtensionPoint xsi:type="CustomFunctions">[\s\S]*?<Page>\s*<SourceLocation resid="Taskpane.Url"\/>/);
    assert.match(xml, /<bt:String id="Functions.Namespace" DefaultValue="DCS"\/>/);
  });

  it('refers only to icons that exist, as real PNGs of the sizes named', () => {
    const icons = [...xml.matchAll(/assets\/(icon(?:-[a-z]+)?-(\d+)\.png)/g)].map((m) => ({ file: m[1], size: Number(m[2]) }));
    assert.deepEqual(
      [...new Set(icons.filter((i) => /^icon-\d+/.test(i.file)).map((i) => i.size))].sort((a, b) => a - b),
      [16, 32, 64, 80],
      'the add-in icon in every size Office asks for',
    );
    for (const { file, size } of icons) {
      const png = fs.readFileSync(path.join(ROOT, 'assets', file));
      assert.equal(png.subarray(1, 4).toString('ascii'), 'PNG');
      assert.deepEqual([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], `${file} is ${size}x${size}`);
    }
  });

  it('gives each ribbon button a picture of its own, in the 16, 32 and 80 px Office asks for (issue 17, defect 14)', () => {
    const tab = /<CustomTab id="DCS.Tab">([\s\S]*?)<\/CustomTab>/.exec(xml)?.[1] ?? '';
    const controls = [...tab.matchAll(/<Control xsi:type="Button" id="([^"]+)">([\s\S]*?)<\/Control>/g)];
    assert.equal(controls.length, 3);
    const imageFile = (resid: string) => new RegExp(`<bt:Image id="${resid.replace(/\./g, '\\.')}" DefaultValue="[^"]*/assets/([^"]+)"`).exec(xml)?.[1];
    const pictures = controls.map(([, id, body]) => {
      const images = [...body.matchAll(/<bt:Image size="(\d+)" resid="([^"]+)"\/>/g)].map((m) => ({ size: m[1], file: imageFile(m[2]) }));
      assert.deepEqual(
        images.map((i) => i.size),
        ['16', '32', '80'],
        id,
      );
      for (const image of images) assert.ok(image.file, `${id}: its ${image.size} px image is declared in Resources`);
      return images.map((i) => fs.readFileSync(path.join(ROOT, 'assets', i.file!)).toString('base64')).join();
    });
    assert.equal(new Set(pictures).size, controls.length, 'no two buttons share a picture');
  });

  it('uses the development address everywhere, for the build to rewrite', () => {
    const urls = [...xml.matchAll(/DefaultValue="(https?:[^"]+)"/g)].map((m) => m[1]);
    assert.ok(urls.length > 8);
    for (const url of urls) assert.ok(url.startsWith('https://localhost:3000/'), `${url} is not under https://localhost:3000/`);
  });
});

describe('Production manifest (webpack.config.js)', () => {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const build = require(path.join(ROOT, 'webpack.config.js')) as {
    rewriteManifest(content: string, baseUrl: string): string;
    configuredBaseUrl(): string | undefined;
  };

  it('rewrites every development address to ADDIN_BASE_URL', () => {
    const rewritten = build.rewriteManifest(fs.readFileSync(MANIFEST, 'utf8'), 'https://energy.example.ac.uk/excel/');
    assert.doesNotMatch(rewritten, /https?:\/\/localhost/);
    assert.match(rewritten, /<SourceLocation DefaultValue="https:\/\/energy.example.ac.uk\/excel\/taskpane.html"\/>/);
    assert.match(rewritten, /<AppDomain>https:\/\/energy.example.ac.uk<\/AppDomain>/);
  });

  it('validates the rewritten manifest against the schemas too', { skip: noSchemas }, () => {
    const rewritten = build.rewriteManifest(fs.readFileSync(MANIFEST, 'utf8'), 'https://energy.example.ac.uk/excel/');
    const result = spawnSync('xmllint', ['--noout', '--schema', path.resolve(SCHEMA_DIR!, SCHEMA_FILE), '-'], { input: rewritten, encoding: 'utf8' });
    assert.equal(result.status, 0, result.stderr);
  });

  it('refuses an ADDIN_BASE_URL that Office could not load, saying why', () => {
    const saved = process.env.ADDIN_BASE_URL;
    try {
      process.env.ADDIN_BASE_URL = 'http://energy.example.ac.uk';
      assert.throws(() => build.configuredBaseUrl(), /must start with https:\/\//);
      process.env.ADDIN_BASE_URL = 'energy.example.ac.uk';
      assert.throws(() => build.configuredBaseUrl(), /not an absolute URL/);
      process.env.ADDIN_BASE_URL = 'https://energy.example.ac.uk/excel';
      assert.equal(build.configuredBaseUrl(), 'https://energy.example.ac.uk/excel/');
    } finally {
      if (saved === undefined) delete process.env.ADDIN_BASE_URL;
      else process.env.ADDIN_BASE_URL = saved;
    }
  });
});
