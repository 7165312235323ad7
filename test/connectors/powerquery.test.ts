/**
 * The Power Query connector as Power BI will load it: every .pq file must parse as M, the section
 * must declare what the SDK looks for, every name it uses must exist, every string and icon it
 * loads must be packaged, and `npm run build:connector` must produce a sound ZIP (.mez).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inflateSync, crc32 } from 'node:zlib';
import * as PQP from '@microsoft/powerquery-parser';
import { ICON_FILES, MEZ_FILES, sourceDirs } from '../../connectors/powerquery/tools/connector-files';
import { buildMez } from '../../connectors/powerquery/tools/build-mez';
import { createZip } from '../../connectors/powerquery/tools/zip';
import { checkM, unexpected } from '../../connectors/powerquery/tools/check-semantics';
import { MAX_SOURCES } from '../../server/http/params';

const { connectorDir } = sourceDirs(__dirname);

const PACKAGES: Record<string, string> = { unzip: 'unzip', python3: 'python3', xmllint: 'libxml2-utils' };

/** Runs an external checker; a missing one fails with what to install instead of a bare ENOENT. */
function run(tool: 'unzip' | 'python3' | 'xmllint', args: string[]): Buffer {
  try {
    return execFileSync(tool, args);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      assert.fail(`this test needs ${tool} on PATH: apt-get install ${PACKAGES[tool]} (and add it to .ci/run)`);
    }
    throw error;
  }
}
const pqFiles = fs.readdirSync(connectorDir).filter((f) => f.endsWith('.pq'));
const connectorText = fs.readFileSync(path.join(connectorDir, 'DCS.pq'), 'utf8');

type AstNode = { kind: string; [key: string]: unknown };

interface ParseOutcome {
  ok: boolean;
  ast?: AstNode;
  problem?: string;
}

async function parseM(text: string): Promise<ParseOutcome> {
  const task = await PQP.TaskUtils.tryLexParse(PQP.DefaultSettings, text);
  if (PQP.TaskUtils.isOk(task) && task.stage === PQP.Task.TaskStage.Parse) return { ok: true, ast: task.ast as unknown as AstNode };
  const error = (
    task as { error?: { message?: string; innerError?: { foundToken?: { token?: { positionStart?: { lineNumber: number; lineCodeUnit: number } } } } } }
  ).error;
  const where = error?.innerError?.foundToken?.token?.positionStart;
  return { ok: false, problem: `${where ? `line ${where.lineNumber + 1}, column ${where.lineCodeUnit + 1}: ` : ''}${error?.message ?? 'did not parse'}` };
}

/** Every AST node below `node`, depth first. */
function* nodes(node: unknown): Generator<AstNode> {
  if (Array.isArray(node)) {
    for (const child of node) yield* nodes(child);
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const n = node as AstNode;
  if (typeof n.kind === 'string') yield n;
  for (const value of Object.values(n)) if (value !== null && typeof value === 'object') yield* nodes(value);
}

function identifierLiteral(node: unknown): string | undefined {
  const n = node as { kind?: string; literal?: unknown } | undefined;
  return n && (n.kind === 'Identifier' || n.kind === 'GeneralizedIdentifier') && typeof n.literal === 'string' ? n.literal : undefined;
}

async function connectorAst(): Promise<AstNode> {
  const outcome = await parseM(connectorText);
  assert.ok(outcome.ok, `DCS.pq does not parse: ${outcome.problem}`);
  return outcome.ast!;
}

interface Member {
  name: string;
  shared: boolean;
  attributes: Record<string, string>;
}

function sectionMembers(ast: AstNode): Member[] {
  const elements = (ast.sectionMembers as { elements: AstNode[] }).elements;
  return elements.map((member) => {
    const attributes: Record<string, string> = {};
    for (const n of nodes(member.literalAttributes)) {
      if (n.kind !== 'GeneralizedIdentifierPairedAnyLiteral') continue;
      const value = (n.value as { literal: string }).literal;
      attributes[identifierLiteral(n.key)!] = JSON.parse(value) as string;
    }
    return {
      name: identifierLiteral((member.namePairedExpression as { key: unknown }).key)!,
      shared: member.sharedConstant !== undefined && member.sharedConstant !== null,
      attributes,
    };
  });
}

/** Text arguments of every call to `functionName` with a literal first argument. */
function literalArguments(functionName: string): string[] {
  const pattern = new RegExp(`${functionName.replace('.', '\\.')}\\(\\s*"([^"]*)"`, 'g');
  return [...connectorText.matchAll(pattern)].map((m) => m[1]);
}

function resourceNames(): Set<string> {
  const resx = fs.readFileSync(path.join(connectorDir, 'resources.resx'), 'utf8');
  return new Set([...resx.matchAll(/<data name="([^"]+)"/g)].map((m) => m[1]));
}

describe('Power Query connector sources', () => {
  it('has the files the Power Query SDK expects', () => {
    for (const name of ['DCS.pq', 'DCS.query.pq', 'resources.resx', ...ICON_FILES]) {
      assert.ok(fs.existsSync(path.join(connectorDir, name)), `${name} is missing from connectors/powerquery`);
    }
  });

  it('parses every .pq file with the Power Query parser', async () => {
    assert.ok(pqFiles.length >= 2, 'expected DCS.pq and DCS.query.pq');
    for (const file of pqFiles) {
      const outcome = await parseM(fs.readFileSync(path.join(connectorDir, file), 'utf8'));
      assert.ok(outcome.ok, `${file} has a syntax error at ${outcome.problem}`);
    }
  });

  for (const [doc, least] of [
    ['power-bi.md', 2],
    ['monitoring-and-targeting.md', 1],
  ] as const) {
    it(`parses every M example in docs/${doc}`, async () => {
      const guide = fs.readFileSync(path.join(connectorDir, '..', '..', 'docs', doc), 'utf8');
      const examples = [...guide.matchAll(/```m\n([\s\S]*?)```/g)].map((m) => m[1]);
      assert.ok(examples.length >= least, `docs/${doc} has M examples`);
      for (const example of examples) {
        const outcome = await parseM(example);
        assert.ok(outcome.ok, `an M example in docs/${doc} has a syntax error at ${outcome.problem}:\n${example}`);
      }
    });
  }

  it('reports M syntax errors (the parse check can fail)', async () => {
    const broken = await parseM('section DCS;\nshared DCS.Contents = (url as text) => let a = 1 in a +;\n');
    assert.equal(broken.ok, false);
    assert.match(broken.problem ?? '', /^line 2, column \d+: /);
  });

  it('is section DCS with DCS.Contents published under DataSource.Kind DCS', async () => {
    const ast = await connectorAst();
    assert.equal(ast.kind, 'Section');
    assert.equal(identifierLiteral(ast.name), 'DCS');
    const members = sectionMembers(ast);
    const contents = members.find((m) => m.name === 'DCS.Contents');
    assert.ok(contents?.shared, 'DCS.Contents must be shared');
    assert.deepEqual(contents.attributes, { 'DataSource.Kind': 'DCS', Publish: 'DCS.Publish' });
    const readings = members.find((m) => m.name === 'DCS.Readings');
    assert.ok(readings?.shared, 'DCS.Readings must be shared');
    assert.equal(readings.attributes['DataSource.Kind'], 'DCS');
    for (const name of ['DCS', 'DCS.Publish', 'DCS.Icons']) {
      assert.ok(
        members.some((m) => m.name === name),
        `section member ${name} is missing`,
      );
    }
  });

  it('offers UsernamePassword (sent as Basic) and Anonymous, and no Label that would hide which URL a credential is for', () => {
    const dataSource = /\nDCS = \[([\s\S]*?)\n\];/.exec(connectorText)?.[1] ?? '';
    assert.match(dataSource, /UsernamePassword = \[/);
    assert.match(dataSource, /Anonymous = \[/);
    const outsideAuthentication = dataSource.replace(/Authentication = \[[\s\S]*?\n {4}\]/, '');
    assert.doesNotMatch(outsideAuthentication, /\bLabel\s*=/, 'a data source Label makes each spelling of the URL look like another source');
  });

  it('TestConnection: every exported function has url as Uri.Type as its only data source path, so gateways pass the URL itself', async () => {
    const members = sectionMembers(await connectorAst());
    const exported = members.filter((m) => m.shared).map((m) => m.name);
    assert.deepEqual(exported.sort(), ['DCS.Contents', 'DCS.Intervals', 'DCS.Readings']);
    assert.match(connectorText, /\nUrlParameterType = Uri\.Type meta \[/);
    for (const type of ['ContentsType', 'ReadingsType', 'IntervalsType']) {
      const declaration = new RegExp(`\\n${type} = type function \\(\\s*url as \\(UrlParameterType\\)`).exec(connectorText);
      assert.ok(declaration, `${type}: its first parameter must be url as (UrlParameterType)`);
    }
    // Every other parameter type stays out of the data source path.
    const otherTypes = [...connectorText.matchAll(/\n(\w+ParameterType) = type /g)].map((m) => m[1]);
    assert.deepEqual(otherTypes.sort(), [
      'CalculationsParameterType',
      'EndParameterType',
      'IntervalParameterType',
      'PeriodTypeParameterType',
      'SourceParameterType',
      'StartParameterType',
      'TimeZoneParameterType',
    ]);
    for (const name of otherTypes) {
      const body = new RegExp(`\\n${name} = type [\\w ]+ meta \\[([\\s\\S]*?)\\n\\];`).exec(connectorText)?.[1] ?? '';
      assert.match(body, /DataSource\.Path = false/, `${name} must not be part of the data source path`);
    }
    const dataSource = /\nDCS = \[([\s\S]*?)\n\];/.exec(connectorText)?.[1] ?? '';
    assert.match(dataSource, /TestConnection = \(dataSourcePath\) => \{"DCS\.Contents", NormalisedPath\(dataSourcePath\)\}/);
    // The path is normalised to the server root (and JSON text from older versions is still read).
    const normalise = /\nNormalisedPath = [\s\S]*?\n\n/.exec(connectorText)?.[0] ?? '';
    assert.match(normalise, /Json\.Document\(trimmed\)\[url\]/);
    assert.match(normalise, /BaseUrl\(url\)/);
  });

  it("status handling: 401, 429, 503 and 504 are left to Power Query; 403 shows the server's message", async () => {
    const ast = await connectorAst();
    const handled = [...nodes(ast)].find((n) => n.kind === 'IdentifierPairedExpression' && identifierLiteral(n.key) === 'HandledStatuses');
    assert.ok(handled, 'HandledStatuses is defined');
    const statuses = [...nodes(handled.value)].filter((n) => n.kind === 'LiteralExpression').map((n) => Number(n.literal));
    for (const status of [400, 403, 404, 500]) assert.ok(statuses.includes(status), `${status} is handled by the connector`);
    for (const status of [401, 429, 503, 504]) {
      assert.ok(!statuses.includes(status), `${status} must be left to Power Query (credential prompt, or retry honouring Retry-After)`);
    }
    assert.equal([...connectorText.matchAll(/Web\.Contents\(/g)].length, 1, 'one place sends requests');
    assert.match(connectorText, /ManualStatusHandling = HandledStatuses/);
    const request = /\nRequest = [\s\S]*?\n\n/.exec(connectorText)?.[0] ?? '';
    assert.match(request, /Timeout = RequestTimeout/, "longer than Power Query's default 100 s");
    assert.match(connectorText, /\nRequestTimeout = #duration\(0, 0, 6, 0\);/, 'six minutes: more than DCS_RATE_LIMIT_MAX_WAIT (300 s) by default');
    const getJson = request;
    assert.match(getJson, /else if status = 403 then\s+error Error\.Record\("DCS\.Forbidden", ServerMessage\(status, body\)/);
    assert.match(getJson, /error Error\.Record\("DCS\.RequestFailed", ServerMessage\(status, body\)/);
    assert.match(
      /\nServerMessage = [\s\S]*?\n\n/.exec(connectorText)?.[0] ?? '',
      /body\[error\]\[message\]/,
      "the OData error's message is what the user reads",
    );
  });

  it('pages with Table.GenerateByPage by following @odata.nextLink against a static base URL', () => {
    assert.match(connectorText, /"@odata\.nextLink"/);
    assert.match(connectorText, /\nTable\.GenerateByPage = \(getNextPage as function\) as table =>/);
    assert.match(connectorText, /Table\.GenerateByPage\(\s*\(previous\) =>/);
    assert.match(connectorText, /RelativePath = relativePath/);
    assert.match(connectorText, /Uri\.Parts\(next\)\[Query\]/);
  });

  it('folds Timestamp/Start filters and Table.FirstN through Table.View, and traces with Diagnostics.Trace', () => {
    const view = /\nFoldingView = [\s\S]*?\n\n/.exec(connectorText)?.[0] ?? '';
    assert.match(view, /Table\.View\(/);
    assert.match(view, /OnTake = \(count as number\) =>/);
    assert.match(view, /OnSelectRows = \(selector\) =>[\s\S]*RowExpression\.From\(selector\)/);
    assert.match(view, /then\s+\.\.\.\s+else/, 'a filter that cannot fold is left to Power Query (not implemented)');
    // Table.View handlers must answer as the unfolded step would: a filter or sort after Keep top
    // rows applies to the kept rows, which the server query cannot say, so they do not fold.
    assert.match(view, /OnSelectRows = [\s\S]*?if state\[Top\] <> null or state\[Skip\] > 0 or List\.IsEmpty\(folded\) then\s+\.\.\./);
    assert.match(view, /OnSort = \(order as list\) =>\s+if state\[Top\] <> null or state\[Skip\] > 0 then \.\.\./);
    assert.match(view, /OnSkip = \(count as number\) => if state\[Top\] <> null then \.\.\./);
    for (const handler of ['GetRowCount', 'OnSelectColumns', 'OnSort', 'OnSkip', 'OnTake']) assert.match(view, new RegExp(`${handler} = `), handler);
    assert.match(connectorText, new RegExp(`\nMaxSourcesPerQuery = ${MAX_SOURCES};`), "a list of ids is read MAX_SOURCES at a time, the server's limit");
    assert.match(connectorText, /\nStartParameterType = type any meta/, 'start and end take dates, date-times and text, as the guide passes them');
    assert.match(connectorText, /\nEndParameterType = type any meta/);
    assert.match(connectorText, /ReadingsImpl = [\s\S]*?TimeColumn = "Timestamp"/);
    assert.match(connectorText, /IntervalsImpl = [\s\S]*?TimeColumn = "Start"/);
    assert.match(connectorText, /\nEnableTraceOutput = false;/);
    assert.match(connectorText, /Diagnostics\.Trace\(\s*TraceLevel\.Information/);
  });

  it("offers each source's readings and intervals in the navigator, and DCS.Intervals beside DCS.Readings", () => {
    const folder = /\nSourceFolder = [\s\S]*?\n\n/.exec(connectorText)?.[0] ?? '';
    assert.match(folder, /SourceReadingsFunction\(base, source\[Id\]/);
    assert.match(folder, /SourceIntervalsFunction\(base, source\[Id\]/);
    assert.match(
      connectorText,
      /IntervalsImpl = \(url as text, source as any, start as any, end as any, interval as text, optional timeZone as nullable text, optional calculations as nullable record\)/,
    );
    assert.match(
      connectorText,
      /\n {4}interval as \(IntervalParameterType\),\n {4}optional timeZone as \(TimeZoneParameterType\),\n {4}optional calculations as \(CalculationsParameterType\)\)/,
    );
  });

  it('uses no name that is not defined (section members, let variables, parameters) or a library function', async () => {
    const ast = await connectorAst();
    // `_` is each's argument; #table and friends are the language's own constructors.
    const declared = new Set<string>(['_', '#table', '#date', '#datetime', '#datetimezone', '#duration', '#time', '#binary']);
    const referenced = new Map<string, number>();
    for (const n of nodes(ast)) {
      if (n.kind === 'IdentifierPairedExpression') declared.add(identifierLiteral(n.key)!);
      if (n.kind === 'Parameter') declared.add(identifierLiteral(n.name)!);
      if (n.kind === 'IdentifierExpression') {
        const name = identifierLiteral(n.identifier)!;
        referenced.set(name, (referenced.get(name) ?? 0) + 1);
      }
    }
    // Library functions are dotted (Table.AddKey); our own dotted names start with DCS.
    const undefinedNames = [...referenced.keys()].filter((name) => !declared.has(name) && (!name.includes('.') || name.startsWith('DCS.')));
    assert.deepEqual(undefinedNames, []);
    const members = sectionMembers(ast);
    const namedByAttributes = new Set(members.flatMap((m) => Object.values(m.attributes)));
    const unusedMembers = members.filter((m) => !m.shared && !namedByAttributes.has(m.name) && !referenced.has(m.name)).map((m) => m.name);
    assert.deepEqual(unusedMembers, [], 'section members nobody uses');
  });

  it('has no record field computed from a name it shadows ([timeZone = timeZone] is a cyclic reference in M)', async () => {
    const ast = await connectorAst();
    const selfReferences = [...nodes(ast)]
      .filter((n) => n.kind === 'GeneralizedIdentifierPairedExpression')
      .filter((n) => {
        const value = n.value as AstNode;
        return value.kind === 'IdentifierExpression' && identifierLiteral(value.identifier) === identifierLiteral(n.key);
      })
      .map((n) => identifierLiteral(n.key));
    assert.deepEqual(selfReferences, []);
    const broken = await parseM('section S;\nF = (timeZone as text) => [timeZone = timeZone];\n');
    assert.ok(broken.ok);
    const found = [...nodes(broken.ast)].filter(
      (n) => n.kind === 'GeneralizedIdentifierPairedExpression' && (n.value as AstNode).kind === 'IdentifierExpression',
    );
    assert.equal(found.length, 1, 'the check sees such a field');
  });

  it('loads only strings that resources.resx defines, and resources.resx is well-formed XML', () => {
    run('xmllint', ['--noout', path.join(connectorDir, 'resources.resx')]);
    const names = resourceNames();
    const used = literalArguments('Extension.LoadString');
    assert.ok(used.length > 10);
    assert.deepEqual(
      used.filter((n) => !names.has(n)),
      [],
    );
  });

  it('loads only icons that are packaged into the .mez', () => {
    const used = literalArguments('Extension.Contents');
    assert.deepEqual([...new Set(used)].sort(), [...ICON_FILES].sort());
    for (const name of used) assert.ok(MEZ_FILES.includes(name), `${name} is loaded but not packaged`);
  });

  it('has icons that are valid PNGs of the size their name says', () => {
    for (const file of ICON_FILES) {
      const png = fs.readFileSync(path.join(connectorDir, file));
      const size = Number(/DCS(\d+)\.png/.exec(file)![1]);
      assert.deepEqual([...png.subarray(0, 8)], [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], `${file}: not a PNG`);
      let offset = 8;
      const idat: Buffer[] = [];
      let width = 0;
      let height = 0;
      while (offset < png.length) {
        const length = png.readUInt32BE(offset);
        const type = png.toString('ascii', offset + 4, offset + 8);
        const data = png.subarray(offset + 8, offset + 8 + length);
        assert.equal(png.readUInt32BE(offset + 8 + length), crc32(png.subarray(offset + 4, offset + 8 + length)), `${file}: bad CRC in ${type}`);
        if (type === 'IHDR') {
          width = data.readUInt32BE(0);
          height = data.readUInt32BE(4);
        }
        if (type === 'IDAT') idat.push(data);
        offset += 12 + length;
      }
      assert.equal(width, size, `${file}: width`);
      assert.equal(height, size, `${file}: height`);
      assert.equal(inflateSync(Buffer.concat(idat)).length, (size * 4 + 1) * size, `${file}: pixel data`);
    }
  });
});

describe('npm run build:connector', () => {
  const script = path.resolve(__dirname, '../../connectors/powerquery/tools/build-mez.js');

  it('writes a .mez that unzip and Python both accept, holding exactly the SDK files', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-mez-'));
    try {
      const out = path.join(dir, 'DCS.mez');
      const log = execFileSync(process.execPath, [script, '--out', out], { encoding: 'utf8' });
      assert.match(log, /wrote .*DCS\.mez/);
      run('unzip', ['-t', '-q', out]);
      run('python3', ['-m', 'zipfile', '-t', out]);
      const listing = run('python3', ['-c', 'import sys, zipfile; print("\\n".join(zipfile.ZipFile(sys.argv[1]).namelist()))', out]).toString('utf8');
      assert.deepEqual(listing.trim().split('\n'), MEZ_FILES);
      const packed = run('unzip', ['-p', out, 'DCS.pq']);
      assert.equal(packed.toString('utf8'), connectorText);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses to build when a file is missing, and leaves no package behind', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-mez-'));
    try {
      fs.copyFileSync(path.join(connectorDir, 'DCS.pq'), path.join(dir, 'DCS.pq'));
      fs.copyFileSync(path.join(connectorDir, 'resources.resx'), path.join(dir, 'resources.resx'));
      const out = path.join(dir, 'out', 'DCS.mez');
      assert.throws(() => buildMez(dir, out), /DCS16\.png.*missing/);
      assert.equal(fs.existsSync(out), false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('zips stored and deflated entries that read back byte for byte', () => {
    const text = Buffer.from('section DCS;\n'.repeat(200));
    const random = Buffer.from(Array.from({ length: 300 }, (_, i) => (i * 7919) % 251));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dcs-zip-'));
    try {
      const file = path.join(dir, 'test.zip');
      fs.writeFileSync(
        file,
        createZip([
          { name: 'a/text.pq', data: text },
          { name: 'noise.bin', data: random },
          { name: 'empty', data: Buffer.alloc(0) },
        ]),
      );
      run('unzip', ['-t', '-q', file]);
      assert.deepEqual(run('unzip', ['-p', file, 'a/text.pq']), text);
      assert.deepEqual(run('unzip', ['-p', file, 'noise.bin']), random);
      assert.equal(run('unzip', ['-p', file, 'empty']).length, 0);
      assert.ok(fs.statSync(file).size < text.length, 'repetitive text is deflated');
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the semantic check of the connector (npm run lint)', () => {
  it('finds nothing in DCS.pq, and does find a misspelt library name and a name defined twice', async () => {
    assert.deepEqual(unexpected(await checkM(connectorText, 'DCS.pq')), []);
    const misspelt = await checkM(connectorText.replace('Table.View(', 'Tabel.View('), 'DCS.pq');
    assert.deepEqual(
      unexpected(misspelt).map((f) => f.message),
      ["Cannot find the name 'Tabel.View', did you mean 'Table.View'?"],
    );
    const twice = await checkM(connectorText.replace('\nMaxSourcesPerQuery = 200;', '\nMaxSourcesPerQuery = 200;\nMaxSourcesPerQuery = 100;'), 'DCS.pq');
    assert.ok(
      unexpected(twice).some((f) => f.code === 'Error.DuplicateIndentifier' && /MaxSourcesPerQuery/.test(f.message)),
      JSON.stringify(twice),
    );
  });
});
