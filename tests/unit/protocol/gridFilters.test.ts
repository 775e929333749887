import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { isNumericType, parseFilterText } from '../../../core/protocol/gridFilters';

describe('parseFilterText', () => {
  test('plain text is "contains" in a text column and equality for a number in a numeric one', () => {
    assert.deepEqual(parseFilterText('name', 'TEXT', ' ada '), { filter: { column: 'name', op: 'contains', value: 'ada' } });
    assert.deepEqual(parseFilterText('retryCount', 'INTEGER', '3'), { filter: { column: 'retryCount', op: 'eq', value: 3 } });
    assert.deepEqual(parseFilterText('odid', 'TEXT', '42'), { filter: { column: 'odid', op: 'contains', value: '42' } });
  });

  test('comparison prefixes give typed values', () => {
    assert.deepEqual(parseFilterText('n', 'REAL', '>=1.5'), { filter: { column: 'n', op: 'ge', value: 1.5 } });
    assert.deepEqual(parseFilterText('n', 'INTEGER', '<> 0'), { filter: { column: 'n', op: 'ne', value: 0 } });
    assert.deepEqual(parseFilterText('s', 'TEXT', '=x y'), { filter: { column: 's', op: 'eq', value: 'x y' } });
    assert.deepEqual(parseFilterText('s', 'TEXT', '<b'), { filter: { column: 's', op: 'lt', value: 'b' } });
  });

  test('null and !null', () => {
    assert.deepEqual(parseFilterText('c', '', 'NULL'), { filter: { column: 'c', op: 'null', value: null } });
    assert.deepEqual(parseFilterText('c', '', 'is not null'), { filter: { column: 'c', op: 'notNull', value: null } });
  });

  test('empty text is no filter; an operator without a value is an error', () => {
    assert.deepEqual(parseFilterText('c', 'TEXT', '   '), { filter: null });
    assert.ok('error' in parseFilterText('c', 'INTEGER', '>='));
  });

  test('numeric affinity follows SQLite\'s declared-type rules', () => {
    for (const type of ['INTEGER', 'int', 'BIGINT', 'REAL', 'DOUBLE PRECISION', 'NUMERIC(10,2)', 'DECIMAL', 'BOOLEAN']) assert.ok(isNumericType(type), type);
    for (const type of ['TEXT', 'VARCHAR(20)', 'BLOB', '']) assert.ok(!isNumericType(type), type);
  });
});
