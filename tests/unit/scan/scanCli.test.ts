// `synclens scan` through the built CLI: --json against schemas/cli-output.schema.json, --fail-on's
// exit codes, and the readable report, which names every finding without printing a secret.
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { resultFormats } from '../../../core/cli/output';
import { scratchDir } from '../../helpers/sqliteCli';
import { assertCliJson, isValid } from '../cli/cliSchema';
import { buildOnce, runCli } from '../cli/cliProcess';
import { expectedFindings, planted, writePlantedDatabase } from './plantedSecrets';

before(() => buildOnce());

const nowIso = '2026-01-15T12:00:00Z';

describe('synclens scan', () => {
  const scratch = scratchDir('synclens-scan-cli-');
  after(() => scratch.cleanup());
  const path = writePlantedDatabase(scratch.dir);

  test('--json follows the schema and lists every planted finding', () => {
    const run = runCli(['scan', path, '--json', '--now', nowIso]);
    assert.equal(run.status, 0, run.stderr);
    const report = assertCliJson(run.stdout, 'scan', resultFormats.scan);
    const findings = report.findings as Array<{ kind: string; severity: string }>;
    assert.equal(new Set(findings.map((finding) => `${finding.kind}/${finding.severity}`)).size, new Set(expectedFindings.map((finding) => `${finding.kind}/${finding.severity}`)).size);
    for (const secret of [planted.stripeLiveKey, planted.githubToken, planted.validJwt, planted.plainPassword]) assert.ok(!run.stdout.includes(secret));

    const added = JSON.parse(run.stdout) as Record<string, unknown>;
    (added.findings as Array<Record<string, unknown>>)[0]!.value = 'x';
    assert.equal(isValid('scan', added), false, 'a finding cannot carry the value');
    const badKind = JSON.parse(run.stdout) as { findings: Array<Record<string, unknown>> };
    badKind.findings[0]!.kind = 'uuid';
    assert.equal(isValid('scan', badKind), false, 'a kind outside the enum');
  });

  test('--fail-on sets the exit code by the most severe finding', () => {
    assert.equal(runCli(['scan', path, '--fail-on', 'error', '--now', nowIso]).status, 1);
    const clean = runCli(['scan', 'sample-workspace/app.db', '--fail-on', 'warning']);
    assert.equal(clean.status, 0, clean.stderr);
    assert.equal(runCli(['scan', 'sample-workspace/app.db', '--fail-on', 'info']).status, 1, 'its emails are info');
    const bad = runCli(['scan', path, '--json', '--fail-on', 'high']);
    assert.equal(bad.status, 2);
    assert.match(bad.stderr, /--fail-on expects info, warning or error, got "high"/);
    assertCliJson(bad.stdout, 'error', null);
  });

  test('the readable report names where and why, with previews only', () => {
    const run = runCli(['scan', path, '--now', nowIso]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stdout, /15 rows in 6 tables scanned: 16 errors, 3 warnings, 7 info/);
    assert.match(run.stdout, /ERROR {3}password {2}sync_operations\.payload \$\.user\.password \(rowid 1\) {2}corr… \(21 chars\)/);
    assert.match(run.stdout, /cloud-key {2}kv\.v \(k="stripe", n=1\)/);
    for (const secret of [planted.stripeLiveKey, planted.githubToken, planted.validJwt, planted.plainPassword, planted.privateKey]) assert.ok(!run.stdout.includes(secret));
  });
});
