// What the server takes from initialize: SyncLens's initializationOptions (each checked: a wrong type
// is a logged problem and the default) and the standard capabilities it adapts to.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type { InitializeParams } from 'vscode-languageserver';
import { readClientOptions } from '../../language-server/clientOptions';

const params = (extra: Partial<InitializeParams>): InitializeParams => ({ processId: null, rootUri: null, capabilities: {}, ...extra });

describe('client options', () => {
  test('a client that sends nothing gets the plain-editor defaults', () => {
    assert.deepEqual(readClientOptions(params({ rootUri: 'file:///work/app' })), {
      codiconTitles: false,
      workspaceTrusted: false,
      diagnosticsDelayMs: 250,
      snippets: false,
      codeLensRefresh: false,
      folders: ['/work/app'],
      problems: [],
    });
  });

  test('VS Code: codicons, trust, snippets, lens refresh; every workspace folder, untitled ones left out', () => {
    const options = readClientOptions(
      params({
        initializationOptions: { codiconTitles: true, workspaceTrusted: true, diagnosticsDelayMs: 0 },
        capabilities: { textDocument: { completion: { completionItem: { snippetSupport: true } } }, workspace: { codeLens: { refreshSupport: true } } },
        workspaceFolders: [
          { uri: 'file:///work/a', name: 'a' },
          { uri: 'vscode-vfs://github/x/y', name: 'remote' },
          { uri: 'file:///work/b', name: 'b' },
        ],
      }),
    );
    assert.deepEqual(
      { ...options, problems: options.problems.length },
      { codiconTitles: true, workspaceTrusted: true, diagnosticsDelayMs: 0, snippets: true, codeLensRefresh: true, folders: ['/work/a', '/work/b'], problems: 0 },
    );
  });

  test('wrong types are named and fall back to the defaults', () => {
    const options = readClientOptions(params({ initializationOptions: { workspaceTrusted: 'yes', diagnosticsDelayMs: -5 } }));
    assert.equal(options.workspaceTrusted, false, 'only true trusts');
    assert.equal(options.diagnosticsDelayMs, 250);
    assert.deepEqual(new Set(options.problems), new Set([
      'initializationOptions.workspaceTrusted must be true or false, got "yes": using false',
      'initializationOptions.diagnosticsDelayMs must be a whole number of ms from 0 to 600000, got -5: using 250',
    ]));
    assert.deepEqual(readClientOptions(params({ initializationOptions: [true] })).problems, ['initializationOptions must be an object, got [true]: using the defaults']);
  });
});
