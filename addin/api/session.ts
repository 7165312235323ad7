import type { SessionInfo } from '../../server/api/types';

/** Who is using the add-in: a DCS user, or the server's public access. */
export interface SignedInUser {
  username: string;
  role: string;
  /** True when calls go through DCS's public endpoint without a sign-in. */
  public: boolean;
}

type Listener = (user: SignedInUser | undefined) => void;

/**
 * Where the session's token outlives the page: the add-in's (partitioned) localStorage in the
 * pane. Holds only the server's token, which the server can revoke and which dies with the
 * server's session; never the password.
 */
export interface TokenStore {
  load(): string | undefined;
  save(token: string): void;
  clear(): void;
}

/**
 * The add-in's session: who is signed in and the Bearer token for API calls.
 *
 * One instance per JavaScript runtime; with the manifest's shared runtime that single instance
 * serves the task pane, the ribbon commands and the custom functions alike. The token is also
 * kept in the TokenStore (when given) so that a reopened workbook is still signed in for as long
 * as the server's session lives, as a browser keeps a session cookie; sign-out clears it.
 */
export class Session {
  #user: SignedInUser | undefined;
  #token: string | undefined;
  readonly #listeners = new Set<Listener>();

  constructor(private readonly store?: TokenStore) {}

  /** The signed-in user, or undefined when nobody is signed in. */
  get user(): SignedInUser | undefined {
    return this.#user;
  }

  get isSignedIn(): boolean {
    return this.#user !== undefined;
  }

  /** A token kept from an earlier page load, to be checked with the server before use. */
  get storedToken(): string | undefined {
    try {
      return this.store?.load();
    } catch {
      return undefined; // storage blocked by the browser's settings: behave as signed out
    }
  }

  /** Records a successful sign-in (or public access) and keeps its token for the next load. */
  begin(info: SessionInfo): void {
    this.#user = { username: info.username, role: info.role, public: info.public === true };
    this.#token = info.token;
    try {
      if (info.token) this.store?.save(info.token);
      else this.store?.clear();
    } catch {
      // Storage blocked: the sign-in still works for this page's lifetime.
    }
    this.#notify();
  }

  /** Forgets the user and the token, here and in the store. */
  end(): void {
    try {
      this.store?.clear();
    } catch {
      // nothing stored, nothing to clear
    }
    if (this.#user === undefined && this.#token === undefined) return;
    this.#user = undefined;
    this.#token = undefined;
    this.#notify();
  }

  /** Headers that authenticate an API call: `Authorization: Bearer ...` when signed in. */
  authorizationHeaders(): Record<string, string> {
    return this.#token ? { Authorization: `Bearer ${this.#token}` } : {};
  }

  /** Calls `listener` whenever the user changes; returns a function that stops it. */
  onChange(listener: Listener): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Never reveal the token through JSON.stringify or logging of the object. */
  toJSON(): { user: SignedInUser | undefined } {
    return { user: this.#user };
  }

  #notify(): void {
    for (const listener of this.#listeners) listener(this.#user);
  }
}

/** The shape of window.localStorage the store needs (no DOM types: Node tests use it too). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

const TOKEN_KEY = 'dcs-excel.session';

/**
 * A TokenStore over web storage, under the add-in's partition key when Office gives one
 * (Excel on the web partitions storage per top-level site: Microsoft's guidance is to prefix
 * keys with Office.context.partitionKey).
 */
export function webTokenStore(storage: KeyValueStorage, partitionKey: () => string | undefined): TokenStore {
  const key = () => `${partitionKey() ?? ''}${TOKEN_KEY}`;
  return {
    load: () => storage.getItem(key()) ?? undefined,
    save: (token) => storage.setItem(key(), token),
    clear: () => storage.removeItem(key()),
  };
}
