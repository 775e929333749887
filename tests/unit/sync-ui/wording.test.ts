// The words of issue 18's point 14: plurals everywhere ("1 conflicting op", never "1 conflicts"),
// one meaning of "conflict" per place, counted by op and by entity where both show, and plain
// verdict words instead of "win"/"lose" badges.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conflictTallyText, planTotalsLine, plural, policyOutcomeWords } from '../../../core/protocol/planOutcome';
import { badgeText } from '../../../webview/components/badgeWords';
import { listItems, toggledGroup } from '../../../webview/sync/queueModel';
import type { QueueRow } from '../../../core/protocol/syncModel';

const planRow = (entityId: string, classification: 'conflict' | 'apply') => ({ classification, collection: 'users', entityType: 'users', entityId });

describe('conflict counts', () => {
  test('by op and by entity, with plurals', () => {
    assert.equal(conflictTallyText({ ops: 4, entities: 3 }), '4 conflicting ops on 3 entities');
    assert.equal(conflictTallyText({ ops: 1, entities: 1 }), '1 conflicting op on 1 entity');
    assert.equal(conflictTallyText({ ops: 0, entities: 2 }), '2 entities in conflict');
    assert.equal(conflictTallyText({ ops: 0, entities: 1 }), '1 entity in conflict');
  });

  test("the Plan tab's totals count conflicts both ways, one conflict included", () => {
    assert.equal(planTotalsLine([planRow('a', 'conflict')]), '1 conflicting op on 1 entity');
    assert.equal(planTotalsLine([planRow('a', 'apply'), planRow('a', 'conflict'), planRow('a', 'conflict'), planRow('b', 'conflict')]), '1 applies · 3 conflicting ops on 2 entities');
    assert.doesNotMatch(planTotalsLine([planRow('a', 'conflict')]), /\b1 conflicts\b/);
  });

  test('plural', () => {
    assert.equal(plural(1, 'conflict'), '1 conflict');
    assert.equal(plural(2, 'entity', 'entities'), '2 entities');
    assert.equal(plural(1234, 'op'), '1,234 ops');
  });
});

describe('verdict words', () => {
  test('badges say what happens to the local change, never win or lose', () => {
    assert.equal(badgeText('lose'), 'local dropped');
    assert.equal(badgeText('win'), 'local pushed');
    assert.equal(badgeText('held'), 'held for you');
    assert.equal(badgeText('remote-kept'), 'local dropped');
    assert.equal(badgeText('backing-off'), 'backing off');
    assert.equal(badgeText('dead-lettered'), 'dead-lettered');
    assert.deepEqual(policyOutcomeWords, { local: 'local pushed', remote: 'local dropped', held: 'held for you' });
  });
});

describe('grouped queue: collapsing a group', () => {
  const row = (id: number, entityId: string): QueueRow => ({ id, entityType: 'users', entityId, operation: 'update', status: 'ready', reason: '', createdAt: id, retryCount: 0, lastAttempt: null, lastError: null, nextAttemptAt: null, supersededBy: null });
  const rows = [row(1, 'a'), row(2, 'b'), row(3, 'a')];

  test('a collapsed group shows its header only, still naming its ops', () => {
    const collapsed = toggledGroup(new Set(), 'users/a');
    const items = listItems(rows, true, collapsed);
    assert.deepEqual(
      items.map((item) => (item.kind === 'group' ? `${item.key}${item.collapsed ? '+' : '-'}[${item.opIds.join(',')}]` : `#${item.row.id}`)),
      ['users/a+[1,3]', 'users/b-[2]', '#2'],
    );
    assert.equal(toggledGroup(collapsed, 'users/a').has('users/a'), false, 'toggling again expands it');
    assert.equal(toggledGroup(collapsed, 'users/a', true).has('users/a'), true);
  });
});
