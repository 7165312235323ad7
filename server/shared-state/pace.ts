/**
 * One DCS pace for every instance: the endpoint's schedule lives in a Redis hash and each
 * request's slot is reserved by one atomic script, on Redis's clock. The schedule is the
 * in-process one (`EndpointState`): slots at least 1/rate apart (a token bucket holding one
 * token), none while a 429's Retry-After runs, none while DCS's rate window is known used up.
 *
 * Hash fields: `next` (earliest next slot), `pause` (no slot before), `remaining` and `reset`
 * (DCS's window as last reported, counted down by every instance's requests). All epoch ms.
 */
import type Redis from 'ioredis';
import { DcsRateLimitError, systemClock, type Clock } from 'dcs-client';
import type { EndpointPace, RateLimitHeaders } from './contracts';
import { keys } from './keys';
import { LuaScript, REDIS_NOW_MS } from './lua-script';

/** Waiting for the window's reset a little longer than DCS said, as `EndpointState` does. */
const RESET_MARGIN_MS = 100;
/** Idle schedules expire: an endpoint nobody called for a minute starts afresh. */
const IDLE_EXPIRY_MS = 60_000;

/** ARGV: interval ms, max wait ms. Returns {0, wait ms} for a reserved slot, {-1, held ms} when held too long. */
const TURN = new LuaScript(`${REDIS_NOW_MS}
local interval = tonumber(ARGV[1])
local maxWait = tonumber(ARGV[2])
local s = redis.call('HMGET', KEYS[1], 'next', 'pause', 'remaining', 'reset')
local nextSlot = tonumber(s[1]) or 0
local pause = tonumber(s[2]) or 0
local remaining = tonumber(s[3])
local reset = tonumber(s[4]) or 0
if remaining ~= nil and (reset <= now or remaining <= 0) then
  if remaining <= 0 and reset > now then pause = math.max(pause, math.min(reset, now + maxWait)) end
  remaining = nil
  redis.call('HDEL', KEYS[1], 'remaining', 'reset')
end
if pause - now > maxWait then return {-1, pause - now} end
local slot = math.max(now, pause, nextSlot)
redis.call('HSET', KEYS[1], 'next', slot + interval, 'pause', pause)
if remaining ~= nil then redis.call('HINCRBY', KEYS[1], 'remaining', -1) end
redis.call('PEXPIRE', KEYS[1], math.max(slot + interval, pause, reset) - now + ${IDLE_EXPIRY_MS})
return {0, slot - now}`);

/** Returns how long (ms) the endpoint is still paused, 0 when not. */
const PAUSED = new LuaScript(`${REDIS_NOW_MS}
local pause = tonumber(redis.call('HGET', KEYS[1], 'pause')) or 0
return math.max(0, pause - now)`);

/** ARGV: pause ms from now. */
const PAUSE = new LuaScript(`${REDIS_NOW_MS}
local untilMs = now + tonumber(ARGV[1])
local pause = tonumber(redis.call('HGET', KEYS[1], 'pause')) or 0
if untilMs > pause then redis.call('HSET', KEYS[1], 'pause', untilMs) end
redis.call('PEXPIRE', KEYS[1], math.max(untilMs, pause) - now + ${IDLE_EXPIRY_MS})
return 1`);

/** ARGV: remaining, reset in ms from now, max wait ms. */
const OBSERVE = new LuaScript(`${REDIS_NOW_MS}
local remaining = tonumber(ARGV[1])
local reset = now + tonumber(ARGV[2])
redis.call('HSET', KEYS[1], 'remaining', remaining, 'reset', reset)
if remaining <= 0 then
  local pause = tonumber(redis.call('HGET', KEYS[1], 'pause')) or 0
  redis.call('HSET', KEYS[1], 'pause', math.max(pause, math.min(reset, now + tonumber(ARGV[3]))))
end
redis.call('PEXPIRE', KEYS[1], reset - now + ${IDLE_EXPIRY_MS})
return 1`);

export class RedisEndpointPace implements EndpointPace {
  private readonly key: string;
  private readonly intervalMs: number;

  /** `requestsPerSecond` undefined: no pacing, but 429 pauses and DCS's window still hold everyone. */
  constructor(
    private readonly redis: Redis,
    endpointKey: string,
    requestsPerSecond: number | undefined,
    /** What a wait for a slot sleeps by (the slots themselves are on Redis's clock); tests record the waits. */
    private readonly clock: Clock = systemClock,
  ) {
    this.key = keys.pace(endpointKey);
    this.intervalMs = requestsPerSecond ? Math.ceil(1000 / requestsPerSecond) : 0;
  }

  async awaitTurn(maxWaitMs: number, signal?: AbortSignal): Promise<void> {
    for (;;) {
      signal?.throwIfAborted();
      const [code, ms] = (await TURN.run(this.redis, [this.key], [this.intervalMs, maxWaitMs])) as [number, number];
      if (code < 0) throw heldTooLong(ms, maxWaitMs);
      if (ms <= 0) return;
      await this.clock.sleep(ms, signal);
      // A 429 seen by any instance while this request waited for its slot still applies.
      const paused = Number(await PAUSED.run(this.redis, [this.key], []));
      if (paused <= 0) return;
    }
  }

  async pauseFor(ms: number): Promise<void> {
    if (ms > 0) await PAUSE.run(this.redis, [this.key], [Math.ceil(ms)]);
  }

  async observe(limits: RateLimitHeaders, maxWaitMs: number): Promise<void> {
    if (limits.remaining === undefined) return;
    const resetInMs = (limits.resetAtMs === undefined ? 1000 : limits.resetAtMs - this.clock.now()) + RESET_MARGIN_MS;
    await OBSERVE.run(this.redis, [this.key], [limits.remaining, Math.max(0, Math.ceil(resetInMs)), maxWaitMs]);
  }
}

function heldTooLong(heldMs: number, maxWaitMs: number): DcsRateLimitError {
  const seconds = Math.ceil(heldMs / 1000);
  return new DcsRateLimitError(
    `DCS's rate limit holds every request to this endpoint for another ${seconds} s, longer than maxRateLimitWaitMs (${maxWaitMs} ms) allows. Try again in ${seconds} s.`,
    { retryAfterSeconds: seconds },
  );
}
