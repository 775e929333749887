// How many replay batches are in flight at once, adapted to the measured round trip (as TCP
// Vegas does): each commit's time is measured; the fastest seen is the base (round trip plus the
// server's work on an idle line). With `size` batches out and commits taking `smoothed`, about
// size * (1 - base / smoothed) of them are queueing at the server instead of travelling. Fewer
// than one queued: one more batch may leave (doubling at first, until a commit first shows a
// queue); more than three: one fewer. It starts at 2, so the base is measured nearly unqueued. On a slow link the
// window opens until the round trip is hidden; on loopback, where a commit is all server work, it
// stays a little above what the server's cores absorb (a fixed window of 4 against growing it on
// fast commits alone: bench/replay.ts).

export interface WindowBounds {
  initial: number;
  min: number;
  max: number;
}

export const defaultWindowBounds: WindowBounds = { initial: 2, min: 2, max: 32 };
/** Batches queued at the server below which the window opens, and above which it closes. */
const fewQueued = 1;
const manyQueued = 3;

export class AdaptiveWindow {
  private current: number;
  private baseMs = Number.POSITIVE_INFINITY;
  private smoothedMs: number | null = null;
  private slowStart = true;

  constructor(private readonly bounds: WindowBounds = defaultWindowBounds) {
    this.current = bounds.initial;
  }

  /** Batches that may be in flight now. */
  get size(): number {
    return this.current;
  }

  /** The smoothed commit time, for progress reports; null before the first commit. */
  get roundTripMs(): number | null {
    return this.smoothedMs;
  }

  /** The fastest commit seen (the base), for telling a slow batch; null before the first commit. */
  get fastestMs(): number | null {
    return Number.isFinite(this.baseMs) ? this.baseMs : null;
  }

  /** One commit took `ms`. */
  observe(ms: number): void {
    this.baseMs = Math.min(this.baseMs, ms);
    this.smoothedMs = this.smoothedMs === null ? ms : 0.75 * this.smoothedMs + 0.25 * ms;
    // This commit's own time, not the smoothed one: it left with about the current window out.
    const queued = this.current * (1 - this.baseMs / ms);
    if (queued >= fewQueued) this.slowStart = false;
    if (queued < fewQueued) this.current = Math.min(this.bounds.max, this.slowStart ? 2 * this.current : this.current + 1);
    else if (queued > manyQueued) this.current = Math.max(this.bounds.min, this.current - 1);
  }
}
