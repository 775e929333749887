import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { readQueue } from '../../../core/db/queue';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import type { QueueOperation } from '../../../core/db/types';
import { queueRevisionOf } from '../../../extension/sync/queueRevision';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

/** The digest spelt one op at a time: what the chunked revision must equal. */
function digestPerOp(operations: readonly QueueOperation[]): string {
  const hash = createHash('sha256');
  for (const op of operations) {
    hash.update([op.id, op.entityType, op.entityId, op.unknownOperation ?? op.operation, op.payloadText ?? '', op.createdAt ?? '', op.retryCount, op.lastAttempt ?? '', op.lastError ?? ''].join('\u0000'));
    hash.update('\u0001');
  }
  return hash.digest('hex').slice(0, 20);
}

describe('queueRevisionOf', () => {
  const { dir, cleanup } = scratchDir();
  const path = join(dir, 'queue.db');
  const revisionNow = async (): Promise<{ revision: string; operations: QueueOperation[] }> => {
    const opened = await openDatabaseFile(path);
    try {
      const operations = readQueue(opened.db, detectRoles(opened.db, readSchema(opened.db)));
      return { revision: queueRevisionOf(operations), operations };
    } finally {
      opened.close();
    }
  };

  before(() => {
    // 600 ops: more than two of the revision's chunks of 256.
    sqlite3(path, `
      CREATE TABLE sync_operations (id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt TEXT, retryCount INTEGER DEFAULT 0, lastAttempt TEXT, lastError TEXT);
      WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 600)
      INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt)
        SELECT 'users', printf('u%04d', i), 'update', json_object('odid', printf('u%04d', i), 'name', printf('User %d', i)), strftime('%Y-%m-%dT%H:%M:%fZ', 1790000000 + i, 'unixepoch') FROM n;
    `);
  });
  after(() => cleanup());

  test('the same queue read twice has the same revision, spelt as the per-op digest', async () => {
    const first = await revisionNow();
    const second = await revisionNow();
    assert.equal(first.revision, second.revision);
    assert.equal(first.revision, digestPerOp(first.operations));
    assert.equal(queueRevisionOf([]), digestPerOp([]));
    assert.equal(queueRevisionOf(undefined), digestPerOp([]));
  });

  // Each write, done by sqlite3 as the app would, must leave a plan of the earlier queue outdated;
  // the last op (id 600) is in the last, partial chunk, the 300th in the middle one.
  const writes: readonly [string, string][] = [
    ['a payload rewritten in place', `UPDATE sync_operations SET payload = json_object('odid', 'u0300', 'name', 'Renamed') WHERE id = 300`],
    ['a retry counted', `UPDATE sync_operations SET retryCount = 1, lastAttempt = '2026-11-20T09:00:00Z' WHERE id = 600`],
    ['a last error set', `UPDATE sync_operations SET lastError = 'UNAVAILABLE' WHERE id = 1`],
    ['an op queued', `INSERT INTO sync_operations (entityType, entityId, operation, payload, createdAt) VALUES ('users', 'u9999', 'create', '{}', '2030-01-01T00:00:00Z')`],
    ['an op removed', `DELETE FROM sync_operations WHERE id = 257`],
    ['an operation changed', `UPDATE sync_operations SET operation = 'delete' WHERE id = 2`],
    ['a createdAt changed', `UPDATE sync_operations SET createdAt = '2026-11-20T09:00:00.001Z' WHERE id = 3`],
  ];
  for (const [what, sql] of writes) {
    test(`${what}: the revision changes`, async () => {
      const before = await revisionNow();
      sqlite3(path, sql);
      const afterWrite = await revisionNow();
      assert.notEqual(afterWrite.revision, before.revision);
      assert.equal(afterWrite.revision, digestPerOp(afterWrite.operations));
    });
  }
});
