// Firestore's "500/50/5" rule for ramping up traffic (firebase.google.com/docs/firestore/
// best-practices, "Ramping up traffic"): start a collection at no more than 500 writes a second and
// add at most 50% every 5 minutes, so the service can split its key ranges ahead of the load. Each
// collection has its own schedule: a batch may leave when every collection it writes has room,
// and then takes `count / limit` seconds of that collection's time, so no one-second window ever
// holds more than the limit. After RESOURCE_EXHAUSTED (or ABORTED / UNAVAILABLE) the collection's
// limit halves and its ramp starts again from there. The clock is injectable so the ramp can be
// tested without waiting (tests/unit/engine/throttle.test.ts).

/** Time and waiting, so tests can drive the ramp and the backoff without real delays. */
export interface Clock {
  /** Milliseconds, monotonic. */
  now(): number;
  /** Resolves after `ms`, or early (without throwing) when `signal` aborts. */
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
}

export const systemClock: Clock = {
  now: () => performance.now(),
  sleep: (ms, signal) =>
    new Promise((resolve) => {
      if (ms <= 0 || signal?.aborted) {
        resolve();
        return;
      }
      const done = (): void => {
        clearTimeout(timer);
        signal?.removeEventListener('abort', done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      signal?.addEventListener('abort', done, { once: true });
    }),
};

export interface RampOptions {
  /** Writes per second a collection starts at (Firestore: at most 500). */
  initialPerSecond: number;
  /** Factor the limit grows by each step (Firestore: at most 1.5). */
  growth: number;
  /** Time between steps (Firestore: 5 minutes). */
  stepMs: number;
  /** A back-off never takes a collection below this. */
  floorPerSecond: number;
}

export const firestoreRamp: RampOptions = { initialPerSecond: 500, growth: 1.5, stepMs: 5 * 60_000, floorPerSecond: 50 };

interface CollectionSchedule {
  /** When the current ramp began (the first write, or the last back-off). */
  rampStart: number;
  /** The limit at rampStart. */
  basePerSecond: number;
  /** The earliest time the collection has room for another batch. */
  freeAt: number;
}

export class WriteThrottle {
  private readonly schedules = new Map<string, CollectionSchedule>();

  constructor(
    private readonly clock: Clock = systemClock,
    private readonly ramp: RampOptions = firestoreRamp,
  ) {}

  /** The collection's limit now, in writes per second (its starting limit before its first write). */
  limitFor(collection: string): number {
    const schedule = this.schedules.get(collection);
    if (!schedule) return this.ramp.initialPerSecond;
    const steps = Math.floor(Math.max(0, this.clock.now() - schedule.rampStart) / this.ramp.stepMs);
    return Math.floor(schedule.basePerSecond * this.ramp.growth ** steps);
  }

  /** Every collection written so far with its limit now, for progress reports. */
  limits(): Record<string, number> {
    return Object.fromEntries([...this.schedules.keys()].sort().map((collection) => [collection, this.limitFor(collection)]));
  }

  /**
   * Reserves room for a batch (`writes`: collection -> writes in it) and waits until it may leave;
   * returns the ms waited. Reservations are made in call order, so concurrent batches queue fairly.
   * An abort ends the wait early; the caller checks its signal.
   */
  async acquire(writes: ReadonlyMap<string, number>, signal?: AbortSignal): Promise<number> {
    const now = this.clock.now();
    let leaveAt = now;
    for (const collection of writes.keys()) leaveAt = Math.max(leaveAt, this.scheduleOf(collection, now).freeAt);
    for (const [collection, count] of writes) {
      const schedule = this.scheduleOf(collection, now);
      schedule.freeAt = Math.max(schedule.freeAt, leaveAt) + (1000 * count) / this.limitFor(collection);
    }
    const wait = leaveAt - now;
    if (wait > 0) await this.clock.sleep(wait, signal);
    return wait;
  }

  /** The server pushed back: each collection's limit halves (not below the floor) and ramps again from there. */
  backOff(collections: Iterable<string>): void {
    const now = this.clock.now();
    for (const collection of collections) {
      const schedule = this.scheduleOf(collection, now);
      schedule.basePerSecond = Math.max(this.ramp.floorPerSecond, Math.floor(this.limitFor(collection) / 2));
      schedule.rampStart = now;
    }
  }

  private scheduleOf(collection: string, now: number): CollectionSchedule {
    let schedule = this.schedules.get(collection);
    if (!schedule) {
      schedule = { rampStart: now, basePerSecond: this.ramp.initialPerSecond, freeAt: now };
      this.schedules.set(collection, schedule);
    }
    return schedule;
  }
}
