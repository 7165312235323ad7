/**
 * Which sources a consumption request names: ids read from the query string, checked against
 * DCS's own lists of registers and virtual meters (so a wrong id is a clear 404, and an
 * instantaneous source is known before any readings are asked for).
 */
import { badParameter, HttpError } from '../http/errors';
import type { DcsHandle } from '../http/sessions';
import { loadSources, SOURCES_CACHE_MS } from '../routes/sources';

export interface ConsumptionSource {
  /** Normalised: `R733`, `VM9`. */
  id: string;
  kind: 'register' | 'virtualMeter';
  name: string;
  unit: string;
  isInstantaneous: boolean;
}

/** The most ids one request may name; each is a separate pull from DCS. */
export const MAX_IDS = 50;

const SOURCE_ID = /^(r|vm)(\d{1,10})$/i;

/**
 * Ids from `id` query values, each possibly comma-separated, normalised, duplicates removed
 * (first occurrence kept, so results come back in the order asked).
 */
export function parseSourceIds(values: readonly string[]): string[] {
  const ids: string[] = [];
  for (const part of values.flatMap((value) => value.split(','))) {
    const text = part.trim();
    if (text === '') continue;
    const match = SOURCE_ID.exec(text);
    if (!match) {
      throw badParameter('id', `'${text}' is not a source id; use R<register id> or VM<virtual meter id>, e.g. R101 or VM3 (GET /api/sources lists them)`);
    }
    const id = `${match[1].toUpperCase()}${Number(match[2])}`;
    if (!ids.includes(id)) ids.push(id);
  }
  if (ids.length === 0) throw badParameter('id', 'missing; give one or more source ids, e.g. id=R101 or id=R101,VM3');
  if (ids.length > MAX_IDS) throw badParameter('id', `${ids.length} ids given; ask for at most ${MAX_IDS} per request`);
  return ids;
}

/**
 * Every register and virtual meter the caller may see, by id. Shares the session's cached list
 * with GET /api/sources, so a sheet full of formulas asks DCS for it once a minute at most.
 */
export async function loadCatalogue(handle: DcsHandle): Promise<Map<string, ConsumptionSource>> {
  const sources = await handle.cache.remember('sources', SOURCES_CACHE_MS, () => loadSources(handle.dcs));
  const catalogue = new Map<string, ConsumptionSource>();
  for (const source of sources) {
    catalogue.set(source.id, {
      id: source.id,
      kind: source.kind,
      name: source.meter ? `${source.meter.name}: ${source.name}` : source.name,
      unit: source.unit,
      isInstantaneous: source.isInstantaneous,
    });
  }
  return catalogue;
}

export function findSource(catalogue: Map<string, ConsumptionSource>, id: string): ConsumptionSource {
  const source = catalogue.get(id);
  if (!source) {
    throw new HttpError(404, 'not_found', `id: there is no source ${id} that you may see in DCS; GET /api/sources (or =DCS.SOURCES()) lists the registers and virtual meters available to you`, 'id');
  }
  return source;
}
