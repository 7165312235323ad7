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

async function readSetting(context: Excel.RequestContext, key: string): Promise<unknown> {
  const setting = context.workbook.settings.getItemOrNullObject(key);
  setting.load('value');
  await context.sync();
  return setting.isNullObject ? undefined : setting.value;
}

async function readList(context: Excel.RequestContext, key: string): Promise<string[]> {
  const value = await readSetting(context, key);
  if (typeof value !== 'string') return [];
  try {
    const items: unknown = JSON.parse(value);
    return Array.isArray(items) ? items.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers (or updates) the query behind a table. */
export async function saveTableQuery(
  context: Excel.RequestContext,
  table: { id: string; name: string },
  query: SavedQuery,
  title: string,
  now: Date,
): Promise<void> {
  const ids = await readList(context, INDEX_KEY);
  if (!ids.includes(table.id)) ids.push(table.id);
  const stored: StoredQuery = { query, name: table.name, title, refreshedAt: now.toISOString() };
  context.workbook.settings.add(QUERY_KEY_PREFIX + table.id, JSON.stringify(stored));
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

/** Every table this workbook remembers a query for, in the order they were created. */
export async function loadSavedTables(context: Excel.RequestContext): Promise<SavedTable[]> {
  await migrateNameKeys(context);
  const result: SavedTable[] = [];
  for (const id of await readList(context, INDEX_KEY)) {
    const value = await readSetting(context, QUERY_KEY_PREFIX + id);
    if (typeof value !== 'string') {
      result.push({ id, table: id, problem: 'its saved query is missing' });
      continue;
    }
    let name = id;
    try {
      const stored = JSON.parse(value) as Partial<StoredQuery>;
      if (typeof stored.name === 'string') name = stored.name;
      const query = parseSavedQuery(stored.query);
      result.push({ id, table: name, query, title: typeof stored.title === 'string' ? stored.title : '' });
    } catch (error) {
      result.push({ id, table: name, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}

/** A stored query checked field by field, by its kind (a readings query has no `kind`). */
function parseSavedQuery(query: unknown): SavedQuery {
  const text = JSON.stringify(query);
  const kind = typeof query === 'object' && query !== null ? (query as { kind?: unknown }).kind : undefined;
  return kind === 'intervals' ? parseIntervalsQuery(text) : parseTableQuery(text);
}

/** Moves queries remembered by table name (earlier versions) to the tables' ids. */
async function migrateNameKeys(context: Excel.RequestContext): Promise<void> {
  for (const legacy of LEGACY_KEYS) await migrateLegacyKeys(context, legacy.index, legacy.prefix);
}

async function migrateLegacyKeys(context: Excel.RequestContext, indexKey: string, prefix: string): Promise<void> {
  const names = await readList(context, indexKey);
  if (names.length === 0) return;
  for (const name of names) {
    const value = await readSetting(context, prefix + name);
    const table = context.workbook.tables.getItemOrNullObject(name);
    table.load('id');
    await context.sync();
    if (!table.isNullObject && typeof value === 'string') {
      try {
        const stored = JSON.parse(value) as StoredQuery;
        await saveTableQuery(context, { id: table.id, name }, stored.query, stored.title ?? '', new Date(stored.refreshedAt ?? 0));
      } catch {
        // An unreadable legacy entry cannot be refreshed anyway: dropped with the rest below.
      }
    }
    if (value !== undefined) context.workbook.settings.getItem(prefix + name).delete();
  }
  context.workbook.settings.getItem(indexKey).delete();
  await context.sync();
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
  const tables: Excel.Table[] = [];
  for (let i = 0; i < count.value; i++) {
    const table = context.workbook.tables.getItemAt(i);
    table.load('id,name');
    tables.push(table);
  }
  await context.sync();
  const adopted: string[] = [];
  for (const table of tables.filter((t) => !known.has(t.id))) {
    const title = await titleAbove(context, table);
    const original = saved.find((s) => s.title === title);
    if (!original?.query) continue;
    await saveTableQuery(context, { id: table.id, name: table.name }, original.query, original.title, now);
    adopted.push(table.name);
  }
  return adopted;
}

/** The text of the cell above a table's first header cell ('' when there is none). */
async function titleAbove(context: Excel.RequestContext, table: Excel.Table): Promise<string> {
  const header = table.getHeaderRowRange();
  header.load('rowIndex,columnIndex');
  await context.sync();
  if (header.rowIndex === 0) return '';
  const cell = table.worksheet.getRangeByIndexes(header.rowIndex - 1, header.columnIndex, 1, 1);
  cell.load('values');
  await context.sync();
  return String(cell.values[0][0]);
}
