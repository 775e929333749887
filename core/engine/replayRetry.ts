// Retrying a replay batch after a transient failure without applying anything twice. A commit
// that failed with UNAVAILABLE (a reset connection, a refused one), ABORTED, RESOURCE_EXHAUSTED or
// DEADLINE_EXCEEDED may or may not have been applied: the request may have reached the server and
// only its answer been lost. So before each retry the documents the batch writes are read back
// and compared with what it wrote; a document that already holds its last write is done (a batch
// commits atomically, so its earlier writes landed too) and only the others are sent again. Waits
// between attempts grow exponentially with jitter (half fixed, half random), as Firestore asks.
import { documentContains } from '../firestore/mapping';
import { timeValueToMillis } from './documentValues';
import { remoteFields } from './planner';
import type { RemoteResult, RemoteStore, RemoteWrite } from './remoteStore';
import type { Clock } from './throttle';
import type { RemoteDocument } from './types';

/** Codes after which the same request may succeed later. */
const transientCodes = new Set(['unavailable', 'aborted', 'resource-exhausted', 'deadline-exceeded']);
/** Codes that say the server is overloaded: the throttle slows down (throttle.ts). */
const pushBackCodes = new Set(['unavailable', 'aborted', 'resource-exhausted']);

export const isTransient = (code: string): boolean => transientCodes.has(code);
export const isPushBack = (code: string): boolean => pushBackCodes.has(code);

export interface RetryPolicy {
  /** Attempts after the first. */
  maxRetries: number;
  baseDelayMs: number;
  maxDelayMs: number;
  /**
   * How long a commit that timed out may still answer: until it has (or this passed), a read-back
   * cannot tell "not applied" from "not applied yet" (remoteStore.ts `late`).
   */
  lateAnswerMs: number;
  /** In [0, 1): the jitter's source. */
  random: () => number;
}

/** At most about 0.25 + 0.5 + 1 + 2 + 4 + 8 = 16 s of waiting before a batch counts as failed. */
export const defaultRetryPolicy: RetryPolicy = { maxRetries: 6, baseDelayMs: 250, maxDelayMs: 8_000, lateAnswerMs: 30_000, random: Math.random };

/** The wait before retry number `retry` (1-based): half of the exponential step fixed, half random. */
export function retryDelay(policy: RetryPolicy, retry: number): number {
  const step = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (retry - 1));
  return step / 2 + (step / 2) * policy.random();
}

/** The Firestore code as gRPC spells it, as people search for it: UNAVAILABLE, DEADLINE_EXCEEDED. */
export const grpcName = (code: string): string => code.toUpperCase().replaceAll('-', '_');

export interface CommitAttempts {
  /** The last attempt's result; ok when every write is known to be applied. */
  result: RemoteResult<void>;
  /** The code of each transient failure (of a commit or of a read-back), in order. */
  failures: readonly string[];
  /** How many times the commit was sent again. */
  resent: number;
  /** Writes found applied by a read-back (the answer to their commit was lost). */
  confirmedByReadBack: ReadonlySet<RemoteWrite>;
}

export interface RetryHooks {
  policy: RetryPolicy;
  clock: Clock;
  signal?: AbortSignal;
  /** Told before each wait (for progress, and for the throttle to slow down). */
  onRetry?: (code: string, retry: number, delayMs: number) => void;
}

/** Whether the remote document holds what `write` leaves behind. */
export function holdsWrite(document: RemoteDocument | null, write: RemoteWrite): boolean {
  if (document === null) return false;
  if (write.kind === 'set-merge') return documentContains(document.data, write.data);
  return document.data[remoteFields.isDeleted] === true && (write.updatedAt === null || timeValueToMillis(document.data[remoteFields.updatedAt]) === write.updatedAt);
}

/** Until `late` settles, at most the policy's lateAnswerMs, or an abort; the timer never outlives the wait. */
async function waitForLateAnswer(late: Promise<unknown>, hooks: RetryHooks): Promise<void> {
  const over = new AbortController();
  const stop = (): void => over.abort();
  hooks.signal?.addEventListener('abort', stop, { once: true });
  void late.finally(stop);
  await hooks.clock.sleep(hooks.policy.lateAnswerMs, over.signal);
  hooks.signal?.removeEventListener('abort', stop);
}

const keyOf = (write: RemoteWrite): string => `${write.collection}/${write.id}`;

/**
 * Commits `writes`, retrying transient failures after a read-back as described above. A failure
 * that is not transient, or the one after the last retry, is returned as it is; the read-back's
 * confirmations hold either way. An abort ends the waiting: the documents are read back once
 * more (so what landed is known) and the last failure is returned.
 */
export async function commitWithRetry(remote: RemoteStore, writes: readonly RemoteWrite[], hooks: RetryHooks): Promise<CommitAttempts> {
  const failures: string[] = [];
  const confirmed = new Set<RemoteWrite>();
  let resent = 0;
  let pending = writes;
  let result = await remote.commit(pending);
  while (!result.ok && isTransient(result.code)) {
    failures.push(result.code);
    const stopping = hooks.signal?.aborted === true || failures.length > hooks.policy.maxRetries;
    if (!stopping) {
      const delayMs = retryDelay(hooks.policy, failures.length);
      hooks.onRetry?.(result.code, failures.length, delayMs);
      await hooks.clock.sleep(delayMs, hooks.signal);
    }
    // A timed-out request that may still land would make the read-back's "missing" a guess, and
    // sending again could let the late one overwrite a later write of the same document.
    if (result.late) await waitForLateAnswer(result.late, hooks);
    const readBack = await remote.readDocuments(pending.map((write) => ({ collection: write.collection, id: write.id })));
    if (readBack.ok) {
      // Judged per document by its last write in the batch: later ones overwrite earlier ones.
      const lastWrite = new Map<string, RemoteWrite>();
      for (const write of pending) lastWrite.set(keyOf(write), write);
      const landed = new Set([...lastWrite].filter(([key, write]) => holdsWrite(readBack.value.documents.get(key) ?? null, write)).map(([key]) => key));
      for (const write of pending) if (landed.has(keyOf(write))) confirmed.add(write);
      pending = pending.filter((write) => !landed.has(keyOf(write)));
    }
    if (pending.length === 0) {
      result = { ok: true, value: undefined };
      break;
    }
    if (stopping || hooks.signal?.aborted) break;
    if (!readBack.ok) {
      // The batch's fate is still unknown: the next round waits and reads again before sending.
      result = { ok: false, code: readBack.code, error: `${readBack.error} (reading back after ${grpcName(result.code)})` };
      continue;
    }
    resent++;
    result = await remote.commit(pending);
  }
  return { result, failures, resent, confirmedByReadBack: confirmed };
}

/**
 * What the retries of a batch were, for each op's log line: "retried 2× after UNAVAILABLE",
 * "confirmed by read-back after UNAVAILABLE", "gave up after 7 failures (UNAVAILABLE), resent 3×"
 * (each code once, in order); empty without failures.
 */
export function describeRetries(attempts: CommitAttempts, write: RemoteWrite | null): string {
  if (attempts.failures.length === 0) return '';
  const codes = [...new Set(attempts.failures.map(grpcName))].join(', ');
  const confirmed = write !== null && attempts.confirmedByReadBack.has(write);
  if (!attempts.result.ok && !confirmed) return `gave up after ${attempts.failures.length} failures (${codes}), resent ${attempts.resent}×`;
  if (confirmed && attempts.resent === 0) return `confirmed by read-back after ${codes}`;
  return `retried ${attempts.resent}× after ${codes}`;
}
