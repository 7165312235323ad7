/**
 * Who is calling and with which DCS client. Accepted, in this order: `Authorization: Bearer`,
 * `Authorization: Basic`, the session cookie; with none of them, DCS's public endpoint when the
 * server allows it, else 401. Credentials that are present but wrong never fall back to public
 * access: the caller meant to be someone, and must learn that it failed.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { type DcsClient, DcsAuthenticationError } from 'dcs-client';
import type { AppContext } from './context';
import { HttpError, sendError } from './errors';
import type { DcsHandle, Principal } from '../session-handle';
import type { Session } from './sessions';
import { crossSiteCookieGuard } from './security';
import type { SignInOutcome } from '../shared-state';
import { readCookie, SESSION_COOKIE } from './session-cookie';

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Locals {
      /** Set by requireDcs: the DCS client to use for this request. */
      dcs?: DcsClient;
      /** Set by requireDcs: the caller. */
      principal?: Principal;
      /** Set by requireDcs: the client with its per-session cache. */
      handle?: DcsHandle;
      /** Set by requireDcs when the caller has a session (token, cookie or Basic). */
      session?: Session;
    }
  }
}

const SIGN_IN_HINT = 'sign in with POST /api/session, or send Authorization: Basic (DCS user name and password) or Bearer (a token from POST /api/session)';

/**
 * Resolves the caller and sets `res.locals.dcs`, `res.locals.principal` (and `handle`,
 * `session`); answers 401/429 itself when it cannot. A session is held busy until the
 * response ends, so it cannot expire under a running stream.
 */
export function requireDcs(ctx: AppContext): RequestHandler {
  const refuseCrossSite = crossSiteCookieGuard(ctx);
  return (req: Request, res: Response, next: NextFunction): void => {
    try {
      refuseHead(req);
      refuseCrossSite(req);
    } catch (error) {
      sendError(res, error);
      return;
    }
    resolveCaller(ctx, req).then(
      (handle) => {
        res.locals.dcs = handle.dcs;
        res.locals.principal = handle.principal;
        res.locals.handle = handle;
        if (isSession(handle)) {
          let endRequest: () => void;
          try {
            endRequest = ctx.requestsInProgress.begin(handle.principal.username, ctx.config.maxRequestsPerUser);
          } catch (error) {
            sendError(res, error);
            return;
          }
          res.locals.session = handle;
          const release = ctx.sessions.hold(handle);
          const done = (): void => {
            release();
            endRequest();
          };
          res.once('close', done);
          res.once('finish', done);
        }
        next();
      },
      (error: unknown) => {
        const answer = sendError(res, error);
        if (answer.status >= 500) ctx.logger.error('authentication failed', { error, path: req.path });
      },
    );
  };
}

/**
 * HEAD would run the same DCS pull as GET only to throw the body away (Express answers HEAD with
 * the GET route), so every route that reads DCS refuses it before anything is asked.
 */
function refuseHead(req: Request): void {
  if (req.method !== 'HEAD') return;
  throw new HttpError(405, 'method_not_allowed', `HEAD ${req.baseUrl}${req.path} would cost DCS the same pull as GET; use GET`, undefined, { Allow: 'GET' });
}

async function resolveCaller(ctx: AppContext, req: Request): Promise<DcsHandle> {
  const authorization = req.headers.authorization;
  if (authorization !== undefined && authorization.trim() !== '') {
    const [scheme, ...rest] = authorization.trim().split(/\s+/);
    const value = rest.join(' ');
    if (/^bearer$/i.test(scheme)) return sessionForToken(ctx, value, 'bearer token');
    if (/^basic$/i.test(scheme)) return sessionForBasic(ctx, req, value);
    throw new HttpError(401, 'unauthenticated', `Authorization scheme '${scheme}' is not supported; ${SIGN_IN_HINT}`, undefined, {
      'WWW-Authenticate': 'Basic realm="DCS", charset="UTF-8"',
    });
  }
  const cookieToken = readCookie(req, SESSION_COOKIE);
  if (cookieToken !== undefined) return sessionForToken(ctx, cookieToken, 'session cookie');
  if (ctx.config.dcsPublicAccess) return ctx.sessions.publicAccess();
  throw new HttpError(401, 'unauthenticated', `not signed in; ${SIGN_IN_HINT}`, undefined, {
    'WWW-Authenticate': 'Basic realm="DCS", charset="UTF-8"',
  });
}

async function sessionForToken(ctx: AppContext, token: string, what: string): Promise<Session> {
  const session = token === '' ? undefined : await ctx.sessions.byToken(token);
  if (!session) throw new HttpError(401, 'unauthenticated', `the ${what} is unknown or its session has expired; ${SIGN_IN_HINT}`);
  return session;
}

async function sessionForBasic(ctx: AppContext, req: Request, encoded: string): Promise<Session> {
  const { username, password } = decodeBasic(encoded);
  try {
    // Credentials with a live (or opening) session need no sign-in, so nothing to throttle.
    if (await ctx.sessions.hasBasic(username, password)) return await ctx.sessions.byBasic(username, password);
    return await throttledSignIn(ctx, req, { username, password }, () => ctx.sessions.byBasic(username, password));
  } catch (error) {
    if (error instanceof DcsAuthenticationError) {
      throw new HttpError(401, 'unauthenticated', 'DCS did not accept that user name and password (Authorization: Basic)', undefined, {
        'WWW-Authenticate': 'Basic realm="DCS", charset="UTF-8"',
      });
    }
    throw error;
  }
}

/**
 * Runs a DCS sign-in under the sign-in limiter (see `shared-state/sign-in-limiter`): refused with
 * 429 while this address has too many recent failures for this user name (or, for names never
 * signed in from here, overall); credentials DCS refused moments ago are refused again without
 * asking DCS. A refused password counts as a failure; a success or any other error does not.
 */
export async function throttledSignIn<T>(
  ctx: AppContext,
  req: Request,
  credentials: { username: string; password: string },
  signIn: () => Promise<T>,
): Promise<T> {
  const address = clientAddress(req);
  const { username, password } = credentials;
  const verdict = await ctx.sessions.signInLimiter.begin({ address, username, credentials: ctx.sessions.refusalKeyOf(username, password) });
  if (!verdict.allowed) {
    if (verdict.scope === 'refused-before') throw new DcsAuthenticationError('DCS refused these credentials moments ago; not asked again');
    ctx.logger.warn('sign-in attempts throttled', { address, user: username, scope: verdict.scope });
    throw new HttpError(429, 'too_many_sign_ins', throttledMessage(verdict.scope, verdict.retryAfterSeconds), undefined, {
      'Retry-After': String(verdict.retryAfterSeconds),
    });
  }
  let outcome: SignInOutcome = 'failed';
  try {
    const result = await signIn();
    outcome = 'accepted';
    return result;
  } catch (error) {
    if (error instanceof DcsAuthenticationError) outcome = 'refused';
    throw error;
  } finally {
    // The sign-in's own outcome is what the caller must learn; a counter that cannot be updated only loses one count.
    await verdict.finish(outcome).catch((error: unknown) => ctx.logger.warn('could not update the sign-in counters', { error }));
  }
}

function throttledMessage(scope: 'user' | 'address', seconds: number): string {
  return scope === 'user'
    ? `too many failed sign-ins for this user name from this address; check the user name and password, and try again in ${seconds} s`
    : `too many failed sign-ins from this address for user names not signed in from here before; check the user name and password, and try again in ${seconds} s (users who signed in from this address within the last day are not affected)`;
}

/** The caller's address: the peer, or with TRUST_PROXY the client a trusted proxy names in X-Forwarded-For. */
export function clientAddress(req: Request): string {
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

function decodeBasic(encoded: string): { username: string; password: string } {
  const text = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = text.indexOf(':');
  if (encoded === '' || colon < 1) {
    throw new HttpError(401, 'unauthenticated', 'Authorization: Basic must carry base64 of "username:password"');
  }
  return { username: text.slice(0, colon), password: text.slice(colon + 1) };
}

/**
 * Whether the request carries a live session on this instance (token, cookie, or Basic credentials
 * already signed in), without signing in, answering or asking the shared state. For answers that show more to signed-in callers.
 */
export function isSignedIn(ctx: AppContext, req: Request): boolean {
  const token = presentedToken(req);
  if (token !== undefined && token !== '' && ctx.sessions.knownHere({ token })) return true;
  const authorization = req.headers.authorization?.trim() ?? '';
  if (!/^basic\s+/i.test(authorization)) return false;
  try {
    const { username, password } = decodeBasic(authorization.replace(/^basic\s+/i, ''));
    return ctx.sessions.knownHere({ username, password });
  } catch {
    return false;
  }
}

/** The caller's session token from Bearer or the cookie, if any (for /api/session itself). */
export function presentedToken(req: Request): string | undefined {
  const authorization = req.headers.authorization?.trim();
  if (authorization !== undefined && /^bearer\s+/i.test(authorization)) return authorization.replace(/^bearer\s+/i, '');
  return readCookie(req, SESSION_COOKIE);
}

function isSession(handle: DcsHandle): handle is Session {
  return 'key' in handle && 'busy' in handle;
}
