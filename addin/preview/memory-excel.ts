/**
 * An in-memory workbook that answers the subset of the Excel JavaScript API the add-in uses,
 * with Excel's batching rules (batch.ts): property writes and method calls are queued and run in
 * order at `context.sync()`, loaded properties can be read only after a sync (reading earlier
 * throws, as Office.js does), null objects say `isNullObject` only after a sync, and a batch whose
 * cell data exceeds Excel on the web's 5 MB request limit is rejected whole
 * (RequestPayloadSizeLimitExceeded), so code that works here respects that limit.
 *
 * It also behaves as Microsoft documents real Excel does where the add-in could go wrong:
 * - a batch is not a transaction: when one command of a sync fails, the commands before it in
 *   that batch stay applied (only the rest are skipped);
 * - `Range.values` parses text as typing it would (entered-text.ts): `=`, `+` or `-` start a
 *   formula (an unknown name shows `#NAME?`, so "-Infinity" does), text that looks like a number,
 *   TRUE/FALSE or an ISO date becomes one, unless the cell's number format is "@" (Text);
 * - a table keeps its `id` when renamed; a copied worksheet's tables get new ids and names;
 * - while the user edits a cell (`view.setCellEditing(true)`) every sync fails with
 *   InvalidOperationInCellEditMode unless its Excel.run asked for `delayForCellEdit`;
 * - `autofitColumns` sizes a column to everything in the whole column, not only the range;
 * - the workbook may use the 1904 date system (`createMemoryExcel({ date1904: true })`), which
 *   worksheet functions such as DATE() follow.
 *
 * Modules in excel-model/, one concept each: model.ts (the data), grid.ts (cells of a box), batch.ts (queueing,
 * loading, null objects, sync), range.ts and range-format.ts, worksheet.ts, table.ts, chart.ts,
 * settings.ts, workbook.ts (the factory), view.ts (reading it back, and what a user does) and
 * snapshot.ts (all of it as JSON). Proxies find each other's
 * data through WeakMaps (a Range argument's box: `boxOf`), never through properties on the proxies.
 *
 * Users: the task pane's preview mode (trying the add-in in a plain browser), the unit tests
 * (wrapped in office-addin-mock's OfficeMockObject) and the end-to-end tests (injected into the
 * page as the Excel host). No DOM or Node APIs and no imports from the rest of the add-in: it runs
 * anywhere.
 *
 * Collections (worksheets, tables, settings) are plain objects holding only methods, because
 * office-addin-mock copies methods but turns data properties into loadable mock properties.
 */
export { createMemoryExcel, type MemoryExcel } from './excel-model/workbook';
export type { WorkbookView } from './excel-model/view';
export type { Cell, ChartInfo, Place, SeriesInfo } from './excel-model/model';
export { columnLetters, columnOfLetters } from './excel-model/addresses';
export type { SheetSnapshot, TableSnapshot, WorkbookSnapshot } from './excel-model/snapshot';
