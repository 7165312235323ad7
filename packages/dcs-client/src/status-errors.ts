/**
 * Reading DCS's refusals: its error body (`{"details": "...", ...}`), the Retry-After of a 429, and
 * which error class a status maps to, with a message that says what to do next.
 */
import {
  DcsAuthenticationError,
  DcsBadRequestError,
  DcsError,
  DcsForbiddenError,
  DcsRateLimitError,
  DcsServerError,
  DcsSpanTooLongError,
  type DcsRequestTarget,
} from './errors';

export interface ErrorBody {
  details?: string;
  backOffSuggestion?: number;
}

/** DCS's error body, or whatever text came back when it is not JSON (a proxy's HTML page, say). */
export function parseErrorBody(body: Buffer): ErrorBody {
  const text = body.toString('utf8').trim();
  if (text === '') return {};
  try {
    const json = JSON.parse(text) as unknown;
    if (json && typeof json === 'object' && !Array.isArray(json)) {
      const fields = json as Record<string, unknown>;
      const details = fields.details ?? fields.Details ?? fields.message ?? fields.title;
      const backOff = Number(fields.backOffSuggestion ?? fields.BackOffSuggestion);
      return {
        ...(details !== undefined ? { details: typeof details === 'string' ? details : JSON.stringify(details) } : {}),
        ...(Number.isFinite(backOff) ? { backOffSuggestion: backOff } : {}),
      };
    }
    if (typeof json === 'string') return { details: json };
  } catch {
    // Not JSON: keep a readable excerpt.
  }
  return {
    details: text
      .replace(/<[^>]*>/g, ' ')
      .replace(/\s+/g, ' ')
      .trim()
      .slice(0, 300),
  };
}

/**
 * Whether a 400 means "the span is longer than this server allows in one call". DCS does not give
 * this refusal its own status or code, and its wording is not documented, so the details text is
 * matched liberally: "too long", "too large", "exceed", "maximum", "longer than", "range". A false
 * positive costs little: largeReadings shrinks its window and tries again, and gives up with
 * DcsSpanTooLongError once even a single period is refused.
 */
export function isSpanTooLong(details: string | undefined): boolean {
  return details !== undefined && /too long|too large|exceed|maximum|longer than|range/i.test(details);
}

/** The number of days DCS says it allows, when its refusal names one below the span asked for. */
export function allowedDaysIn(details: string | undefined, askedDays: number): number | undefined {
  if (!details) return undefined;
  const candidates = [...details.matchAll(/(\d+(?:\.\d+)?)\s*days?\b/gi)].map((m) => Number(m[1])).filter((d) => d > 0 && d < askedDays);
  return candidates.length > 0 ? Math.min(...candidates) : undefined;
}

/** Seconds to wait after a 429: Retry-After (seconds or an HTTP date), else the body's backOffSuggestion. */
export function retryAfterSeconds(retryAfterHeader: string | string[] | undefined, body: ErrorBody, now = Date.now()): number | undefined {
  const header = Array.isArray(retryAfterHeader) ? retryAfterHeader[0] : retryAfterHeader;
  if (header !== undefined && header.trim() !== '') {
    const seconds = Number(header);
    if (Number.isFinite(seconds) && seconds >= 0) return seconds;
    const date = Date.parse(header);
    if (!Number.isNaN(date)) return Math.max(0, (date - now) / 1000);
  }
  if (body.backOffSuggestion !== undefined && body.backOffSuggestion >= 0) return body.backOffSuggestion;
  return undefined;
}

function quoted(details: string | undefined): string {
  return details ? `: "${details}"` : '';
}

/** The error for a status DCS answered with, after any retrying has been done. */
export function errorForStatus(status: number, body: ErrorBody, action: string, target?: DcsRequestTarget): DcsError {
  const init = {
    status,
    ...(body.details !== undefined ? { details: body.details } : {}),
    ...(target !== undefined ? { method: target.method, url: target.url } : {}),
  };
  const said = quoted(body.details);
  if (status === 400) {
    if (isSpanTooLong(body.details)) {
      return new DcsSpanTooLongError(
        `DCS refused to ${action} because the span is longer than it allows in one call${said}. Ask for a shorter span, or use largeReadings, which splits long spans and learns the server's limit.`,
        init,
      );
    }
    return new DcsBadRequestError(`DCS refused to ${action} (400 Bad Request)${said}. Check the source id, the times and the options.`, init);
  }
  if (status === 401) {
    return new DcsAuthenticationError(
      `DCS refused to ${action} because the session is not signed in or has expired (401)${said}. Sign in again with valid credentials.`,
      init,
    );
  }
  if (status === 403) {
    return new DcsForbiddenError(
      `DCS refused to ${action} (403 Forbidden)${said}. This DCS user may not see this data, or the account has expired or is outside its access dates: ask the DCS administrator.`,
      init,
    );
  }
  if (status >= 300 && status < 400) {
    return new DcsError(
      `DCS answered ${status} (a redirect) when asked to ${action}${said}. Check the DCS URL: it may need https:// rather than http://, or a different path to the Web API root.`,
      init,
    );
  }
  if (status === 404) {
    return new DcsError(
      `DCS answered 404 Not Found when asked to ${action}${said}. Check that the URL is the DCS Web API root (such as https://dcs.example.com/DCSWebApi/), and for unauthenticated use that the server has public access enabled.`,
      init,
    );
  }
  if (status === 429) {
    return new DcsRateLimitError(
      `DCS is rate-limiting requests (429) and still refused to ${action} after waiting${said}. Try again later, or configure a slower rateLimit.`,
      init,
    );
  }
  if (status >= 500) {
    return new DcsServerError(`DCS failed while trying to ${action} (${status})${said}. Try again later; if it persists, tell the DCS administrator.`, init);
  }
  return new DcsError(`DCS answered ${status} when asked to ${action}${said}.`, init);
}
