/**
 * The learned DCS span cap, shared: once any instance learns that DCS refuses spans over N days,
 * none of them asks for a longer one again (for a day; DCS's setting may be raised).
 */
import type Redis from 'ioredis';
import type { SpanCap } from './contracts';
import { keys } from './keys';
import { LuaScript } from './lua-script';

const REMEMBER_SECONDS = 86_400;

/** ARGV: days, seconds to remember. Keeps the smaller of the stored and the given cap. */
const TIGHTEN = new LuaScript(`local current = tonumber(redis.call('GET', KEYS[1]))
local days = tonumber(ARGV[1])
if current == nil or days < current then redis.call('SET', KEYS[1], ARGV[1], 'EX', ARGV[2]) end
return 1`);

export class RedisSpanCap implements SpanCap {
  private readonly key: string;

  constructor(
    private readonly redis: Redis,
    endpointKey: string,
  ) {
    this.key = keys.spanCap(endpointKey);
  }

  async get(): Promise<number | undefined> {
    const value = await this.redis.get(this.key);
    return value === null ? undefined : Number(value);
  }

  async tighten(days: number): Promise<void> {
    if (!(days > 0)) throw new RangeError(`A span cap of ${days} days cannot be right; DCS accepts at least one period.`);
    await TIGHTEN.run(this.redis, [this.key], [days, REMEMBER_SECONDS]);
  }
}
