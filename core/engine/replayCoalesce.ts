// Coalescing: an entity's consecutive merges become one write. The first op of a run carries the
// write (its fields, then each later op's over them: last value wins per field, nested maps merged
// as Firestore's set-with-merge merges them) and the later ops ride on it, settled with it and
// reported as "merged into #<first>". A delete, or any op that sends no merge, ends the run: it is
// sent as it is, and merges after it start a new run. A run never grows past Firestore's document
// limit (writeSize.ts).
import type { RemoteWrite } from './remoteStore';
import type { ReplayEntry } from './replayBatches';
import { documentSize, maxDocumentBytes } from './writeSize';

type MergeWrite = Extract<RemoteWrite, { kind: 'set-merge' }>;

const isPlainMap = (value: unknown): value is Record<string, unknown> =>
  value !== null && typeof value === 'object' && Object.getPrototypeOf(value) === Object.prototype;

/** `later`'s fields over `earlier`'s, as one set-with-merge after another leaves them. */
export function mergeFields(earlier: Record<string, unknown>, later: Record<string, unknown>): Record<string, unknown> {
  const merged: Record<string, unknown> = { ...earlier };
  for (const [key, value] of Object.entries(later)) {
    const before = merged[key];
    merged[key] = isPlainMap(before) && isPlainMap(value) ? mergeFields(before, value) : value;
  }
  return merged;
}

const isCoalescable = (entry: ReplayEntry): entry is ReplayEntry & { write: MergeWrite } =>
  entry.write?.kind === 'set-merge' && entry.outcomeOnSuccess === 'applied' && entry.keepRemote === null;

/** The entries with each entity's consecutive merges folded into the first of them; order otherwise kept. */
export function coalesceMerges(entries: readonly ReplayEntry[]): ReplayEntry[] {
  const output: ReplayEntry[] = [];
  /** entityKey -> index in output of the entry carrying the entity's open run. */
  const openRun = new Map<string, number>();
  for (const entry of entries) {
    if (!isCoalescable(entry)) {
      openRun.delete(entry.entityKey);
      output.push(entry);
      continue;
    }
    const index = openRun.get(entry.entityKey);
    const carrier = index === undefined ? undefined : output[index];
    if (carrier?.write?.kind === 'set-merge') {
      const write: MergeWrite = { ...carrier.write, data: mergeFields(carrier.write.data, entry.write.data) };
      if (documentSize(write) <= maxDocumentBytes) {
        output[index!] = { ...carrier, write, mergedOps: [...(carrier.mergedOps ?? []), entry] };
        continue;
      }
    }
    openRun.set(entry.entityKey, output.length);
    output.push(entry);
  }
  return output;
}
