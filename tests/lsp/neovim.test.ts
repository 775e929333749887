// The language server driven by a real Neovim (Debian's package, headless; scripts/setup.ts installs
// it for `npm test`), with Neovim's own client capabilities (no snippetSupport) and no SyncLens
// initializationOptions beyond a debounce no test waits out: so diagnostics can only arrive if an
// open is checked at once. tests/lsp/neovim/init.lua records what the editor received.
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { RunStatementResult } from '../../core/protocol/languageServer';
import { makeAppFolder } from './fixture';
import { serverPath } from './lspClient';

interface NeovimRecord {
  nvim: { major: number; minor: number; patch: number };
  errors: string[];
  capabilities_sent: { snippetSupport?: boolean };
  first_diagnostics_ms: number;
  diagnostics: { message: string; range: { start: { line: number } } }[];
  completion: { label: string; insertText: string | null; insertTextFormat: number | null; newText: string | null }[];
  lens_titles: string[];
  run: RunStatementResult;
  second_diagnostics_ms: number;
  second_diagnostics: { message: string }[];
}

function nvimVersion(): string {
  try {
    return execFileSync('nvim', ['--version'], { encoding: 'utf8' }).split('\n')[0];
  } catch {
    throw new Error('nvim is not installed: run `node --import tsx scripts/setup.ts` (it installs Debian\'s neovim package)');
  }
}

test('Neovim: first diagnostics without the debounce, plain completions and lens titles, the Run lens through the documented request', { timeout: 30_000 }, async (t) => {
  t.diagnostic(nvimVersion());
  const app = makeAppFolder();
  t.after(app.cleanup);
  const queries = join(app.dir, 'queries');
  mkdirSync(queries);
  const first = join(queries, 'first.sql');
  const second = join(queries, 'second.sql');
  writeFileSync(first, ['-- synclens: db=../app.db', 'SELECT "email" FROM users ORDER BY id;', 'SELECT emial FROM users;', 'SELECT '].join('\n'));
  writeFileSync(second, '-- synclens: db=../app.db\nSELECT nope FROM users;\n');
  const out = join(app.dir, 'nvim.json');
  const env = {
    ...process.env,
    SYNCLENS_SERVER: serverPath,
    SYNCLENS_SQL: first,
    SYNCLENS_SQL_2: second,
    SYNCLENS_NVIM_OUT: out,
    SYNCLENS_DIAGNOSTICS_DELAY_MS: '600000',
    // Neovim's LSP log, shada and state go to the scratch folder, not the user's home.
    XDG_CACHE_HOME: join(app.dir, '.nvim'),
    XDG_STATE_HOME: join(app.dir, '.nvim'),
    XDG_DATA_HOME: join(app.dir, '.nvim'),
  };
  await new Promise<void>((resolve, reject) => {
    execFile('nvim', ['--headless', '--clean', '-i', 'NONE', '-u', join(__dirname, 'neovim', 'init.lua')], { env, cwd: app.dir, timeout: 25_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`nvim failed: ${error.message}\n${stdout}\n${stderr}`)) : resolve(),
    );
  });
  const record = JSON.parse(readFileSync(out, 'utf8')) as NeovimRecord;
  assert.deepEqual(record.errors, []);
  t.diagnostic(`first diagnostics ${record.first_diagnostics_ms.toFixed(0)} ms after didOpen (cold worker), second file ${record.second_diagnostics_ms.toFixed(0)} ms`);

  assert.equal(record.capabilities_sent.snippetSupport, false, "Neovim's client does not declare snippets");
  assert.deepEqual(
    record.diagnostics.map((diagnostic) => [diagnostic.range.start.line, diagnostic.message]),
    [
      [2, 'no such column: emial'],
      [3, 'incomplete input'],
    ],
  );
  assert.deepEqual(record.second_diagnostics.map((diagnostic) => diagnostic.message), ['no such column: nope']);

  assert.ok(record.completion.length > 100, `completions are offered (${record.completion.length})`);
  assert.deepEqual(record.completion.filter((item) => item.insertTextFormat === 2).map((item) => item.label), [], 'no snippet items');
  assert.deepEqual(record.completion.filter((item) => /\$\d|\$\{\d/.test(item.insertText ?? item.newText ?? '')).map((item) => item.label), []);
  assert.equal(record.completion.find((item) => item.label === 'json_extract')?.insertText, 'json_extract(');

  assert.deepEqual(record.lens_titles, ['app.db — change…', 'Run', 'Run', 'Run']);
  assert.equal(record.run.kind, 'rows', JSON.stringify(record.run));
  assert.ok(record.run.kind === 'rows');
  assert.deepEqual(record.run.rows, [['ada@example.com'], ['bob@example.com'], ['cy@example.com']]);
});
