// `synclens diff` through the built CLI: --json against schemas/cli-output.schema.json on the
// migration pair, the readable report, --exit-code and bad input.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resultFormats } from '../../../core/cli/output';
import { scratchDir } from '../../helpers/sqliteCli';
import { assertCliJson, isValid } from '../cli/cliSchema';
import { buildOnce, runCli } from '../cli/cliProcess';
import { expectedSchemaChanges, writeMigrationPair } from './migrationPair';

before(() => buildOnce());

describe('synclens diff', () => {
  const scratch = scratchDir('synclens-diff-cli-');
  after(() => scratch.cleanup());
  const pair = writeMigrationPair(scratch.dir);

  test('--json follows the schema: schema changes and every table with its rows', () => {
    const run = runCli(['diff', pair.before, pair.after, '--json']);
    assert.equal(run.status, 0, run.stderr);
    const report = assertCliJson(run.stdout, 'diff', resultFormats.diff) as unknown as { schema: { changes: unknown[] }; tables: Array<{ name: string; added: number; rows: Array<{ fields: Array<{ after: unknown }> }> }> };
    assert.equal(report.schema.changes.length, expectedSchemaChanges.length);
    const users = report.tables.find((table) => table.name === 'users');
    assert.deepEqual(users?.rows[0]?.fields.map((field) => field.after), ['grace.hopper@example.com', { $bytesSummary: { size: 4097, sha256: 'b587fa297299ce9c602e58292b51379402bf7b1074f6b18679c2fb871c917ca8' } }]);

    const renamed = JSON.parse(run.stdout) as { tables: Array<Record<string, unknown>> };
    renamed.tables[0]!.inserted = renamed.tables[0]!.added;
    delete renamed.tables[0]!.added;
    assert.equal(isValid('diff', renamed), false, 'a renamed field in a table');
  });

  test('the readable report and --exit-code', () => {
    const run = runCli(['diff', pair.before, pair.after, '--rows', '1', '--exit-code']);
    assert.equal(run.status, 1, 'the files differ');
    assert.match(run.stdout, /Schema: 14 changes/);
    assert.match(run.stdout, /\+ column users\.nickname: TEXT/);
    assert.match(run.stdout, /users: \+1 -1 ~2 \(2 unchanged\), by id\n {2}warning: columns in one file only[^\n]*\n {2}~ id=2: email "grace@example\.com" -> "grace\.hopper@example\.com"; avatar/);
    assert.match(run.stdout, /event_log: \+0 -0 ~1 \(2 unchanged\), by rowid\n {2}warning: no primary key/);
    assert.match(run.stdout, / {2}\.\.\. and 3 more \(--rows to list more\)/);
    assert.equal(runCli(['diff', pair.after, pair.after, '--exit-code']).status, 0, 'a file against itself');
    const bad = runCli(['diff', pair.before, 'no-such.db', '--json']);
    assert.equal(bad.status, 2);
    assertCliJson(bad.stdout, 'error', null);
  });
});
