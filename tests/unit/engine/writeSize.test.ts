import assert from 'node:assert/strict';
import { test } from 'node:test';
import { utf8Length, valueSize } from '../../../core/engine/writeSize';

const encoder = new TextEncoder();

test('utf8Length counts what TextEncoder writes: every code unit alone, surrogate pairs, lone surrogates', () => {
  for (let unit = 0; unit <= 0xffff; unit++) {
    const text = String.fromCharCode(unit);
    assert.equal(utf8Length(text), encoder.encode(text).length, `U+${unit.toString(16)}`);
  }
  const mixed = ['', 'plain ascii', 'é', 'ß€', '😀', 'a😀b', '\ud800', '\udc00x', '\ud800\ud800\udc00', '\udbff\udfff', 'x\ud83d', `${'x'.repeat(1000)}日本語`];
  for (const text of mixed) assert.equal(utf8Length(text), encoder.encode(text).length, JSON.stringify(text));
});

test('a string field costs its UTF-8 bytes plus one', () => {
  assert.equal(valueSize('日本'), 7);
  assert.equal(valueSize('😀'), 5);
});
