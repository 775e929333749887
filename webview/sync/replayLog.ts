// The replay log as results arrive, one batch per message: appending keeps the batches as they came
// (no copy of the entries so far), so a 100,000-op replay costs one pass, not one copy per op.
import type { OperationResult } from '../../core/protocol/syncModel';

export interface ReplayLog {
  readonly batches: readonly (readonly OperationResult[])[];
  /** Index of each batch's first entry. */
  readonly starts: readonly number[];
  readonly length: number;
}

export const emptyReplayLog: ReplayLog = { batches: [], starts: [], length: 0 };

export function appendToLog(log: ReplayLog, results: readonly OperationResult[]): ReplayLog {
  if (results.length === 0) return log;
  return { batches: [...log.batches, results], starts: [...log.starts, log.length], length: log.length + results.length };
}

export function logEntry(log: ReplayLog, index: number): OperationResult | undefined {
  if (index < 0 || index >= log.length) return undefined;
  let low = 0;
  let high = log.starts.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >> 1;
    if (log.starts[middle]! <= index) low = middle;
    else high = middle - 1;
  }
  return log.batches[low]![index - log.starts[low]!];
}

export function logEntries(log: ReplayLog): OperationResult[] {
  return log.batches.flat();
}
