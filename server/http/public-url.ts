/**
 * The base URL of links the server sends back (`@odata.context`, `@odata.nextLink`): PUBLIC_URL
 * when configured; else, for a request that came through a trusted proxy (TRUST_PROXY), the
 * proxy's X-Forwarded-Proto/-Host/-Prefix; else the server's own listening URL. A request's raw
 * Host or X-Forwarded-Host never shapes a link on its own: a forged header would otherwise put
 * an attacker's host into links that Power BI follows with the user's credentials.
 */
import type { Express, NextFunction, Request, Response } from 'express';
import type { AppContext } from './context';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set for every request by `linkBase`: scheme://host[:port][/prefix], no trailing slash. */
      linkBase?: string;
    }
  }
}

const HOST = /^(?:[A-Za-z0-9.-]+|\[[0-9A-Fa-f:.]+\])(?::\d{1,5})?$/;
const PREFIX = /^\/[A-Za-z0-9._~/-]*$/;

/** Tells Express which proxies to believe (req.ip, req.protocol, req.host follow from it). */
export function configureTrustProxy(app: Express, ctx: AppContext): void {
  app.set('trust proxy', ctx.config.trustProxy.length > 0 ? ctx.config.trustProxy.join(',') : false);
}

/** Middleware: works out the request's link base once, for every router. */
export function linkBase(ctx: AppContext) {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.locals.linkBase = linkBaseFor(ctx, req);
    next();
  };
}

function linkBaseFor(ctx: AppContext, req: Request): string {
  return publicBaseFor(ctx, req) ?? ctx.listeningUrl ?? 'http://localhost';
}

/**
 * The address callers reach the server at, when it is known for sure: PUBLIC_URL, or what a proxy
 * named in TRUST_PROXY forwarded. Undefined for a caller that came straight to the server.
 */
export function publicBaseFor(ctx: AppContext, req: Request): string | undefined {
  if (ctx.config.publicUrl !== undefined) return ctx.config.publicUrl;
  if (fromTrustedProxy(req)) {
    const host = req.host;
    if (HOST.test(host)) return `${req.protocol}://${host}${forwardedPrefix(req)}`;
  }
  return undefined;
}

/** True when the connection's peer is a proxy named in TRUST_PROXY (never the case without it). */
function fromTrustedProxy(req: Request): boolean {
  const trust = req.app.get('trust proxy fn') as ((address: string | undefined, hop: number) => boolean) | undefined;
  return trust !== undefined && trust(req.socket.remoteAddress, 0);
}

function forwardedPrefix(req: Request): string {
  const value = req.headers['x-forwarded-prefix'];
  const first = (Array.isArray(value) ? value[0] : value)?.split(',')[0]?.trim();
  return first !== undefined && PREFIX.test(first) ? first.replace(/\/+$/, '') : '';
}
