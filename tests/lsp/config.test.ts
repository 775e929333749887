// The language server on synclens.json: schema errors on their line, names checked against the
// configured database with a quick fix, completion from the schema and the database, hover docs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { CodeActionRequest, HoverRequest, type CodeAction, type MarkupContent } from 'vscode-languageserver-protocol/node';
import { appFolderServer } from './fixture';

describe('language server: synclens.json', () => {
  const lsp = appFolderServer();
  let uri: string;

  before(() => {
    // One document edited test by test: versions only grow, so no stale diagnostics can match.
    uri = lsp.session.open(join(lsp.app.dir, 'synclens.json'), '{}');
  });

  test('a schema violation is reported on its line', async () => {
    const text = ['{', '  "databases": ["*.db"],', '  "maxRetries": "five"', '}'].join('\n');
    lsp.session.change(uri, text);
    const diagnostics = await lsp.session.diagnostics(uri);
    assert.equal(diagnostics.length, 1, JSON.stringify(diagnostics));
    assert.equal(diagnostics[0].range.start.line, 2);
    assert.match(diagnostics[0].message, /maxRetries/);
  });

  test('an unknown table and an unknown column get an error with a closest-match quick fix', async () => {
    const text = [
      '{',
      '  "databases": ["*.db"],',
      '  "queue": { "table": "sync_operation" },',
      '  "entities": {',
      '    "users": { "columns": { "updatedAt": "updatedAtt" } }',
      '  }',
      '}',
    ].join('\n');
    lsp.session.change(uri, text);
    const diagnostics = await lsp.session.diagnostics(uri, (found) => found.length > 0);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.message]),
      [
        [2, 22, 'table "sync_operation" does not exist in the database: did you mean "sync_operations"?'],
        [4, 41, 'table "users" has no column "updatedAtt": did you mean "updatedAt"?'],
      ],
    );
    const actions = (await lsp.session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostics[0].range,
      context: { diagnostics: [diagnostics[0]] },
    })) as CodeAction[];
    assert.equal(actions.length, 1);
    assert.equal(actions[0].title, 'Change to "sync_operations"');
    assert.deepEqual(actions[0].edit?.changes?.[uri], [{ range: diagnostics[0].range, newText: '"sync_operations"' }]);
  });

  test('completes keys and enum values from the schema, tables and columns from the database', async () => {
    const text = [
      '{',
      '  "queue": { "table": "sync_operations", "columns": { "payload": "" } },',
      '  "conflicts": { "default": "" },',
      '  ',
      '}',
    ].join('\n');
    lsp.session.change(uri, text);
    const keys = (await lsp.session.completions(uri, 3, 2)).map((item) => item.label);
    assert.ok(keys.includes('maxRetries') && keys.includes('firestore') && keys.includes('entities'), keys.join(','));
    assert.ok(!keys.includes('queue'), 'keys already present are not offered again');

    const policies = (await lsp.session.completions(uri, 2, 27)).map((item) => item.label);
    assert.deepEqual(policies, ['"lastWriteWins"', '"localWins"', '"remoteWins"', '"manual"']);

    const tables = (await lsp.session.completions(uri, 1, 23)).map((item) => item.label);
    assert.deepEqual(new Set(tables), new Set(['users', 'posts', 'sync_operations', 'sync_state']));

    const columns = (await lsp.session.completions(uri, 1, 66)).map((item) => item.label);
    assert.ok(columns.includes('payload') && columns.includes('entityType'), columns.join(','));
    assert.ok(!columns.includes('email'), 'columns come from the queue table only');
  });

  test('completes entity table names as keys of "entities"', async () => {
    const text = ['{', '  "entities": {', '    ', '  }', '}'].join('\n');
    lsp.session.change(uri, text);
    const labels = (await lsp.session.completions(uri, 2, 4)).map((item) => item.label);
    assert.ok(labels.includes('users') && labels.includes('posts'), labels.join(','));
  });

  test('hover shows the schema description of a key', async () => {
    const text = ['{', '  "maxRetries": 5', '}'].join('\n');
    lsp.session.change(uri, text);
    const hover = await lsp.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /^\*\*maxRetries\*\*/);
    assert.ok(value.length > 40, value);
  });

  test('hover on a table or column name shows what the database holds', async () => {
    const text = ['{', '  "entities": { "users": { "columns": { "updatedAt": "updatedAt" } } }', '}'].join('\n');
    lsp.session.change(uri, text);
    const hoverAt = async (character: number): Promise<string> => {
      const hover = await lsp.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character } });
      return (hover?.contents as MarkupContent | undefined)?.value ?? '';
    };
    const table = await hoverAt(19);
    assert.match(table, /\*\*users\*\* — table · 3 rows · synced entity table/);
    const column = await hoverAt(56);
    assert.match(column, /\*\*users\\\.updatedAt\*\*/, 'the name is escaped Markdown text');
    assert.match(column, /timestamp: epoch-millis/);
  });
});
