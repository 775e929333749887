// synclens.json's "databases" globs: what the schema promises (relative to the file, `*` within a
// folder, `**` across folders), the shell forms users write, and patterns from a hostile repository
// that must neither hang the language server nor expand without bound.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatConfigProblem } from '../../../core/config/config';
import { compileDatabaseGlob, matchesDatabaseGlobs, maxBraceExpansions, maxGlobLength } from '../../../core/config/databaseGlobs';
import { checkConfigText } from '../../../core/config/validate';
import { outputOfProbe, repoRoot } from './childProbe';

function matches(glob: string, relativePath: string): boolean {
  return compileDatabaseGlob(glob).test(relativePath);
}

describe('database globs', () => {
  test('with no synclens.json, the defaults take SQLite files and the Firestore Android SDK cache, whose name has no extension', () => {
    for (const file of [
      'app.db',
      'data/app.sqlite',
      'x.sqlite3',
      'x.db3',
      'android/databases/firestore.%5BDEFAULT%5D.my-app.%28default%29',
      'firestore.other-app.my-app.%28default%29',
      'firestore.%5BDEFAULT%5D.my-app.reports',
    ]) {
      assert.equal(matchesDatabaseGlobs(null, file), true, file);
    }
    for (const file of ['firestore.rules', 'firestore.indexes.json', 'app.db-wal', 'notes.txt']) {
      assert.equal(matchesDatabaseGlobs(null, file), false, file);
    }
  });

  test('* stays within a folder, ** crosses folders (none included)', () => {
    assert.equal(matches('*.db', 'app.db'), true);
    assert.equal(matches('*.db', 'sub/app.db'), false);
    assert.equal(matches('**/*.db', 'app.db'), true);
    assert.equal(matches('**/*.db', 'a/b/c/app.db'), true);
    assert.equal(matches('data/**/*.sqlite', 'data/x.sqlite'), true);
    assert.equal(matches('data/**/*.sqlite', 'data/a/b/x.sqlite'), true);
    assert.equal(matches('data/**/*.sqlite', 'other/x.sqlite'), false);
    assert.equal(matches('data/**', 'data/a/b.db'), true);
  });

  test('?, {a,b} and a leading ./ as before; dot files and folders match like any other', () => {
    assert.equal(matches('app?.db', 'app1.db'), true);
    assert.equal(matches('app?.db', 'app.db'), false);
    assert.equal(matches('*.{db,sqlite}', 'x.sqlite'), true);
    assert.equal(matches('*.{db,sqlite}', 'x.sqlite3'), false);
    assert.equal(matches('./*.db', 'app.db'), true);
    assert.equal(matches('*.db', '.cache.db'), true);
    assert.equal(matches('**/*.db', '.dart_tool/app.db'), true);
  });

  test('a leading ! or # is part of the name: a list of globs has no exclusions or comments', () => {
    assert.equal(matches('!app.db', 'other.db'), false);
    assert.equal(matches('!app.db', '!app.db'), true);
    assert.equal(matches('#app.db', '#app.db'), true);
  });

  test('a pattern of many stars against a long name is refused at once, not by backtracking', { timeout: 90_000 }, async () => {
    // A regular expression built from this glob (`[^/]*a[^/]*a...b`) tries every way to split the
    // name between the stars: 40 characters took 1.8 s, 60 took 35 s. Run in a child process so
    // that a hang ends as a failure here instead of blocking the test runner.
    const output = await outputOfProbe(
      [
        `import { matchesDatabaseGlobs } from ${JSON.stringify(join(repoRoot, 'core/config/databaseGlobs'))};`,
        `const loaded = { path: '/w/synclens.json', config: { databases: ['*a*a*a*a*a*a*a*b'] } };`,
        `process.stdout.write(String(matchesDatabaseGlobs(loaded, '/w/' + 'a'.repeat(100) + '.sqlite')));`,
      ].join('\n'),
      60_000,
    );
    assert.equal(output, 'false');
  });

  test('{a,b} alternatives that multiply past a few hundred patterns are a config problem, and match within that bound', () => {
    const text = `{\n  "databases": ["*.db", "${'{a,b}'.repeat(18)}.db"]\n}`;
    assert.deepEqual(checkConfigText(text, 'synclens.json').problems.map(formatConfigProblem), [
      `synclens.json:2:25: "databases[1]" expands to more than ${maxBraceExpansions} patterns: use fewer {a,b} alternatives`,
    ]);
    // The language server still matches with such a config open in the editor: bounded, not 2^18 patterns.
    assert.equal(matches('{a,b}'.repeat(18), 'a'.repeat(18)), true);
    assert.equal(checkConfigText('{ "databases": ["{a,b}{c,d}{e,f}{g,h}.db"] }', 'synclens.json').problems.length, 0);
  });

  test('a glob longer than any path is a config problem and matches nothing', () => {
    const long = 'x'.repeat(maxGlobLength + 1);
    assert.deepEqual(checkConfigText(`{ "databases": ["${long}"] }`, 'synclens.json').problems.map(formatConfigProblem), [
      `synclens.json:1:17: "databases[0]" is ${maxGlobLength + 1} characters long: a glob has at most ${maxGlobLength}`,
    ]);
    assert.equal(matches(long, long), false);
    // Past minimatch's own limit (64 KiB) it would throw; it never gets there.
    assert.equal(matches('y'.repeat(70_000), 'y'), false);
  });
});
