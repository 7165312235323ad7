/**
 * DCS's session cookie. DCS names it with the prefix COHERENT-DCS-API (the rest varies by version),
 * and empties it on sign-out. Only those cookies are kept; the value is never logged.
 */
const SESSION_COOKIE_PREFIX = 'coherent-dcs-api';

interface Cookie {
  value: string;
  /** When the cookie says it expires (epoch ms); Infinity for a session cookie. */
  expiresAt: number;
}

export class SessionCookies {
  private readonly cookies = new Map<string, Cookie>();

  /** True while a session cookie is held and has not reached its own expiry. */
  get hasSession(): boolean {
    this.dropExpired();
    return this.cookies.size > 0;
  }

  /** Takes the session cookies from a response's Set-Cookie headers (an emptied or expired one removes it). */
  update(setCookie: string[] | string | undefined): void {
    const lines = Array.isArray(setCookie) ? setCookie : setCookie === undefined ? [] : [setCookie];
    for (const line of lines) {
      const [pair, ...attributes] = line.split(';');
      const eq = pair.indexOf('=');
      if (eq <= 0) continue;
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      if (!name.toLowerCase().startsWith(SESSION_COOKIE_PREFIX)) continue;
      const expiresAt = expiryOf(attributes);
      if (value === '' || value === '""' || expiresAt <= Date.now()) this.cookies.delete(name);
      else this.cookies.set(name, { value, expiresAt });
    }
  }

  /** The Cookie header to send, or undefined without a session. */
  header(): string | undefined {
    this.dropExpired();
    if (this.cookies.size === 0) return undefined;
    return [...this.cookies].map(([name, cookie]) => `${name}=${cookie.value}`).join('; ');
  }

  /**
   * A cookie past its Expires is not sent: the client then signs in before its next call rather
   * than spending a request on a 401. (If the clocks disagree, the 401 path still copes.)
   */
  private dropExpired(): void {
    const now = Date.now();
    for (const [name, cookie] of this.cookies) if (cookie.expiresAt <= now) this.cookies.delete(name);
  }

  clear(): void {
    this.cookies.clear();
  }
}

/** When a Set-Cookie's attributes say it expires; Max-Age wins over Expires, as in browsers. */
function expiryOf(attributes: string[]): number {
  let expires = Infinity;
  for (const attribute of attributes) {
    const eq = attribute.indexOf('=');
    if (eq < 0) continue;
    const key = attribute.slice(0, eq).trim().toLowerCase();
    const value = attribute.slice(eq + 1).trim();
    if (key === 'max-age' && value !== '' && Number.isFinite(Number(value))) return Date.now() + Number(value) * 1000;
    if (key === 'expires') {
      const when = Date.parse(value);
      if (!Number.isNaN(when)) expires = when;
    }
  }
  return expires;
}
