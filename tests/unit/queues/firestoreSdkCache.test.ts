// The Firestore Android SDK's cache beside its pending writes, on a file the real sqlite3 wrote from
// the upstream DDL (sample-workspace/firestoreSdkCache.ts): remote documents, targets and overlays
// decoded with protobufjs, the inspect summary, and the data grid's decoded cells.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { openAppDatabase } from '../../../core/db/appDatabase';
import { queryAll } from '../../../core/db/query';
import { readPage } from '../../../core/db/rows';
import type { CellValue } from '../../../core/db/types';
import { decodeEncodedPath, decodeMaybeDocument, decodeOverlay, decodeTarget, summarizeFirestoreSdkCache } from '../../../core/queue/firestoreSdk/cache';
import { decodeFirestoreSdkPage } from '../../../core/queue/firestoreSdk/cacheCells';
import { scratchDir, sha256OfFile } from '../../helpers/sqliteCli';
import { validatorFor } from '../cli/cliSchema';
import { writeFirestoreSdkCache } from './fixtures';

const scratch = scratchDir('synclens-sdk-cache-');
let path = '';
before(() => {
  path = writeFirestoreSdkCache(scratch.dir);
});
after(() => scratch.cleanup());
const root = join(__dirname, '..', '..', '..');

async function rowsOf(sql: string): Promise<unknown[][]> {
  const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
  try {
    return queryAll(app.file.db, sql).rows;
  } finally {
    app.close();
  }
}

const blob = (value: unknown): Uint8Array => {
  assert.ok(value instanceof Uint8Array, 'a BLOB');
  return value;
};

describe('Firestore SDK cache: remote documents, targets, overlays', () => {
  test('encoded paths decode to document paths; other text is refused', () => {
    assert.equal(decodeEncodedPath('posts\u0001\u0001p2\u0001\u0001'), 'posts/p2');
    assert.equal(decodeEncodedPath('users\u0001\u0001u1\u0001\u0001notes\u0001\u0001n1\u0001\u0001'), 'users/u1/notes/n1');
    assert.equal(decodeEncodedPath('a\u0001\u0010b\u0001\u0011c\u0001\u0001'), 'a\u0000b\u0001c');
    assert.equal(decodeEncodedPath('posts/p2'), null);
    assert.equal(decodeEncodedPath('posts\u0001\u0005\u0001\u0001'), null);
  });

  test('remote_documents: found documents with decoded fields, a known-missing one, an unknown one', async () => {
    const rows = await rowsOf('SELECT path, contents, read_time_seconds FROM remote_documents ORDER BY path');
    const documents = rows.map((row) => ({ stored: decodeEncodedPath(String(row[0])), ...decodeMaybeDocument(blob(row[1])) }));
    // The row's encoded path and the document's own name agree.
    assert.deepEqual(
      documents.map((document) => [document.stored, document.path, document.state]),
      [
        ['posts/p2', 'posts/p2', 'found'],
        ['posts/p3', 'posts/p3', 'found'],
        ['posts/p4', 'posts/p4', 'unknown'],
        ['posts/p5', 'posts/p5', 'found'],
        ['posts/p9', 'posts/p9', 'missing'],
        ['users/u1/notes/n1', 'users/u1/notes/n1', 'found'],
      ],
    );
    const p5 = documents.find((document) => document.path === 'posts/p5')!;
    assert.deepEqual(p5.fields, { title: 'Offline first', likes: 12, author: 'users/u1', place: { latitude: 52.52, longitude: 13.405 } });
    assert.equal(p5.version, '2026-11-24T07:00:00.000Z');
    assert.deepEqual(documents.find((document) => document.path === 'posts/p2')!.fields, { title: 'Draft', tags: [], body: 'kept' });
    const p4 = documents.find((document) => document.path === 'posts/p4')!;
    assert.equal(p4.hasCommittedMutations, true);
    assert.equal(p4.fields, null);
    assert.equal(documents.find((document) => document.path === 'posts/p9')!.version, '2026-11-24T11:15:00.000Z');
    assert.equal(rows[0]![2], Date.UTC(2026, 10, 24, 11, 15) / 1000);
  });

  test('targets: the posts query (collection, order, limit, resume token) and the document listen', async () => {
    const rows = await rowsOf('SELECT target_proto FROM targets ORDER BY target_id');
    const [query, listen] = rows.map((row) => decodeTarget(blob(row[0])));
    assert.deepEqual(query, {
      targetId: 2,
      kind: 'query',
      parent: '',
      collections: ['posts'],
      orderBy: ['publishedAt desc', '__name__ desc'],
      limit: 20,
      documents: [],
      snapshotVersion: '2026-11-24T11:15:00.000Z',
      resumeTokenBytes: 8,
      lastListenSequenceNumber: '7',
      synced: true,
    });
    assert.equal(listen?.kind, 'documents');
    assert.deepEqual(listen?.documents, ['users/u1/notes/n1']);
    assert.equal(listen?.parent, null);
  });

  test('document_overlays: one google.firestore.v1.Write per pending document', async () => {
    const rows = await rowsOf('SELECT collection_path, document_id, largest_batch_id, overlay_mutation FROM document_overlays ORDER BY document_id');
    const overlays = rows.map((row) => ({ collection: decodeEncodedPath(String(row[0])), id: row[1], batch: row[2], write: decodeOverlay(blob(row[3])) }));
    assert.deepEqual(
      overlays.map((overlay) => [overlay.collection, overlay.id, overlay.batch, overlay.write.kind, overlay.write.path, overlay.write.precondition]),
      [
        ['posts', 'p1', 1, 'set', 'posts/p1', null],
        ['posts', 'p2', 2, 'update', 'posts/p2', 'exists'],
        ['posts', 'p3', 2, 'delete', 'posts/p3', null],
      ],
    );
    assert.deepEqual(overlays[1]!.write.fieldMask, ['title', 'tags']);
    assert.deepEqual(overlays[0]!.write.transforms, ['updatedAt: server time']);
  });

  test('a BLOB that is not the message it should be fails with protobufjs\'s error', () => {
    assert.throws(() => decodeMaybeDocument(new Uint8Array([0x0a, 0xff])), /index out of range|invalid wire type/);
    assert.throws(() => decodeMaybeDocument(new Uint8Array([])), /no document, no_document or unknown_document/);
  });

  test('the summary counts documents per collection, targets and overlays', async () => {
    const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
    try {
      assert.deepEqual(summarizeFirestoreSdkCache(app.file.db), {
        collections: [
          { collection: 'posts', found: 3, missing: 1, unknown: 1 },
          { collection: 'users/u1/notes', found: 1, missing: 0, unknown: 0 },
        ],
        documents: 6,
        targets: 2,
        overlays: 3,
        undecodable: [],
      });
    } finally {
      app.close();
    }
  });

  test('the data grid shows paths, documents, targets and overlays decoded, read times as times', async () => {
    const app = await openAppDatabase(path, { config: 'none', analyzeQueue: false });
    try {
      const page = decodeFirestoreSdkPage('remote_documents', readPage(app.file.db, { table: 'remote_documents', limit: 10 }));
      const cell = (name: string, row = 0): CellValue => page.rows[row]![page.columns.indexOf(name)]!;
      assert.deepEqual(cell('path'), { kind: 'text', value: 'posts/p2' });
      const contents = cell('contents');
      assert.equal(contents.kind, 'json');
      assert.deepEqual(JSON.parse(contents.kind === 'json' ? contents.value : '{}').fields, { title: 'Draft', tags: [], body: 'kept' });
      const readTime = cell('read_time_seconds');
      assert.equal(readTime.kind === 'timestamp' ? readTime.millis : null, Date.UTC(2026, 10, 24, 11, 15));
      // The stored values stay as stored: copy and export read those.
      assert.ok(page.values[0]![page.columns.indexOf('contents')] instanceof Uint8Array);

      const targets = decodeFirestoreSdkPage('targets', readPage(app.file.db, { table: 'targets', limit: 10 }));
      const target = targets.rows[0]![targets.columns.indexOf('target_proto')]!;
      assert.equal(target.kind === 'json' ? (JSON.parse(target.value) as { collections: string[] }).collections[0] : null, 'posts');
      const overlays = decodeFirestoreSdkPage('document_overlays', readPage(app.file.db, { table: 'document_overlays', limit: 10 }));
      assert.deepEqual(overlays.rows[0]![overlays.columns.indexOf('collection_path')], { kind: 'text', value: 'posts' });
      const other = readPage(app.file.db, { table: 'globals', limit: 10 });
      assert.equal(decodeFirestoreSdkPage('globals', other), other, 'other tables are left alone');
    } finally {
      app.close();
    }
  });

  test('inspect summarizes the cache and writes nothing', () => {
    const before = sha256OfFile(path);
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'core/cli/main.ts'), 'inspect', path], { cwd: root, encoding: 'utf8' });
    assert.match(output, /Firestore SDK cache: 6 remote documents \(posts: 3 found, 1 missing, 1 unknown; users\/u1\/notes: 1 found\), 2 targets, 3 overlays/);
    assert.equal(sha256OfFile(path), before);
  });

  test('inspect --json carries the same summary as firestoreSdkCache, valid against the CLI schema', () => {
    const output = execFileSync(process.execPath, ['--import', 'tsx', join(root, 'core/cli/main.ts'), 'inspect', path, '--json'], { cwd: root, encoding: 'utf8' });
    const report = JSON.parse(output) as { firestoreSdkCache?: { collections: unknown[]; documents: number; targets: number; overlays: number } };
    assert.deepEqual(report.firestoreSdkCache?.collections, [
      { collection: 'posts', found: 3, missing: 1, unknown: 1 },
      { collection: 'users/u1/notes', found: 1, missing: 0, unknown: 0 },
    ]);
    assert.deepEqual([report.firestoreSdkCache?.documents, report.firestoreSdkCache?.targets, report.firestoreSdkCache?.overlays], [6, 2, 3]);
    const validate = validatorFor('inspect');
    assert.ok(validate(report), JSON.stringify(validate.errors));
  });
});
