// The SQL quick fix over stdio, as any LSP client sees it: SQLite's "no such column" and "no such
// table" come with code actions naming the closest columns and tables of the bound database.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { CodeActionRequest, type CodeAction, type Diagnostic } from 'vscode-languageserver-protocol/node';
import { appFolderServer } from './fixture';

describe('language server: SQL quick fixes', () => {
  const lsp = appFolderServer();

  async function fixesFor(name: string, text: string): Promise<{ uri: string; diagnostic: Diagnostic; actions: CodeAction[] }> {
    const uri = lsp.session.open(join(lsp.app.dir, 'queries', name), text);
    const [diagnostic] = await lsp.session.diagnostics(uri, (published) => published.length > 0);
    assert.ok(diagnostic, 'SQLite reported the statement');
    const result = await lsp.session.connection.sendRequest(CodeActionRequest.type, {
      textDocument: { uri },
      range: diagnostic.range,
      context: { diagnostics: [diagnostic] },
    });
    return { uri, diagnostic, actions: (result ?? []).filter((action): action is CodeAction => 'edit' in action) };
  }

  test("offers 'email' for 'emial', replacing just the misspelt name", async () => {
    const { uri, diagnostic, actions } = await fixesFor('emial.sql', '-- synclens: db=../app.db\nSELECT odid, emial FROM users;');
    assert.equal(diagnostic.message, 'no such column: emial');
    const [first] = actions;
    assert.ok(first, `a quick fix is offered: ${JSON.stringify(actions)}`);
    assert.match(first.title, /^Change to 'email'/);
    assert.equal(first.kind, 'quickfix');
    assert.equal(first.isPreferred, true);
    assert.deepEqual(first.edit?.changes?.[uri], [{ range: { start: { line: 1, character: 13 }, end: { line: 1, character: 18 } }, newText: 'email' }]);
  });

  test('suggests columns of the table an alias names', async () => {
    const { actions } = await fixesFor('alias.sql', '-- synclens: db=../app.db\nSELECT p.titel FROM users u JOIN posts p ON p.authorId = u.odid;');
    assert.deepEqual(
      actions.map((action) => action.edit?.changes && Object.values(action.edit.changes)[0]?.[0]?.newText),
      ['title'],
    );
  });

  test("offers the closest tables for 'no such table', keeping a quoted name quoted", async () => {
    const { uri, actions } = await fixesFor('table.sql', '-- synclens: db=../app.db\nSELECT * FROM "user";');
    const edits = actions.map((action) => action.edit?.changes?.[uri]?.[0]?.newText);
    assert.equal(edits[0], '"users"');
    assert.ok(!edits.includes('"sync_operations"'), `only close names: ${edits.join(', ')}`);
  });

  test('offers nothing for a diagnostic of an older version that marks part of a name typed since', async () => {
    // What an editor holds while typing "emial": the diagnostic of "SELECT odid, e", now on the e of emial.
    const { uri, diagnostic } = await fixesFor('stale.sql', '-- synclens: db=../app.db\nSELECT odid, emial FROM users;');
    const stale: Diagnostic = { ...diagnostic, message: 'no such column: e', range: { start: diagnostic.range.start, end: { line: 1, character: 14 } } };
    const result = await lsp.session.connection.sendRequest(CodeActionRequest.type, { textDocument: { uri }, range: stale.range, context: { diagnostics: [stale] } });
    assert.deepEqual(result, []);
  });

  test('offers nothing for a name with no close match', async () => {
    const { actions } = await fixesFor('far.sql', '-- synclens: db=../app.db\nSELECT zzzzzzzz FROM users;');
    assert.deepEqual(actions, []);
  });
});
