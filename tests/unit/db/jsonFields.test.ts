import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { jsonObjectFieldNames } from '../../../core/db/jsonFields';

/** What the queue analysis read before: JSON.parse, and the object's own field names. */
function byJsonParse(text: string): string[] | null {
  try {
    const parsed: unknown = JSON.parse(text);
    return typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed) ? Object.keys(parsed) : null;
  } catch {
    return null;
  }
}

function assertSameVerdict(text: string): void {
  const expected = byJsonParse(text);
  const actual = jsonObjectFieldNames(text);
  const label = JSON.stringify(text);
  if (expected === null) {
    assert.equal(actual, null, `${label} is no JSON object`);
    return;
  }
  assert.notEqual(actual, null, `${label} is a JSON object`);
  // A name written twice is one field of the parsed object: the analysis compares sets.
  assert.deepEqual(new Set(actual), new Set(expected), `${label} fields`);
}

/** A deterministic generator (the same cases every run). */
function generator(seed: number): { next: () => number; pick: <T>(items: readonly T[]) => T } {
  let state = seed;
  const next = (): number => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 2 ** 32;
  };
  return { next, pick: (items) => items[Math.floor(next() * items.length)]! };
}

describe('jsonObjectFieldNames', () => {
  test('agrees with JSON.parse on written cases', () => {
    const cases = [
      '{}', ' {} ', '{ }', '\t{\n}\r\n', '{"a":1}', '{"a":1,"b":[1,2,{"c":null}],"d":{"e":"f"}}', '{"a":1,}', '{,"a":1}', '{"a" 1}',
      '{"a":}', '{a:1}', "{'a':1}", '{"a":1}}', '{"a":1', '{"a":[1,2}', '{"a":{"b":1]}', '[1]', '[]', '"text"', '12', 'null', 'true', '',
      '   ', '{"a":01}', '{"a":-0}', '{"a":-}', '{"a":1.}', '{"a":.5}', '{"a":1e}', '{"a":1e+}', '{"a":1E-2}', '{"a":-1.5e+300}', '{"a":+1}',
      '{"a":0x10}', '{"a":NaN}', '{"a":Infinity}', '{"a":tru}', '{"a":truex}', '{"a":nul}', '{"a":false}', '{"a":"\\u00e9"}', '{"a":"\\u00g9"}',
      '{"a":"\\x41"}', "{\"a\":\"\\'\"}", '{"a":"\\/\\b\\f\\n\\r\\t\\"\\\\"}', '{"a":"tab\there"}', '{"a":"nl\nhere"}', '{"a":"nul\u0000"}',
      '{"\\u0061":1,"a":2}', '{"a\\"b":1}', '{"__proto__":1}', '{"__proto__":{"x":1},"y":2}', '{"1":1,"0":2,"b":3}', '{"":1}', '{"a":1,"a":2}',
      '\ufeff{"a":1}', '{"a":1}\u00a0', '\u2028{"a":1}', '{"a":1}\u000b', '{"a":"\ud83d\ude00","\ud800":1}', '{"a":1} {"b":2}', '{"a":1}x',
      `{"deep":${'['.repeat(5000)}${']'.repeat(5000)}}`, `{"deep":${'{"a":'.repeat(300)}1${'}'.repeat(300)}}`, '{"a":[,1]}', '{"a":[1,]}',
      '{"a":[1 2]}', '{"a":"unterminated}', '{"a":"\\', '{"a":"\\u12', '{"toString":1,"constructor":2,"hasOwnProperty":3}',
    ];
    for (const text of cases) assertSameVerdict(text);
  });

  test('agrees with JSON.parse on 20,000 generated texts, broken ones among them', () => {
    const { next, pick } = generator(20261201);
    // JSON's four spaces mostly; now and then one JSON.parse refuses.
    const validSpaces = [' ', '\t', '\n', '\r', '', '', '', '', '', ''];
    const spaceOf = (): string => (next() < 0.01 ? pick(['\u00a0', '\f', '\u2028', '\ufeff']) : pick(validSpaces));
    const scalars = ['0', '-0', '1', '-1.5e3', '12.0', '1E+2', '"s"', '"a\\"b"', '"\\u00e9"', '"\\ud800"', 'true', 'false', 'null', '"\\/"', '""', '1234567890123456789012345'];
    const names = ['"a"', '"b"', '"__proto__"', '"1"', '"\\u0061"', '"é"', '""', '"a\\\\b"', '"\\"q"'];
    const noise = ['{', '}', '[', ']', ',', ':', '"', '\\', 'u', '0', '-', '.', 'e', ' ', '\u0000', '\u001f', '\n', 'x', '\ud83d'];
    const value = (depth: number): string => {
      const roll = next();
      if (depth > 3 || roll < 0.35) return pick(scalars);
      if (roll < 0.6) return `[${Array.from({ length: Math.floor(next() * 4) }, () => spaceOf() + value(depth + 1) + spaceOf()).join(',')}]`;
      return object(depth);
    };
    const object = (depth: number): string =>
      `{${Array.from({ length: Math.floor(next() * 5) }, () => `${spaceOf()}${pick(names)}${spaceOf()}:${spaceOf()}${value(depth + 1)}${spaceOf()}`).join(',')}}`;
    let objects = 0;
    for (let index = 0; index < 20_000; index++) {
      let text = spaceOf() + (next() < 0.85 ? object(0) : value(0)) + spaceOf();
      if (next() < 0.5) {
        const at = Math.floor(next() * (text.length + 1));
        const roll = next();
        text = roll < 0.4 ? text.slice(0, at) + pick(noise) + text.slice(at) : roll < 0.7 ? text.slice(0, at) + text.slice(at + 1) : text.slice(0, at) + pick(noise) + text.slice(at + 1);
      }
      if (byJsonParse(text) !== null) objects++;
      assertSameVerdict(text);
    }
    assert.ok(objects > 5_000, `enough of them are objects (${objects})`);
  });

  test('payloads of one shape share one list; other shapes, escaped names and duplicates get their own', () => {
    const first = jsonObjectFieldNames('{"odid":"u1","name":"Ann","tags":["a"]}');
    const second = jsonObjectFieldNames('{"odid":"u2","name":"Bob","tags":[]}');
    assert.deepEqual(first, ['odid', 'name', 'tags']);
    assert.equal(second, first);
    assert.notEqual(jsonObjectFieldNames('{"name":"Ann","odid":"u1","tags":[]}'), first);
    assert.deepEqual(jsonObjectFieldNames('{"o\\u0064id":"u1","name":"Ann","tags":[]}'), ['odid', 'name', 'tags']);
    assert.deepEqual(jsonObjectFieldNames('{"odid":"u1","odid":"u2"}'), ['odid', 'odid']);
    assert.deepEqual(jsonObjectFieldNames('{"odi":"u1","name":"Ann","tags":[]}'), ['odi', 'name', 'tags']);
    assert.deepEqual(jsonObjectFieldNames('{}'), []);
  });
});
