// Merge Fields writes exactly what its preview showed (issue 18, point 4): against the real emulator,
// the remote document and the local row after a merge equal core/engine/mergeValues.ts's preview,
// updatedAt and version included, stamped with the preview's time of the merge, not the engine's
// clock at write time. A conflict that changed since the preview is not written.
import assert from 'node:assert/strict';
import { describe } from 'node:test';
import { asPreviewed, previewMerge, sameJson } from '../../../core/engine/mergeValues';
import { toJsonObject } from '../../../core/engine/taggedValues';
import type { ConflictView } from '../../../core/engine/types';
import { firestoreTest } from '../helpers/emulator';
import { baseTime, getRemoteUser, iso, openSession, putRemoteUsers, queueRows, userRow, writeAppDatabase } from './fixture';

const minute = 60_000;

function previewOf(view: ConflictView, mergedAt: number) {
  const sides = asPreviewed({ local: view.local, remote: view.remote.data });
  return previewMerge({ key: `${view.collection}/${view.entityId}`, ...sides, differences: view.differences }, { choices: { name: 'local', updatedAt: 'remote', version: 'remote' }, values: {} }, mergedAt);
}

describe('merge writes what its preview shows', () => {
  firestoreTest('updatedAt and version left on "remote" are written as previewed: the time of the merge and version + 1, on both sides', async ({ connection }) => {
    // The case: local 09:00 version 6, remote 09:30 version 6; the preview at 09:45, the write later (the engine's clock says 12:00).
    const db = writeAppDatabase([{ odid: 'a', name: 'Local a', email: 'local-a@example.com', updatedAt: baseTime, version: 6 }], [{ entityId: 'a', operation: 'update', createdAt: baseTime }]);
    try {
      await putRemoteUsers(connection, [{ odid: 'a', name: 'Remote a', email: 'remote-a@example.com', updatedAt: baseTime + 30 * minute, version: 6 }]);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 180 * minute });
      try {
        const [view] = await session.listConflicts();
        assert.ok(view, 'users/a is in conflict');
        const mergedAt = baseTime + 45 * minute;
        const preview = previewOf(view, mergedAt);
        assert.deepEqual(
          preview.fields.filter((field) => field.from === 'stamp').map((field) => [field.field, field.value]),
          [
            ['updatedAt', { $timestamp: iso(mergedAt) }],
            ['version', 7],
          ],
        );
        const [result] = await session.resolveKeys(['users/a'], { kind: 'merge', choices: { name: 'local', updatedAt: 'remote', version: 'remote' }, values: {}, mergedAt, expected: preview.document });
        assert.equal(result?.ok, true, result?.message);
        const remote = await getRemoteUser(connection, 'a');
        assert.ok(remote);
        assert.ok(sameJson(toJsonObject(remote), preview.document), `remote ${JSON.stringify(toJsonObject(remote))}\npreview ${JSON.stringify(preview.document)}`);
        const row = userRow(session, 'a');
        assert.deepEqual([row?.name, row?.email, row?.updatedAt, row?.version, row?.isSynced], ['Local a', 'remote-a@example.com', iso(mergedAt), 7, 1], 'the local row takes the previewed values');
        assert.equal(queueRows(session).length, 0);
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });

  firestoreTest('a remote changed since the preview: nothing is written, and the result says to look again', async ({ connection }) => {
    const db = writeAppDatabase([{ odid: 'b', name: 'Local b', updatedAt: baseTime, version: 6 }], [{ entityId: 'b', operation: 'update', createdAt: baseTime }]);
    try {
      await putRemoteUsers(connection, [{ odid: 'b', name: 'Remote b', updatedAt: baseTime + 30 * minute, version: 6 }]);
      const { session, opened } = await openSession(db.path, connection, { now: () => baseTime + 180 * minute });
      try {
        const [view] = await session.listConflicts();
        assert.ok(view);
        const preview = previewOf(view, baseTime + 45 * minute);
        await putRemoteUsers(connection, [{ odid: 'b', name: 'Remote b, edited again', updatedAt: baseTime + 40 * minute, version: 7 }]);
        const [result] = await session.resolveKeys(['users/b'], { kind: 'merge', choices: { name: 'local' }, values: {}, mergedAt: preview.mergedAt, expected: preview.document });
        assert.deepEqual([result?.ok, result?.applied, result?.message], [false, 'none', 'users/b changed since the merge preview: nothing written; look at the merge again']);
        assert.equal((await getRemoteUser(connection, 'b'))?.name, 'Remote b, edited again');
        assert.equal(queueRows(session).length, 1, 'the queued op stays');
      } finally {
        opened.close();
      }
    } finally {
      db.cleanup();
    }
  });
});
