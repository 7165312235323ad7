/**
 * The browser's session cookie: its name and how a request's Cookie header is read. Kept apart
 * from authentication so that the cross-site guards (`./security`) and the sign-in code can both
 * use it without importing each other.
 */
import type { Request } from 'express';

export const SESSION_COOKIE = 'dcs_session';

export function readCookie(req: Request, name: string): string | undefined {
  const header = req.headers.cookie;
  if (header === undefined) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    if (part.slice(0, eq).trim() === name) {
      const value = part.slice(eq + 1).trim();
      try {
        return decodeURIComponent(value);
      } catch {
        return value;
      }
    }
  }
  return undefined;
}
