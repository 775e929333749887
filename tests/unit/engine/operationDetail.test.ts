// One op's detail (core/engine/operationDetail.ts) on a database written by the real sqlite3 CLI:
// payload and row as the documents the engine would write, and the errors a stale request gets.
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { openDatabaseFile } from '../../../core/db/open';
import { detectRoles } from '../../../core/db/roles';
import { readSchema } from '../../../core/db/schema';
import { isCodedError } from '../../../core/errors';
import { readOperationDetail } from '../../../core/engine/operationDetail';
import { toJsonObject } from '../../../core/engine/taggedValues';
import { baseTime, writeAppDatabase } from '../../firestore/engine/fixture';

test('payload and local row as documents; a payload that is not a JSON object is kept as text; a gone op is "missing"', async () => {
  const db = writeAppDatabase(
    [{ odid: 'a', name: 'Ann', updatedAt: baseTime }],
    [
      { id: 1, entityId: 'a', operation: 'update', createdAt: baseTime },
      { id: 2, entityId: 'a', operation: 'update', payload: '[1, 2', createdAt: baseTime + 1 },
    ],
  );
  const opened = await openDatabaseFile(db.path);
  try {
    const roles = detectRoles(opened.db, readSchema(opened.db));
    const detail = readOperationDetail(opened.db, roles, 1);
    assert.equal(detail.table, 'users');
    assert.equal(JSON.parse(detail.payloadText ?? 'null').name, 'Ann');
    const payload = toJsonObject(detail.payload ?? {});
    const row = toJsonObject(detail.localRow ?? {});
    assert.deepEqual(payload.updatedAt, { $timestamp: new Date(baseTime).toISOString() }, 'ISO text in the payload is the Timestamp it writes');
    assert.deepEqual(row.updatedAt, payload.updatedAt, 'the row maps to the same document value');
    assert.equal(row.odid, undefined, 'the external id is the document id, not a field');

    const broken = readOperationDetail(opened.db, roles, 2);
    assert.deepEqual([broken.payloadText, broken.payload], ['[1, 2', null]);
    assert.ok(broken.localRow);

    assert.throws(() => readOperationDetail(opened.db, roles, 99), (error: unknown) => isCodedError(error, 'missing') && /operation #99 is no longer in the queue/.test(error.message));
    assert.throws(() => readOperationDetail(opened.db, { ...roles, queue: null }, 1), (error: unknown) => isCodedError(error, 'not-open'));
  } finally {
    opened.close();
    db.cleanup();
  }
});
