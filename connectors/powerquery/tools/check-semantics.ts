/**
 * `npm run lint`'s semantic check of the connector: @microsoft/powerquery-language-services
 * validates DCS.pq as the Power Query SDK's editor does (unknown names, duplicate names, calls
 * of the connector's own functions with the wrong number or type of arguments). Anything it
 * finds fails the lint, except the known false positives listed below, each with why.
 *
 * The SDK's library symbols are not published on npm, so the library is the list of standard
 * library and SDK names the connector uses (LIBRARY_NAMES), each typed `any`: a misspelt or
 * invented library name fails as unknown; a new one is added here after checking it exists in
 * Microsoft's Power Query M function reference.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import * as PQLS from '@microsoft/powerquery-language-services';
import * as PQP from '@microsoft/powerquery-parser';
import { sourceDirs } from './connector-files';

/** Power Query M standard library and SDK (Extension.*, Diagnostics.*) names used by DCS.pq. */
const LIBRARY_NAMES = [
  'Date.ToText',
  'DateTime.AddZone',
  'DateTime.From',
  'DateTime.FromText',
  'DateTime.ToText',
  'DateTimeZone.FromText',
  'DateTimeZone.ToText',
  'DateTimeZone.ToUtc',
  'Diagnostics.Trace',
  'Error.Record',
  'Extension.Contents',
  'Extension.LoadString',
  'Function.Invoke',
  'Int64.From',
  'Int64.Type',
  'Json.Document',
  'Json.FromValue',
  'List.AllTrue',
  'List.Contains',
  'List.Count',
  'List.Difference',
  'List.Distinct',
  'List.Generate',
  'List.IsEmpty',
  'List.Max',
  'List.Min',
  'List.RemoveNulls',
  'List.Select',
  'List.Split',
  'List.Sum',
  'List.Transform',
  'MissingField.UseNull',
  'Number.From',
  'Number.FromText',
  'Number.NaN',
  'Number.NegativeInfinity',
  'Number.PositiveInfinity',
  'Number.ToText',
  'Order.Descending',
  'Record.AddField',
  'Record.Field',
  'Record.FieldNames',
  'Record.FieldOrDefault',
  'Record.FieldValues',
  'Record.FromList',
  'RowExpression.From',
  'Table.AddKey',
  'Table.Combine',
  'Table.FirstN',
  'Table.FromRecords',
  'Table.SelectColumns',
  'Table.SelectRows',
  'Table.Skip',
  'Table.Sort',
  'Table.ToRecords',
  'Table.TransformColumnTypes',
  'Table.TransformColumns',
  'Table.View',
  'Text.At',
  'Text.Combine',
  'Text.EndsWith',
  'Text.Format',
  'Text.From',
  'Text.FromBinary',
  'Text.Length',
  'Text.RemoveRange',
  'Text.Replace',
  'Text.StartsWith',
  'Text.Trim',
  'Text.TrimEnd',
  'Text.Upper',
  'TraceLevel.Information',
  'Uri.Parts',
  'Uri.Type',
  'Value.Metadata',
  'Value.ReplaceType',
  'Value.Type',
  'Web.Contents',
];

/**
 * Findings that are not faults, matched by code and message, each with the reason. Empty today:
 * the false positives known from the SDK (InvokeArgumentTypeMismatch on Extension.LoadString's
 * and lambdas' arguments) come from its typed library symbols, which this check does not have.
 */
const KNOWN_FALSE_POSITIVES: ReadonlyArray<{ code: string; message: RegExp; why: string }> = [];

function library(): PQLS.Library.ILibrary {
  const definitions = new Map<string, PQLS.Library.TLibraryDefinition>(
    LIBRARY_NAMES.map((label) => [
      label,
      {
        kind: PQLS.Library.LibraryDefinitionKind.Constant,
        label,
        description: '',
        completionItemKind: 21,
        asPowerQueryType: PQP.Language.Type.AnyInstance,
      },
    ]),
  );
  return {
    externalTypeResolver: () => undefined,
    libraryDefinitions: { staticLibraryDefinitions: definitions, dynamicLibraryDefinitions: () => new Map() },
  };
}

interface Finding {
  line: number;
  code: string;
  message: string;
}

/** The language service's findings on one M document. */
export async function checkM(text: string, name: string): Promise<Finding[]> {
  // The language service depends on its own copy of the parser (0.18.1 beside our 0.18.4): the
  // settings are plain data, so ours are handed over as its type.
  const settings = PQP.DefaultSettings as unknown as Pick<PQLS.InspectionSettings, keyof typeof PQP.DefaultSettings>;
  const inspection: PQLS.InspectionSettings = {
    ...settings,
    isWorkspaceCacheAllowed: false,
    library: library(),
    eachScopeById: undefined,
    typeStrategy: PQLS.TypeStrategy.Primitive,
  };
  const analysis: PQLS.AnalysisSettings = {
    inspectionSettings: inspection,
    isWorkspaceCacheAllowed: false,
    initialCorrelationId: undefined,
    traceManager: settings.traceManager,
  };
  const result = await PQLS.validate(PQLS.textDocument(name, 1, text), analysis, {
    ...inspection,
    cancellationToken: undefined,
    checkForDuplicateIdentifiers: true,
    checkInvokeExpressions: true,
    checkUnknownIdentifiers: true,
    source: name,
  });
  if (!PQP.ResultUtils.isOk(result)) throw new Error(`${name}: the language service failed: ${result.error.message}`);
  return (result.value?.diagnostics ?? []).map((d) => ({ line: d.range.start.line + 1, code: String(d.code), message: d.message }));
}

/** Findings that are not known false positives. */
export function unexpected(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => !KNOWN_FALSE_POSITIVES.some((known) => known.code === f.code && known.message.test(f.message)));
}

async function main(): Promise<void> {
  const file = path.join(sourceDirs(__dirname).connectorDir, 'DCS.pq');
  const problems = unexpected(await checkM(fs.readFileSync(file, 'utf8'), 'DCS.pq'));
  for (const p of problems) console.error(`${file}:${p.line}: ${p.code}: ${p.message}`);
  if (problems.length > 0) {
    console.error(`${problems.length} finding(s) in the connector; fix them, or list a false positive (with why) in check-semantics.ts`);
    process.exitCode = 1;
  } else {
    console.log('connector: the Power Query language service finds nothing');
  }
}

if (require.main === module) void main();
