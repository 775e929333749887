// The pure models behind the sync webviews: the queue list (filters, grouping in send order) and
// the "what if" preview of Resolve All by Policy.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { previewPolicy } from '../../../core/engine/policyPreview';
import { decodeQueueRows, encodeQueueRows, type ConflictItem, type QueueRow } from '../../../core/protocol/syncModel';
import { filterQueueRows, listItems } from '../../../webview/sync/queueModel';

function row(id: number, entityId: string, status: QueueRow['status'] = 'ready', entityType = 'users'): QueueRow {
  return { id, entityType, entityId, operation: 'update', status, reason: '', createdAt: id, retryCount: 0, lastAttempt: null, lastError: null, nextAttemptAt: null, supersededBy: null };
}

describe('queue list model', () => {
  const rows = [row(1, 'a'), row(2, 'b', 'orphan'), row(3, 'a', 'superseded'), row(4, 'p', 'ready', 'posts'), row(5, 'b')];

  test('grouped: one header per entity in send order of its first op, ops in send order inside', () => {
    const items = listItems(rows, true);
    assert.deepEqual(
      items.map((item) => (item.kind === 'group' ? `${item.key}(${item.count})` : `#${item.row.id}`)),
      ['users/a(2)', '#1', '#3', 'users/b(2)', '#2', '#5', 'posts/p(1)', '#4'],
    );
  });

  test('flat keeps send order', () => {
    assert.deepEqual(listItems(rows, false).map((item) => (item.kind === 'op' ? item.row.id : 0)), [1, 2, 3, 4, 5]);
  });

  test('filters by status, entity type and a finding\'s op ids', () => {
    assert.deepEqual(filterQueueRows(rows, 'ready', 'all', null).map((r) => r.id), [1, 4, 5]);
    assert.deepEqual(filterQueueRows(rows, 'all', 'posts', null).map((r) => r.id), [4]);
    assert.deepEqual(filterQueueRows(rows, 'ready', 'users', [5, 2]).map((r) => r.id), [5]);
  });
});

describe('queue rows as they cross to the webview', () => {
  test('encode then decode gives the rows back, smaller than plain JSON', () => {
    const rows: QueueRow[] = Array.from({ length: 1000 }, (_, index) => ({
      ...row(index + 1, `e${index % 300}`, index % 7 === 0 ? 'backing-off' : 'ready', index % 2 ? 'users' : 'posts'),
      reason: index % 7 === 0 ? 'retry 2 of 5: next attempt after 2 s' : 'ready to send',
      retryCount: index % 7 === 0 ? 2 : 0,
      lastAttempt: index % 7 === 0 ? 1_795_000_000_000 + index : null,
      lastError: index % 7 === 0 ? 'unavailable: deadline exceeded' : null,
      nextAttemptAt: index % 7 === 0 ? 1_795_000_002_000 + index : null,
      supersededBy: index === 5 ? 9 : null,
    }));
    const encoded = encodeQueueRows(rows);
    assert.deepEqual(decodeQueueRows(JSON.parse(JSON.stringify(encoded))), rows);
    assert.ok(JSON.stringify(encoded).length < JSON.stringify(rows).length / 2, 'at most half the JSON');
  });
});

describe('policy preview', () => {
  const item = (key: string, winner: 'local' | 'remote', ops: number[]): ConflictItem => ({
    key,
    collection: 'users',
    table: 'users',
    entityType: 'users',
    entityId: key.split('/')[1]!,
    localRow: null,
    queuedPayload: null,
    local: {},
    remote: {},
    pendingOpIds: ops,
    differences: [],
    policy: 'lastWriteWins',
    verdict: { winner, reason: `${winner} is newer` },
    policyOutcome: winner,
  });
  const items = [item('users/a', 'local', [1]), item('users/b', 'remote', [2, 3])];

  test('each policy says which ops win, lose or are held', () => {
    assert.deepEqual(previewPolicy(items, 'lastWriteWins').map((r) => r.outcome), ['win', 'lose']);
    assert.deepEqual(previewPolicy(items, 'localWins').map((r) => r.outcome), ['win', 'win']);
    assert.deepEqual(previewPolicy(items, 'remoteWins').map((r) => r.outcome), ['lose', 'lose']);
    assert.deepEqual(previewPolicy(items, 'manual').map((r) => r.outcome), ['held', 'held']);
    const lose = previewPolicy(items, 'lastWriteWins')[1]!;
    assert.deepEqual(lose.opIds, [2, 3]);
    assert.match(lose.reason, /remote is newer — 2 queued op\(s\) dropped/);
  });
});
