// The language server on synclens.json: schema errors on their line, names checked against the
// configured database with a quick fix, completion from the schema and the database, hover docs.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import {
  CodeActionRequest,
  CompletionRequest,
  HoverRequest,
  type CodeAction,
  type CompletionItem,
  type CompletionList,
  type MarkupContent,
} from 'vscode-languageserver-protocol/node';
import { makeAppFolder, type AppFolder } from './fixture';
import { startServer, type LspSession } from './lspClient';

function itemsOf(result: CompletionItem[] | CompletionList | null): CompletionItem[] {
  if (!result) return [];
  return Array.isArray(result) ? result : result.items;
}

describe('language server: synclens.json', () => {
  let app: AppFolder;
  let session: LspSession;
  let uri: string;

  before(async () => {
    app = makeAppFolder();
    session = await startServer(app.dir);
    // One document edited test by test: versions only grow, so no stale diagnostics can match.
    uri = session.open(join(app.dir, 'synclens.json'), '{}');
  });
  after(async () => {
    await session?.close();
    app?.cleanup();
  });

  const complete = async (uri: string, line: number, character: number): Promise<CompletionItem[]> =>
    itemsOf(await session.connection.sendRequest(CompletionRequest.type, { textDocument: { uri }, position: { line, character } }));

  test('a schema violation is reported on its line', async () => {
    const text = ['{', '  "databases": ["*.db"],', '  "maxRetries": "five"', '}'].join('\n');
    session.change(uri, text);
    const diagnostics = await session.diagnostics(uri);
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
    session.change(uri, text);
    const diagnostics = await session.diagnostics(uri, (found) => found.length > 0);
    assert.deepEqual(
      diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.message]),
      [
        [2, 22, 'table "sync_operation" does not exist in the database: did you mean "sync_operations"?'],
        [4, 41, 'table "users" has no column "updatedAtt": did you mean "updatedAt"?'],
      ],
    );
    const actions = (await session.connection.sendRequest(CodeActionRequest.type, {
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
    session.change(uri, text);
    const keys = (await complete(uri, 3, 2)).map((item) => item.label);
    assert.ok(keys.includes('maxRetries') && keys.includes('firestore') && keys.includes('entities'), keys.join(','));
    assert.ok(!keys.includes('queue'), 'keys already present are not offered again');

    const policies = (await complete(uri, 2, 27)).map((item) => item.label);
    assert.deepEqual(policies, ['"lastWriteWins"', '"localWins"', '"remoteWins"', '"manual"']);

    const tables = (await complete(uri, 1, 23)).map((item) => item.label);
    assert.deepEqual(new Set(tables), new Set(['users', 'posts', 'sync_operations', 'sync_state']));

    const columns = (await complete(uri, 1, 66)).map((item) => item.label);
    assert.ok(columns.includes('payload') && columns.includes('entityType'), columns.join(','));
    assert.ok(!columns.includes('email'), 'columns come from the queue table only');
  });

  test('completes entity table names as keys of "entities"', async () => {
    const text = ['{', '  "entities": {', '    ', '  }', '}'].join('\n');
    session.change(uri, text);
    const labels = (await complete(uri, 2, 4)).map((item) => item.label);
    assert.ok(labels.includes('users') && labels.includes('posts'), labels.join(','));
  });

  test('hover shows the schema description of a key', async () => {
    const text = ['{', '  "maxRetries": 5', '}'].join('\n');
    session.change(uri, text);
    const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character: 6 } });
    const value = (hover?.contents as MarkupContent | undefined)?.value ?? '';
    assert.match(value, /^\*\*maxRetries\*\*/);
    assert.ok(value.length > 40, value);
  });

  test('hover on a table or column name shows what the database holds', async () => {
    const text = ['{', '  "entities": { "users": { "columns": { "updatedAt": "updatedAt" } } }', '}'].join('\n');
    session.change(uri, text);
    const hoverAt = async (character: number): Promise<string> => {
      const hover = await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line: 1, character } });
      return (hover?.contents as MarkupContent | undefined)?.value ?? '';
    };
    const table = await hoverAt(19);
    assert.match(table, /\*\*users\*\* — table · 3 rows · synced entity table/);
    const column = await hoverAt(56);
    assert.match(column, /\*\*users\.updatedAt\*\*/);
    assert.match(column, /timestamp: epoch-millis/);
  });
});
