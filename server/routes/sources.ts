/**
 * GET /api/sources[?q=words]: every register and virtual meter the caller may read (or those
 * matching every word of q, in any order: sources/source-match.ts), one flat list, as the add-in's
 * source picker and Power Query's navigator want it, from the session's catalogue
 * (`server/catalogue`).
 */
import { Router, type Request, type Response } from 'express';
import { loadCatalogue } from '../catalogue';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { refuseUnknownParameters, singleText } from '../http/params';
import { matchingSources } from '../sources/source-match';

export function createSourcesRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/sources', requireDcs(ctx), async (req: Request, res: Response) => {
    refuseUnknownParameters(req.query, ['q'], 'GET /api/sources');
    const q = singleText(req.query.q, 'q');
    const { sources } = await loadCatalogue(res.locals.handle!);
    res.json(q === undefined ? sources : matchingSources(sources, q));
  });
  return router;
}
