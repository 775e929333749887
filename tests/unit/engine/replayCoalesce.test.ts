// Coalescing, byte-bounded packing and the adaptive window on their own (the emulator test
// tests/firestore/engine/coalesceAndBounds.test.ts covers them end to end).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalyzedOperation, EntityTableRole } from '../../../core/db/types';
import type { RemoteWrite } from '../../../core/engine/remoteStore';
import { packBatches, type ReplayEntry } from '../../../core/engine/replayBatches';
import { coalesceMerges, mergeFields } from '../../../core/engine/replayCoalesce';
import { AdaptiveWindow } from '../../../core/engine/replayWindow';
import type { PlannedOperation } from '../../../core/engine/types';
import { documentSize, maxRequestBytes, requestSize } from '../../../core/engine/writeSize';

const role: EntityTableRole = {
  table: 'users',
  collection: 'users',
  entityTypes: ['users'],
  columns: { localId: 'id', externalId: 'odid', createdAt: null, updatedAt: 'updatedAt', isSynced: 'isSynced', isDeleted: 'isDeleted', version: 'version' },
  timestampEncodings: {},
  jsonColumns: [],
};

let nextId = 1;
function entry(entityId: string, write: RemoteWrite | null, outcomeOnSuccess: ReplayEntry['outcomeOnSuccess'] = 'applied'): ReplayEntry {
  const op: AnalyzedOperation = { id: nextId++, entityType: 'users', entityId, operation: write?.kind === 'soft-delete' ? 'delete' : 'update', payload: {}, payloadText: null, createdAt: 0, retryCount: 0, lastAttempt: null, lastError: null, status: 'ready', reason: 'ready', nextAttemptAt: null, supersededBy: null, table: 'users' };
  const planned: PlannedOperation = { op, collection: 'users', classification: 'apply', reason: 'ready', remote: null, document: null, policy: null, verdict: null };
  return { planned, role, entityKey: `users/${entityId}`, write, outcomeOnSuccess, message: 'ready', keepRemote: null };
}
const merge = (id: string, data: Record<string, unknown>): RemoteWrite => ({ kind: 'set-merge', collection: 'users', id, data });
const remove = (id: string): RemoteWrite => ({ kind: 'soft-delete', collection: 'users', id, updatedAt: 0 });
const shape = (entries: ReplayEntry[]) =>
  entries.map((each) => [each.planned.op.entityId, each.write?.kind ?? null, each.write?.kind === 'set-merge' ? each.write.data : null, (each.mergedOps ?? []).length]);

describe('coalesceMerges', () => {
  test("folds an entity's consecutive merges into its first, last value per field, across other entities' ops", () => {
    const entries = [entry('a', merge('a', { name: 'A1', email: 'e' })), entry('b', merge('b', { name: 'B' })), entry('a', merge('a', { name: 'A2' }))];
    assert.deepEqual(shape(coalesceMerges(entries)), [
      ['a', 'set-merge', { name: 'A2', email: 'e' }, 1],
      ['b', 'set-merge', { name: 'B' }, 0],
    ]);
  });

  test('a delete ends the run: merges after it start a new one; an op without a write ends it too', () => {
    const entries = [
      entry('a', merge('a', { n: 1 })),
      entry('a', merge('a', { n: 2 })),
      entry('a', remove('a')),
      entry('a', merge('a', { n: 3 })),
      entry('a', null, 'already-applied'),
      entry('a', merge('a', { n: 4 })),
    ];
    assert.deepEqual(shape(coalesceMerges(entries)), [
      ['a', 'set-merge', { n: 2 }, 1],
      ['a', 'soft-delete', null, 0],
      ['a', 'set-merge', { n: 3 }, 0],
      ['a', null, null, 0],
      ['a', 'set-merge', { n: 4 }, 0],
    ]);
  });

  test('nested maps merge field by field, as set-with-merge does; values that are not plain maps replace', () => {
    const stamp = { seconds: 1, nanoseconds: 0, toMillis: () => 1000 };
    Object.setPrototypeOf(stamp, { constructor: 'Timestamp' });
    assert.deepEqual(mergeFields({ address: { city: 'X', zip: '1' }, tags: ['a'], at: 5 }, { address: { zip: '2' }, tags: ['b'], at: stamp }), {
      address: { city: 'X', zip: '2' },
      tags: ['b'],
      at: stamp,
    });
  });

  test('a run stops growing before its document would pass 1 MiB', () => {
    const half = 'x'.repeat(600_000);
    const entries = [entry('a', merge('a', { one: half })), entry('a', merge('a', { two: half }))];
    assert.deepEqual(coalesceMerges(entries).map((each) => (each.mergedOps ?? []).length), [0, 0]);
  });
});

describe('byte-bounded batches', () => {
  test(`writes of 1 MB each leave at most ${Math.floor(maxRequestBytes / 1_000_000)} to a batch, never past the request limit`, () => {
    const entries = Array.from({ length: 10 }, (_, i) => entry(`big${i}`, merge(`big${i}`, { name: 'z'.repeat(900_000) })));
    const batches = packBatches(entries, { maxWrites: 500 });
    assert.ok(batches.length >= 3, `${batches.length} batches`);
    for (const batch of batches) {
      const bytes = batch.entries.reduce((sum, each) => sum + (each.write ? requestSize(each.write) : 0), 0);
      assert.ok(bytes <= maxRequestBytes, `${bytes} bytes in one batch`);
    }
    assert.equal(batches.flatMap((batch) => batch.entries).length, 10);
  });

  test('a write larger than the bound goes in a batch of its own', () => {
    const entries = [entry('a', merge('a', { n: 1 })), entry('huge', merge('huge', { name: 'z'.repeat(maxRequestBytes) })), entry('b', merge('b', { n: 1 }))];
    assert.deepEqual(packBatches(entries, { maxWrites: 500 }).map((batch) => batch.entries.map((each) => each.planned.op.entityId)), [['a'], ['huge'], ['b']]);
  });

  test('storage size follows Firestore: name segments + 1, +16; string bytes + 1; +32', () => {
    // users (6) + a (2) + 16 = 24; field "n" (2) + "hé" (3 bytes + 1) = 6; + 32.
    assert.equal(documentSize(merge('a', { n: 'hé' })), 24 + 6 + 32);
  });
});

describe('AdaptiveWindow', () => {
  test('opens while commits take about the base time (a long round trip hidden), shrinks once they queue', () => {
    const window = new AdaptiveWindow({ initial: 2, min: 2, max: 32 });
    for (let i = 0; i < 10; i++) window.observe(50);
    assert.equal(window.size, 32, 'doubles up to its bound while nothing queues');
    for (let i = 0; i < 10; i++) window.observe(200);
    assert.ok(window.size < 32, `window ${window.size} after commits took 4x the base`);
    for (let i = 0; i < 40; i++) window.observe(400);
    assert.equal(window.size, 3, 'settles where about three batches queue: 3 * (1 - 50/400) = 2.6');
  });

  test('on loopback, where a commit is all server work, it settles near the cores: commits slow in proportion to the batches out', () => {
    // A server with 2 cores and 100 ms of work per batch: a commit takes 100 ms * max(1, out / 2).
    const window = new AdaptiveWindow({ initial: 2, min: 2, max: 32 });
    for (let i = 0; i < 60; i++) window.observe(100 * Math.max(1, window.size / 2));
    assert.ok(window.size >= 2 && window.size <= 6, `window ${window.size}`);
  });
});
