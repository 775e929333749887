import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { formatAge, parseNow } from '../../../core/cli/inspect';
import { CliInputError, describeFailure, formatErrorLine, oneLine, printable, reportFailure, type OutputStreams } from '../../../core/cli/output';
import { DatabaseFileError } from '../../../core/db/errors';

function capture(): { streams: OutputStreams; stdout: string[]; stderr: string[] } {
  const stdout: string[] = [];
  const stderr: string[] = [];
  return { streams: { stdout: (text) => void stdout.push(text), stderr: (text) => void stderr.push(text) }, stdout, stderr };
}

describe('CLI output conventions', () => {
  test('a message never spans lines and control characters are escaped', () => {
    assert.equal(oneLine('  first\nsecond\r\n\tthird  '), 'first second third');
    assert.equal(printable('evil\u001b[2Jname\u0007'), 'evil\\u001b[2Jname\\u0007');
    assert.equal(printable('café ✓ 表'), 'café ✓ 表');
    assert.equal(
      formatErrorLine({ file: 'dir/a\nb.db', message: 'is\u001b[31m bad\nreally' }),
      'synclens: dir/a b.db: is\\u001b[31m bad really',
    );
    assert.equal(formatErrorLine({ file: undefined, message: 'unknown command' }), 'synclens: unknown command');
  });

  test('a database file error keeps its code, names the file as typed, and is bad input', () => {
    const error = new DatabaseFileError('truncated', '/abs/app.db', '/abs/app.db: app.db is truncated');
    assert.deepEqual(describeFailure(error, 'app.db'), { code: 'truncated', message: 'app.db is truncated', file: 'app.db', exitCode: 2 });
    assert.equal(describeFailure(error).file, '/abs/app.db');
  });

  test('input errors and unexpected errors', () => {
    assert.deepEqual(describeFailure(new CliInputError('bad-option', '--now is wrong'), 'x.db'), {
      code: 'bad-option',
      message: '--now is wrong',
      file: 'x.db',
      exitCode: 2,
    });
    const internal = describeFailure(new TypeError('boom'), 'x.db');
    assert.equal(internal.code, 'internal');
    assert.equal(internal.message, 'internal error: boom');
  });

  test('reportFailure: one stderr line, and the JSON error on stdout only with --json', () => {
    const error = new DatabaseFileError('empty', 'e.db', 'e.db is empty (0 bytes).\nCopy it again.');
    const plain = capture();
    assert.equal(reportFailure(error, { json: false, file: 'e.db' }, plain.streams), 2);
    assert.deepEqual(plain.stderr, ['synclens: e.db: e.db is empty (0 bytes). Copy it again.\n']);
    assert.deepEqual(plain.stdout, []);

    const json = capture();
    reportFailure(error, { json: true, file: 'e.db' }, json.streams);
    assert.equal(json.stderr.length, 1);
    assert.deepEqual(JSON.parse(json.stdout.join('')), { error: { code: 'empty', message: 'e.db is empty (0 bytes). Copy it again.' } });
  });
});

describe('inspect helpers', () => {
  test('--now takes full ISO-8601 instants only', () => {
    assert.equal(parseNow('2026-11-24T12:00:00Z'), Date.UTC(2026, 10, 24, 12));
    assert.equal(parseNow('2026-11-24T13:00:00.500+01:00'), Date.UTC(2026, 10, 24, 12, 0, 0, 500));
    for (const bad of ['2026-11-24', 'yesterday', '2026-13-45T99:00:00Z', '1795521600000']) {
      assert.throws(() => parseNow(bad), (error: unknown) => error instanceof CliInputError && error.code === 'bad-option', bad);
    }
    const before = Date.now();
    const now = parseNow(undefined);
    assert.ok(now >= before && now <= Date.now());
  });

  test('ages read as the two largest units', () => {
    assert.equal(formatAge(0), '0s');
    assert.equal(formatAge(12_400), '12s');
    assert.equal(formatAge(4 * 60_000 + 2_000), '4m 2s');
    assert.equal(formatAge(5 * 3_600_000 + 10 * 60_000 + 59_000), '5h 10m');
    assert.equal(formatAge(4 * 86_400_000), '4d');
    assert.equal(formatAge(3 * 86_400_000 + 2 * 3_600_000 + 5_000), '3d 2h');
    assert.equal(formatAge(-90_000), '1m 30s in the future');
  });
});
