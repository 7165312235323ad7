/**
 * Which sources a consumption request names: ids (read by http/params.ts), checked against
 * DCS's own lists of registers and virtual meters (so a wrong id is a clear 404, and an
 * instantaneous source is known before any readings are asked for).
 */
import { HttpError } from '../http/errors';
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
    throw new HttpError(
      404,
      'not_found',
      `id: there is no source ${id} that you may see in DCS; GET /api/sources (or =DCS.SOURCES()) lists the registers and virtual meters available to you`,
      'id',
    );
  }
  return source;
}
