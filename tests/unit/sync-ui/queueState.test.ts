// The Sync Queue webview's reducer and replay log (webview/sync/useSyncQueue.ts, replayLog.ts), and
// the sync webviews' messages checked where they arrive (core/protocol/syncViews.ts schemas).
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { OperationResult } from '../../../core/engine/types';
import { RpcEndpoint, RpcError } from '../../../core/protocol/rpc';
import type { ConflictResolution } from '../../../core/protocol/syncModel';
import { ConflictsProtocol, SyncQueueProtocol } from '../../../core/protocol/syncViews';
import { appendToLog, emptyReplayLog, logEntries, logEntry } from '../../../webview/sync/replayLog';
import { initialSyncQueueState, syncQueueReducer, type SyncQueueEvent } from '../../../webview/sync/useSyncQueue';

function result(opId: number): OperationResult {
  return { opId, entityType: 'users', entityId: `u${opId}`, operation: 'create', outcome: 'applied', message: `creates users/u${opId}` };
}

describe('replay log', () => {
  test('batches append in order and every index finds its entry', () => {
    let log = emptyReplayLog;
    const sizes = [3, 1, 250, 7, 1];
    let next = 1;
    for (const size of sizes) log = appendToLog(log, Array.from({ length: size }, () => result(next++)));
    assert.equal(log.length, 262);
    assert.equal(log.batches.length, sizes.length, 'one stored batch per message: nothing is copied per op');
    for (let index = 0; index < log.length; index++) assert.equal(logEntry(log, index)?.opId, index + 1);
    assert.equal(logEntry(log, -1), undefined);
    assert.equal(logEntry(log, 262), undefined);
    assert.deepEqual(logEntries(log).map((entry) => entry.opId), Array.from({ length: 262 }, (_, index) => index + 1));
    assert.equal(appendToLog(log, []), log, 'an empty batch changes nothing');
  });
});

describe('Sync Queue reducer', () => {
  const run = (...events: SyncQueueEvent[]) => events.reduce(syncQueueReducer, initialSyncQueueState);

  test('a replay starts with an empty log, streams batches with progress, and keeps its log after the summary', () => {
    const summary = { counts: { applied: 3, 'already-applied': 0, 'remote-kept': 0, 'remote-missing': 0, failed: 0, held: 0, skipped: 0 }, cancelled: false, batchesCommitted: 2, backupPath: '/tmp/a.db.bak' };
    const first = run(
      { type: 'replayStarted' },
      { type: 'replayResults', batch: { results: [result(1), result(2)], settled: 2, total: 3 } },
      { type: 'replayResults', batch: { results: [result(3)], settled: 3, total: 3 } },
    );
    assert.deepEqual(first.replay, { running: true, settled: 3, total: 3, summary: null });
    assert.equal(first.log.length, 3);
    const done = syncQueueReducer(first, { type: 'replayFinished', summary });
    assert.deepEqual(done.replay, { running: false, settled: 3, total: 3, summary });
    assert.equal(done.log.length, 3, 'the log stays after the replay');
    const again = syncQueueReducer(done, { type: 'replayStarted' });
    assert.equal(again.log.length, 0, 'the next replay starts a fresh log');
    assert.equal(syncQueueReducer(first, { type: 'replayFinished', summary: null }).replay?.summary, null, 'a failed replay has no summary');
  });

  test("the replay's progress line (slow batch, retry, rate limit) is kept until the next one comes", () => {
    const status = 'slow: last batch took 2.1 s (fastest 30 ms); 2 in flight; users ≤ 500 writes/s';
    const state = run(
      { type: 'replayStarted' },
      { type: 'replayResults', batch: { results: [result(1)], settled: 1, total: 3, status } },
      { type: 'replayResults', batch: { results: [result(2)], settled: 2, total: 3 } },
    );
    assert.equal(state.replay?.status, status);
    const next = syncQueueReducer(state, { type: 'replayResults', batch: { results: [], settled: 2, total: 3, status: 'UNAVAILABLE: retry 1 in 0.2 s (reading back first)' } });
    assert.equal(next.replay?.status, 'UNAVAILABLE: retry 1 in 0.2 s (reading back first)');
    assert.equal(next.log.length, 2, 'a status-only message adds no log entry');
  });

  test('click, Ctrl-click and Shift-click selections', () => {
    const clicked = run({ type: 'activate', index: 2, ids: [10], range: null, toggle: false });
    assert.deepEqual([...clicked.selected], [10]);
    assert.equal(clicked.anchor, 2);
    const toggled = syncQueueReducer(clicked, { type: 'activate', index: 4, ids: [12], range: null, toggle: true });
    assert.deepEqual([...toggled.selected].sort(), [10, 12]);
    const untoggled = syncQueueReducer(toggled, { type: 'activate', index: 4, ids: [12], range: null, toggle: true });
    assert.deepEqual([...untoggled.selected], [10]);
    const ranged = syncQueueReducer(untoggled, { type: 'activate', index: 6, ids: [14], range: [12, 13, 14], toggle: false });
    assert.deepEqual([...ranged.selected], [12, 13, 14]);
    assert.equal(ranged.anchor, 4, 'Shift-click keeps the anchor');
    assert.equal(ranged.queueIndex, 6);
  });

  test("a finding's ops show in the Queue tab with the filters reset", () => {
    const state = run({ type: 'statusFilter', value: 'ready' }, { type: 'tab', tab: 'hygiene' }, { type: 'onlyIds', opIds: [3, 4] });
    assert.deepEqual(state.onlyIds, [3, 4]);
    assert.equal(state.statusFilter, 'all');
    assert.equal(state.tab, 'queue');
  });
});

/** A webview end and an extension end wired to each other, as a panel and its webview are. */
function channel(): { webview: RpcEndpoint; extension: RpcEndpoint } {
  const webview: RpcEndpoint = new RpcEndpoint((message) => queueMicrotask(() => extension.receive(JSON.parse(JSON.stringify(message)))));
  const extension: RpcEndpoint = new RpcEndpoint((message) => queueMicrotask(() => webview.receive(JSON.parse(JSON.stringify(message)))));
  return { webview, extension };
}

describe('sync webview messages are checked where they arrive', () => {
  test('a replay with an unknown mode or non-integer ids is refused before any action runs; unknown fields are dropped', async () => {
    const { webview, extension } = channel();
    const received: unknown[] = [];
    extension.onRequest(SyncQueueProtocol.replay, (params) => {
      received.push(params);
    });
    const send = (params: unknown) => webview.sendRequest(SyncQueueProtocol.replay, params as { mode: 'all'; opIds: number[] });
    await assert.rejects(send({ mode: 'everything', opIds: [] }), (error: unknown) => error instanceof RpcError && error.code === 'invalid-params');
    await assert.rejects(send({ mode: 'selected', opIds: ['1; DROP TABLE users'] }), (error: unknown) => error instanceof RpcError && error.code === 'invalid-params');
    await assert.rejects(send({ mode: 'selected' }), (error: unknown) => error instanceof RpcError && error.code === 'invalid-params');
    assert.deepEqual(received, [], 'no refused message reached the action');
    await send({ mode: 'selected', opIds: [3, 5], confirmed: true, allowLive: true });
    assert.deepEqual(received, [{ mode: 'selected', opIds: [3, 5] }], 'confirmed and allowLive never reach the action from a webview');
  });

  test('a resolution must be one of the five kinds, with a policy by name and merge choices of local or remote', async () => {
    const { webview, extension } = channel();
    const received: unknown[] = [];
    extension.onRequest(ConflictsProtocol.resolve, (params) => {
      received.push(params);
      return null;
    });
    const send = (resolution: unknown) => webview.sendRequest(ConflictsProtocol.resolve, { keys: ['users/u1'], resolution: resolution as ConflictResolution });
    for (const hostile of [{ kind: 'delete-everything' }, { kind: 'as-policy', policy: 'constructor' }, { kind: 'merge', choices: { name: 'both' }, values: {} }, { kind: 'merge', choices: {} }]) {
      await assert.rejects(send(hostile), (error: unknown) => error instanceof RpcError && error.code === 'invalid-params', JSON.stringify(hostile));
    }
    assert.deepEqual(received, []);
    await send({ kind: 'merge', choices: { name: 'local' }, values: { email: 'a@example.com', tags: ['x'] }, allowLive: true });
    assert.deepEqual(received, [{ keys: ['users/u1'], resolution: { kind: 'merge', choices: { name: 'local' }, values: { email: 'a@example.com', tags: ['x'] } } }]);
  });

  test('a selection of anything but whole numbers is dropped', async () => {
    const { webview, extension } = channel();
    const selections: unknown[] = [];
    extension.onNotification(SyncQueueProtocol.selectionChanged, ({ opIds }) => selections.push(opIds));
    webview.sendNotification(SyncQueueProtocol.selectionChanged, { opIds: ['1 OR 1=1'] as unknown as number[] });
    webview.sendNotification(SyncQueueProtocol.selectionChanged, { opIds: [7] });
    await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(selections, [[7]]);
  });
});
