// The revision of a queue: a digest of every op as stored. A plan names the revision it was made
// from, so the views can tell a plan of the current queue from one the queue has moved past.
//
// It is derived from the ops' content, not from the file's state (its change counter, mtime or
// -wal): a WAL-mode write leaves the header's change counter as it was, a checkpoint rewrites the
// file without changing a row, and an app writing other tables would mark every plan as made on
// an older queue. Hashing the content costs about what SHA-256 takes for the ops' bytes: the ops
// are joined into chunks of text, so the hash is fed a few hundred times for 100,000 ops, not once
// per field (bench/analyze-queue.ts prints its µs/op).
import { createHash } from 'node:crypto';
import type { QueueOperation } from '../../core/db/types';

/** Ops joined into one string before each update of the hash. */
const opsPerChunk = 256;

export function queueRevisionOf(operations: readonly QueueOperation[] | undefined): string {
  const hash = createHash('sha256');
  let chunk = '';
  let inChunk = 0;
  for (const op of operations ?? []) {
    // NUL between fields and SOH after each op, as the revision has always been spelt: the
    // fields' text cannot run into each other.
    chunk += `${op.id}\u0000${op.entityType}\u0000${op.entityId}\u0000${op.unknownOperation ?? op.operation}\u0000${op.payloadText ?? ''}\u0000${op.createdAt ?? ''}\u0000${op.retryCount}\u0000${op.lastAttempt ?? ''}\u0000${op.lastError ?? ''}\u0001`;
    if (++inChunk === opsPerChunk) {
      hash.update(chunk);
      chunk = '';
      inChunk = 0;
    }
  }
  hash.update(chunk);
  return hash.digest('hex').slice(0, 20);
}
