import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { SessionCookies } from '../src/cookies';
import { EndpointState, readRateLimitHeaders } from '../src/endpoint';
import { DcsBadRequestError, DcsForbiddenError, DcsServerError, DcsSpanTooLongError } from '../src/errors';
import { TransactionLock } from '../src/lock';
import { virtualClock } from 'dcs-simulator';
import { allowedDaysIn, errorForStatus, isSpanTooLong, parseErrorBody, retryAfterSeconds } from '../src/status-errors';

describe('the transaction lock', () => {
  it('grants the lock in the order it was asked for', async () => {
    const lock = new TransactionLock();
    const order: number[] = [];
    const first = await lock.acquire();
    const waiting = [1, 2, 3].map((n) =>
      lock.acquire().then((release) => {
        order.push(n);
        release();
      }),
    );
    await new Promise((r) => setImmediate(r));
    assert.deepEqual(order, [], 'nobody gets the lock while it is held');
    first();
    await Promise.all(waiting);
    assert.deepEqual(order, [1, 2, 3]);
    assert.equal(lock.isHeld, false);
  });

  it('lets a waiter give up through its AbortSignal without disturbing the queue', async () => {
    const lock = new TransactionLock();
    const release = await lock.acquire();
    const controller = new AbortController();
    const abandoned = lock.acquire(controller.signal);
    const next = lock.acquire();
    controller.abort(new Error('user cancelled'));
    await assert.rejects(abandoned, /user cancelled/);
    release();
    const releaseNext = await next;
    releaseNext();
    releaseNext(); // releasing twice is harmless
    assert.equal(lock.isHeld, false);
  });
});

describe('what is learned about an endpoint', () => {
  it('paces requests to the strictest configured rate', async () => {
    const clock = virtualClock(1_000_000);
    const endpoint = new EndpointState('test', clock);
    endpoint.setPace(50);
    endpoint.setPace(200); // a laxer pace does not loosen it
    for (let i = 0; i < 4; i++) await endpoint.awaitTurn(10_000);
    assert.equal(clock.now() - 1_000_000, 3 * 20, 'four requests at 50/s: the first at once, then 20 ms apart');
  });

  it('learns a pace from 429s: one doubling per pause, halving every 30 s without one', () => {
    const endpoint = new EndpointState('test');
    assert.equal(endpoint.learnedGap(0), 0, 'no gap before any 429');
    endpoint.slowDown(1000, 0);
    assert.equal(endpoint.learnedGap(0), 100, 'the first 429: requests 100 ms apart');
    endpoint.slowDown(1500, 400);
    assert.equal(endpoint.learnedGap(400), 100 * 0.5 ** (400 / 30_000), 'a 429 within the same pause is the same news');
    endpoint.slowDown(3000, 1000);
    const doubled = 2 * 100 * 0.5 ** (1000 / 30_000);
    assert.equal(endpoint.learnedGap(1000), doubled, 'a 429 after the pause doubles the gap');
    assert.equal(endpoint.learnedGap(31_000), doubled / 2, 'halved after 30 s without a 429');
    assert.equal(endpoint.learnedGap(1000 + 30_000 * 8), 0, 'forgotten once below a millisecond');
    for (let i = 0; i < 10; i++) endpoint.slowDown(10_000 * (i + 2), 10_000 * (i + 1));
    assert.ok(endpoint.learnedGap(100_000) <= 5000, 'never more than 5 s apart');
  });

  it('waits for the reset when the rate window is used up', async () => {
    const clock = virtualClock(1_000_000);
    const endpoint = new EndpointState('test', clock);
    endpoint.observe({ remaining: 0, resetAtMs: clock.now() + 80 }, 10_000);
    await endpoint.awaitTurn(10_000);
    assert.equal(clock.now() - 1_000_000, 80 + 100, "until the reset, and the margin for the server's clock");
  });

  it('counts requests down from the last Remaining so concurrent senders stop in time', async () => {
    const clock = virtualClock(1_000_000);
    const endpoint = new EndpointState('test', clock);
    endpoint.observe({ remaining: 2, resetAtMs: clock.now() + 100 }, 10_000);
    await Promise.all([endpoint.awaitTurn(10_000), endpoint.awaitTurn(10_000)]);
    assert.deepEqual(clock.sleeps, [], 'the two remaining requests go at once');
    await endpoint.awaitTurn(10_000);
    assert.equal(clock.now() - 1_000_000, 100 + 100, 'the third waits for the reset (and its margin)');
  });

  it('cancels a pacing wait with the signal', async () => {
    const endpoint = new EndpointState('test');
    endpoint.pauseUntil(Date.now() + 60_000);
    await assert.rejects(endpoint.awaitTurn(120_000, AbortSignal.timeout(20)), { name: 'TimeoutError' });
  });

  it('only ever tightens the learned window', () => {
    const endpoint = new EndpointState('test');
    endpoint.limitWindowDays(30);
    endpoint.limitWindowDays(90);
    assert.equal(endpoint.maxWindowDays, 30);
  });

  it('reads the rate-limit headers in the forms servers send', () => {
    const now = Date.UTC(2024, 0, 1);
    assert.deepEqual(readRateLimitHeaders({ 'x-rate-limit-remaining': '3', 'x-rate-limit-reset': '2024-01-01T00:01:00.0000000Z' }, now), {
      remaining: 3,
      resetAtMs: now + 60_000,
    });
    assert.equal(readRateLimitHeaders({ 'x-rate-limit-reset': '30' }, now).resetAtMs, now + 30_000);
    assert.deepEqual(readRateLimitHeaders({}, now), {});
  });
});

describe("reading DCS's refusals", () => {
  it('takes details from the JSON error body, or an excerpt of anything else', () => {
    assert.deepEqual(parseErrorBody(Buffer.from('{"details":"Too many requests","backOffSuggestion":7}')), {
      details: 'Too many requests',
      backOffSuggestion: 7,
    });
    assert.deepEqual(parseErrorBody(Buffer.from('<html><body><h1>502 Bad Gateway</h1></body></html>')), { details: '502 Bad Gateway' });
    assert.deepEqual(parseErrorBody(Buffer.alloc(0)), {});
  });

  it('tells a span-too-long 400 from other 400s by its wording', () => {
    for (const details of ['Time span too long', 'The requested period exceeds 31 days', 'Maximum query range is 90 days', 'Date range not allowed']) {
      assert.ok(isSpanTooLong(details), details);
      assert.ok(errorForStatus(400, { details }, 'read R1 readings') instanceof DcsSpanTooLongError);
    }
    const other = errorForStatus(400, { details: 'Unknown register R99' }, 'read R99 readings');
    assert.ok(other instanceof DcsBadRequestError && !(other instanceof DcsSpanTooLongError));
    assert.equal(other.details, 'Unknown register R99');
    assert.equal(other.status, 400);
  });

  it('finds the number of days a refusal allows', () => {
    assert.equal(allowedDaysIn('The span of 365 days exceeds the maximum of 31 days', 365), 31);
    assert.equal(allowedDaysIn('Time span too long', 365), undefined);
    assert.equal(allowedDaysIn('maximum 400 days', 365), undefined, 'a number at or above the span asked for is not the cap');
  });

  it('reads Retry-After in seconds or as a date, else backOffSuggestion', () => {
    const now = Date.UTC(2024, 0, 1);
    assert.equal(retryAfterSeconds('5', {}), 5);
    assert.equal(retryAfterSeconds(new Date(now + 3000).toUTCString(), {}, now), 3);
    assert.equal(retryAfterSeconds(undefined, { backOffSuggestion: 9 }), 9);
    assert.equal(retryAfterSeconds(undefined, {}), undefined);
  });

  it('maps statuses to classes whose messages say what to do', () => {
    const forbidden = errorForStatus(403, { details: 'Account expired' }, 'list meters');
    assert.ok(forbidden instanceof DcsForbiddenError);
    assert.match(forbidden.message, /Account expired.*ask the DCS administrator/);
    assert.ok(errorForStatus(500, {}, 'list meters') instanceof DcsServerError);
    assert.match(errorForStatus(301, {}, 'list meters').message, /https:\/\/ rather than http:\/\//);
  });
});

describe('the session cookie', () => {
  it('keeps only COHERENT-DCS-API cookies and drops them when DCS empties them', () => {
    const jar = new SessionCookies();
    jar.update(['COHERENT-DCS-API-TOKEN=abc; Path=/; HttpOnly', 'tracking=1; Path=/']);
    assert.equal(jar.header(), 'COHERENT-DCS-API-TOKEN=abc');
    jar.update('COHERENT-DCS-API-TOKEN=; expires=Thu, 01 Jan 1970 00:00:00 GMT; Path=/');
    assert.equal(jar.hasSession, false);
    jar.update('coherent-dcs-api=xyz; Max-Age=3600');
    assert.equal(jar.header(), 'coherent-dcs-api=xyz');
    jar.update('coherent-dcs-api=xyz; Max-Age=0');
    assert.equal(jar.header(), undefined);
  });

  it("keeps a fresh session cookie even if its Expires looks past by this machine's clock", () => {
    const jar = new SessionCookies();
    jar.update(`COHERENT-DCS-API=abc; expires=${new Date(Date.now() - 500).toUTCString()}; path=/`);
    assert.equal(jar.header(), 'COHERENT-DCS-API=abc', 'DCS decides when the session ends, with a 401');
  });
});
