// No write without knowing its outcome (issue 18), in the real VS Code against the real Firestore
// emulator: a replay's confirmation plans the ops it will send and names every local change it
// would drop, "Replay, but keep those ops" leaves those queued, the Queue tab shows the plan's
// verdict beside the local status, a plan made before a write says it is outdated, and the Step
// dialog names the op it sends. The test workbench refuses modal dialogs: the dialog asked is read
// back through the test API (lastWriteConfirmation), and the choices are made with the
// command's arguments (confirmed, keepDropped).
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import * as vscode from 'vscode';
import type { FirestoreTarget } from '../../../core/firestore/client';
import type { ConflictItem, PlanSnapshot, ReplayReport, ResolutionReport } from '../../../core/protocol/syncModel';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { emulatorUnavailableReason, startFirestoreEmulator, type RunningEmulator } from '../../../scripts/firestore-emulator';
import { api, copyOfSample, folderWithTarget, waitFor, workspaceFolder } from './helpers';

const projectId = 'demo-synclens-outcome';

function queueIds(dbPath: string): number[] {
  return execFileSync('sqlite3', [dbPath, 'SELECT id FROM sync_operations ORDER BY id'], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number);
}

describe('Replay outcome: what a replay will do, said before it writes', function () {
  this.timeout(180_000);
  let emulator: RunningEmulator | undefined;
  let target: FirestoreTarget;
  let folder: string;

  before(async function () {
    const unavailable = emulatorUnavailableReason();
    if (unavailable) {
      console.warn(`!!! REPLAY OUTCOME SUITE SKIPPED: Firestore emulator unavailable: ${unavailable}`);
      this.skip();
    }
    emulator = await startFirestoreEmulator({ projectId, unref: true });
    target = { kind: 'emulator', host: emulator.host, port: emulator.port, projectId };
    folder = folderWithTarget(join(workspaceFolder(), 'outcome-suite'), emulator, projectId, { maxRetries: 5 });
  });

  after(async () => {
    await emulator?.stop();
  });

  async function seeded(name: string): Promise<{ path: string; uri: vscode.Uri }> {
    const path = copyOfSample(join(folder, name));
    await emulator!.wipe();
    await seedEmulator(path, target);
    return { path, uri: vscode.Uri.file(path) };
  }

  it('names each dropped local change, offers to keep those ops, and keeping them leaves them queued', async () => {
    const { path, uri } = await seeded('dropped.db');
    const synclens = await api();
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    await waitFor('the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => !!shown && shown.rows.length > 0);
    const plan = (await vscode.commands.executeCommand('synclens.planReplay', uri)) as PlanSnapshot;
    const dropped = plan.rows.filter((row) => row.expected === 'remote-kept');
    assert.ok(dropped.length > 0, 'the seeded sample has a conflict lastWriteWins gives to the remote');
    const applying = plan.rows.find((row) => row.expected === 'applied' && !dropped.some((other) => other.entityId === row.entityId));
    assert.ok(applying, 'and an op that applies');
    const victim = dropped[0]!;

    // The Queue tab shows the plan's verdict beside the local status.
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    const queueView = await waitFor('the queue with verdicts', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.tab === 'queue' && shown.headers.includes('plan'));
    assert.equal(queueView.headers.at(-1), 'plan');
    assert.ok(
      queueView.rows.some((row) => row[0] === `#${victim.opId}` && ['ready', 'superseded', 'backing off'].includes(row.at(-2)!) && row.at(-1) === 'local dropped'),
      `#${victim.opId} reads its local status, then "local dropped": ${JSON.stringify(queueView.rows.filter((row) => row[0] === `#${victim.opId}`))}`,
    );

    // The confirmation (refused by the test workbench) says what happens and names the dropped change.
    const before = queueIds(path);
    const opIds = [victim.opId, applying.opId];
    assert.equal(await vscode.commands.executeCommand('synclens.replaySelected', { uri, opIds }), undefined, 'the dialog was refused');
    assert.deepEqual(queueIds(path), before, 'nothing written unconfirmed');
    const asked = synclens.lastWriteConfirmation();
    assert.ok(asked, 'a confirmation was asked');
    const collection = victim.collection!;
    const short = victim.entityId.length > 8 ? `${victim.entityId.slice(0, 4)}…` : victim.entityId;
    assert.match(asked.detail, /^What will happen: 1 apply · 1 conflict: lastWriteWins keeps the remote, and your local change to /);
    assert.ok(asked.detail.includes(`your local change to ${collection}/${short} is dropped`), asked.detail);
    assert.ok(asked.detail.includes(`#${victim.opId} ${victim.operation} ${collection}/${victim.entityId}`), `the dropped op is listed: ${asked.detail}`);
    assert.deepEqual(asked.choices, ['Replay 2 selected operations', 'Replay, but keep those ops']);

    // A replay that changes nothing (a blocked op) leaves no backup.
    const blocked = plan.rows.find((row) => row.classification === 'blocked');
    assert.ok(blocked, 'the sample has a blocked op');
    const nothing = (await vscode.commands.executeCommand('synclens.replaySelected', { uri, opIds: [blocked.opId], confirmed: true })) as ReplayReport;
    assert.deepEqual(nothing.results.map((result) => result.outcome), ['skipped']);
    assert.equal(nothing.backupPath, null, 'no backup of a write that wrote nothing');
    assert.ok(!existsSync(join(folder, '.synclens')), 'no backup folder either');

    // "Replay, but keep those ops": the apply goes out, the dropped op stays queued.
    const report = (await vscode.commands.executeCommand('synclens.replaySelected', { uri, opIds, confirmed: true, keepDropped: true })) as ReplayReport;
    assert.deepEqual(
      report.results.map((result) => [result.opId, result.outcome]),
      [[applying.opId, 'applied']],
    );
    assert.equal(report.backupPath, join(folder, '.synclens', 'backups', basename(report.backupPath!)), 'the backup is in .synclens/backups beside the file');
    assert.ok(!readdirSync(folder).some((name) => name.includes('synclens-backup')), 'and none beside it');
    const after = queueIds(path);
    assert.ok(after.includes(victim.opId), 'the op whose local change would be dropped is still queued');
    assert.ok(!after.includes(applying.opId), 'the applied op left the queue');

    // The plan made before the write is shown as outdated, never as current; the verdicts go.
    const queueAfter = await waitFor('the queue after the write', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.totals.startsWith(`${after.length} ops`));
    assert.ok(!queueAfter.headers.includes('plan'), 'no verdicts from an outdated plan');
    await vscode.commands.executeCommand('synclens.showSyncQueue', { uri, tab: 'plan' });
    const planView = await waitFor('the outdated plan', async () => (await synclens.inspectSyncQueue(path))!, (shown) => shown.tab === 'plan' && shown.plan.length > 0);
    assert.match(planView.plan, /^Outdated plan: dropped\.db was written after this plan; plan again to see what is left\. Planned against/);
  });

  it('the Step dialog names the op it sends', async () => {
    const { path, uri } = await seeded('step.db');
    const synclens = await api();
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    await waitFor('the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => !!shown && shown.rows.length > 0);
    assert.equal(await vscode.commands.executeCommand('synclens.replayStep', { uri }), undefined, 'the dialog was refused');
    const asked = synclens.lastWriteConfirmation()!;
    const named = /^Replay op #(\d+) \((create|update|delete) [^)]+\) for step\.db\?$/.exec(asked.message);
    assert.ok(named, `the op is named: ${asked.message}`);
    assert.ok(asked.detail.includes(`#${named[1]} is the next op in send order.`), asked.detail);
    const report = (await vscode.commands.executeCommand('synclens.replayStep', { uri, confirmed: true })) as ReplayReport;
    assert.deepEqual(
      report.results.map((result) => result.opId),
      [Number(named[1])],
      'the op sent is the op named',
    );
  });

  it('a resolution that takes the remote names the local change it drops and its queued ops', async () => {
    const { path, uri } = await seeded('resolve.db');
    const synclens = await api();
    const items = (await vscode.commands.executeCommand('synclens.showConflicts', uri)) as ConflictItem[];
    const item = items.find((candidate) => candidate.pendingOpIds.length > 0);
    assert.ok(item, 'the seeded sample has a conflict with queued ops');
    // Ops and entities both show here: counted both ways, with plurals ("4 conflicting ops on 3 entities").
    const ops = items.reduce((sum, candidate) => sum + candidate.pendingOpIds.length, 0);
    const plurals = (count: number, word: string, many = `${word}s`): string => `${count} ${count === 1 ? word : many}`;
    const shown = await waitFor('the Conflicts totals', async () => (await synclens.inspectConflicts(path)) ?? null, (view) => !!view && view.status.includes(' on '));
    assert.ok(shown!.status.startsWith(`${plurals(ops, 'conflicting op')} on ${plurals(items.length, 'entity', 'entities')}: `), shown!.status);
    const before = queueIds(path);
    const refused = await vscode.commands.executeCommand('synclens.resolveAllByPolicy', { uri, keys: [item.key], resolution: { kind: 'remote' } });
    assert.equal(refused, undefined, 'the dialog was refused');
    assert.deepEqual(queueIds(path), before, 'nothing written unconfirmed');
    const asked = synclens.lastWriteConfirmation()!;
    const short = item.entityId.length > 8 ? `${item.entityId.slice(0, 4)}…` : item.entityId;
    assert.ok(asked.detail.startsWith(`What will happen: 1 conflict: keeps the remote, and your local change to ${item.collection}/${short} is dropped.`), asked.detail);
    assert.ok(asked.detail.includes(`${item.key}: queued ${item.pendingOpIds.map((id) => `#${id}`).join(', ')} dropped`), asked.detail);
    const report = (await vscode.commands.executeCommand('synclens.resolveAllByPolicy', { uri, keys: [item.key], resolution: { kind: 'remote' }, confirmed: true })) as ResolutionReport;
    assert.deepEqual(
      report.results.map((result) => [result.key, result.applied, result.ok]),
      [[item.key, 'remote', true]],
    );
  });

  it('a database with no queue and no synced table offers no sync action, says why, and Conflicts does not call it up to date', async () => {
    const path = join(folder, 'notes.db');
    execFileSync('sqlite3', [path, "CREATE TABLE notes(id INTEGER PRIMARY KEY, body TEXT); INSERT INTO notes(body) VALUES ('a');"]);
    const uri = vscode.Uri.file(path);
    const synclens = await api();
    await vscode.commands.executeCommand('synclens.showSyncQueue', uri);
    const panel = await waitFor('the Sync Queue panel', async () => (await synclens.inspectSyncQueue(path)) ?? null, (shown) => !!shown && shown.unavailable.length >= 2);
    for (const action of ['Plan', 'Replay All', 'Step', 'Pull', 'Compare', 'Conflicts']) assert.ok(panel!.disabledActions.includes(action), `${action} is disabled: ${panel!.disabledActions.join(', ')}`);
    assert.deepEqual(panel!.unavailable.slice(0, 2), [
      'notes.db has no sync queue table: nothing to plan, replay or step.',
      'notes.db has no table synced with Firestore: nothing to pull, compare or resolve.',
    ]);
    const before = execFileSync('sha256sum', [path], { encoding: 'utf8' });
    assert.equal(await vscode.commands.executeCommand('synclens.replayAll', { uri }), undefined);
    assert.ok(!synclens.lastWriteConfirmation()?.message.includes('notes.db'), 'no offer to rewrite the file');
    assert.equal(execFileSync('sha256sum', [path], { encoding: 'utf8' }), before, 'the file is as it was');
    await vscode.commands.executeCommand('synclens.showConflicts', uri);
    const conflicts = await waitFor('the Conflicts panel', async () => (await synclens.inspectConflicts(path)) ?? null, (shown) => !!shown && shown.empty.length > 0);
    assert.match(conflicts!.empty, /^No conflicts can arise: notes\.db has no table synced with Firestore/);
    assert.ok(!conflicts!.empty.includes('ahead of or equal'));
  });
});
