// The one computation of what a field-by-field merge writes (core/engine/mergeValues.ts): the
// preview's tagged JSON and the write's SDK values agree, updatedAt is the latest of both sides and
// the time of the merge, version the higher + 1, and the preview says why.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { Bytes, Timestamp } from 'firebase/firestore/lite';
import { asPreviewed, jsonValues, mergeDocument, previewMerge, sameJson, sdkValues } from '../../../core/engine/mergeValues';
import { toJsonObject } from '../../../core/engine/taggedValues';
import type { MappingSdk } from '../../../core/firestore/mapping';

const sdk: MappingSdk = { Timestamp, Bytes };
const at = (text: string): number => Date.parse(text);

const local = { name: 'Local', email: 'local@example.com', updatedAt: Timestamp.fromMillis(at('2026-11-20T09:00:00Z')), version: 6 };
const remote = { name: 'Remote', email: 'remote@example.com', updatedAt: Timestamp.fromMillis(at('2026-11-20T09:30:00Z')), version: 6, deletedAt: null };

describe('mergeDocument', () => {
  test('updatedAt and version left on "remote" are written as the time of the merge and the higher version + 1', () => {
    const mergedAt = at('2026-11-20T10:15:00Z');
    const merged = mergeDocument({ local, remote }, { choices: { name: 'local', updatedAt: 'remote', version: 'remote' } }, mergedAt, sdkValues(sdk));
    assert.equal(merged.document.name, 'Local');
    assert.equal(merged.document.email, 'remote@example.com');
    assert.deepEqual(merged.document.updatedAt, new Date(mergedAt));
    assert.equal(merged.document.version, 7);
    assert.equal('deletedAt' in merged.document, false);
    assert.deepEqual([merged.from.name, merged.from.updatedAt, merged.from.version], ['local', 'stamp', 'stamp']);
  });

  test('a side newer than the time of the merge keeps its updatedAt', () => {
    const future = { ...remote, updatedAt: Timestamp.fromMillis(at('2026-11-21T00:00:00Z')) };
    const merged = mergeDocument({ local, remote: future }, { choices: {} }, at('2026-11-20T10:15:00Z'), sdkValues(sdk));
    assert.equal(merged.updatedAt, at('2026-11-21T00:00:00Z'));
  });

  test('no version on either side: none is written', () => {
    const merged = mergeDocument({ local: { name: 'a' }, remote: { name: 'b' } }, { choices: { name: 'local' } }, 5, sdkValues(sdk));
    assert.equal(merged.version, null);
    assert.equal('version' in merged.document, false);
  });

  test('the preview (tagged JSON) equals the write (SDK values) once encoded, typed values included', () => {
    const mergedAt = at('2026-11-20T10:15:00.250Z');
    const picks = { choices: { name: 'local' as const }, values: { email: 'typed@example.com', updatedAt: '2026-11-20T08:00:00Z' } };
    const written = toJsonObject(mergeDocument({ local, remote }, picks, mergedAt, sdkValues(sdk)).document);
    const previewed = mergeDocument(asPreviewed({ local, remote }), picks, mergedAt, jsonValues).document;
    assert.deepEqual(previewed, written);
    assert.deepEqual(previewed.updatedAt, { $timestamp: '2026-11-20T10:15:00.250Z' }, 'the stamp beats the typed older time');
  });
});

describe('previewMerge', () => {
  test('lists the differing fields, then updatedAt and version as set by the merge, and says why', () => {
    const sides = asPreviewed({ local, remote });
    const preview = previewMerge({ key: 'users/a', ...sides, differences: [{ field: 'name' }, { field: 'email' }, { field: 'updatedAt' }] }, { choices: { name: 'local' }, values: {} }, at('2026-11-20T10:15:00Z'));
    assert.deepEqual(
      preview.fields.map((field) => [field.field, field.value, field.from]),
      [
        ['name', 'Local', 'local'],
        ['email', 'remote@example.com', 'remote'],
        ['updatedAt', { $timestamp: '2026-11-20T10:15:00.000Z' }, 'stamp'],
        ['version', 7, 'stamp'],
      ],
    );
    assert.equal(preview.mergedAt, at('2026-11-20T10:15:00Z'));
    assert.equal(
      preview.stampReason,
      'updatedAt and version are set so this merge wins over both sides: updatedAt to the time of the merge, 2026-11-20T10:15:00.000Z, and version to 7 (the higher of both sides + 1).',
    );
  });
});

describe('sameJson', () => {
  test('ignores key order, not values', () => {
    assert.equal(sameJson({ a: 1, b: [1, { c: null }] }, { b: [1, { c: null }], a: 1 }), true);
    assert.equal(sameJson({ a: 1 }, { a: 1, b: 2 }), false);
    assert.equal(sameJson([1, 2], [2, 1]), false);
    assert.equal(sameJson({ $timestamp: 'x' }, 'x'), false);
  });
});
