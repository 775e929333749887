// What a replay reports while it runs, besides each op's result: how long the last batch took
// against the fastest (a latency spike shows as "slow"), the window of batches in flight, the
// throttle's limit per collection (throttle.ts) and a retry being waited for (replayRetry.ts).
// The CLI's progress line and the sync worker's notifications show describeReplayProgress's text.
import { grpcName } from './replayRetry';

export interface ReplayProgress {
  batchesCommitted: number;
  /** The batch that just settled took this long, retries included; null in a retry notice. */
  lastBatchMs: number | null;
  /** Smoothed commit time of clean commits; null before the first. */
  roundTripMs: number | null;
  fastestBatchMs: number | null;
  /** Batches that may be in flight now. */
  window: number;
  /** The last batch took over a second and at least 4× the fastest: the network or server slowed down. */
  slow: boolean;
  /** Writes per second allowed per collection now; null when the replay is not throttled. */
  rateLimits: Readonly<Record<string, number>> | null;
  /** Set while a batch waits to be retried. */
  retrying: { code: string; retry: number; delayMs: number } | null;
}

const slowAfterMs = 1000;
const slowFactor = 4;

export function isSlowBatch(lastBatchMs: number, fastestMs: number | null): boolean {
  return lastBatchMs >= slowAfterMs && (fastestMs === null || lastBatchMs >= slowFactor * fastestMs);
}

const seconds = (ms: number): string => (ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`);

/** One line: "slow: last batch took 2.1 s (fastest 0.2 s); 4 in flight; users ≤ 750 writes/s". */
export function describeReplayProgress(progress: ReplayProgress): string {
  const parts: string[] = [];
  if (progress.retrying) {
    parts.push(`${grpcName(progress.retrying.code)}: retry ${progress.retrying.retry} in ${seconds(progress.retrying.delayMs)} (reading back first)`);
  } else if (progress.lastBatchMs !== null) {
    const fastest = progress.fastestBatchMs === null ? '' : ` (fastest ${seconds(progress.fastestBatchMs)})`;
    parts.push(progress.slow ? `slow: last batch took ${seconds(progress.lastBatchMs)}${fastest}` : `last batch ${Math.round(progress.lastBatchMs)} ms`);
  }
  parts.push(`${progress.window} in flight`);
  if (progress.rateLimits) {
    for (const [collection, limit] of Object.entries(progress.rateLimits)) parts.push(`${collection} ≤ ${limit} writes/s`);
  }
  return parts.join('; ');
}
