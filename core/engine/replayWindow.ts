// How many replay batches are in flight at once, adapted to the measured round trip (as TCP
// Vegas does): each commit's time is measured; the fastest seen is the base (round trip plus the
// server's work on an idle line). While commits take little more than the base, the line is not
// queueing and one more batch may leave; once they take twice the base, the server or the line is
// saturated and the window shrinks. On a slow link the window opens until the round trip is
// hidden; on loopback it stays near what the server's cores absorb.

export interface WindowBounds {
  initial: number;
  min: number;
  max: number;
}

export const defaultWindowBounds: WindowBounds = { initial: 4, min: 2, max: 32 };

export class AdaptiveWindow {
  private current: number;
  private baseMs = Number.POSITIVE_INFINITY;
  private smoothedMs: number | null = null;
  private samples = 0;

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

  /** One commit took `ms`. */
  observe(ms: number): void {
    this.samples++;
    this.baseMs = Math.min(this.baseMs, ms);
    this.smoothedMs = this.smoothedMs === null ? ms : 0.75 * this.smoothedMs + 0.25 * ms;
    if (this.smoothedMs <= 1.5 * this.baseMs) this.current = Math.min(this.bounds.max, this.current + 1);
    else if (this.smoothedMs >= 2 * this.baseMs) this.current = Math.max(this.bounds.min, this.current - 1);
  }
}
