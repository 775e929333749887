// A synclens.json nested far past what a recursive parser survives (100,000 `[`): completion and
// hover answer with nothing instead of failing the request with a stack overflow, and the server
// still reports the nesting as the config problem it is (core/config/validate.ts nestedTooDeepAt).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { appFolderServer } from './fixture';

describe('language server: a synclens.json nested too deep', () => {
  const lsp = appFolderServer();
  const text = `{\n  "maxRetries": ${'['.repeat(100_000)}\n}`;

  test('completion and hover answer without a stack overflow, and the nesting is a diagnostic', async () => {
    const uri = lsp.session.open(join(lsp.app.dir, 'synclens.json'), text);
    // On a key (line 1, inside "maxRetries") and deep inside the brackets.
    for (const [line, character] of [[1, 5], [1, 50_000]] as const) {
      assert.deepEqual(await lsp.session.completions(uri, line, character), []);
      assert.equal(await lsp.session.connection.sendRequest(HoverRequest.type, { textDocument: { uri }, position: { line, character } }), null);
    }
    const diagnostics = await lsp.session.diagnostics(uri, (found) => found.length > 0);
    assert.ok(diagnostics.some((diagnostic) => /nest/i.test(diagnostic.message)), JSON.stringify(diagnostics.map((d) => d.message)));
    assert.doesNotMatch(lsp.session.stderr(), /Maximum call stack/);
  });
});
