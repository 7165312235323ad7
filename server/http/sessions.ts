/**
 * Signed-in sessions. Each session owns one DCS client (and so one DCS sign-in and one
 * transaction lock); every client shares the endpoint's pace through the client's rateLimit
 * option, and tells the log (at debug level) of every retry, re-sign-in and rate-limit wait. Sessions live SESSION_TTL seconds after their last use and sign out of DCS when they
 * expire, are signed out, or (with no shared state) the server stops.
 *
 * With shared state (REDIS_URL) a session lives in Redis, its DCS cookies sealed: any instance
 * that meets an unknown token finds it there and continues the same DCS session with a client of
 * its own (the transaction lock and the pace are shared too). Each use slides the lifetime in
 * Redis; signing out deletes it there, and every instance drops its copy at its next use. An
 * instance that stops only forgets its copies: the sessions go on elsewhere.
 *
 * Secrets: the session token is handed to the caller once and kept here only as a SHA-256 hash;
 * Basic credentials are cached under an HMAC (a per-process random key, or one derived from
 * SESSION_ENCRYPTION_KEY when shared), never as text.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type { DcsClient, SignInInfo } from 'dcs-client';
import type { DcsClientFactory } from '../dcs-settings';
import { eachLimited } from '../each-limited';
import { SessionCache, type DcsHandle } from '../session-handle';
import { localSignInLimiter, type SessionRecord, type SharedState, type SignInLimiter } from '../shared-state';
import { HttpError } from './errors';
import type { Logger } from './logger';

/** Sign-outs at once when many sessions end together (shutdown, expiry): enough to be quick, few enough to never run out of sockets (EMFILE). */
const SIGN_OUT_CONCURRENCY = 8;

export interface Session extends DcsHandle {
  /** SHA-256 of the token, or the HMAC of Basic credentials: the map key, safe to log a prefix of. */
  readonly key: string;
  readonly kind: 'token' | 'basic';
  expiresAt: number;
  /** Requests in progress; a busy session never expires under a running stream. */
  busy: number;
  /** Shared state only: the DCS cookies as last saved, to save them again when DCS renews the session. */
  savedCookies?: string;
}

export interface SessionStoreOptions {
  /** SESSION_TTL: seconds a session lives after its last use. */
  sessionTtl: number;
  /** Builds each session's DCS client from the settings (`dcsClientFactory`). */
  newClient: DcsClientFactory;
  /** SIGN_IN_LIMIT: failed sign-ins per minute per address and user name. */
  signInLimit: number;
  /** The sign-in limiter's window in seconds; default 60 (tests shorten it). */
  signInWindowSeconds?: number;
  /** Live sessions one user may hold; default unlimited. */
  maxSessionsPerUser?: number;
  /** Live sessions in all; default unlimited. */
  maxSessions?: number;
  logger: Logger;
  now: () => number;
  /** State shared with other instances (REDIS_URL); without it everything stays in this process. */
  shared?: SharedState;
  /** Key of the HMAC that names Basic credentials; must be the same on every instance when shared. Default: random. */
  basicKey?: Buffer;
}

export class SessionStore {
  private readonly byKey = new Map<string, Session>();
  private readonly pendingBasic = new Map<string, Promise<Session>>();
  private readonly basicKey: Buffer;
  private readonly shared: SharedState | undefined;
  private publicHandle: DcsHandle | undefined;
  /** DCS sign-ins under way (counted against MAX_SESSIONS). */
  private opening = 0;
  private sweeper: NodeJS.Timeout | undefined;
  /** Sign-in attempts per client address: POST /api/session and new Basic credentials. */
  readonly signInLimiter: SignInLimiter;

  constructor(private readonly options: SessionStoreOptions) {
    this.shared = options.shared;
    this.basicKey = options.basicKey ?? randomBytes(32);
    const limits = { limit: options.signInLimit, ...(options.signInWindowSeconds !== undefined ? { windowSeconds: options.signInWindowSeconds } : {}) };
    this.signInLimiter = this.shared?.signInLimiter(limits) ?? localSignInLimiter(limits);
    const everyMs = Math.min(60_000, Math.max(1000, (options.sessionTtl * 1000) / 4));
    this.sweeper = setInterval(() => void this.expireIdle(), everyMs);
    this.sweeper.unref();
  }

  get size(): number {
    return this.byKey.size;
  }

  /**
   * Signs in to DCS with these credentials and opens a session. Rejects with the client's
   * DcsAuthenticationError when DCS refuses them.
   */
  async signIn(username: string, password: string): Promise<{ session: Session; token: string; info: SignInInfo }> {
    const token = randomBytes(32).toString('base64url');
    const key = hashToken(token);
    const { dcs, info } = await this.connectWithinCaps(username, password, key);
    const session = this.open(key, 'token', dcs, info);
    await this.share(session);
    this.options.logger.info('session opened', { user: info.username, session: session.key.slice(0, 8) });
    return { session, token, info };
  }

  /** The live session for a token, its lifetime extended; undefined when unknown or expired. */
  async byToken(token: string): Promise<Session | undefined> {
    return this.find(hashToken(token));
  }

  /**
   * Whether a token or Basic credentials have a live session on this instance, without asking the
   * shared state or extending anything: for answers that show a little more to signed-in callers.
   */
  knownHere(credentials: { token: string } | { username: string; password: string }): boolean {
    const key = 'token' in credentials ? hashToken(credentials.token) : this.basicKeyOf(credentials.username, credentials.password);
    if (this.pendingBasic.has(key)) return true;
    const session = this.byKey.get(key);
    return session !== undefined && (session.busy > 0 || session.expiresAt > this.options.now());
  }

  /**
   * The session for Basic credentials: reused while it lives, else a new DCS sign-in.
   * Concurrent requests with the same credentials share one sign-in.
   */
  async byBasic(username: string, password: string): Promise<Session> {
    const key = this.basicKeyOf(username, password);
    const pending = this.pendingBasic.get(key);
    if (pending) return pending;
    const existing = await this.find(key, { username, password });
    if (existing) return existing;
    const again = this.pendingBasic.get(key);
    if (again) return again;
    const opening = this.connectWithinCaps(username, password, key).then(async ({ dcs, info }) => {
      const session = this.open(key, 'basic', dcs, info);
      await this.share(session);
      this.options.logger.info('basic session opened', { user: info.username, session: key.slice(0, 8) });
      return session;
    });
    this.pendingBasic.set(key, opening);
    try {
      return await opening;
    } finally {
      this.pendingBasic.delete(key);
    }
  }

  /** True if Basic credentials already have a live session, here or shared (no sign-in needed, no throttling). */
  async hasBasic(username: string, password: string): Promise<boolean> {
    if (this.knownHere({ username, password })) return true;
    return this.shared ? this.shared.sessions.has(this.basicKeyOf(username, password)) : false;
  }

  /** The shared client for DCS's public endpoint (no sign-in). */
  publicAccess(): DcsHandle {
    this.publicHandle ??= {
      dcs: this.newClient(undefined),
      cache: new SessionCache(this.options.now),
      principal: { username: 'public', role: 'Public', public: true },
    };
    return this.publicHandle;
  }

  /** Ends a session now, for every instance, and signs out of DCS. */
  async end(session: Session, reason: string): Promise<void> {
    this.forget(session);
    this.options.logger.info('session ended', { user: session.principal.username, session: session.key.slice(0, 8), reason });
    try {
      await this.shared?.sessions.delete(session.key);
    } catch (error) {
      this.options.logger.warn('could not end the shared session; it lapses after SESSION_TTL', { session: session.key.slice(0, 8), error });
    }
    try {
      await session.dcs.signOut();
    } catch (error) {
      this.options.logger.warn('DCS sign-out failed', { user: session.principal.username, error });
    }
  }

  /** Marks a request in progress on the session; call the returned function when it ends. */
  hold(session: Session): () => void {
    session.busy += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      session.busy -= 1;
      this.touch(session);
      if (this.shared) void this.slideShared(session);
    };
  }

  /**
   * Ends every session whose lifetime has run out. Shared: this instance's copy is dropped, and
   * DCS signed out of only when no instance has used the session within its lifetime either.
   */
  async expireIdle(): Promise<void> {
    const now = this.options.now();
    const expired = [...this.byKey.values()].filter((s) => s.busy === 0 && s.expiresAt <= now);
    await eachLimited(expired, SIGN_OUT_CONCURRENCY, async (s) => {
      const shared = this.shared;
      if (shared && (await shared.sessions.has(s.key).catch(() => true))) this.forget(s);
      else await this.end(s, 'expired');
    });
  }

  /** Ends every session (server shutdown); shared sessions go on at the other instances, so this one only forgets them. */
  async close(): Promise<void> {
    if (this.sweeper) clearInterval(this.sweeper);
    this.sweeper = undefined;
    const all = [...this.byKey.values()];
    if (this.shared) all.forEach((s) => this.forget(s));
    else await eachLimited(all, SIGN_OUT_CONCURRENCY, (s) => this.end(s, 'server stopping'));
    this.publicHandle = undefined;
  }

  /**
   * The live session under `key`. Shared: Redis decides (and slides the lifetime there); a session
   * first met here is continued from its stored DCS cookies, and one ended elsewhere is dropped.
   */
  private async find(key: string, credentials?: { username: string; password: string }): Promise<Session | undefined> {
    if (!this.shared) return this.live(key);
    const record = await this.shared.sessions.touch(key, this.options.sessionTtl);
    const local = this.byKey.get(key);
    if (!record) {
      // Signed out elsewhere, expired, or lost by Redis: whichever, nobody can use this DCS session
      // again, so it is signed out of DCS rather than left to linger there.
      if (local) {
        this.forget(local);
        void local.dcs.signOut().catch(() => undefined);
      }
      return undefined;
    }
    if (local) {
      this.touch(local);
      // Another instance signed in to DCS again (its session had expired there): use the new one.
      if (record.dcsCookies !== local.savedCookies && record.dcsCookies !== '') {
        local.dcs.resumeSession(record.dcsCookies, { username: record.username, role: record.role });
        local.savedCookies = record.dcsCookies;
      }
      return local;
    }
    return this.adopt(key, record, credentials);
  }

  /** A session another instance opened: a client of our own continuing its DCS session. */
  private adopt(key: string, record: SessionRecord, credentials: { username: string; password: string } | undefined): Session {
    const dcs = this.newClient(key, credentials);
    const info: SignInInfo = { username: record.username, role: record.role };
    dcs.resumeSession(record.dcsCookies, info);
    const session = this.open(key, record.kind, dcs, info);
    session.savedCookies = record.dcsCookies;
    return session;
  }

  /** Writes a new session to the shared state; if that fails, the sign-in is undone and the error thrown. */
  private async share(session: Session): Promise<void> {
    const shared = this.shared;
    if (!shared) return;
    const cookies = session.dcs.exportSession() ?? '';
    try {
      await shared.sessions.save(session.key, this.recordOf(session, cookies), this.options.sessionTtl);
      session.savedCookies = cookies;
    } catch (error) {
      this.forget(session);
      void session.dcs.signOut().catch(() => undefined);
      throw error;
    }
  }

  /** After a request: slides the shared lifetime, and saves the DCS cookies again if DCS renewed the session. */
  private async slideShared(session: Session): Promise<void> {
    const shared = this.shared!;
    try {
      const cookies = session.dcs.exportSession();
      if (cookies !== undefined && cookies !== session.savedCookies) {
        if ((await shared.sessions.touch(session.key, this.options.sessionTtl)) === undefined) return;
        await shared.sessions.save(session.key, this.recordOf(session, cookies), this.options.sessionTtl);
        session.savedCookies = cookies;
      } else {
        await shared.sessions.touch(session.key, this.options.sessionTtl);
      }
    } catch (error) {
      this.options.logger.warn('could not update the shared session', { session: session.key.slice(0, 8), error });
    }
  }

  private recordOf(session: Session, dcsCookies: string): SessionRecord {
    const { username, role } = session.principal;
    return { username, role, kind: session.kind, dcsCookies, createdAt: this.options.now() };
  }

  /** Drops this instance's copy of a session, leaving DCS and the shared state alone. */
  private forget(session: Session): void {
    if (this.byKey.get(session.key) === session) this.byKey.delete(session.key);
    session.cache.clear();
  }

  /**
   * Credentials as the sign-in limiter remembers a refusal: an HMAC under the server's key (shared by
   * every instance with REDIS_URL), labelled apart from the Basic sessions' keys.
   */
  refusalKeyOf(username: string, password: string): string {
    return createHmac('sha256', this.basicKey).update('refused\0').update(username.trim().toLowerCase()).update('\0').update(password).digest('hex');
  }

  private basicKeyOf(username: string, password: string): string {
    return createHmac('sha256', this.basicKey).update(username).update('\0').update(password).digest('hex');
  }

  private live(key: string): Session | undefined {
    const session = this.byKey.get(key);
    if (!session) return undefined;
    if (session.busy === 0 && session.expiresAt <= this.options.now()) {
      void this.end(session, 'expired');
      return undefined;
    }
    this.touch(session);
    return session;
  }

  private touch(session: Session): void {
    session.expiresAt = this.options.now() + this.options.sessionTtl * 1000;
  }

  private open(key: string, kind: Session['kind'], dcs: DcsClient, info: SignInInfo): Session {
    const session: Session = {
      key,
      kind,
      dcs,
      cache: new SessionCache(this.options.now),
      principal: { username: info.username, role: info.role, public: false },
      expiresAt: this.options.now() + this.options.sessionTtl * 1000,
      busy: 0,
    };
    this.byKey.set(key, session);
    return session;
  }

  /**
   * Signs in unless a cap is reached: checked before the DCS sign-in (so a refused caller costs
   * DCS nothing) and again after it, with DCS's spelling of the user name and the sign-ins that
   * finished meanwhile.
   */
  private async connectWithinCaps(username: string, password: string, key: string): Promise<{ dcs: DcsClient; info: SignInInfo }> {
    this.checkCaps(username, 1);
    this.opening++;
    let connected: { dcs: DcsClient; info: SignInInfo };
    try {
      connected = await this.connect(username, password, key);
    } finally {
      this.opening--;
    }
    try {
      this.checkCaps(connected.info.username, 1);
    } catch (error) {
      void connected.dcs.signOut().catch(() => undefined);
      throw error;
    }
    return connected;
  }

  /** Throws 429 (this user) or 503 (the server) when `extra` more sessions would exceed a cap. */
  private checkCaps(username: string, extra: number): void {
    const now = this.options.now();
    const live = [...this.byKey.values()].filter((s) => s.busy > 0 || s.expiresAt > now);
    const { maxSessions, maxSessionsPerUser } = this.options;
    if (maxSessions !== undefined && live.length + this.opening + extra > maxSessions) {
      throw new HttpError(
        503,
        'server_busy',
        `the server has as many sessions open as it allows (${maxSessions}, MAX_SESSIONS); try again in a minute, when idle sessions have expired, or ask the administrator to raise MAX_SESSIONS`,
        undefined,
        { 'Retry-After': '60' },
      );
    }
    const name = username.trim().toLowerCase();
    const mine = live.filter((s) => s.principal.username.toLowerCase() === name).length;
    if (maxSessionsPerUser !== undefined && mine + extra > maxSessionsPerUser) {
      throw new HttpError(
        429,
        'too_many_sessions',
        `the DCS user "${username}" already has ${mine} sessions open on this server, the most allowed (MAX_SESSIONS_PER_USER); sign out elsewhere (Sign out in the add-in, or DELETE /api/session), or wait until idle sessions expire`,
      );
    }
  }

  private async connect(username: string, password: string, key: string): Promise<{ dcs: DcsClient; info: SignInInfo }> {
    const dcs = this.newClient(key);
    const info = await dcs.signIn(username, password);
    return { dcs, info };
  }

  /**
   * A DCS client for the session under `key` (undefined: the public endpoint, which has no session
   * to lock). Shared: its pace, span cap and (for a session) transaction lock are every instance's.
   */
  private newClient(key: string | undefined, credentials?: { username: string; password: string }): DcsClient {
    const shared = this.shared;
    return this.options.newClient({
      userAgent: 'dcs-excel-server',
      ...(credentials ? { credentials } : {}),
      ...(shared && key !== undefined ? { lock: shared.sessionLock(key) } : {}),
    });
  }
}

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}
