import { parseIntervalsQuery, type IntervalsQuery } from '../query/intervals-query';
import { parseTableQuery, type TableQuery } from '../query/table-query';

/**
 * The queries behind the add-in's tables (readings tables and the pane's calculated tables alike), kept in the workbook's settings for this add-in
 * (context.workbook.settings: saved with the file, visible only to this add-in). One setting per
 * table, keyed by the table's id, plus an index of those ids so they can be listed.
 *
 * Keyed by Table.id, not the name: a user may rename a table (Table Design > Table Name) and its
 * id stays, so Refresh all still finds it. A copied worksheet's tables get new ids: Refresh all
 * recognises them by their title line (adoptCopiedTables) and gives each its own entry.
 * Never holds credentials or tokens: only what to pull and how.
 */
const INDEX_KEY = 'DCS.tableIds';
const QUERY_KEY_PREFIX = 'DCS.table.';
/**
 * Keys of versions that remembered tables by name (readings tables, then calculated tables);
 * moved to ids on first load.
 */
const LEGACY_KEYS = [
  { index: 'DCS.tables', prefix: 'DCS.query.' },
  { index: 'DCS.intervalTables', prefix: 'DCS.intervals.' },
] as const;

/** What a table was pulled from: readings as DCS stores them, or calculated figures (`kind: 'intervals'`). */
export type SavedQuery = TableQuery | IntervalsQuery;

export function isIntervalsQuery(query: SavedQuery): query is IntervalsQuery {
  return 'kind' in query && query.kind === 'intervals';
}

interface StoredQuery {
  query: SavedQuery;
  /** The table's name when last pulled (for messages; the id is what finds it). */
  name: string;
  /** The title line written above the table, so a refresh updates it only if the user left it. */
  title: string;
  refreshedAt: string;
}

/** One remembered table (`table` is its name when last pulled): its query, or why it cannot be used. */
export type SavedTable =
  | { id: string; table: string; query: SavedQuery; title: string; problem?: undefined }
  | { id: string; table: string; query?: undefined; title?: undefined; problem: string };

/** Several settings in one sync; undefined for those that do not exist. */
async function readSettings(context: Excel.RequestContext, keys: readonly string[]): Promise<unknown[]> {
  const settings = keys.map((key) => context.workbook.settings.getItemOrNullObject(key).load('value'));
  await context.sync();
  return settings.map((setting) => (setting.isNullObject ? undefined : (setting.value as unknown)));
}

async function readSetting(context: Excel.RequestContext, key: string): Promise<unknown> {
  return (await readSettings(context, [key]))[0];
}

async function readList(context: Excel.RequestContext, key: string): Promise<string[]> {
  return listOf(await readSetting(context, key));
}

function listOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const items: unknown = JSON.parse(value);
    return Array.isArray(items) ? items.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers (or updates) the query behind a table. */
export function saveTableQuery(context: Excel.RequestContext, table: { id: string; name: string }, query: SavedQuery, title: string, now: Date): Promise<void> {
  return saveTableQueries(context, [{ table, query, title, now }]);
}

/** Remembers several tables' queries: two syncs whatever their number. */
async function saveTableQueries(
  context: Excel.RequestContext,
  entries: ReadonlyArray<{ table: { id: string; name: string }; query: SavedQuery; title: string; now: Date }>,
): Promise<void> {
  if (entries.length === 0) return;
  const ids = await readList(context, INDEX_KEY);
  for (const { table, query, title, now } of entries) {
    if (!ids.includes(table.id)) ids.push(table.id);
    const stored: StoredQuery = { query, name: table.name, title, refreshedAt: now.toISOString() };
    context.workbook.settings.add(QUERY_KEY_PREFIX + table.id, JSON.stringify(stored));
  }
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(ids));
  await context.sync();
}

/** Forgets a table's query (e.g. the table was deleted). */
export async function forgetTable(context: Excel.RequestContext, id: string): Promise<void> {
  const ids = (await readList(context, INDEX_KEY)).filter((known) => known !== id);
  const setting = context.workbook.settings.getItemOrNullObject(QUERY_KEY_PREFIX + id);
  await context.sync();
  if (!setting.isNullObject) setting.delete();
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(ids));
  await context.sync();
}

/**
 * Every table this workbook remembers a query for, in the order they were created. Three syncs
 * whatever their number: the index and the workbook's table ids, then every entry. A table whose
 * entry exists but is missing from the index (two co-authors saved at once, and the later index
 * write did not hold the earlier one's id) is found again through its table, and put back.
 */
export async function loadSavedTables(context: Excel.RequestContext): Promise<SavedTable[]> {
  await migrateNameKeys(context);
  const count = context.workbook.tables.getCount();
  const index = context.workbook.settings.getItemOrNullObject(INDEX_KEY).load('value');
  await context.sync();
  const indexed = index.isNullObject ? [] : listOf(index.value);
  // eslint-disable-next-line office-addins/load-object-before-read -- getCount's ClientResult carries its value after the sync; it has no load()
  const tables = Array.from({ length: count.value }, (_, i) => context.workbook.tables.getItemAt(i).load('id'));
  await context.sync();
  const unindexed = tables.map((t) => t.id).filter((id) => !indexed.includes(id));
  const values = await readSettings(
    context,
    [...indexed, ...unindexed].map((id) => QUERY_KEY_PREFIX + id),
  );
  const found = unindexed.filter((_, i) => typeof values[indexed.length + i] === 'string');
  if (found.length > 0) {
    context.workbook.settings.add(INDEX_KEY, JSON.stringify([...indexed, ...found]));
    await context.sync();
  }
  return [...indexed, ...found].map((id, i) => savedTable(id, values[i < indexed.length ? i : indexed.length + unindexed.indexOf(id)]));
}

function savedTable(id: string, value: unknown): SavedTable {
  if (typeof value !== 'string') return { id, table: id, problem: 'its saved query is missing' };
  let name = id;
  try {
    const stored = JSON.parse(value) as Partial<StoredQuery>;
    if (typeof stored.name === 'string') name = stored.name;
    const query = parseSavedQuery(stored.query);
    return { id, table: name, query, title: typeof stored.title === 'string' ? stored.title : '' };
  } catch (error) {
    return { id, table: name, problem: error instanceof Error ? error.message : String(error) };
  }
}

/** A stored query checked field by field, by its kind (a readings query has no `kind`). */
function parseSavedQuery(query: unknown): SavedQuery {
  const text = JSON.stringify(query);
  const kind = typeof query === 'object' && query !== null ? (query as { kind?: unknown }).kind : undefined;
  return kind === 'intervals' ? parseIntervalsQuery(text) : parseTableQuery(text);
}

/** Moves queries remembered by table name (earlier versions) to the tables' ids: two syncs when there are none. */
async function migrateNameKeys(context: Excel.RequestContext): Promise<void> {
  const indexes = await readSettings(
    context,
    LEGACY_KEYS.map((legacy) => legacy.index),
  );
  const legacy = LEGACY_KEYS.flatMap((keys, i) => listOf(indexes[i]).map((name) => ({ keys, name })));
  if (indexes.every((value) => value === undefined)) return;
  const values = await readSettings(
    context,
    legacy.map(({ keys, name }) => keys.prefix + name),
  );
  const tables = legacy.map(({ name }) => context.workbook.tables.getItemOrNullObject(name).load('id'));
  await context.sync();
  const moved: Array<{ table: { id: string; name: string }; stored: StoredQuery }> = [];
  legacy.forEach(({ keys, name }, i) => {
    const value = values[i];
    if (!tables[i].isNullObject && typeof value === 'string') {
      try {
        moved.push({ table: { id: tables[i].id, name }, stored: JSON.parse(value) as StoredQuery });
      } catch {
        // An unreadable legacy entry cannot be refreshed anyway: dropped with the rest below.
      }
    }
    if (value !== undefined) context.workbook.settings.getItem(keys.prefix + name).delete();
  });
  LEGACY_KEYS.forEach((keys, i) => {
    if (indexes[i] !== undefined) context.workbook.settings.getItem(keys.index).delete();
  });
  await context.sync();
  await saveTableQueries(
    context,
    moved.map(({ table, stored }) => ({ table, query: stored.query, title: stored.title ?? '', now: new Date(stored.refreshedAt ?? 0) })),
  );
}

/**
 * Gives tables on copied worksheets their own entries. A copy has a new id, but the same title
 * line above the same header row as the table it was copied from: such a table gets the
 * original's query (and from then on is refreshed on its own). Returns the adopted tables' names.
 */
export async function adoptCopiedTables(context: Excel.RequestContext, now: Date): Promise<string[]> {
  const saved = (await loadSavedTables(context)).filter((s) => s.query !== undefined && s.title !== '');
  if (saved.length === 0) return [];
  const known = new Set(saved.map((s) => s.id));
  const count = context.workbook.tables.getCount();
  await context.sync();
  // eslint-disable-next-line office-addins/load-object-before-read -- getCount's ClientResult carries its value after the sync; it has no load()
  const tables = Array.from({ length: count.value }, (_, i) => context.workbook.tables.getItemAt(i).load('id,name'));
  await context.sync();
  const unknown = tables.filter((t) => !known.has(t.id));
  const present = new Set(tables.map((t) => t.id));
  const titles = await titlesAbove(context, unknown);
  const adopted = unknown.flatMap((table, i) => {
    // The same name as an entry whose id is gone: that table under another id (ids differ between
    // platforms), not a copy; refreshAll moves its entry (refresh.ts findTable).
    if (saved.some((s) => s.table === table.name && !present.has(s.id))) return [];
    const original = saved.find((s) => s.title === titles[i]);
    return original?.query ? [{ table: { id: table.id, name: table.name }, query: original.query, title: original.title, now }] : [];
  });
  await saveTableQueries(context, adopted);
  return adopted.map((a) => a.table.name);
}

/** The text of the cell above each table's first header cell ('' when there is none): two syncs for all. */
async function titlesAbove(context: Excel.RequestContext, tables: Excel.Table[]): Promise<string[]> {
  if (tables.length === 0) return [];
  const headers = tables.map((table) => table.getHeaderRowRange().load('rowIndex,columnIndex'));
  await context.sync();
  const cells = tables.map((table, i) =>
    headers[i].rowIndex === 0 ? undefined : table.worksheet.getRangeByIndexes(headers[i].rowIndex - 1, headers[i].columnIndex, 1, 1).load('values'),
  );
  await context.sync();
  return cells.map((cell) => (cell ? String(cell.values[0][0]) : ''));
}
