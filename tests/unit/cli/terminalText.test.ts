// Text mode never hands a terminal the characters that reorder or hide what it shows; --json keeps
// the exact strings. The database is written by the real sqlite3 CLI with hostile table names and cells.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { inspect } from '../../../core/cli/inspect';
import { printable, printableLines, type OutputStreams } from '../../../core/cli/output';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';

const bidiAndFormat = ['\u202e', '\u202a', '\u202b', '\u202c', '\u202d', '\u2066', '\u2067', '\u2068', '\u2069', '\u200e', '\u200f', '\u061c'];
const invisible = ['\u200b', '\u2060', '\ufeff', '\u00ad', '\u2028', '\u2029', '\u{e0041}'];

/** Every character a terminal could be steered or fooled by: none may appear in text output. */
// eslint-disable-next-line no-control-regex -- the test names the control characters it forbids
const steering = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200b\u200e\u200f\u202a-\u202e\u2060\u2066-\u2069\u2028\u2029\ufeff\u00ad]|\u{e0041}/u;

function capture(): { streams: OutputStreams; stdout: string[] } {
  const stdout: string[] = [];
  return { streams: { stdout: (text) => void stdout.push(text), stderr: () => undefined }, stdout };
}

describe('terminal text escapes bidi controls and other format characters', () => {
  test('each bidi override, isolate and mark is shown as its escape', () => {
    for (const character of bidiAndFormat) {
      const shown = printable(`a${character}b`);
      assert.equal(shown, `a\\u${character.codePointAt(0)?.toString(16).padStart(4, '0')}b`, `U+${character.codePointAt(0)?.toString(16)}`);
    }
  });

  test('zero-width, invisible and separator characters are escaped too; a tag character by its code point', () => {
    assert.equal(printable('x\u200by\u2060z\ufeff'), 'x\\u200by\\u2060z\\ufeff');
    assert.equal(printable('line\u2028sep\u2029'), 'line\\u2028sep\\u2029');
    assert.equal(printable('hidden\u{e0041}'), 'hidden\\u{e0041}');
    assert.equal(printable('lone \ud800 surrogate'), 'lone \\ud800 surrogate');
  });

  test('ordinary text, emoji sequences (ZWJ) and scripts that need ZWNJ are left alone', () => {
    for (const text of ['café ✓ 表', 'עברית العربية', '👩‍💻 dev', 'می‌خواهم']) assert.equal(printable(text), text);
  });

  test("a report's own newlines stay, anything else on a line is escaped", () => {
    assert.equal(printableLines('one\u202e\ntwo\u001b[2J\n'), 'one\\u202e\ntwo\\u001b[2J\n');
  });

  describe('synclens inspect on a database with hostile names and cells', () => {
    let dir: string;
    let cleanup: () => void;
    let db: string;
    const hostileTable = `invoices${invisible[0]}\u202egnp.exe`;

    before(() => {
      ({ dir, cleanup } = scratchDir());
      db = join(dir, 'hostile.db');
      sqlite3(
        db,
        `CREATE TABLE "${hostileTable}"(id INTEGER PRIMARY KEY, note TEXT);
         INSERT INTO "${hostileTable}"(note) VALUES ('ok');
         CREATE TABLE sync_operations(id INTEGER PRIMARY KEY, entityType TEXT, entityId TEXT, operation TEXT, payload TEXT, createdAt INTEGER, retryCount INTEGER);
         CREATE TABLE "tab\u2066le\u2069\u200f"(x);`,
      );
    });
    after(() => cleanup());

    test('text mode escapes them', async () => {
      const out = capture();
      assert.equal(await inspect(db, { config: false, now: '2026-11-24T12:00:00Z' }, out.streams), 0);
      const text = out.stdout.join('');
      assert.doesNotMatch(text, steering);
      assert.match(text, /invoices\\u200b\\u202egnp\.exe/);
      assert.match(text, /tab\\u2066le\\u2069\\u200f/);
    });

    test('--json keeps the exact names', async () => {
      const out = capture();
      assert.equal(await inspect(db, { json: true, config: false, now: '2026-11-24T12:00:00Z' }, out.streams), 0);
      const report = JSON.parse(out.stdout.join('')) as { tables: { name: string }[] };
      const names = report.tables.map((table) => table.name);
      assert.ok(names.includes(hostileTable), names.join(', '));
      assert.ok(names.includes('tab\u2066le\u2069\u200f'));
    });
  });
});
