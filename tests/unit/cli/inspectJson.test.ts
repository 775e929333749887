// `synclens inspect --json` against schemas/cli-output.schema.json, run through the built CLI: the
// sample (plain and WAL), an Isar-style schema, a database without a queue and a bad file. Then
// the schema itself: strict enough that an added or renamed field fails, and tied to the formats
// core/cli/output.ts writes.
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { resultFormats } from '../../../core/cli/output';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { assertCliJson, isValid, loadCliSchema, type JsonSchemaNode } from './cliSchema';
import { buildOnce, runCli, sampleNowIso } from './cliProcess';

before(() => buildOnce());

function inspectJson(path: string): Record<string, unknown> {
  const run = runCli(['inspect', path, '--json', '--now', sampleNowIso]);
  assert.equal(run.status, 0, run.stderr);
  assert.equal(run.stderr, '');
  return assertCliJson(run.stdout, 'inspect', resultFormats.inspect);
}

describe('inspect --json follows the schema', () => {
  const scratch = scratchDir('synclens-inspect-json-');
  after(() => scratch.cleanup());

  test('the sample, its WAL copy and the Isar-style sample', () => {
    const report = inspectJson('sample-workspace/app.db');
    assert.ok((report.queue as { total: number }).total > 0);
    const wal = inspectJson('sample-workspace/app-wal.db');
    assert.ok((wal.walFramesApplied as number) > 0);
    inspectJson('sample-workspace/isar-style.db');
  });

  test('a database without a queue: queue is null', () => {
    const path = join(scratch.dir, 'notes.db');
    sqlite3(path, "CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL); INSERT INTO notes (body) VALUES ('x'); CREATE VIEW v AS SELECT * FROM notes;");
    const report = inspectJson(path);
    assert.equal(report.queue, null);
    assert.deepEqual((report.tables as { kind: string }[]).map((table) => table.kind), ['table', 'view']);
  });

  test('a bad file: the error shape, no format', () => {
    const path = join(scratch.dir, 'empty.db');
    writeFileSync(path, '');
    const run = runCli(['inspect', path, '--json']);
    assert.equal(run.status, 2);
    const parsed = assertCliJson(run.stdout, 'error', null);
    assert.deepEqual(parsed, { error: { code: 'empty', message: (parsed.error as { message: string }).message } });
  });

  test('an added, renamed or mistyped field, or another format version, fails validation', () => {
    const run = runCli(['inspect', 'sample-workspace/app.db', '--json', '--now', sampleNowIso]);
    const fresh = (): Record<string, unknown> => JSON.parse(run.stdout) as Record<string, unknown>;
    assert.ok(isValid('inspect', fresh()));

    const added = fresh();
    added.extra = 1;
    assert.equal(isValid('inspect', added), false, 'a new top-level field');

    const renamed = fresh();
    renamed.walFrames = renamed.walFramesApplied;
    delete renamed.walFramesApplied;
    assert.equal(isValid('inspect', renamed), false, 'a renamed top-level field');

    const inTable = fresh();
    (inTable.tables as Record<string, unknown>[])[0]!.size = 3;
    assert.equal(isValid('inspect', inTable), false, 'a new field in a table');

    const inQueue = fresh();
    (inQueue.queue as Record<string, unknown>).failed = 0;
    assert.equal(isValid('inspect', inQueue), false, 'a new field in the queue totals');

    const badRole = fresh();
    (badRole.tables as Record<string, unknown>[])[0]!.role = 'cache';
    assert.equal(isValid('inspect', badRole), false, 'a role outside the enum');

    const nextVersion = fresh();
    nextVersion.format = 'synclens.inspect/2';
    assert.equal(isValid('inspect', nextVersion), false, 'another format version');

    const noFormat = fresh();
    delete noFormat.format;
    assert.equal(isValid('inspect', noFormat), false, 'format is required');
  });
});

describe('schemas/cli-output.schema.json', () => {
  const schema = loadCliSchema();

  test('one definition per format core/cli/output.ts writes, with that exact format', () => {
    for (const [kind, format] of Object.entries(resultFormats)) {
      const definition = schema.definitions[kind] as { properties?: { format?: { const?: string } } } | undefined;
      assert.ok(definition, `a definition for ${kind}`);
      assert.equal(definition.properties?.format?.const, format, `${kind}'s format`);
    }
    const oneOf = (schema.oneOf as { $ref: string }[]).map((entry) => entry.$ref.replace('#/definitions/', ''));
    assert.deepEqual(oneOf.sort(), [...Object.keys(resultFormats), 'error'].sort());
  });

  test('every object with properties is closed, lists what it requires, and every property is described', () => {
    const problems: string[] = [];
    let objects = 0;
    const visit = (node: unknown, path: string): void => {
      if (Array.isArray(node)) {
        node.forEach((item, index) => visit(item, `${path}[${index}]`));
        return;
      }
      if (node === null || typeof node !== 'object') return;
      const schemaNode = node as JsonSchemaNode;
      const properties = schemaNode.properties as Record<string, JsonSchemaNode> | undefined;
      if (properties) {
        objects++;
        if (schemaNode.additionalProperties !== false) problems.push(`${path}: additionalProperties is not false`);
        if (!Array.isArray(schemaNode.required) || schemaNode.required.length === 0) problems.push(`${path}: no required list`);
        for (const [name, property] of Object.entries(properties)) {
          if (typeof property.description !== 'string' || property.description.length < 3) problems.push(`${path}.${name}: no description`);
        }
        for (const name of (schemaNode.required as string[] | undefined) ?? []) {
          if (!Object.hasOwn(properties, name)) problems.push(`${path}: requires unknown ${name}`);
        }
      }
      for (const [key, child] of Object.entries(schemaNode)) if (key !== 'properties') visit(child, `${path}.${key}`);
      if (properties) for (const [name, child] of Object.entries(properties)) visit(child, `${path}.${name}`);
    };
    visit(schema, '$');
    assert.deepEqual(problems, []);
    assert.ok(objects > 20, `walked ${objects} object schemas`);
    for (const [name, definition] of Object.entries(schema.definitions)) {
      assert.equal(typeof definition.description, 'string', `definitions.${name} is described`);
    }
  });
});
