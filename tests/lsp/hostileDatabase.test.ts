// A .sql file bound to something that is not a database file: `-- synclens: db=/dev/zero` (which
// once took the server's worker to 2.6 GB) and a FIFO (which would block a reader that waits for a
// writer). Each gets one diagnostic on the binding line naming what the file is, the server's peak
// memory hardly moves, and the server goes on answering for a real database.
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, test } from 'node:test';
import { appFolderServer } from './fixture';

/** Peak resident memory of a process so far (VmHWM), in bytes. */
function peakRss(pid: number | undefined): number {
  assert.ok(pid, 'the server has a process id');
  const kilobytes = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))?.[1];
  return Number(kilobytes) * 1024;
}

/** The server's whole process (main thread and workers) may not grow its peak by more than this. */
const peakGrowthLimit = 64 * 1024 * 1024;

describe('language server: a .sql file bound to a FIFO or a device', () => {
  // /dev/zero is outside the workspace: only a trusted workspace reads it at all.
  const lsp = appFolderServer({ initializationOptions: { workspaceTrusted: true } });

  test('names /dev/zero and a FIFO on the binding line, keeps its memory, and still serves a real database', { timeout: 120_000 }, async (t) => {
    const queries = join(lsp.app.dir, 'queries');
    // A real database first, so the worker and SQLite are loaded before the peak is taken.
    const typo = lsp.session.open(join(queries, 'real.sql'), '-- synclens: db=../app.db\nSELECT emial FROM users;');
    assert.equal((await lsp.session.diagnostics(typo))[0]?.message, 'no such column: emial');
    const peakBefore = peakRss(lsp.session.pid);

    const zero = lsp.session.open(join(queries, 'zero.sql'), '-- synclens: db=/dev/zero\nSELECT 1;');
    const [zeroDiagnostic, ...zeroRest] = await lsp.session.diagnostics(zero);
    assert.equal(zeroRest.length, 0);
    assert.equal(zeroDiagnostic?.range.start.line, 0);
    assert.match(zeroDiagnostic?.message ?? '', /zero is a character device, not a regular file/);
    assert.equal(zeroDiagnostic?.code, 'unreadable', "the reader's error code comes along");

    execFileSync('mkfifo', [join(lsp.app.dir, 'pipe.db')]);
    const fifo = lsp.session.open(join(queries, 'fifo.sql'), '-- synclens: db=../pipe.db\nSELECT 1;');
    const [fifoDiagnostic, ...fifoRest] = await lsp.session.diagnostics(fifo);
    assert.equal(fifoRest.length, 0);
    assert.equal(fifoDiagnostic?.range.start.line, 0);
    assert.match(fifoDiagnostic?.message ?? '', /pipe\.db is a FIFO \(named pipe\), not a regular file/);
    assert.equal(fifoDiagnostic?.code, 'unreadable');

    const growth = peakRss(lsp.session.pid) - peakBefore;
    t.diagnostic(`server peak RSS grew ${growth} bytes`);
    assert.ok(growth < peakGrowthLimit, `the server's peak RSS grew by ${growth} bytes`);

    // The worker is not stuck on either file: a new statement against the real database is checked.
    lsp.session.change(typo, '-- synclens: db=../app.db\nSELECT nope FROM users;');
    assert.equal((await lsp.session.diagnostics(typo))[0]?.message, 'no such column: nope');
  });
});
