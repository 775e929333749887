// What a replay confirmation says, from plan rows: each dropped local change is named, conflicts
// are counted with plurals (by op and by entity), and "keep those ops" leaves every op of a dropped
// entity queued while sending the rest.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { droppedLines, forecastReplay, planTotalsLine, plural } from '../../../core/protocol/planOutcome';
import type { PlanRow } from '../../../core/protocol/syncModel';
import { syncAvailability } from '../../../webview/sync/availability';
import { planOutdatedReason } from '../../../webview/sync/useSyncQueue';

function row(opId: number, entityId: string, classification: PlanRow['classification'], expected: PlanRow['expected'], policy: PlanRow['policy'] = null): PlanRow {
  return {
    opId,
    entityType: 'User',
    entityId,
    operation: 'update',
    classification,
    reason: classification,
    collection: 'users',
    remote: null,
    document: null,
    policy,
    verdict: classification === 'conflict' ? { winner: expected === 'remote-kept' ? 'remote' : 'local', reason: 'remote updatedAt 09:30 is newer than local 09:10' } : null,
    expected,
  };
}

describe('replay forecast', () => {
  it('names the dropped local change in the sentence and lists its op', () => {
    const rows = [
      row(1, 'a1', 'apply', 'applied'),
      row(4, 'k9dA2xZqWm', 'conflict', 'remote-kept', 'lastWriteWins'),
      row(5, 'b2', 'apply', 'applied'),
      row(7, 'c3', 'already-applied', 'already-applied'),
    ];
    const forecast = forecastReplay(rows);
    assert.equal(forecast.sentence, '2 apply · 1 conflict: lastWriteWins keeps the remote, and your local change to users/k9dA… is dropped · 1 already applied');
    assert.deepEqual(droppedLines(forecast), ['#4 update users/k9dA2xZqWm: remote updatedAt 09:30 is newer than local 09:10']);
    assert.deepEqual(forecast.sentIfKept, [1, 5, 7]);
    assert.deepEqual(forecast.keptIfKept, [4]);
  });

  it('keeps every op of an entity with a dropped change, and counts conflicts by op and by entity', () => {
    const rows = [row(2, 'x', 'conflict', 'remote-kept', 'remoteWins'), row(3, 'x', 'conflict', 'remote-kept', 'remoteWins'), row(6, 'y', 'apply', 'applied'), row(8, 'x', 'apply', 'applied')];
    const forecast = forecastReplay(rows);
    assert.match(forecast.sentence, /^2 apply · 2 conflicting ops on 1 entity: remoteWins keeps the remote, and your local change to users\/x is dropped/);
    assert.deepEqual(forecast.keptIfKept, [2, 3, 8]);
    assert.deepEqual(forecast.sentIfKept, [6]);
    assert.equal(planTotalsLine(rows), '2 apply · 2 conflicting ops on 1 entity');
  });

  it('says held and locally won conflicts as what they do, with plurals', () => {
    const rows = [row(1, 'a', 'conflict', 'held', 'manual'), row(2, 'b', 'conflict', 'applied', 'localWins'), row(3, 'c', 'blocked', 'skipped')];
    const forecast = forecastReplay(rows);
    assert.equal(forecast.dropped.length, 0);
    assert.equal(forecast.sentence, '1 conflict: manual holds it for your decision (nothing sent for users/a) · 1 conflict: localWins sends your local change to users/b over the remote · 1 not sent (blocked)');
    assert.equal(plural(1, 'conflict'), '1 conflict');
    assert.equal(plural(3, 'entity', 'entities'), '3 entities');
  });
});

describe('plan standing', () => {
  const plan = { target: 't', rows: [], totals: { apply: 0, 'already-applied': 0, conflict: 0, 'remote-missing': 0, blocked: 0 }, remoteReads: 1, plannedAt: 0, queueRevision: 'r1', only: null };
  const queue = { fileName: 'a.db', table: 'sync_operations', totals: null, rows: [], hygiene: [], analyzedAt: 0, revision: 'r1', syncedTables: 2 };
  it('is current for the queue revision it was made from, outdated after a write or another revision', () => {
    assert.equal(planOutdatedReason({ plan, queue }), null);
    assert.match(planOutdatedReason({ plan, queue: { ...queue, revision: 'r2' } }) ?? '', /queue changed/);
    assert.equal(planOutdatedReason({ plan: { ...plan, outdated: 'a.db was written' }, queue }), 'a.db was written');
  });
});

describe('sync availability', () => {
  const status = { fileName: 'a.db', target: { kind: 'emulator' as const, label: 'emulator', projectId: 'p' }, connection: 'connected', busy: null, error: null, readOnlyReason: null, targetChecked: true };
  const queue = { fileName: 'a.db', table: 'sync_operations', totals: null, rows: [], hygiene: [], analyzedAt: 0, revision: 'r', syncedTables: 2 };
  it('offers every action with a queue, synced tables and a target', () => {
    assert.deepEqual(syncAvailability({ queue, status }), { queueActions: null, replayActions: null, remoteActions: null, readOnlyQueue: null, reasons: [] });
  });
  it('says why: no queue table, no synced table, no target, Restricted Mode', () => {
    const none = syncAvailability({ queue: { ...queue, table: null, syncedTables: 0 }, status: { ...status, target: null } });
    assert.equal(none.queueActions, 'a.db has no sync queue table: nothing to plan, replay or step.');
    assert.equal(none.remoteActions, 'a.db has no table synced with Firestore: nothing to pull, compare or resolve.');
    assert.equal(none.reasons.length, 3);
    assert.match(syncAvailability({ queue, status: { ...status, target: null } }).queueActions ?? '', /^No Firestore target for a\.db/);
    assert.equal(syncAvailability({ queue, status: { ...status, target: null, targetChecked: false } }).queueActions, null, 'not before the target was looked up');
    assert.equal(syncAvailability({ queue, status: { ...status, readOnlyReason: 'Restricted Mode: …' } }).remoteActions, 'Restricted Mode: …');
  });
  it("says a queue another stack owns is read-only where Replay would be: the Firestore SDK's can still be planned", () => {
    const sdk = syncAvailability({ queue: { ...queue, table: 'mutations', sourceKind: 'firestore-sdk', readOnlyReason: 'the Firestore SDK owns this file and sends these writes itself' }, status });
    assert.equal(sdk.queueActions, null, 'Plan checks the writes against the target');
    assert.match(sdk.replayActions ?? '', /^The Firestore SDK owns this file; SyncLens only reads it\./);
    assert.equal(sdk.readOnlyQueue, sdk.replayActions);
    const powerSync = syncAvailability({ queue: { ...queue, table: 'ps_crud', sourceKind: 'powersync', readOnlyReason: 'PowerSync uploads these changes to its own backend' }, status });
    assert.equal(powerSync.queueActions, 'PowerSync uploads these changes to its own backend.', 'its own reason, as a sentence');
    assert.equal(powerSync.replayActions, powerSync.queueActions);
    assert.equal(syncAvailability({ queue, status }).readOnlyQueue, null, 'a queue table SyncLens may replay');
  });
});
