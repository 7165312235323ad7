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
 * The folder the page was served from: the server that serves the add-in also serves its API,
 * under the same path. Behind a proxy under a path (https://host/metering/taskpane.html) that is
 * https://host/metering/, not the site's root.
 */
function pageBaseUrl(): string {
  const location = (globalThis as { location?: { origin?: string; href?: string } }).location;
  if (!location?.origin || location.origin === 'null' || !location.href) {
    throw new Error('The DCS API address is unknown here (no page origin). Open the add-in from the address of the server that serves it.');
  }
  return new URL('.', location.href).href;
}

/** The shared client, created on first use for the page's origin and the platform's fetch. */
export function apiClient(): ApiClient {
  client ??= new ApiClient({ baseUrl: pageBaseUrl(), fetch: globalThis.fetch.bind(globalThis), session });
  return client;
}

/** Points the shared client at a server and a fetch of the caller's choosing (Node tests, other hosts). */
export function configureApiClient(options: { baseUrl: string; fetch?: Fetch }): ApiClient {
  client = new ApiClient({ baseUrl: options.baseUrl, fetch: options.fetch ?? globalThis.fetch.bind(globalThis), session });
  return client;
}
