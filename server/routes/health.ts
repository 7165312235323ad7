/**
 * GET /api/health: whether the server is up and which DCS it serves. Needs no sign-in and does
 * not call DCS, so it answers fast for load balancers and for the add-in's first contact.
 */
import { Router } from 'express';
import type { Health } from '../api/types';
import { projectVersion } from '../config';
import type { AppContext } from '../http/context';

export function createHealthRouter(ctx: AppContext): Router {
  const router = Router();
  const version = projectVersion();
  router.get('/health', (_req, res) => {
    const health: Health = {
      status: 'ok',
      dcsUrl: ctx.dcsUrl,
      simulator: ctx.simulator,
      publicAccess: ctx.config.dcsPublicAccess,
      version,
    };
    res.json(health);
  });
  return router;
}
