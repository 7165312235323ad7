/**
 * The Express application: security headers and CORS, request logging, the API under /api,
 * the OData feed under /odata, and the built add-in (dist/) at the root, all on one origin.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import express, { type NextFunction, type Request, type Response } from 'express';
import { createODataRouter } from './odata';
import { servedManifest } from './http/addin-manifest';
import type { AppContext } from './http/context';
import { HttpError, sendError } from './http/errors';
import { configureTrustProxy, linkBase } from './http/public-url';
import { cors, originCheck, securityHeaders } from './http/security';
import { createBillsRouter } from './routes/bills';
import { createConsumptionRouter } from './routes/consumption';
import { createCusumRouter } from './routes/cusum';
import { createTypicalDayRouter } from './routes/typical-day';
import { createHealthRouter } from './routes/health';
import { createGroupsRouter } from './routes/groups';
import { createIntervalsRouter } from './routes/intervals';
import { createReadingsRouter } from './routes/readings';
import { createSessionRouter } from './routes/session';
import { createSourcesRouter } from './routes/sources';

export function createApp(ctx: AppContext): express.Express {
  const app = express();
  app.disable('x-powered-by');
  configureTrustProxy(app, ctx);

  app.use(requestLog(ctx));
  app.use(securityHeaders());
  app.use(cors(ctx));
  app.use(originCheck(ctx));
  app.use(linkBase(ctx));

  const api = express.Router();
  api.use((_req, res, next) => {
    res.setHeader('Cache-Control', 'no-store');
    next();
  });
  api.use(createHealthRouter(ctx));
  api.use(createSessionRouter(ctx));
  api.use(createSourcesRouter(ctx));
  api.use(createGroupsRouter(ctx));
  api.use(createReadingsRouter(ctx));
  api.use(createConsumptionRouter(ctx));
  api.use(createIntervalsRouter(ctx));
  api.use(createCusumRouter(ctx));
  api.use(createTypicalDayRouter(ctx));
  api.use(createBillsRouter(ctx));
  api.use((req: Request) => {
    throw new HttpError(404, 'not_found', `${req.method} /api${req.path} does not exist; see docs/http-api.md for the routes`);
  });
  app.use('/api', api);
  app.use('/odata', createODataRouter(ctx));

  app.use(addinFiles(ctx));

  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const answer = sendError(res, error);
    if (answer.status >= 500) ctx.logger.error('request failed', { method: req.method, path: req.path, error });
    if (res.headersSent && !res.writableEnded) res.destroy();
  });
  return app;
}

/** The built add-in: taskpane.html, manifest.xml, assets/... HTML and the manifest are never cached stale. */
function addinFiles(ctx: AppContext): express.Handler {
  const dir = ctx.config.staticDir;
  const files = express.static(dir, {
    index: false,
    setHeaders: (res, file) => {
      if (/\.(html|xml|md)$/i.test(file)) res.setHeader('Cache-Control', 'no-cache');
      // The guides (docs/*.md), linked from the help page: shown as text in the browser, not downloaded.
      if (/\.md$/i.test(file)) res.setHeader('Content-Type', 'text/plain; charset=utf-8');
    },
  });
  const router = express.Router();
  router.get('/', (_req, res, next) => {
    // Relative, so that behind a proxy under a path (/metering/) the browser stays under it.
    if (fs.existsSync(path.join(dir, 'taskpane.html'))) return res.redirect('taskpane.html');
    if (!fs.existsSync(dir)) {
      res.status(404).type('text/plain').send(`The add-in is not built (no ${dir}). Run "npm run build", or "npm start", which builds it.\n`);
      return;
    }
    next();
  });
  // Source maps would publish the add-in's source; production builds make none, and a stale one
  // left in dist/ by a development build is not served either.
  router.use((req, res, next) => {
    if (!/\.map$/i.test(req.path)) return next();
    res.status(404).type('text/plain').send('Source maps are not served.\n');
  });
  router.get('/manifest.xml', servedManifest(ctx));
  router.use(files);
  return router;
}

/** One log line per request, after it ends: no query values that look secret, no headers. */
function requestLog(ctx: AppContext): express.Handler {
  return (req: Request, res: Response, next: NextFunction): void => {
    const started = process.hrtime.bigint();
    res.once('close', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const fields = {
        method: req.method,
        path: req.originalUrl.split('?')[0],
        query: req.query,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
        complete: res.writableFinished,
        user: res.locals.principal?.username,
      };
      if (res.statusCode >= 500 || !res.writableFinished) ctx.logger.warn('request', fields);
      else ctx.logger.info('request', fields);
    });
    next();
  };
}
