// The language server on synclens.json's queue.kind: its values completed from the schema, a kind
// whose tables the configured database lacks reported on the value (the same message the CLI
// gives, core/queue/detect.ts), a misspelt kind with its did-you-mean, and views offered as entity
// keys (PowerSync's entities are views).
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { before, describe, test } from 'node:test';
import { appFolderServer } from './fixture';

describe('language server: synclens.json queue.kind', () => {
  const lsp = appFolderServer();
  let uri: string;

  before(() => {
    uri = lsp.session.open(join(lsp.app.dir, 'synclens.json'), '{}');
  });

  test('completes the queue kinds', async () => {
    const text = ['{', '  "queue": { "kind": "" }', '}'].join('\n');
    lsp.session.change(uri, text);
    const kinds = (await lsp.session.completions(uri, 1, 23)).map((item) => item.label);
    assert.deepEqual(kinds, ['"table"', '"firestore-sdk"', '"powersync"', '"brick"']);
  });

  test('a kind whose tables the database lacks is an error on the kind; a misspelt one says what was meant', async () => {
    lsp.session.change(uri, ['{', '  "databases": ["*.db"],', '  "queue": { "kind": "powersync" }', '}'].join('\n'));
    const missing = await lsp.session.diagnostics(uri, (found) => found.length > 0);
    assert.deepEqual(
      missing.map((diagnostic) => [diagnostic.range.start.line, diagnostic.range.start.character, diagnostic.message]),
      [[2, 21, 'queue.kind is "powersync" but the database has no PowerSync upload queue (a table ps_crud with a data column): remove "kind" to detect the queue, or name the kind of queue this database holds']],
    );
    lsp.session.change(uri, ['{', '  "queue": { "kind": "powersinc" }', '}'].join('\n'));
    const misspelt = await lsp.session.diagnostics(uri, (found) => found.some((diagnostic) => diagnostic.message.includes('powersinc') || diagnostic.message.includes('did you mean')));
    assert.deepEqual(misspelt.map((diagnostic) => diagnostic.message), ['"queue.kind" must be one of "table", "firestore-sdk", "powersync", "brick" (did you mean "powersync"?)']);
  });

  test('views are offered as entity keys', async () => {
    lsp.session.change(uri, ['{', '  "entities": {', '    ', '  }', '}'].join('\n'));
    const labels = (await lsp.session.completions(uri, 2, 4)).map((item) => item.label);
    assert.ok(labels.includes('unsynced_users') && labels.includes('users'), labels.join(','));
  });
});
