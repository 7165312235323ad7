/**
 * The add-in's one API client and session, shared by the task pane, the ribbon commands and the
 * custom functions (they run in one JavaScript runtime: the manifest's shared runtime).
 *
 *   import { apiClient, session } from '../api';
 *   if (!session.isSignedIn) throw new Error('Sign in in the DCS pane first.');
 *   for await (const record of apiClient().readings(request, signal)) { ... }
 *
 * Every call sends the signed-in user's Bearer token; every error answer becomes an
 * ApiRequestError whose message is the server's own, written for people. The token (never the
 * password) is kept in the add-in's partitioned localStorage until sign-out or until the server
 * ends the session (see Session). No DOM types: usable from Node tests too.
 */
import { ApiClient } from './client';
import type { Fetch } from './http';
import { Session, webTokenStore, type KeyValueStorage, type TokenStore } from './session';

// What the rest of the add-in imports from here; the modules themselves export more for tests.
export { ApiClient, ApiRequestError, isAbort } from './client';
export type { Fetch } from './http';
export type { TokenStore } from './session';

/** The page's localStorage under Office's partition key; none in Node or where storage is blocked. */
function pageTokenStore(): TokenStore | undefined {
  const scope = globalThis as { localStorage?: KeyValueStorage; Office?: { context?: { partitionKey?: string } } };
  let storage: KeyValueStorage | undefined;
  try {
    storage = scope.localStorage;
  } catch {
    return undefined; // reading localStorage throws where the browser blocks it
  }
  if (!storage) return undefined;
  return webTokenStore(storage, () => scope.Office?.context?.partitionKey);
}

/** The runtime's session: who is signed in. */
export const session = new Session(pageTokenStore());

let client: ApiClient | undefined;

/**
 * The folder the add-in's page was served from: the server that serves the add-in also serves
 * its API, next to it. Not the origin alone: a server under a path (PUBLIC_URL or ADDIN_BASE_URL
 * such as https://host/metering/) serves the pages at /metering/taskpane.html and its API at
 * /metering/api/.
 */
export function pageBaseUrl(location = (globalThis as { location?: { href?: string; origin?: string } }).location): string {
  if (!location?.href || !location.origin || location.origin === 'null') {
    throw new Error('The DCS API address is unknown here (no page origin). Open the add-in from the address of the server that serves it.');
  }
  const url = new URL('.', location.href);
  return `${url.origin}${url.pathname}`;
}

/** The shared client, created on first use for the page's folder and the platform's fetch. */
export function apiClient(): ApiClient {
  client ??= new ApiClient({ baseUrl: pageBaseUrl(), fetch: globalThis.fetch.bind(globalThis), session });
  return client;
}

/** Points the shared client at a server and a fetch of the caller's choosing (Node tests, other hosts). */
export function configureApiClient(options: { baseUrl: string; fetch?: Fetch }): ApiClient {
  client = new ApiClient({ baseUrl: options.baseUrl, fetch: options.fetch ?? globalThis.fetch.bind(globalThis), session });
  return client;
}

let restoring: Promise<unknown> | undefined;

/**
 * The sign-in kept from an earlier load, checked with the server once per runtime and shared by
 * whoever asks first: the pane on start, or a ribbon command pressed before the pane has looked
 * (the first "Refresh all" after Excel starts must not answer "Sign in" when a sign-in was kept).
 * Rejects as resumeSession does; a failed check may be asked again.
 */
export function restoreSession(): Promise<unknown> {
  if (session.isSignedIn || session.storedToken === undefined) return Promise.resolve(undefined);
  restoring ??= apiClient()
    .resumeSession()
    .finally(() => (restoring = undefined));
  return restoring;
}

/** Whether someone is signed in, once any kept sign-in has been checked (a failed check counts as not). */
export async function signedInOnceRestored(): Promise<boolean> {
  await restoreSession().catch(() => undefined);
  return session.isSignedIn;
}
