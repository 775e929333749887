import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { conflictPolicyFor, type SyncLensConfig } from '../../../core/config/config';
import { writeNeedsConfirmation, type PendingWrite } from '../../../extension/writeConfirmation';

describe('synclens.confirmWrites: which writes ask first', () => {
  const writes: Record<string, PendingWrite> = {
    'replay to the emulator': { remote: 'emulator', live: false },
    'replay to a real project': { remote: 'project', live: false },
    'a .sql statement': { remote: 'none', live: false },
    'replay to the emulator, app running': { remote: 'emulator', live: true },
    'a .sql statement, app running': { remote: 'none', live: true },
  };

  test('always (the default): every write asks', () => {
    for (const [what, write] of Object.entries(writes)) assert.equal(writeNeedsConfirmation('always', write), true, what);
  });

  test('realProjectsOnly: only a real project, or a file the app may have open, asks', () => {
    const asked = Object.entries(writes)
      .filter(([, write]) => writeNeedsConfirmation('realProjectsOnly', write))
      .map(([what]) => what);
    assert.deepEqual(asked, ['replay to a real project', 'replay to the emulator, app running', 'a .sql statement, app running']);
  });
});

describe('synclens.conflicts.defaultPolicy: the fallback below synclens.json', () => {
  test('used only where synclens.json names no policy for the collection and no default', () => {
    assert.equal(conflictPolicyFor(null, 'users', 'manual'), 'manual');
    assert.equal(conflictPolicyFor({ conflicts: { collections: { posts: 'localWins' } } } as SyncLensConfig, 'users', 'remoteWins'), 'remoteWins');
    assert.equal(conflictPolicyFor({ conflicts: { collections: { users: 'localWins' } } } as SyncLensConfig, 'users', 'remoteWins'), 'localWins');
    assert.equal(conflictPolicyFor({ conflicts: { default: 'lastWriteWins' } } as SyncLensConfig, 'users', 'manual'), 'lastWriteWins');
    assert.equal(conflictPolicyFor(null, 'users'), 'lastWriteWins', 'no setting: the reference resolver');
  });
});
