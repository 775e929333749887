// The classification rules on their own (the emulator tests cover them end to end).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { AnalyzedOperation, EntityTableRole } from '../../../core/db/types';
import { classifyOperations, type PlanContext } from '../../../core/engine/planner';
import type { RemoteDocument } from '../../../core/engine/types';

const t = Date.UTC(2026, 0, 1);
const role: EntityTableRole = {
  table: 'users',
  collection: 'users',
  entityTypes: ['users'],
  columns: { localId: 'id', externalId: 'odid', createdAt: null, updatedAt: 'updatedAt', isSynced: 'isSynced', isDeleted: 'isDeleted', version: 'version' },
  timestampEncodings: { updatedAt: 'epoch-millis' },
  jsonColumns: [],
};

let nextId = 1;
function op(entityId: string, operation: 'create' | 'update' | 'delete', payload: Record<string, unknown>, status: AnalyzedOperation['status'] = 'ready'): AnalyzedOperation {
  return { id: nextId++, entityType: 'users', entityId, operation, payload, payloadText: JSON.stringify(payload), createdAt: t, retryCount: 0, lastAttempt: null, lastError: null, status, reason: status, nextAttemptAt: null, supersededBy: null, table: 'users' };
}

function context(remote: Record<string, Record<string, unknown> | null>, force = false): PlanContext {
  return {
    entityFor: (type) => (type === 'users' ? role : null),
    documentFor: (operation) => {
      const { updatedAt, ...rest } = operation.payload ?? {};
      return { ...rest, ...(typeof updatedAt === 'number' ? { updatedAt: new Date(updatedAt) } : {}) };
    },
    policyFor: () => 'manual',
    remote: new Map(Object.entries(remote).map(([id, data]): [string, RemoteDocument | null] => [`users/${id}`, data ? { collection: 'users', id, data } : null])),
    force,
  };
}

describe('classifyOperations', () => {
  test('a later op of the same entity is judged against the earlier op\'s write, not the stale remote', () => {
    const plan = classifyOperations(
      [op('a', 'update', { name: 'one', updatedAt: t + 10 }), op('a', 'update', { name: 'two', updatedAt: t + 20 })],
      context({ a: { name: 'zero', updatedAt: new Date(t) } }),
    );
    assert.deepEqual(plan.operations.map((entry) => entry.classification), ['apply', 'apply']);
  });

  test('ops whose later sibling already landed remotely are already applied (a re-run after a crash)', () => {
    const plan = classifyOperations(
      [op('a', 'update', { name: 'one', updatedAt: t + 10 }), op('a', 'update', { name: 'two', updatedAt: t + 20 })],
      context({ a: { name: 'two', updatedAt: new Date(t + 20) } }),
    );
    assert.deepEqual(plan.operations.map((entry) => entry.classification), ['already-applied', 'already-applied']);
    assert.match(plan.operations[0]?.reason ?? '', /later op #\d+/);
  });

  test('deletes: missing remotely, already soft-deleted, or applied', () => {
    const plan = classifyOperations(
      [op('gone', 'delete', {}), op('dead', 'delete', {}), op('live', 'delete', { updatedAt: t + 5 })],
      context({ gone: null, dead: { isDeleted: true }, live: { name: 'x', updatedAt: new Date(t) } }),
    );
    assert.deepEqual(plan.operations.map((entry) => entry.classification), ['remote-missing', 'already-applied', 'apply']);
  });

  test('backing-off ops are blocked unless forced; conflicts carry the policy and verdict', () => {
    const ops = [op('b', 'update', { name: 'x', updatedAt: t }, 'backing-off'), op('c', 'update', { name: 'mine', updatedAt: t, version: 6 })];
    const remote = { b: { name: 'y', updatedAt: new Date(t - 1) }, c: { name: 'theirs', updatedAt: new Date(t), version: 7 } };
    const normal = classifyOperations(ops, context(remote));
    assert.deepEqual(normal.operations.map((entry) => entry.classification), ['blocked', 'conflict']);
    assert.equal(normal.operations[1]?.policy, 'manual');
    assert.equal(normal.operations[1]?.verdict?.reason, 'equal updatedAt; version 7 beats 6');
    const forced = classifyOperations(ops, context(remote, true));
    assert.equal(forced.operations[0]?.classification, 'apply');
  });
});
