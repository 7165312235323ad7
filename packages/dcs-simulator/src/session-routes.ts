/**
 * Sessions: POST /authentication/signin and /authentication/signout, and the account a query runs
 * as (its session cookie, or the public account on the public endpoint).
 */

import { IncomingMessage, ServerResponse } from 'node:http';
import { Account, PUBLIC_ACCOUNT, SessionStore } from './accounts';
import { DcsRefusal } from './errors';
import { sendJson } from './respond';
import { Endpoint } from './routes';
import { Headers, SimulatorState } from './simulator-state';

/** DCS's cookie name; real servers may add a suffix, so clients match on this prefix. */
export const COOKIE_NAME = 'COHERENT-DCS-API';
export const APP_VERSION = '3.9.0-simulator';

const MAX_SIGNIN_BODY = 64 * 1024;

function readCookie(req: IncomingMessage): string | undefined {
  const header = req.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === COOKIE_NAME) {
      const value = part.slice(eq + 1).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_SIGNIN_BODY) {
        reject(new DcsRefusal(413, `The request body is larger than ${MAX_SIGNIN_BODY} bytes.`));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** The account a query runs as, or a DcsRefusal (401 / 403). */
export function callerOf(req: IncomingMessage, endpoint: Endpoint, sessions: SessionStore): Account {
  if (endpoint === 'public') return PUBLIC_ACCOUNT;
  const found = sessions.lookup(readCookie(req));
  if (found === undefined) {
    throw new DcsRefusal(
      401,
      `Not signed in: POST your username and password to /authentication/signin and send the ${COOKIE_NAME} cookie it returns with every request.`,
    );
  }
  if ('expired' in found) {
    throw new DcsRefusal(401, 'Your session has expired: sign in again at /authentication/signin.');
  }
  const account = found.account;
  if (account.expiredOn !== undefined) {
    throw new DcsRefusal(403, `The DCS account "${account.username}" expired on ${account.expiredOn.slice(0, 10)}: ask your DCS administrator to extend it.`);
  }
  return account;
}

export async function signIn(req: IncomingMessage, res: ServerResponse, state: SimulatorState, headers: Headers): Promise<void> {
  const text = await readBody(req);
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch {
    throw new DcsRefusal(400, 'The sign-in body must be JSON: {"username": "...", "password": "..."}.');
  }
  const { username, password } = (body ?? {}) as { username?: unknown; password?: unknown };
  if (typeof username !== 'string' || typeof password !== 'string' || username === '') {
    throw new DcsRefusal(400, 'The sign-in body must give a username and a password as strings: {"username": "...", "password": "..."}.');
  }
  const account = state.accounts.find((a) => a.username.toLowerCase() === username.toLowerCase() && a.password === password);
  if (!account) throw new DcsRefusal(401, 'Sign-in failed: the username or password is incorrect.');
  const session = state.sessions.create(account);
  const expires = Number.isFinite(session.expiresAt) ? `; expires=${new Date(session.expiresAt).toUTCString()}` : '';
  sendJson(req, res, 200, JSON.stringify({ username: account.username, role: account.role, appVersion: APP_VERSION }), {
    ...headers,
    'Set-Cookie': `${COOKIE_NAME}=${session.token}${expires}; path=/; samesite=lax; httponly`,
  });
}

export function signOut(req: IncomingMessage, res: ServerResponse, state: SimulatorState, headers: Headers): void {
  state.sessions.revoke(readCookie(req));
  req.resume();
  res.writeHead(204, {
    ...headers,
    'Set-Cookie': `${COOKIE_NAME}=; expires=Thu, 01 Jan 1970 00:00:00 GMT; path=/; samesite=lax; httponly`,
  });
  res.end();
}
