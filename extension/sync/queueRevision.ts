// The revision of a queue: a digest of every op as stored. A plan names the revision it was made
// from, so the views can tell a plan of the current queue from one the queue has moved past.
import { createHash } from 'node:crypto';
import type { QueueOperation } from '../../core/db/types';

export function queueRevisionOf(operations: readonly QueueOperation[] | undefined): string {
  const hash = createHash('sha256');
  for (const op of operations ?? []) {
    hash.update(
      [op.id, op.entityType, op.entityId, op.unknownOperation ?? op.operation, op.payloadText ?? '', op.createdAt ?? '', op.retryCount, op.lastAttempt ?? '', op.lastError ?? ''].join('\u0000'),
    );
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 20);
}
