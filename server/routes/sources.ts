/**
 * GET /api/sources[?q=words]: every register and virtual meter the caller may read (or those
 * matching every word of q, in any order: sources/source-match.ts), one flat
 * list, as the add-in's source picker and Power Query's navigator want it. DCS has no search
 * and no "one meter" call, so the whole list is fetched and kept briefly per session.
 */
import { Router, type Request, type Response } from 'express';
import type { Source } from '../api/types';
import type { DcsClient } from 'dcs-client';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { refuseUnknownParameters, singleText } from '../http/params';
import { matchingSources } from '../sources/source-match';

/** How long a session reuses its meter list before asking DCS again. */
export const SOURCES_CACHE_MS = 60_000;

export function createSourcesRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/sources', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, ['q'], 'GET /api/sources');
    const q = singleText(req.query.q, 'q');
    const handle = res.locals.handle!;
    const all = await handle.cache.remember('sources', SOURCES_CACHE_MS, () => loadSources(handle.dcs));
    res.json(q === undefined ? all : matchingSources(all, q));
  });
  return router;
}

export async function loadSources(dcs: DcsClient): Promise<Source[]> {
  // One after the other: the client allows one DCS transaction at a time per session anyway.
  const meters = await dcs.meters();
  const virtualMeters = await dcs.virtualMeters();
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
  return sources;
}
