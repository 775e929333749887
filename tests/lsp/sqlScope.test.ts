// The server's own SQL analysis, in-process: tokenizer, statement splitting, table scope and the
// cursor contexts completion relies on.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { analyzeCursor, tableReferences } from '../../language-server/sql/scope';
import { writeTarget } from '../../language-server/sql/sqlFeatures';
import { splitStatements } from '../../language-server/sql/statements';
import { identifierName, tokenize } from '../../language-server/sql/tokenizer';

describe('SQL tokenizer', () => {
  test('keeps strings, quoted identifiers, comments and operators whole', () => {
    const tokens = tokenize(`SELECT 'it''s', "a""b", [c d], \`e\`, x'00ff', 1.5e-3 -- note\n/* block */ a->>'$.x' || :name;`);
    assert.deepEqual(
      tokens.map((token) => [token.kind, token.text]),
      [
        ['word', 'SELECT'],
        ['string', "'it''s'"],
        ['punctuation', ','],
        ['quoted', '"a""b"'],
        ['punctuation', ','],
        ['quoted', '[c d]'],
        ['punctuation', ','],
        ['quoted', '`e`'],
        ['punctuation', ','],
        ['string', "x'00ff'"],
        ['punctuation', ','],
        ['number', '1.5e-3'],
        ['comment', '-- note'],
        ['comment', '/* block */'],
        ['word', 'a'],
        ['operator', '->>'],
        ['string', "'$.x'"],
        ['operator', '||'],
        ['parameter', ':name'],
        ['punctuation', ';'],
      ],
    );
    assert.equal(identifierName(tokens[3]), 'a"b');
    assert.equal(identifierName(tokens[5]), 'c d');
  });

  test('marks an unterminated string', () => {
    const [, string] = tokenize("SELECT 'abc");
    assert.equal(string.unterminated, true);
  });
});

describe('statement splitting', () => {
  test('splits at ; outside strings, comments and trigger bodies', () => {
    const text = [
      "SELECT ';' FROM t; -- a; comment",
      'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; DELETE FROM u; END;',
      '/* ; */ SELECT 2',
    ].join('\n');
    const statements = splitStatements(text);
    assert.deepEqual(
      statements.map((statement) => statement.text),
      ["SELECT ';' FROM t", 'CREATE TRIGGER tr AFTER INSERT ON t BEGIN UPDATE t SET x = CASE WHEN 1 THEN 2 END; DELETE FROM u; END', 'SELECT 2'],
    );
  });

  test('a comment-only document has no statements', () => {
    assert.deepEqual(splitStatements('-- synclens: db=app.db\n/* nothing */\n'), []);
  });
});

describe('table scope', () => {
  const references = (sql: string): [string, string | null][] =>
    tableReferences(splitStatements(sql)[0].tokens).map((reference) => [reference.table, reference.alias]);

  test('FROM lists, joins, aliases with and without AS, schema-qualified and quoted names', () => {
    assert.deepEqual(references('SELECT * FROM main."users" AS u, posts p LEFT JOIN [sync ops] ON 1 WHERE x = 1'), [
      ['users', 'u'],
      ['posts', 'p'],
      ['sync ops', null],
    ]);
  });

  test('INSERT, UPDATE OR IGNORE and DELETE targets; subquery tables count too', () => {
    assert.deepEqual(references('INSERT OR REPLACE INTO users (a) SELECT a FROM posts'), [
      ['users', null],
      ['posts', null],
    ]);
    assert.deepEqual(references('UPDATE OR IGNORE users SET a = (SELECT b FROM posts WHERE posts.id = 1)'), [
      ['users', null],
      ['posts', null],
    ]);
    assert.deepEqual(references('DELETE FROM users WHERE id IN (SELECT id FROM old_users o)'), [
      ['users', null],
      ['old_users', 'o'],
    ]);
  });

  test('the write target of INSERT/UPDATE/DELETE/REPLACE, also after a WITH clause', () => {
    const target = (sql: string): [string, string] | null => {
      const found = writeTarget(splitStatements(sql)[0]);
      return found && [found.verb, found.table];
    };
    assert.deepEqual(target('UPDATE OR ABORT "users" SET a = 1'), ['UPDATE', 'users']);
    assert.deepEqual(target('WITH x AS (SELECT 1) DELETE FROM main.posts WHERE id IN x'), ['DELETE', 'posts']);
    assert.deepEqual(target('REPLACE INTO sync_state VALUES (1, 2)'), ['REPLACE', 'sync_state']);
    assert.equal(target('WITH x AS (DELETE FROM y) SELECT * FROM x'), null);
    assert.equal(target('SELECT * FROM users'), null);
  });
});

describe('cursor context', () => {
  const at = (textWithCursor: string): ReturnType<typeof analyzeCursor> => {
    const offset = textWithCursor.indexOf('|');
    const text = textWithCursor.replace('|', '');
    return analyzeCursor(tokenize(text), offset);
  };

  test('table after FROM/JOIN, writable table after INTO/UPDATE, columns after a qualifier', () => {
    assert.deepEqual(at('SELECT * FROM |').context, { kind: 'table', writable: false });
    assert.deepEqual(at('SELECT * FROM a JOIN us|').context, { kind: 'table', writable: false });
    assert.equal(at('SELECT * FROM a JOIN us|').prefix?.text, 'us');
    assert.deepEqual(at('INSERT INTO |').context, { kind: 'table', writable: true });
    assert.deepEqual(at('SELECT u.| FROM users u').context, { kind: 'qualified', qualifier: 'u' });
    assert.deepEqual(at('SELECT "my table".em| FROM x').context, { kind: 'qualified', qualifier: 'my table' });
    assert.deepEqual(at('SELECT | FROM users').context, { kind: 'any' });
  });

  test('nothing inside strings, line comments, open block comments and numbers', () => {
    assert.deepEqual(at("SELECT 'ab|c'").context, { kind: 'none' });
    assert.deepEqual(at('SELECT 1 -- FROM |').context, { kind: 'none' });
    assert.deepEqual(at('SELECT /* FROM |').context, { kind: 'none' });
    assert.deepEqual(at('SELECT 12|').context, { kind: 'none' });
    assert.deepEqual(at("SELECT 'abc' |").context, { kind: 'any' });
  });
});
