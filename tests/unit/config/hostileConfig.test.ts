// A synclens.json comes with a cloned repository, so it may be hostile: whatever is wrong with it is
// the code 'config' with the file and what is wrong (never 'internal'), and it cannot make the CLI
// read an environment variable that is not SyncLens's own.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { formatConfigProblem, isConfigError, type SyncLensConfig } from '../../../core/config/config';
import { checkConfigAgainstDatabase } from '../../../core/config/databaseCheck';
import { loadConfig } from '../../../core/config/load';
import { firestoreTargetOf, MissingSecretError, passwordEnvPrefix } from '../../../core/config/target';
import { checkConfigText, configJsonSchema, maxNestingDepth } from '../../../core/config/validate';
import { scratchDir } from '../../helpers/sqliteCli';

const repoRoot = join(__dirname, '../../..');

function problemsOf(text: string): string[] {
  return checkConfigText(text, 'synclens.json').problems.map(formatConfigProblem);
}

/** The CLI run from its sources (core/cli/main.ts): its JSON error and everything it printed. */
function cliFails(args: string[], env: Record<string, string> = {}): { code: string; message: string; output: string } {
  const run = spawnSync(process.execPath, ['--import', 'tsx', join(repoRoot, 'core/cli/main.ts'), ...args, '--json'], {
    cwd: repoRoot,
    encoding: 'utf8',
    timeout: 120_000,
    env: { ...process.env, ...env },
  });
  assert.equal(run.status, 2, `exit ${run.status}: ${run.stderr}`);
  const { error } = JSON.parse(run.stdout) as { error: { code: string; message: string } };
  return { ...error, output: run.stdout + run.stderr };
}

const tooDeep = `values nested more than ${maxNestingDepth} levels deep: a synclens.json needs a few (is this the right file?)`;

describe('deeply nested synclens.json', () => {
  test('100,000 [ or {"a": levels get one positioned problem instead of a stack overflow', () => {
    assert.deepEqual(problemsOf('['.repeat(100_000)), [`synclens.json:1:${maxNestingDepth + 1}: ${tooDeep}`]);
    assert.deepEqual(problemsOf(`{\n${'{"a":'.repeat(50_000)}`), [`synclens.json:2:${5 * (maxNestingDepth - 1) + 1}: ${tooDeep}`]);
    // The language server checks names against the database on the same text: nothing to say, no throw.
    assert.deepEqual(checkConfigAgainstDatabase('['.repeat(100_000), 'synclens.json', { tables: [] }), []);
  });

  test(`${maxNestingDepth} levels are only a schema matter, and brackets inside strings or comments do not count`, () => {
    const deepest = `{"databases": ${'['.repeat(maxNestingDepth - 1)}${']'.repeat(maxNestingDepth - 1)}}`;
    assert.deepEqual(problemsOf(deepest), ['synclens.json:1:16: "databases[0]" must be a string']);
    assert.deepEqual(problemsOf(`{"databases": ["${'['.repeat(1000)}"] /* ${'{'.repeat(1000)} */}`), []);
  });

  test('loadConfig and the CLI say config, with the file, line and column', () => {
    const scratch = scratchDir();
    try {
      const config = join(scratch.dir, 'synclens.json');
      writeFileSync(config, '['.repeat(100_000));
      assert.throws(() => loadConfig(config), (error: unknown) => {
        assert.ok(isConfigError(error));
        assert.equal(error.message, `${config}:1:${maxNestingDepth + 1}: ${tooDeep}`);
        return true;
      });
      copyFileSync(join(repoRoot, 'sample-workspace/app.db'), join(scratch.dir, 'app.db'));
      const failure = cliFails(['inspect', join(scratch.dir, 'app.db')]);
      assert.equal(failure.code, 'config');
      assert.match(failure.message, /synclens\.json:1:65: values nested more than 64 levels deep/);
    } finally {
      scratch.cleanup();
    }
  });
});

describe('firestore.auth.passwordEnv names only SYNCLENS_ variables', () => {
  const projectConfig = (passwordEnv: string): string =>
    JSON.stringify({
      firestore: { webConfig: { apiKey: 'AIzaSyExample', projectId: 'someone-elses-app' }, auth: { email: 'dev@example.com', passwordEnv } },
    });

  test('another variable (GITHUB_TOKEN) is a positioned config problem; the schema says the same prefix', () => {
    assert.deepEqual(problemsOf(projectConfig('GITHUB_TOKEN')), [
      'synclens.json:1:134: "firestore.auth.passwordEnv" must name an environment variable that starts with SYNCLENS_ (then letters, digits, _): ' +
        'a synclens.json from someone else could otherwise send any variable, such as GITHUB_TOKEN, to the project it names',
    ]);
    assert.deepEqual(problemsOf(projectConfig('SYNCLENS_MY_APP_PASSWORD')), []);
    assert.equal(problemsOf(projectConfig('SYNCLENS_')).length, 1, 'the prefix alone names no variable');
    const passwordEnv = (configJsonSchema() as { properties: { firestore: { properties: { auth: { properties: { passwordEnv: { pattern: string } } } } } } })
      .properties.firestore.properties.auth.properties.passwordEnv;
    assert.ok(passwordEnv.pattern.startsWith(`^${passwordEnvPrefix}`), passwordEnv.pattern);
  });

  test('firestoreTargetOf does not read such a variable even from a config built in code', () => {
    const config = JSON.parse(projectConfig('GITHUB_TOKEN')) as SyncLensConfig;
    assert.throws(() => firestoreTargetOf(config, { env: { GITHUB_TOKEN: 'ghp_notforsynclens' } }), (error: unknown) => {
      assert.ok(isConfigError(error));
      assert.doesNotMatch(error.message, /ghp_/);
      assert.match(error.message, /passwordEnv" is GITHUB_TOKEN: SyncLens reads the password only from a variable that starts with SYNCLENS_/);
      return true;
    });
  });

  test('a missing password is a config error (with the variable to set), not an internal one', () => {
    const config = JSON.parse(projectConfig('SYNCLENS_MY_APP_PASSWORD')) as SyncLensConfig;
    assert.throws(() => firestoreTargetOf(config, { env: {} }), (error: unknown) => error instanceof MissingSecretError && isConfigError(error));
  });

  test('the CLI refuses the config before anything reads GITHUB_TOKEN, and names SYNCLENS_ for a missing password', () => {
    const scratch = scratchDir();
    try {
      copyFileSync(join(repoRoot, 'sample-workspace/app.db'), join(scratch.dir, 'app.db'));
      writeFileSync(join(scratch.dir, 'synclens.json'), projectConfig('GITHUB_TOKEN'));
      const refused = cliFails(['plan', join(scratch.dir, 'app.db')], { GITHUB_TOKEN: 'ghp_notforsynclens' });
      assert.equal(refused.code, 'config');
      assert.match(refused.message, /synclens\.json:1:134: "firestore\.auth\.passwordEnv" must name an environment variable that starts with SYNCLENS_/);
      assert.doesNotMatch(refused.output, /ghp_notforsynclens/);

      writeFileSync(join(scratch.dir, 'synclens.json'), projectConfig('SYNCLENS_TEST_UNSET_PASSWORD'));
      const missing = cliFails(['plan', join(scratch.dir, 'app.db')]);
      assert.equal(missing.code, 'config');
      assert.equal(missing.message, 'synclens.json signs in as dev@example.com: set the password in the environment variable SYNCLENS_TEST_UNSET_PASSWORD');
    } finally {
      scratch.cleanup();
    }
  });
});
