/**
 * GET /api/sources[?q=text]: every register and virtual meter the caller may read, one flat
 * list, as the add-in's source picker and Power Query's navigator want it, from the session's
 * catalogue (`server/catalogue`).
 */
import { Router, type Request, type Response } from 'express';
import { filterSources, loadCatalogue } from '../catalogue';
import { requireDcs } from '../http/auth';
import type { AppContext } from '../http/context';
import { singleText } from '../http/params';

export function createSourcesRouter(ctx: AppContext): Router {
  const router = Router();
  router.get('/sources', requireDcs(ctx), async (req: Request, res: Response) => {
    const q = singleText(req.query.q, 'q');
    const { sources } = await loadCatalogue(res.locals.handle!);
    res.json(q === undefined ? sources : filterSources(sources, q));
  });
  return router;
}
