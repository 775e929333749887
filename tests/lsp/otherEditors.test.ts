// The language server as editors other than VS Code use it: a client that sends no
// initializationOptions and declares no snippetSupport (as Neovim's built-in client may not).
// First diagnostics come without the typing debounce, completions are plain text, lens titles
// carry no `$(icon)` syntax; a client that declares snippets and codicons gets them.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { InsertTextFormat, type CompletionItem } from 'vscode-languageserver-protocol/node';
import { appFolderServer } from './fixture';

/** A debounce no test waits out: a check that waits for it cannot arrive within the test's timeout. */
const endlessDelayMs = 600_000;

const vscodeLikeCapabilities = { textDocument: { completion: { completionItem: { snippetSupport: true } } } };

function snippetItems(items: CompletionItem[]): CompletionItem[] {
  return items.filter((item) => item.insertTextFormat === InsertTextFormat.Snippet);
}

/** Text an editor without snippet support would insert literally. */
function snippetSyntax(items: CompletionItem[]): string[] {
  const texts = items.map((item) => (item.textEdit && 'newText' in item.textEdit ? item.textEdit.newText : (item.insertText ?? item.label)));
  return texts.filter((text) => /\$\d|\$\{\d/.test(text));
}

describe('language server in an editor without snippets or codicons', () => {
  const lsp = appFolderServer({ initializationOptions: { diagnosticsDelayMs: endlessDelayMs } });
  const query = ['-- synclens: db=../app.db', 'SELECT emial FROM users;', "UPDATE users SET name = 'x';", 'SELECT '].join('\n');

  test('the first diagnostics of an opened document do not wait for the debounce', { timeout: 30_000 }, async () => {
    const uri = lsp.session.open(join(lsp.app.dir, 'queries', 'first.sql'), query);
    const [diagnostic] = await lsp.session.diagnostics(uri);
    assert.equal(diagnostic?.message, 'no such column: emial');
    assert.deepEqual(
      lsp.session.published(uri).map((published) => published.version),
      [1],
    );
  });

  test('SQL completions are plain text: functions insert `name(`, with no snippet syntax', async () => {
    const uri = lsp.session.open(join(lsp.app.dir, 'queries', 'complete.sql'), query);
    const items = await lsp.session.completions(uri, 3, 7);
    assert.ok(items.length > 100, `completions are offered (${items.length})`);
    assert.deepEqual(snippetItems(items), []);
    assert.deepEqual(snippetSyntax(items), []);
    const jsonExtract = items.find((item) => item.label === 'json_extract');
    assert.equal(jsonExtract?.insertText, 'json_extract(');
    assert.equal(items.find((item) => item.label === 'random')?.insertText, 'random()');
  });

  test('synclens.json completions are plain text too', async () => {
    const uri = lsp.session.open(join(lsp.app.dir, 'synclens.json'), ['{', '  "entities": {', '    ', '  },', '  ', '}'].join('\n'));
    const keys = await lsp.session.completions(uri, 4, 2);
    const tables = await lsp.session.completions(uri, 2, 4);
    assert.ok(keys.some((item) => item.label === 'maxRetries') && tables.some((item) => item.label === 'users'), 'keys and tables are offered');
    for (const items of [keys, tables]) {
      assert.deepEqual(snippetItems(items), []);
      assert.deepEqual(snippetSyntax(items), []);
    }
    const conflicts = keys.find((item) => item.label === 'conflicts');
    assert.equal(conflicts?.insertText, '"conflicts": {}');
    assert.equal(tables.find((item) => item.label === 'users')?.insertText, '"users": {}');
  });

  test('code lens titles are plain text', async () => {
    const uri = lsp.session.open(join(lsp.app.dir, 'queries', 'lenses.sql'), query);
    await lsp.session.diagnostics(uri);
    assert.deepEqual(
      (await lsp.session.codeLenses(uri)).map((lens) => lens.command?.title),
      ['app.db — change…', 'Run', 'Run (writes the database…)', 'Run'],
    );
    const unbound = lsp.session.open(join(lsp.app.dir, 'queries', 'unbound.sql'), 'SELECT 1;');
    assert.deepEqual(
      (await lsp.session.codeLenses(unbound)).map((lens) => lens.command?.title),
      ['Bind to a database…'],
    );
  });
});

describe('language server in a client that declares snippets and codicon titles (VS Code)', () => {
  const lsp = appFolderServer({ initializationOptions: { codiconTitles: true }, capabilities: vscodeLikeCapabilities });

  test('completions use snippets and lens titles carry icons', async () => {
    const text = ['-- synclens: db=../app.db', 'SELECT 1;', 'SELECT '].join('\n');
    const uri = lsp.session.open(join(lsp.app.dir, 'queries', 'vscode.sql'), text);
    const jsonExtract = (await lsp.session.completions(uri, 2, 7)).find((item) => item.label === 'json_extract');
    assert.equal(jsonExtract?.insertText, 'json_extract($0)');
    assert.equal(jsonExtract?.insertTextFormat, InsertTextFormat.Snippet);
    const config = lsp.session.open(join(lsp.app.dir, 'synclens.json'), ['{', '  ', '}'].join('\n'));
    const conflicts = (await lsp.session.completions(config, 1, 2)).find((item) => item.label === 'conflicts');
    assert.equal(conflicts?.insertText, '"conflicts": {$0}');
    assert.equal(conflicts?.insertTextFormat, InsertTextFormat.Snippet);
    await lsp.session.diagnostics(uri);
    assert.deepEqual(
      (await lsp.session.codeLenses(uri)).map((lens) => lens.command?.title),
      ['$(database) app.db — change…', '$(play) Run', '$(play) Run'],
    );
  });
});
