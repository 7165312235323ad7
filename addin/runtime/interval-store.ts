import { parseIntervalsQuery, type IntervalsQuery } from '../query/intervals-query';

/**
 * The queries behind the pane's calculated tables (consumption, statistics), in the workbook's
 * settings for this add-in, apart from the readings tables' own (saved-queries.ts), so each
 * Refresh knows its kind. One setting per table plus an index. Never holds credentials.
 */
const INDEX_KEY = 'DCS.intervalTables';
const QUERY_KEY_PREFIX = 'DCS.intervals.';

interface StoredIntervals {
  query: IntervalsQuery;
  title: string;
  refreshedAt: string;
}

export type SavedIntervalTable =
  | { table: string; query: IntervalsQuery; title: string; problem?: undefined }
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

export async function saveIntervalTable(context: Excel.RequestContext, table: string, stored: Omit<StoredIntervals, 'refreshedAt'>, now: Date): Promise<void> {
  const names = await readIndex(context);
  if (!names.includes(table)) names.push(table);
  context.workbook.settings.add(QUERY_KEY_PREFIX + table, JSON.stringify({ ...stored, refreshedAt: now.toISOString() }));
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(names));
  await context.sync();
}

export async function forgetIntervalTable(context: Excel.RequestContext, table: string): Promise<void> {
  const names = (await readIndex(context)).filter((name) => name !== table);
  const setting = context.workbook.settings.getItemOrNullObject(QUERY_KEY_PREFIX + table);
  await context.sync();
  if (!setting.isNullObject) setting.delete();
  context.workbook.settings.add(INDEX_KEY, JSON.stringify(names));
  await context.sync();
}

export async function loadIntervalTables(context: Excel.RequestContext): Promise<SavedIntervalTable[]> {
  const result: SavedIntervalTable[] = [];
  for (const table of await readIndex(context)) {
    const value = await readSetting(context, QUERY_KEY_PREFIX + table);
    try {
      if (typeof value !== 'string') throw new Error('its saved query is missing');
      const stored = JSON.parse(value) as Partial<StoredIntervals>;
      result.push({ table, query: parseIntervalsQuery(JSON.stringify(stored.query)), title: typeof stored.title === 'string' ? stored.title : '' });
    } catch (error) {
      result.push({ table, problem: error instanceof Error ? error.message : String(error) });
    }
  }
  return result;
}
