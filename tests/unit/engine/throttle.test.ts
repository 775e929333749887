// Firestore's 500/50/5 ramp (core/engine/throttle.ts) and the retries' backoff
// (core/engine/replayRetry.ts) on an injected clock: minutes of ramp are checked without waiting.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { RemoteWrite } from '../../../core/engine/remoteStore';
import { defaultRetryPolicy, describeRetries, retryDelay } from '../../../core/engine/replayRetry';
import { describeReplayProgress, isSlowBatch } from '../../../core/engine/replayProgress';
import { WriteThrottle, type Clock } from '../../../core/engine/throttle';

/** A clock that only moves when something sleeps on it (or the test advances it). */
function manualClock(): Clock & { advance(ms: number): void; slept: number[] } {
  let now = 0;
  const slept: number[] = [];
  return {
    slept,
    now: () => now,
    advance: (ms) => {
      now += ms;
    },
    sleep: async (ms) => {
      slept.push(ms);
      now += ms;
    },
  };
}

const minutes = (count: number): number => count * 60_000;

describe('write throttle (500/50/5)', () => {
  it('starts a collection at 500 writes/s and adds 50% every 5 minutes', () => {
    const clock = manualClock();
    const throttle = new WriteThrottle(clock);
    assert.equal(throttle.limitFor('users'), 500, 'before its first write');
    void throttle.acquire(new Map([['users', 1]]));
    const seen = [0, 4.99, 5, 9.99, 10, 15, 30].map((at) => {
      clock.advance(minutes(at) - clock.now());
      return throttle.limitFor('users');
    });
    assert.deepEqual(seen, [500, 500, 750, 750, 1125, 1687, 5695]);
  });

  it('lets no second of writes exceed the limit: 10 batches of 500 at 500/s leave one second apart', async () => {
    const clock = manualClock();
    const throttle = new WriteThrottle(clock);
    const departures: number[] = [];
    for (let batch = 0; batch < 10; batch++) {
      await throttle.acquire(new Map([['users', 500]]));
      departures.push(clock.now());
    }
    assert.deepEqual(departures, [0, 1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000]);
  });

  it('ramps while it runs: after 5 minutes at the limit, batches of 750 leave a second apart', async () => {
    const clock = manualClock();
    const throttle = new WriteThrottle(clock);
    // Five minutes of 500-write batches at 500/s, then the limit is 750.
    while (clock.now() < minutes(5)) await throttle.acquire(new Map([['users', 500]]));
    assert.equal(throttle.limitFor('users'), 750);
    await throttle.acquire(new Map([['users', 750]]));
    const first = clock.now();
    await throttle.acquire(new Map([['users', 750]]));
    const second = clock.now() - first;
    assert.ok(second >= 999 && second <= 1001, `the second batch of 750 left ${second} ms after the first, not a second`);
  });

  it('keeps collections apart, and a batch writing two waits for the busier', async () => {
    const clock = manualClock();
    const throttle = new WriteThrottle(clock);
    await throttle.acquire(new Map([['users', 500]]));
    // orders has had no writes: it may start at once; users is busy for a second.
    assert.equal(await throttle.acquire(new Map([['orders', 500]])), 0);
    assert.equal(await throttle.acquire(new Map([['users', 10], ['orders', 10]])), 1000);
    assert.deepEqual(throttle.limits(), { orders: 500, users: 500 });
  });

  it('backs off on push-back: the limit halves (not below 50) and ramps again from there', async () => {
    const clock = manualClock();
    const throttle = new WriteThrottle(clock);
    await throttle.acquire(new Map([['users', 1]]));
    clock.advance(minutes(10));
    assert.equal(throttle.limitFor('users'), 1125);
    throttle.backOff(['users']);
    assert.equal(throttle.limitFor('users'), 562);
    clock.advance(minutes(5));
    assert.equal(throttle.limitFor('users'), 843);
    for (let i = 0; i < 10; i++) throttle.backOff(['users']);
    assert.equal(throttle.limitFor('users'), 50);
  });

  it('an abort ends the wait early', async () => {
    const throttle = new WriteThrottle();
    await throttle.acquire(new Map([['users', 500]]));
    const controller = new AbortController();
    const waiting = throttle.acquire(new Map([['users', 500]]), controller.signal);
    controller.abort();
    const started = performance.now();
    await waiting;
    assert.ok(performance.now() - started < 900, 'it did not wait out the second');
  });
});

describe('retry backoff', () => {
  it('grows exponentially with jitter between half and all of each step, capped', () => {
    const low = { ...defaultRetryPolicy, random: () => 0 };
    const high = { ...defaultRetryPolicy, random: () => 0.999999 };
    assert.deepEqual([1, 2, 3, 4, 5, 6, 7, 8].map((retry) => retryDelay(low, retry)), [125, 250, 500, 1000, 2000, 4000, 4000, 4000]);
    assert.deepEqual([1, 2, 3, 8].map((retry) => Math.round(retryDelay(high, retry))), [250, 500, 1000, 8000]);
  });

  it('says per op how often and after what a batch was retried', () => {
    const write = { kind: 'set-merge' as const, collection: 'users', id: 'u1', data: {} };
    const retried = { result: { ok: true as const, value: undefined }, failures: ['unavailable', 'unavailable', 'deadline-exceeded'], resent: 2, confirmedByReadBack: new Set<RemoteWrite>() };
    assert.equal(describeRetries(retried, write), 'retried 2× after UNAVAILABLE, DEADLINE_EXCEEDED');
    const confirmed = { result: { ok: true as const, value: undefined }, failures: ['unavailable'], resent: 0, confirmedByReadBack: new Set([write]) };
    assert.equal(describeRetries(confirmed, write), 'confirmed by read-back after UNAVAILABLE');
    assert.equal(describeRetries({ ...confirmed, failures: [] }, write), '');
    const gaveUp = { result: { ok: false as const, code: 'unavailable', error: 'fetch failed' }, failures: ['unavailable', 'unavailable', 'unavailable'], resent: 1, confirmedByReadBack: new Set<RemoteWrite>() };
    assert.equal(describeRetries(gaveUp, write), 'gave up after 3 failures (UNAVAILABLE), resent 1×');
  });
});

describe('replay progress', () => {
  it('calls a batch slow past a second and 4× the fastest, and says so with the rate limits', () => {
    assert.equal(isSlowBatch(2100, 30), true);
    assert.equal(isSlowBatch(900, 30), false, 'under a second is never slow');
    assert.equal(isSlowBatch(1200, 400), false, 'a 200 ms link is not slow at 1.2 s per batch');
    const line = describeReplayProgress({
      batchesCommitted: 3,
      lastBatchMs: 2100,
      roundTripMs: 600,
      fastestBatchMs: 30,
      window: 2,
      slow: true,
      rateLimits: { users: 750 },
      retrying: null,
    });
    assert.equal(line, 'slow: last batch took 2.1 s (fastest 30 ms); 2 in flight; users ≤ 750 writes/s');
  });
});
