/**
 * /api/session: sign in (POST), who am I (GET), sign out (DELETE).
 *
 * The token is returned once, in the body (for callers that cannot keep cookies: Power Query,
 * custom functions, or a browser that refuses the cookie) and as an HttpOnly cookie (for the
 * task pane). Over HTTPS the cookie is `Secure; SameSite=None; Partitioned` because Excel on
 * the web shows the add-in in a cross-site frame; over plain HTTP browsers refuse
 * SameSite=None without Secure, so it is `SameSite=Lax`.
 */
import express, { Router, type Request, type Response } from 'express';
import type { SessionInfo } from '../api/types';
import { DcsAuthenticationError } from 'dcs-client';
import { presentedToken, requireDcs, throttledSignIn } from '../http/auth';
import { SESSION_COOKIE } from '../http/session-cookie';
import type { AppContext } from '../http/context';
import { HttpError } from '../http/errors';
import { takesNoParameters } from '../http/params';
import { badParameter } from '../request-errors';

export function createSessionRouter(ctx: AppContext): Router {
  const router = Router();
  const json = express.json({ limit: '16kb', type: ['application/json', 'application/*+json'] });

  router.post('/session', takesNoParameters('POST /api/session'), json, async (req: Request, res: Response) => {
    const { username, password } = readCredentials(req.body);
    let opened;
    try {
      opened = await throttledSignIn(ctx, req, { username, password }, () => ctx.sessions.signIn(username, password));
    } catch (error) {
      if (error instanceof DcsAuthenticationError) {
        throw new HttpError(401, 'unauthenticated', 'DCS did not accept that user name and password; check them and try again');
      }
      throw error;
    }
    const previous = presentedToken(req);
    const replaced = previous === undefined ? undefined : await ctx.sessions.byToken(previous);
    if (replaced) void ctx.sessions.end(replaced, 'signed in again');
    res.setHeader('Set-Cookie', sessionCookie(ctx, opened.token));
    const body: SessionInfo = { username: opened.info.username, role: opened.info.role, token: opened.token };
    res.status(200).json(body);
  });

  router.get('/session', requireDcs(ctx), takesNoParameters('GET /api/session'), (_req: Request, res: Response) => {
    const principal = res.locals.principal!;
    const body: SessionInfo = principal.public
      ? { username: principal.username, role: principal.role, public: true }
      : { username: principal.username, role: principal.role };
    res.json(body);
  });

  router.delete('/session', takesNoParameters('DELETE /api/session'), async (req: Request, res: Response) => {
    const token = presentedToken(req);
    const session = token === undefined ? undefined : await ctx.sessions.byToken(token);
    if (session) await ctx.sessions.end(session, 'signed out');
    res.setHeader('Set-Cookie', sessionCookie(ctx, '', 0));
    res.status(204).end();
  });

  return router;
}

function readCredentials(body: unknown): { username: string; password: string } {
  if (body === null || typeof body !== 'object' || Array.isArray(body)) {
    throw badParameter('body', 'send a JSON object {"username": "...", "password": "..."} with Content-Type: application/json');
  }
  const { username, password } = body as Record<string, unknown>;
  if (typeof username !== 'string' || username.trim() === '') {
    throw badParameter('username', 'missing; give the DCS user name as a non-empty string');
  }
  if (typeof password !== 'string' || password === '') {
    throw badParameter('password', 'missing; give the DCS password as a non-empty string');
  }
  return { username: username.trim(), password };
}

export function sessionCookie(ctx: AppContext, token: string, maxAgeSeconds?: number): string {
  const parts = [`${SESSION_COOKIE}=${encodeURIComponent(token)}`, 'Path=/', 'HttpOnly'];
  // Partitioned (CHIPS): browsers that block third-party cookies still keep this one for the
  // add-in's frame inside Excel on the web; browsers that do not know the attribute ignore it.
  if (ctx.config.https) parts.push('Secure', 'SameSite=None', 'Partitioned');
  else parts.push('SameSite=Lax');
  if (maxAgeSeconds !== undefined) parts.push(`Max-Age=${maxAgeSeconds}`);
  return parts.join('; ');
}
