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
 * The add-in's session: who is signed in and the Bearer token for API calls.
 *
 * One instance per JavaScript runtime; with the manifest's shared runtime that single instance
 * serves the task pane, the ribbon commands and the custom functions alike. The token lives in
 * this object's memory only: never localStorage, cookies or the workbook, so closing Excel (or
 * the page) ends the session, and nothing readable is left behind in the file.
 */
export class Session {
  #user: SignedInUser | undefined;
  #token: string | undefined;
  readonly #listeners = new Set<Listener>();

  /** The signed-in user, or undefined when nobody is signed in. */
  get user(): SignedInUser | undefined {
    return this.#user;
  }

  get isSignedIn(): boolean {
    return this.#user !== undefined;
  }

  /** Records a successful sign-in (or public access). The token is kept in memory only. */
  begin(info: SessionInfo): void {
    this.#user = { username: info.username, role: info.role, public: info.public === true };
    this.#token = info.token;
    this.#notify();
  }

  /** Forgets the user and the token. */
  end(): void {
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
