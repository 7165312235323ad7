/**
 * GET /api/health: whether the server is up and which DCS it serves. Needs no sign-in and does
 * not call DCS, so it answers fast for load balancers and for the add-in's first contact. The DCS
 * URL (an internal address, worth knowing to an attacker) is shown only to signed-in callers.
 */
import { Router } from 'express';
import type { Health } from '../api/types';
import { projectVersion } from '../config';
import { isSignedIn } from '../http/auth';
import type { AppContext } from '../http/context';
import { takesNoParameters } from '../http/params';

export function createHealthRouter(ctx: AppContext): Router {
  const router = Router();
  const version = projectVersion();
  router.get('/health', takesNoParameters('GET /api/health'), (req, res) => {
    const health: Health = {
      status: 'ok',
      simulator: ctx.simulator,
      publicAccess: ctx.config.dcsPublicAccess,
      version,
    };
    if (isSignedIn(ctx, req)) health.dcsUrl = ctx.dcsUrl;
    res.json(health);
  });
  return router;
}
