import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { applyPolicy, lastWriteWins } from '../../../core/engine/resolver';

const t = Date.UTC(2026, 0, 1);

describe('lastWriteWins (the reference ConflictResolver)', () => {
  test('newer updatedAt wins, either side', () => {
    assert.equal(lastWriteWins({ updatedAt: t + 1, version: 1 }, { updatedAt: t, version: 9 }).winner, 'local');
    const remote = lastWriteWins({ updatedAt: t, version: 9 }, { updatedAt: t + 1, version: 1 });
    assert.equal(remote.winner, 'remote');
    assert.match(remote.reason, /remote updatedAt 2026-01-01T00:00:00.001Z is newer than local 2026-01-01T00:00:00.000Z/);
  });

  test('a tie goes to the higher version, and an equal version to the remote', () => {
    assert.deepEqual(lastWriteWins({ updatedAt: t, version: 7 }, { updatedAt: t, version: 6 }), { winner: 'local', reason: 'equal updatedAt; version 7 beats 6' });
    assert.deepEqual(lastWriteWins({ updatedAt: t, version: 6 }, { updatedAt: t, version: 7 }), { winner: 'remote', reason: 'equal updatedAt; version 7 beats 6' });
    assert.equal(lastWriteWins({ updatedAt: t, version: 3 }, { updatedAt: t, version: 3 }).winner, 'remote');
  });

  test('a missing updatedAt falls back to the version and says so', () => {
    const verdict = lastWriteWins({ updatedAt: null, version: 2 }, { updatedAt: t, version: 1 });
    assert.equal(verdict.winner, 'local');
    assert.match(verdict.reason, /updatedAt missing on the local side; version 2 beats 1/);
  });
});

describe('policies', () => {
  const remoteWins = { winner: 'remote' as const, reason: 'remote newer' };
  test('each policy decides', () => {
    assert.equal(applyPolicy('lastWriteWins', remoteWins).outcome, 'remote');
    assert.equal(applyPolicy('lastWriteWins', { winner: 'local', reason: '' }).outcome, 'local');
    assert.equal(applyPolicy('localWins', remoteWins).outcome, 'local');
    assert.equal(applyPolicy('remoteWins', remoteWins).outcome, 'remote');
    assert.equal(applyPolicy('manual', remoteWins).outcome, 'held');
  });
});
