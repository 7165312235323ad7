/**
 * DCS's session cookie. DCS names it with the prefix COHERENT-DCS-API (the rest varies by version),
 * and empties it on sign-out. Only those cookies are kept; the value is never logged.
 */
const SESSION_COOKIE_PREFIX = 'coherent-dcs-api';

export class SessionCookies {
  private readonly cookies = new Map<string, string>();

  get hasSession(): boolean {
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
      if (value === '' || value === '""' || attributes.some(isExpiry)) this.cookies.delete(name);
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
}

/** True for `Max-Age=0` (or negative) and for an `Expires` in the past. */
function isExpiry(attribute: string): boolean {
  const eq = attribute.indexOf('=');
  if (eq < 0) return false;
  const key = attribute.slice(0, eq).trim().toLowerCase();
  const value = attribute.slice(eq + 1).trim();
  if (key === 'max-age') return Number(value) <= 0;
  if (key === 'expires') {
    const when = Date.parse(value);
    return !Number.isNaN(when) && when <= Date.now();
  }
  return false;
}
