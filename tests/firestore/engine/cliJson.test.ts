// Every sync command's `--json` through the BUILT CLI (dist/cli.js) against the real emulator seeded
// with the sample workspace, each stdout validated against schemas/cli-output.schema.json: a field
// added to or renamed in a result without the schema following fails here.
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe } from 'node:test';
import { resultFormats } from '../../../core/cli/output';
import { seedEmulator } from '../../../sample-workspace/seed-emulator';
import { firestoreTest } from '../helpers/emulator';
import { scratchDir, sqlite3 } from '../../helpers/sqliteCli';
import { buildOnce, runCli, sampleDir, type CliRun } from '../../unit/cli/cliProcess';
import { assertCliJson } from '../../unit/cli/cliSchema';

before(() => buildOnce());

interface Planned {
  classification: string;
  remote: { data: Record<string, unknown> } | null;
}

/** Exit status and empty stderr (no progress line with --json), then the validated result. */
function result(run: CliRun, statuses: readonly number[], definition: keyof typeof resultFormats): Record<string, unknown> {
  assert.ok(statuses.includes(run.status ?? -1), `exit ${run.status}, expected ${statuses.join(' or ')}; stderr: ${run.stderr}`);
  assert.equal(run.stderr, '');
  // SDK value classes must never show through with their own toJSON shapes.
  assert.doesNotMatch(run.stdout, /firestore\/timestamp|firestore\/bytes/);
  return assertCliJson(run.stdout, definition, resultFormats[definition]);
}

describe('--json of plan, replay, pull, conflicts and resolve', () => {
  firestoreTest('the seeded sample: every result follows the schema', async ({ target }) => {
    const { dir, cleanup } = scratchDir('synclens-cli-json-');
    try {
      const path = join(dir, 'app.db');
      copyFileSync(join(sampleDir, 'app.db'), path);
      const seeded = await seedEmulator(path, target);
      const remote = ['--emulator', `${target.host}:${target.port}`, '--project', target.projectId, '--json'];
      const cli = (command: string, ...args: string[]): CliRun => runCli([command, path, ...remote, ...args]);
      const expectedTarget = { kind: 'emulator', host: target.host, port: target.port, projectId: target.projectId };

      const plan = result(cli('plan'), [0], 'plan');
      assert.deepEqual(plan.target, expectedTarget);
      const operations = plan.operations as Planned[];
      for (const classification of ['apply', 'already-applied', 'conflict', 'remote-missing', 'blocked']) {
        assert.ok(operations.some((entry) => entry.classification === classification), `plan shows ${classification}`);
      }
      const remoteData = operations.find((entry) => entry.remote !== null)?.remote?.data;
      assert.match(JSON.stringify(remoteData), /\{"\$timestamp":"\d{4}-\d\d-\d\dT[\d:.]+Z"\}/, 'remote Timestamps as $timestamp');

      const dryReplay = result(cli('replay', '--dry-run'), [0], 'replayDryRun');
      assert.deepEqual(dryReplay.totals, plan.totals);

      const conflicts = result(cli('conflicts'), [0], 'conflicts');
      const conflictIds = (conflicts.conflicts as { entityId: string }[]).map((conflict) => conflict.entityId);
      assert.ok(conflictIds.length >= 3, `conflicts: ${conflictIds.join(', ')}`);

      const dryResolve = result(cli('resolve', '--strategy', 'local', '--dry-run'), [0], 'resolveDryRun');
      assert.equal(dryResolve.strategy, 'local');
      assert.deepEqual((dryResolve.conflicts as { entityId: string }[]).map((conflict) => conflict.entityId), conflictIds);

      const [first] = conflictIds;
      const resolved = result(cli('resolve', '--strategy', 'local', '--only', first as string), [0], 'resolve');
      assert.deepEqual(
        (resolved.results as { entityId: string; ok: boolean; applied: string }[]).map(({ entityId, ok, applied }) => ({ entityId, ok, applied })),
        [{ entityId: first, ok: true, applied: 'local' }],
      );
      assert.equal(typeof resolved.backupPath, 'string');

      const replay = result(cli('replay'), [0, 1], 'replay');
      assert.ok((replay.results as unknown[]).length > 0);
      assert.equal((replay.counts as Record<string, number>).failed, 0);

      const dryPull = result(cli('pull', '--dry-run'), [0, 1], 'pull');
      assert.equal(dryPull.dryRun, true);
      assert.equal(dryPull.backupPath, null);
      const pull = result(cli('pull'), [0, 1], 'pull');
      assert.equal(pull.dryRun, false);
      assert.ok((pull.applied as number) >= seeded.remoteEdits.length);
      assert.equal(sqlite3(path, 'PRAGMA integrity_check;').trim(), 'ok');

      // Errors: the error shape on stdout, one line on stderr, exit 2.
      const notSqlite = join(dir, 'notes.db');
      writeFileSync(notSqlite, 'just some text, certainly not a SQLite database header\n'.repeat(4));
      for (const [run, code] of [
        [runCli(['plan', notSqlite, ...remote]), 'not-sqlite'],
        [cli('replay', '--batch-size', '0'), 'bad-option'],
        [cli('resolve', '--strategy', 'newest'), 'bad-option'],
      ] as const) {
        assert.equal(run.status, 2, run.stderr);
        assert.equal(run.stderr.trim().split('\n').length, 1, run.stderr);
        const error = assertCliJson(run.stdout, 'error', null);
        assert.equal((error.error as { code: string }).code, code);
      }
    } finally {
      cleanup();
    }
  }, { timeout: 240_000 });
});
