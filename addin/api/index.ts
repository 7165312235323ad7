/**
 * The add-in's one API client and session, shared by the task pane, the ribbon commands and the
 * custom functions (they run in one JavaScript runtime: the manifest's shared runtime).
 *
 *   import { apiClient, session } from '../api';
 *   if (!session.isSignedIn) throw new Error('Sign in in the DCS pane first.');
 *   for await (const record of apiClient().readings(request, signal)) { ... }
 *
 * Every call sends the signed-in user's Bearer token; every error answer becomes an
 * ApiRequestError whose message is the server's own, written for people. The token is held in
 * memory only (see Session). No DOM types: usable from Node tests too.
 */
import { ApiClient } from './client';
import { Session } from './session';

export { ApiClient, isAbort } from './client';
/** @public What every failed call rejects with: the server's own message, written for people. */
export { ApiRequestError } from './client';

/** The runtime's session: who is signed in. */
export const session = new Session();

let client: ApiClient | undefined;

/** The page's own origin: the server that serves the add-in also serves its API. */
function pageBaseUrl(): string {
  const location = (globalThis as { location?: { origin?: string } }).location;
  if (!location?.origin || location.origin === 'null') {
    throw new Error('The DCS API address is unknown here (no page origin). Open the add-in from the address of the server that serves it.');
  }
  return `${location.origin}/`;
}

/** The shared client, created on first use for the page's origin and the platform's fetch. */
export function apiClient(): ApiClient {
  client ??= new ApiClient({ baseUrl: pageBaseUrl(), fetch: globalThis.fetch.bind(globalThis), session });
  return client;
}
