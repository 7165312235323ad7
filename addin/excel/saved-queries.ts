import { parseTableQuery, type TableQuery } from '../query/table-query';

/**
 * The queries behind the add-in's tables, kept in the workbook's settings for this add-in
 * (context.workbook.settings: saved with the file, visible only to this add-in). One setting per
 * table, keyed by the table's name, plus an index of the table names so they can be listed.
 * Never holds credentials or tokens: only what to pull and how.
 */
const INDEX_KEY = 'DCS.tables';
const QUERY_KEY_PREFIX = 'DCS.query.';

interface StoredQuery {
  query: TableQuery;
  /** The title line written above the table, so a refresh updates it only if the user left it. */
  title: string;
  refreshedAt: string;
}

/** One remembered table: its query, or why the query cannot be used. */
export type SavedTable =
  | { table: string; query: TableQuery; title: string; problem?: undefined }
  | { table: string; query?: undefined; title?: undefined; problem: string };

async function readSetting(context: Excel.RequestContext, key: string): Promise<unknown> {
  const setting = context.workbook.settings.getItemOrNullObject(key);
  setting.load('value');
  await context.sync();
  return setting.isNullObject ? undefined : setting.value;
}

async function readIndex(context: Excel.RequestContext): Promise<string[]> {
  const value = await readSetting(context, INDEX_KEY);
  if (typeof value !== 'string') return [];
  try {
    const names: unknown = JSON.parse(value);
    return Array.isArray(names) ? names.filter((n): n is string => typeof n === 'string') : [];
  } catch {
    return [];
  }
}

/** Remembers (or updates) the query behind a table. Takes effect at the caller's next sync. */
export async function saveTableQuery(context: Excel.RequestContext, table: string, query: TableQuery, title: string, now: Date): Promise<void> {
  const names = await readIndex(context);
  if (!names.includes(table)) names.push(table);
  const stored: StoredQuery = { query, title, refreshedAt: now.toISOString() };
  context.workbook.settings.add(QUERY_KEY_PREFIX + table, JSON.stringify(stored));
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(names));
  await context.sync();
}

/** Forgets a table's query (e.g. the table was deleted). */
export async function forgetTable(context: Excel.RequestContext, table: string): Promise<void> {
  const names = (await readIndex(context)).filter((name) => name !== table);
  const setting = context.workbook.settings.getItemOrNullObject(QUERY_KEY_PREFIX + table);
  await context.sync();
  if (!setting.isNullObject) setting.delete();
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(names));
  await context.sync();
}

/** Every table this workbook remembers a query for, in the order they were created. */
export async function loadSavedTables(context: Excel.RequestContext): Promise<SavedTable[]> {
  const result: SavedTable[] = [];
  for (const table of await readIndex(context)) {
    const value = await readSetting(context, QUERY_KEY_PREFIX + table);
    if (typeof value !== 'string') {
      result.push({ table, problem: 'its saved query is missing' });
      continue;
    }
    try {
      const stored = JSON.parse(value) as Partial<StoredQuery>;
      const query = parseTableQuery(JSON.stringify(stored.query));
      result.push({ table, query, title: typeof stored.title === 'string' ? stored.title : '' });
    } catch (error) {
      result.push({ table, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
