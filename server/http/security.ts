/**
 * Response headers that keep browsers safe without breaking Office: the add-in's pages must be
 * framable by Office on the web and must load Office.js from Microsoft's CDN, so there is no
 * X-Frame-Options and frame-ancestors allows HTTPS ancestors (Office on the web frames add-ins
 * from several Microsoft domains and tenants' SharePoint hosts; plain-HTTP framers are refused).
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { AppContext } from './context';
import { HttpError } from './errors';
import { readCookie, SESSION_COOKIE } from './session-cookie';

const OFFICE_JS = 'https://appsforoffice.microsoft.com';
/** Office.js pulls MicrosoftAjax from here on some hosts, and sends telemetry to Aria. */
const OFFICE_JS_EXTRAS = 'https://ajax.aspnetcdn.com';
const OFFICE_TELEMETRY = 'https://*.aria.microsoft.com';
/** Fabric / Fluent core CSS and fonts, as the Office add-in templates link them. */
const OFFICE_CDN = ['https://res-1.cdn.office.net', 'https://static2.sharepointonline.com'];

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  `script-src 'self' ${OFFICE_JS} ${OFFICE_JS_EXTRAS}`,
  `style-src 'self' 'unsafe-inline' ${OFFICE_CDN.join(' ')}`,
  `font-src 'self' data: ${OFFICE_CDN.join(' ')}`,
  "img-src 'self' data: https:",
  `connect-src 'self' ${OFFICE_JS} ${OFFICE_TELEMETRY}`,
  `frame-src 'self' ${OFFICE_JS}`,
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'self'",
  "frame-ancestors 'self' https:",
].join('; ');

/** One year: browsers keep using HTTPS for this host even if someone types http://. */
const HSTS = 'max-age=31536000';

export function securityHeaders(): RequestHandler {
  return (req: Request, res: Response, next: NextFunction): void => {
    res.setHeader('X-Content-Type-Options', 'nosniff');
    res.setHeader('Referrer-Policy', 'no-referrer');
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    // HSTS applies to a host name on every port: sent for localhost it would force HTTPS onto
    // every other local development server in that browser, so loopback names are left out.
    if (req.secure && !isLoopbackName(req.hostname)) res.setHeader('Strict-Transport-Security', HSTS);
    next();
  };
}

function isLoopbackName(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\./.test(host);
}

/**
 * Whether a page of this server sent the request: its origin names the host the browser sent the
 * request to. The scheme is not compared, because behind a proxy that terminates TLS this server
 * sees plain HTTP while the page is HTTPS; a page on another site cannot choose our Host header.
 */
function isSameOrigin(req: Request, origin: string): boolean {
  if (origin === `${req.protocol}://${req.host}`) return true;
  try {
    const url = new URL(origin);
    return (url.protocol === 'https:' || url.protocol === 'http:') && url.host === req.headers.host?.toLowerCase();
  } catch {
    return false;
  }
}

const STATE_CHANGING = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

/**
 * Cross-site request forgery guard. A browser attaches the session cookie to requests any page
 * sends, and a form or a simple fetch needs no CORS preflight; so a state-changing request that
 * relies on the cookie must come from this server's own pages (the add-in) or an origin in
 * ALLOWED_ORIGINS. Bearer and Basic callers are not affected: a page cannot add those headers to
 * a cross-origin request without the preflight that `cors` refuses. Requests without Origin
 * (tools, not browsers) pass.
 */
export function originCheck(ctx: AppContext): RequestHandler {
  const allowed = trustedOrigins(ctx);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (!STATE_CHANGING.has(req.method) || origin === undefined) return next();
    if (/^\s*(bearer|basic)\s/i.test(req.headers.authorization ?? '')) return next();
    if (readCookie(req, SESSION_COOKIE) === undefined) return next();
    if (allowed.has(origin) || isSameOrigin(req, origin)) return next();
    res.status(403).json({
      error: {
        code: 'forbidden',
        message: `origin ${origin} may not change anything with this browser's DCS session (a ${req.method} from another site); use the add-in served by this server, or add the origin to ALLOWED_ORIGINS`,
      },
    });
  };
}

/** ALLOWED_ORIGINS and the server's own PUBLIC_URL: the pages that may use a browser's session. */
function trustedOrigins(ctx: AppContext): Set<string> {
  const allowed = new Set(ctx.config.allowedOrigins);
  if (ctx.config.publicUrl !== undefined) allowed.add(new URL(ctx.config.publicUrl).origin);
  return allowed;
}

/**
 * Refuses a request that would spend DCS calls on the strength of the session cookie alone when
 * another site made the browser send it. The cookie must be `SameSite=None` (Office frames the
 * add-in inside Microsoft's pages), so the browser attaches it to a link, an <img> or a simple
 * fetch from any site; a GET costs DCS as much as a POST. Browsers say where a request came
 * from in `Sec-Fetch-Site` (and `Origin` on fetches): `same-origin` (the add-in, which runs on
 * our origin inside Office's frames) and `none` (typed or bookmarked) pass; `cross-site` and
 * `same-site` pass only from an origin in ALLOWED_ORIGINS. Bearer and Basic callers are not
 * affected (a page cannot add those headers without a CORS preflight), nor are tools, which
 * send neither header.
 */
export function crossSiteCookieGuard(ctx: AppContext): (req: Request) => void {
  const allowed = trustedOrigins(ctx);
  return (req: Request): void => {
    if (/^\s*(bearer|basic)\s/i.test(req.headers.authorization ?? '')) return;
    if (readCookie(req, SESSION_COOKIE) === undefined) return;
    const origin = req.headers.origin;
    const site = req.headers['sec-fetch-site'];
    const trustedOrigin = origin !== undefined && (allowed.has(origin) || isSameOrigin(req, origin));
    if (origin !== undefined && !trustedOrigin) throw crossSiteRefusal(req, `origin ${origin}`);
    if ((site === 'cross-site' || site === 'same-site') && !trustedOrigin) throw crossSiteRefusal(req, `a ${site} page`);
  };
}

function crossSiteRefusal(req: Request, who: string): HttpError {
  return new HttpError(
    403,
    'forbidden',
    `${who} may not spend this browser's DCS session (${req.method} ${req.baseUrl}${req.path} from another site); ` +
      'open it from the add-in served by this server, send Authorization (Bearer or Basic) from a tool, or add the origin to ALLOWED_ORIGINS',
  );
}

const ALLOWED_METHODS = 'GET, HEAD, POST, DELETE, OPTIONS';
const ALLOWED_HEADERS = 'Authorization, Content-Type, Accept';
const EXPOSED_HEADERS = 'Retry-After, Content-Disposition';

/**
 * CORS for the origins in ALLOWED_ORIGINS only, with credentials (cookies, Authorization).
 * Same-origin callers (the add-in served from here) need none of this. A preflight from any
 * other origin is refused with 403 and a message saying how to allow it.
 */
export function cors(ctx: AppContext): RequestHandler {
  const allowed = new Set(ctx.config.allowedOrigins);
  return (req: Request, res: Response, next: NextFunction): void => {
    const origin = req.headers.origin;
    if (origin === undefined) return next();
    res.vary('Origin');
    const isAllowed = allowed.has(origin);
    if (isAllowed) {
      res.setHeader('Access-Control-Allow-Origin', origin);
      res.setHeader('Access-Control-Allow-Credentials', 'true');
      res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
    }
    if (req.method !== 'OPTIONS' || req.headers['access-control-request-method'] === undefined) return next();
    if (!isAllowed) {
      res.status(403).json({
        error: { code: 'forbidden', message: `origin ${origin} may not call this server from a browser; add it to ALLOWED_ORIGINS` },
      });
      return;
    }
    res.setHeader('Access-Control-Allow-Methods', ALLOWED_METHODS);
    res.setHeader('Access-Control-Allow-Headers', ALLOWED_HEADERS);
    res.setHeader('Access-Control-Max-Age', '600');
    res.status(204).end();
  };
}
