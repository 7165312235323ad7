/**
 * DCS's session cookie. DCS names it with the prefix COHERENT-DCS-API (the rest varies by version),
 * and empties it on sign-out. Only those cookies are kept; the value is never logged.
 *
 * The cookie's Expires is deliberately not enforced here: it has one-second resolution and is
 * written by the server's clock, so judging it by ours could throw away a session DCS has just
 * granted. When DCS expires a session it answers 401, and the client signs in again.
 */
const SESSION_COOKIE_PREFIX = 'coherent-dcs-api';

export class SessionCookies {
  private readonly cookies = new Map<string, string>();

  get hasSession(): boolean {
    return this.cookies.size > 0;
  }

  /** Takes the session cookies from a response's Set-Cookie headers; an emptied one is removed. */
  update(setCookie: string[] | string | undefined): void {
    const lines = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!name.toLowerCase().startsWith(SESSION_COOKIE_PREFIX)) continue;
      if (value === '' || value === '""' || attributes.some(isMaxAgeZero)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
  }

  /** The Cookie header to send, or undefined without a session. */
  header(): string | undefined {
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, value]) => `${name}=${value}`).join('; ');
  }

  clear(): void {
    this.cookies.clear();
  }

  /** Takes the session cookies from a Cookie header this class wrote (`header()`), replacing any held. */
  load(header: string): void {
    this.cookies.clear();
    for (const pair of header.split(';')) {
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      if (eq > 0 && name.toLowerCase().startsWith(SESSION_COOKIE_PREFIX)) this.cookies.set(name, pair.slice(eq + 1).trim());
    }
  }
}

function isMaxAgeZero(attribute: string): boolean {
  const [key, value] = attribute.split('=');
  return key.trim().toLowerCase() === 'max-age' && value !== undefined && Number(value.trim()) <= 0;
}
