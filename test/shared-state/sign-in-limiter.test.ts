/**
 * The sign-in limiter's rules, the same whether counted in this process or in Redis (there, with
 * two instances taking turns, as two servers behind one proxy would).
 */
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { localSignInLimiter, type SignInLimiter, type SignInLimits, type SignInVerdict } from '../../server/shared-state';
import { skipWithoutRedis } from '../support/services';
import { redisInstancesForSuite, unique } from './helpers';

/** Limiters sharing one count; each call to `next` hands out the next of them in turn. */
type LimiterPair = (limits: SignInLimits) => [SignInLimiter, SignInLimiter];

/** An attempt from `address` as `username` with a password of its own (so no two are "the same credentials"). */
function attempt(address: string, username: string, password = unique('pw')) {
  return { address, username, credentials: `${username.trim().toLowerCase()}:${password}` };
}

async function refused(limiter: SignInLimiter, address: string, username: string, password?: string): Promise<void> {
  const verdict = await limiter.begin(attempt(address, username, password));
  assert.ok(verdict.allowed, `${username} may try`);
  await verdict.finish('refused');
}

async function accepted(limiter: SignInLimiter, address: string, username: string): Promise<SignInVerdict> {
  const verdict = await limiter.begin(attempt(address, username));
  if (verdict.allowed) await verdict.finish('accepted');
  return verdict;
}

function specify(pair: LimiterPair): void {
  test('failed sign-ins are counted per address and user name; others from the address, and the user elsewhere, may still try', async () => {
    const address = unique('203.0.113.7');
    const [one, two] = pair({ limit: 3 });
    for (let i = 0; i < 3; i++) await refused(i % 2 === 0 ? one : two, address, 'alice');
    const verdict = await two.begin(attempt(address, 'Alice '));
    assert.ok(!verdict.allowed && verdict.scope === 'user', 'user names are compared without case or spaces');
    assert.ok(verdict.retryAfterSeconds >= 1 && verdict.retryAfterSeconds <= 60);
    assert.equal((await accepted(one, address, 'bob')).allowed, true);
    assert.equal((await accepted(one, unique('198.51.100.1'), 'alice')).allowed, true);
  });

  test('successful sign-ins are never counted: a gateway signing in many users is not throttled', async () => {
    const gateway = unique('192.0.2.10');
    const [one, two] = pair({ limit: 2 });
    for (let i = 0; i < 15; i++) assert.equal((await accepted(i % 2 ? one : two, gateway, `user${i % 3}`)).allowed, true, `sign-in ${i + 1}`);
  });

  test('attempts under way count, so parallel guesses cannot slip through', async () => {
    const address = unique('203.0.113.8');
    const [one, two] = pair({ limit: 2 });
    const verdicts = await Promise.all([one, two, one].map((limiter) => limiter.begin(attempt(address, 'carol'))));
    const allowed = verdicts.filter((v) => v.allowed);
    assert.equal(allowed.length, 2);
    await allowed[0].finish('failed');
    assert.equal((await two.begin(attempt(address, 'carol'))).allowed, true, 'an attempt that ended otherwise than refused frees its place');
  });

  test('a flood of junk user names blocks unknown names from the address, never a user who signed in from there', async () => {
    const office = unique('192.0.2.77');
    const [one, two] = pair({ limit: 2 });
    assert.equal((await accepted(one, office, 'dana')).allowed, true, 'dana signs in on Monday');
    for (let i = 0; i < 10; i++) await refused(i % 2 ? one : two, office, `junk-${i}`);
    const stranger = await two.begin(attempt(office, 'junk-99'));
    assert.ok(!stranger.allowed && stranger.scope === 'address', '5 × 2 failures from the address: unknown names wait');
    assert.equal((await accepted(two, office, 'Dana')).allowed, true, 'dana still signs in after the flood');
  });

  test('credentials refused moments ago are refused again without a new attempt, and are not counted again', async () => {
    const address = unique('203.0.113.9');
    const [one, two] = pair({ limit: 2 });
    await refused(one, address, 'erin', 'stale-password');
    for (let i = 0; i < 5; i++) {
      const again = await (i % 2 ? one : two).begin(attempt(address, 'erin', 'stale-password'));
      assert.ok(!again.allowed && again.scope === 'refused-before', `repeat ${i + 1}`);
    }
    assert.equal((await accepted(two, address, 'erin')).allowed, true, 'one failure counted: another password may still be tried');
  });
}

describe('sign-in limiter in this process', () => {
  specify((limits) => {
    const limiter = localSignInLimiter(limits);
    return [limiter, limiter];
  });
});

describe('sign-in limiter in Redis, two instances', { skip: skipWithoutRedis(__filename) }, () => {
  const shared = redisInstancesForSuite(2);
  specify((limits) => {
    const [one, two] = shared();
    return [one.signInLimiter(limits), two.signInLimiter(limits)];
  });
});
