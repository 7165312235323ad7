/**
 * The DCS Web API's endpoints: which path is which route, on which endpoint (authenticated or
 * public), by which method; and the refusals for a path, method or endpoint that is not served.
 */

import { IncomingMessage } from 'node:http';
import { DcsRefusal } from './errors';

export type Endpoint = 'authenticated' | 'public';
type RouteName = 'signin' | 'signout' | 'meters' | 'virtualMeters' | 'readings';

export interface Route {
  name: RouteName;
  endpoint: Endpoint;
  method: 'GET' | 'POST';
}

/** Paths are matched case-insensitively, as on the IIS-hosted original. */
const ROUTES = new Map<string, Route>([
  ['/authentication/signin', { name: 'signin', endpoint: 'authenticated', method: 'POST' }],
  ['/authentication/signout', { name: 'signout', endpoint: 'authenticated', method: 'POST' }],
  ['/meters', { name: 'meters', endpoint: 'authenticated', method: 'GET' }],
  ['/virtualmeters', { name: 'virtualMeters', endpoint: 'authenticated', method: 'GET' }],
  ['/readings', { name: 'readings', endpoint: 'authenticated', method: 'GET' }],
  ['/public/meters', { name: 'meters', endpoint: 'public', method: 'GET' }],
  ['/public/virtualmeters', { name: 'virtualMeters', endpoint: 'public', method: 'GET' }],
  ['/public/readings', { name: 'readings', endpoint: 'public', method: 'GET' }],
]);

/** The route a request asks for, or a DcsRefusal (404 / 405) with the body drained. */
export function resolveRoute(req: IncomingMessage, url: URL, publicMode: boolean): Route {
  const path = url.pathname.toLowerCase().replace(/\/+$/, '') || '/';
  const route = ROUTES.get(path);
  if (!route) {
    req.resume();
    throw new DcsRefusal(
      404,
      `No such endpoint: ${req.method} ${url.pathname}. The DCS Web API offers /authentication/signin, /authentication/signout, /meters, /virtualMeters, /readings and their /public/... forms.`,
    );
  }
  if (req.method !== route.method) {
    req.resume();
    throw new DcsRefusal(405, `${url.pathname} accepts ${route.method} only (got ${req.method}).`, {}, { Allow: route.method });
  }
  if (route.endpoint === 'public' && !publicMode) {
    req.resume();
    throw new DcsRefusal(
      404,
      'The unauthenticated (public) endpoint is not enabled on this server: sign in at /authentication/signin and use the authenticated endpoint.',
    );
  }
  return route;
}
