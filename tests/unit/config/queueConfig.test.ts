// synclens.json's queue.kind and its mapping: every bad value gets one message on its key (with a
// did-you-mean where a name was misspelt), a good one is accepted, and the kinds skip or keep the
// table-queue detection as they say.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { toRoleOverrides } from '../../../core/config/config';
import { checkConfigText } from '../../../core/config/validate';
import { queueSourceKinds } from '../../../core/queue/types';
import schemaJson from '../../../schemas/synclens.schema.json';

const problemsOf = (text: string): string[] => checkConfigText(text, 'synclens.json').problems.map((problem) => `${problem.line}:${problem.column} ${problem.message}`);

describe('synclens.json queue.kind', () => {
  const cases: Array<[string, string, string[]]> = [
    ['a misspelt kind', '{"queue": {"kind": "powersink"}}', ['1:20 "queue.kind" must be one of "table", "firestore-sdk", "powersync", "brick" (did you mean "powersync"?)']],
    ['a path that is no JSON path', '{"queue": {"kind": "powersync", "paths": {"op": "op"}}}', ['1:49 "queue.paths.op" must be a SQLite JSON path such as "$.op" or "$.row.id" ($, then .key, ."quoted key" or [index] steps)']],
    ['a misspelt path name', '{"queue": {"kind": "powersync", "paths": {"opp": "$.x"}}}', ['1:43 unknown key "opp" in "queue.paths": did you mean "op"?']],
    ['table-queue columns on a PowerSync queue', '{"queue": {"kind": "powersync", "columns": {"payload": "data"}}}', ['1:33 "queue.columns" applies to kind "table", not "powersync"']],
    ['paths on the app queue table', '{"queue": {"table": "outbox", "paths": {"op": "$.op"}}}', ['1:31 "queue.paths" applies to kind "powersync", not "table"']],
    ['paths on Brick', '{"queue": {"kind": "brick", "paths": {"op": "$.op"}}}', ['1:29 "queue.paths" applies to kind "powersync", not "brick"']],
    ['a table for the Firestore SDK', '{"queue": {"kind": "firestore-sdk", "table": "x"}}', ['1:37 "queue.table" does not apply to kind "firestore-sdk": the SDK\'s tables are fixed (mutations, document_mutations, mutation_queues)']],
    ['kind table without its table', '{"queue": {"kind": "table"}}', ['1:2 "queue" is missing "table" (kind "table" reads the app\'s queue table by name)']],
    ['columns without a table or a kind', '{"queue": {"columns": {"payload": "body"}}}', ['1:2 "queue" is missing "table" (or a "kind" of queue the app\'s stack keeps)']],
    ['a kind that is not a string', '{"queue": {"kind": 3}}', ['1:20 "queue.kind" must be a string']],
  ];
  for (const [name, text, expected] of cases) {
    test(name, () => assert.deepEqual(problemsOf(text), expected));
  }

  test('good configs of every kind are accepted', () => {
    for (const text of [
      '{"queue": {"kind": "powersync"}}',
      '{"queue": {"kind": "powersync", "table": "ps_crud", "paths": {"op": "$.operation", "type": "$.entity.table", "id": "$.entity.id", "data": "$.values", "old": "$[0]", "metadata": "$.\\"meta data\\""}}}',
      '{"queue": {"kind": "brick", "table": "HttpJobs"}}',
      '{"queue": {"kind": "firestore-sdk"}}',
      '{"queue": {"kind": "table", "table": "sync_outbox", "columns": {"operation": "kind"}, "timeZone": "Europe/Berlin"}}',
      '{"queue": {"table": "sync_outbox"}}',
      '{"queue": null}',
    ]) {
      assert.deepEqual(problemsOf(text), [], text);
    }
  });

  test("the schema's kinds are core's queue source kinds", () => {
    const kind = (schemaJson as { properties: { queue: { properties: { kind: { enum: string[] } } } } }).properties.queue.properties.kind;
    assert.deepEqual(kind.enum, [...queueSourceKinds]);
  });

  test("a stack's kind skips the table-queue detection; kind table (or none) keeps the named table", () => {
    assert.equal(toRoleOverrides({ queue: { kind: 'powersync' } }).queue, null);
    assert.equal(toRoleOverrides({ queue: { kind: 'brick', table: 'HttpJobs' } }).queue, null);
    assert.deepEqual(toRoleOverrides({ queue: { kind: 'table', table: 'outbox' } }).queue, { table: 'outbox' });
    assert.deepEqual(toRoleOverrides({ queue: { table: 'outbox' } }).queue, { table: 'outbox' });
    assert.equal(toRoleOverrides({}).queue, undefined);
  });
});
