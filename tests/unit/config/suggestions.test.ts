// "Did you mean ...?" for a misspelt table or column: the language server runs it on every
// synclens.json check against the configured databases, so a hostile key must not make it crawl.
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { closest, closestNames } from '../../../core/config/suggestions';
import { outputOfProbe, repoRoot } from './childProbe';

describe('closest name', () => {
  test('within two edits or a third of the length, case aside; none past that', () => {
    assert.equal(closest('outbx', ['outbox', 'users']), 'outbox');
    assert.equal(closest('USERS', ['outbox', 'users']), 'users');
    assert.equal(closest('peple', ['people', 'posts']), 'people');
    assert.equal(closest('nope', ['prefs', 'changed']), null);
    assert.equal(closest('synchronisation_state', ['synchronization_state_v2']), 'synchronization_state_v2');
  });

  test('closestNames: the near ones, closest first, each name once, never the word itself', () => {
    assert.deepEqual(closestNames('emial', ['id', 'email', 'name', 'emal', 'EMAIL', 'emails'], 3), ['emal', 'email']);
    assert.deepEqual(closestNames('user', ['users', 'posts', 'user_prefs', 'sync_state'], 3), ['users']);
    assert.deepEqual(closestNames('titel', ['title', 'tile', 'tilt', 'total'], 2), ['title', 'tile'], 'ties keep the order of the candidates');
    assert.deepEqual(closestNames('zzzzzzzz', ['users', 'email'], 3), []);
    assert.deepEqual(closestNames('x'.repeat(400_000), ['table_1', 'table_2'], 3), []);
  });

  test('a 400,000-character key against 1,000 table names ends at once', { timeout: 90_000 }, async () => {
    // Every edit distance of that key to each name cost 400,000 x 10 steps: about two minutes in all.
    // A distance is at least the difference in length, which rules every name out first.
    const output = await outputOfProbe(
      [
        `import { closest } from ${JSON.stringify(join(repoRoot, 'core/config/suggestions'))};`,
        `const names = Array.from({ length: 1000 }, (_, index) => 'table_' + index);`,
        `process.stdout.write(String(closest('x'.repeat(400_000), names)));`,
      ].join('\n'),
      60_000,
    );
    assert.equal(output, 'null');
  });
});
