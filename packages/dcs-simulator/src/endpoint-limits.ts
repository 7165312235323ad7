/**
 * The rate limit applied per endpoint: the authenticated and the public endpoint each have their
 * own window, shared by all of their callers, as on DCS.
 */

import { IncomingMessage } from 'node:http';
import { DcsRefusal } from './errors';
import { RateLimiter } from './rate-limit';
import { Endpoint } from './routes';
import { SimulatorOptions } from './types';

export interface EndpointLimits {
  /** Counts a request; the X-Rate-Limit-* headers for its answer, or a DcsRefusal (429). */
  admit(req: IncomingMessage, endpoint: Endpoint): Record<string, string>;
}

export function createEndpointLimits(rateLimit: SimulatorOptions['rateLimit']): EndpointLimits {
  const limiters = new Map<Endpoint, RateLimiter>();
  if (rateLimit) {
    limiters.set('authenticated', new RateLimiter(rateLimit.requests, rateLimit.periodSeconds));
    limiters.set('public', new RateLimiter(rateLimit.requests, rateLimit.periodSeconds));
  }
  return {
    admit(req, endpoint) {
      const limiter = limiters.get(endpoint);
      if (!limiter) return {};
      const decision = limiter.take();
      if (!decision.allowed) {
        req.resume();
        throw new DcsRefusal(
          429,
          `Rate limit exceeded: this endpoint allows ${rateLimit?.requests} requests per ${rateLimit?.periodSeconds} s, shared by all users. Retry after ${decision.retryAfterSeconds} s.`,
          { backOffSuggestion: decision.retryAfterSeconds },
          { 'Retry-After': String(decision.retryAfterSeconds) },
        );
      }
      return decision.headers;
    },
  };
}
