// The replay's two seams on their own: packing entries into batches, and running batches
// concurrently without reordering any entity's ops (the emulator tests cover replay end to end).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalyzedOperation, EntityTableRole } from '../../../core/db/types';
import { packBatches, taperLastBatch, writeOf, type ReplayEntry } from '../../../core/engine/replayBatches';
import { runInEntityOrder } from '../../../core/engine/replayScheduler';
import type { PlannedOperation } from '../../../core/engine/types';

const role: EntityTableRole = {
  table: 'users',
  collection: 'users',
  entityTypes: ['users'],
  columns: { localId: 'id', externalId: 'odid', createdAt: null, updatedAt: 'updatedAt', isSynced: 'isSynced', isDeleted: 'isDeleted', version: 'version' },
  timestampEncodings: {},
  jsonColumns: [],
};

let nextId = 1;
function entry(entityId: string, writes: boolean): ReplayEntry {
  const op: AnalyzedOperation = { id: nextId++, entityType: 'users', entityId, operation: 'update', payload: { name: entityId }, payloadText: null, createdAt: 0, retryCount: 0, lastAttempt: null, lastError: null, status: 'ready', reason: 'ready', nextAttemptAt: null, supersededBy: null, table: 'users' };
  const planned: PlannedOperation = { op, collection: 'users', classification: writes ? 'apply' : 'already-applied', reason: '', remote: null, document: { name: entityId }, policy: null, verdict: null };
  return { planned, role, entityKey: `users/${entityId}`, write: writes ? writeOf(planned, 'users') : null, outcomeOnSuccess: writes ? 'applied' : 'already-applied', message: '', keepRemote: null };
}

describe('packBatches', () => {
  test('a batch closes at maxWrites writes; entries without a write ride along in the open batch', () => {
    const entries = [entry('a', true), entry('b', false), entry('c', true), entry('d', false), entry('e', true), entry('f', false)];
    const batches = packBatches(entries, { maxWrites: 2 });
    assert.deepEqual(batches.map((batch) => batch.entries.map((each) => each.planned.op.entityId)), [['a', 'b', 'c', 'd'], ['e', 'f']]);
    assert.deepEqual(batches.map((batch) => [...batch.entityKeys]), [['users/a', 'users/b', 'users/c', 'users/d'], ['users/e', 'users/f']]);
  });

  test('the write an entry carries is the one built for it (no second copy)', () => {
    const [batch] = packBatches([entry('a', true)], { maxWrites: 500 });
    const [only] = batch!.entries;
    assert.deepEqual(only!.write, { kind: 'set-merge', collection: 'users', id: 'a', data: { name: 'a' } });
  });

  test('nothing to pack: no batch', () => {
    assert.deepEqual(packBatches([], { maxWrites: 500 }), []);
  });
});

describe('taperLastBatch', () => {
  const writesPer = (batches: ReturnType<typeof packBatches>): number[] => batches.map((batch) => batch.entries.filter((each) => each.write).length);

  test('a last batch of 500 writes leaves in 4 pieces of 125, in order; the batches before it are kept', () => {
    const entries = Array.from({ length: 1000 }, (_, index) => entry(`t${index}`, true));
    const tapered = taperLastBatch(packBatches(entries, { maxWrites: 500 }));
    assert.deepEqual(writesPer(tapered), [500, 125, 125, 125, 125]);
    assert.deepEqual(tapered.flatMap((batch) => batch.entries), entries, 'every entry once, in queue order');
    assert.deepEqual([...tapered[2]!.entityKeys], tapered[2]!.entries.map((each) => each.entityKey), "each piece names its own entities");
  });

  test('pieces hold at least 100 writes; entries without a write ride along with the writes before them', () => {
    const entries = Array.from({ length: 450 }, (_, index) => entry(`r${index}`, index % 3 !== 2));
    const [only] = taperLastBatch(packBatches(entries, { maxWrites: 500 })).map((batch) => batch.entries.length);
    assert.equal(only, 150, '300 writes: 3 pieces of 100, each with its 50 reads');
    assert.deepEqual(writesPer(taperLastBatch(packBatches(entries, { maxWrites: 500 }))), [100, 100, 100]);
    assert.deepEqual(writesPer(taperLastBatch(packBatches(entries.slice(0, 300), { maxWrites: 500 }))), [100, 100]);
    assert.deepEqual(writesPer(taperLastBatch(packBatches(entries.slice(0, 297), { maxWrites: 500 }))), [198], '198 writes: one piece would be under 100');
  });

  test('a last batch under 200 writes is kept whole, and no batch stays none', () => {
    const entries = Array.from({ length: 603 }, (_, index) => entry(`s${index}`, true));
    assert.deepEqual(writesPer(taperLastBatch(packBatches(entries, { maxWrites: 500 }))), [500, 103]);
    assert.deepEqual(taperLastBatch([]), []);
  });
});

describe('runInEntityOrder', () => {
  const task = (name: string, ...keys: string[]) => ({ name, entityKeys: new Set(keys) });

  /** Each task finishes when the test says so, so the order of starts is observable. */
  function controlled() {
    const started: string[] = [];
    const finish = new Map<string, () => void>();
    const run = (t: { name: string }) =>
      new Promise<void>((resolve) => {
        started.push(t.name);
        finish.set(t.name, resolve);
      });
    // Lets the scheduler react: promise callbacks, then the next task's start.
    const tick = async (): Promise<void> => {
      for (let turn = 0; turn < 10; turn++) await Promise.resolve();
    };
    const settle = async (name: string): Promise<void> => {
      finish.get(name)!();
      await tick();
    };
    return { started, run, settle, tick };
  }

  test('a task sharing an entity waits for the earlier one; disjoint tasks run together', async () => {
    const { started, run, settle, tick } = controlled();
    const done = runInEntityOrder([task('1', 'a'), task('2', 'b'), task('3', 'a', 'c'), task('4', 'd')], 4, run);
    await tick();
    assert.deepEqual(started, ['1', '2', '4'], 'task 3 shares entity a with task 1');
    await settle('2');
    assert.deepEqual(started, ['1', '2', '4']);
    await settle('1');
    assert.deepEqual(started, ['1', '2', '4', '3']);
    await settle('3');
    await settle('4');
    await done;
  });

  test('at most `concurrency` tasks at once (a waiting task holds its slot)', async () => {
    const { started, run, settle, tick } = controlled();
    const done = runInEntityOrder([task('1', 'a'), task('2', 'a'), task('3', 'b')], 2, run);
    await tick();
    assert.deepEqual(started, ['1'], 'task 2 waits for 1 and holds the second slot');
    await settle('1');
    assert.deepEqual(started, ['1', '2', '3']);
    await settle('2');
    await settle('3');
    await done;
  });

  test('a failing task still lets the tasks after it run; the first error is thrown at the end', async () => {
    const ran: string[] = [];
    await assert.rejects(
      runInEntityOrder([task('1', 'a'), task('2', 'a'), task('3', 'a')], 1, async (t) => {
        ran.push(t.name);
        if (t.name !== '3') throw new Error(`task ${t.name} failed`);
      }),
      /task 1 failed/,
    );
    assert.deepEqual(ran, ['1', '2', '3']);
  });
});
