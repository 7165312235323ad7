/**
 * The catalogue: every meter, register and virtual meter the session's DCS account may see,
 * fetched once (meters, then virtual meters) and kept a minute per session under one typed key.
 * DCS has no search and no "one meter" call, so every surface works from this one copy:
 * GET /api/sources, consumption and intervals (which ids exist, which are instantaneous), OData's
 * Sources, Meters and VirtualMeters, and the readings store's access check.
 */
import type { Source } from '../api/types';
import type { Meter, VirtualMeter } from 'dcs-client';
import { RequestError } from '../request-errors';
import { looksLikeGroupId } from '../groups/group';
import { CacheKey, type DcsHandle } from '../session-handle';

/** How long a session reuses its catalogue before asking DCS again. */
export const CATALOGUE_CACHE_MS = 60_000;

/** One source as the calculations see it. */
export interface CatalogueSource {
  /** Normalised: `R733`, `VM9`. */
  id: string;
  kind: 'register' | 'virtualMeter';
  /** A register's name is prefixed with its meter's: `Main Library: Electricity import`. */
  name: string;
  unit: string;
  isInstantaneous: boolean;
}

export interface Catalogue {
  /** DCS's meters, each with its registers, as DCS lists them. */
  readonly meters: readonly Meter[];
  readonly virtualMeters: readonly VirtualMeter[];
  /** Registers then virtual meters, one flat list: the wire shape of GET /api/sources. */
  readonly sources: readonly Source[];
  /** Every source by its id. */
  readonly byId: ReadonlyMap<string, CatalogueSource>;
}

const CATALOGUE = new CacheKey<Catalogue>('catalogue');

/**
 * The session's catalogue: cached, so a sheet full of formulas asks DCS for it once a minute at most.
 * `maxAgeMs`: a caller that must see revoked access sooner (the readings store's access check)
 * takes the cached copy only if it is at most that old.
 */
export function loadCatalogue(handle: Pick<DcsHandle, 'dcs' | 'cache'>, maxAgeMs = CATALOGUE_CACHE_MS): Promise<Catalogue> {
  return handle.cache.remember(
    CATALOGUE,
    CATALOGUE_CACHE_MS,
    async () => {
      // One after the other: the client allows one DCS transaction at a time per session anyway.
      const meters = await handle.dcs.meters();
      const virtualMeters = await handle.dcs.virtualMeters();
      return catalogueOf(meters, virtualMeters);
    },
    maxAgeMs,
  );
}

function catalogueOf(meters: Meter[], virtualMeters: VirtualMeter[]): Catalogue {
  const sources: Source[] = [];
  for (const meter of meters) {
    for (const register of meter.registers) {
      sources.push({
        id: `R${register.id}`,
        kind: 'register',
        name: register.name,
        unit: register.unit,
        isInstantaneous: register.isInstantaneous,
        meter: { id: meter.id, name: meter.name },
      });
    }
  }
  for (const vm of virtualMeters) {
    sources.push({ id: `VM${vm.id}`, kind: 'virtualMeter', name: vm.name, unit: vm.unit, isInstantaneous: vm.isInstantaneous });
  }
  const byId = new Map<string, CatalogueSource>();
  for (const source of sources) {
    byId.set(source.id, {
      id: source.id,
      kind: source.kind,
      name: source.meter ? `${source.meter.name}: ${source.name}` : source.name,
      unit: source.unit,
      isInstantaneous: source.isInstantaneous,
    });
  }
  return { meters, virtualMeters, sources, byId };
}

/** The source with this (normalised) id; an UNKNOWN_SOURCE error naming `id` when the caller cannot see it. */
export function findSource(catalogue: Catalogue, id: string): CatalogueSource {
  const source = catalogue.byId.get(id);
  if (!source && looksLikeGroupId(id)) {
    throw new RequestError(
      'BAD_PARAMETER',
      `id: ${id} is a group; here give one source (R<register id> or VM<virtual meter id>), e.g. one of the group's members`,
      'id',
    );
  }
  if (!source) {
    throw new RequestError(
      'UNKNOWN_SOURCE',
      `id: there is no source ${id} that you may see in DCS; GET /api/sources (or =DCS.SOURCES()) lists the registers and virtual meters available to you`,
      'id',
    );
  }
  return source;
}
