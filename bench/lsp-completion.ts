// Completion latency of the real language server (dist/server.js over stdio) on a synthetic schema
// of 2,000 tables and 40,000 columns, written by the sqlite3 CLI. Goal: under 100 ms. Also: how long
// the first answer takes while the schema loads in the worker, and that the server keeps answering
// (hover on another document) while a large database loads. Prints figures; asserts nothing on time.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { HoverRequest } from 'vscode-languageserver-protocol/node';
import { startServer } from '../tests/lsp/lspClient';

const tableCount = Number(process.env.SYNCLENS_BENCH_TABLES ?? 2000);
const columnsPerTable = 20;
const samples = Number(process.env.SYNCLENS_BENCH_SAMPLES ?? 200);

function createSchema(path: string): void {
  const statements = ['BEGIN;'];
  for (let table = 0; table < tableCount; table++) {
    const columns = Array.from({ length: columnsPerTable }, (_, column) =>
      column === 0 ? '"id" INTEGER PRIMARY KEY' : `"col_${table}_${column}" ${column % 3 === 0 ? 'TEXT' : 'INTEGER'} NOT NULL DEFAULT 0`,
    );
    statements.push(`CREATE TABLE "table_${table}" (${columns.join(', ')});`);
    statements.push(`INSERT INTO "table_${table}" ("id") VALUES (1), (2);`);
  }
  statements.push('COMMIT;');
  execFileSync('sqlite3', [path], { input: statements.join('\n') });
}

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'synclens-bench-lsp-'));
  try {
    const db = join(dir, 'wide.db');
    let started = performance.now();
    createSchema(db);
    console.log(`schema: ${tableCount} tables, ${tableCount * columnsPerTable} columns (sqlite3 wrote it in ${(performance.now() - started).toFixed(0)} ms)`);

    const session = await startServer(dir);
    try {
      const lines = [
        '-- synclens: db=wide.db',
        'SELECT a., b.col_1999_3 FROM table_1000 AS a JOIN table_1999 b ON b.id = a.id;',
        'SELECT  FROM table_5 WHERE id = 1;',
        'SELECT * FROM ',
      ];
      const queryPath = join(dir, 'query.sql');
      writeFileSync(queryPath, lines.join('\n'));
      const uri = session.open(queryPath, lines.join('\n'));
      const complete = async (line: number, character: number): Promise<{ ms: number; count: number }> => {
        const begin = performance.now();
        const items = await session.completions(uri, line, character);
        return { ms: performance.now() - begin, count: items.length };
      };

      // The first request waits for the worker to load the schema; meanwhile the server still answers.
      started = performance.now();
      const first = complete(3, 14);
      const otherUri = session.open(join(dir, 'other.sql'), 'SELECT 1;');
      const hoverStarted = performance.now();
      await session.connection.sendRequest(HoverRequest.type, { textDocument: { uri: otherUri }, position: { line: 0, character: 1 } });
      const hoverMs = performance.now() - hoverStarted;
      const cold = await first;
      console.log(`first completion (schema loaded in the worker meanwhile): ${cold.ms.toFixed(0)} ms, ${cold.count} items`);
      console.log(`a hover on another document while the schema loaded: answered in ${hoverMs.toFixed(1)} ms`);

      const cases: { name: string; line: number; character: number }[] = [
        { name: 'after FROM (every table)', line: 3, character: 14 },
        { name: 'after alias "a." (20 columns)', line: 1, character: 9 },
        { name: 'select list (in-scope columns, tables, functions, keywords)', line: 2, character: 7 },
      ];
      console.log(`\ncompletion latency over stdio, ${samples} requests each:`);
      for (const testCase of cases) {
        const times: number[] = [];
        let count = 0;
        for (let sample = 0; sample < samples; sample++) {
          const measured = await complete(testCase.line, testCase.character);
          times.push(measured.ms);
          count = measured.count;
        }
        times.sort((a, b) => a - b);
        console.log(
          `  ${testCase.name.padEnd(62)} median ${percentile(times, 50).toFixed(1).padStart(6)} ms   p95 ${percentile(times, 95).toFixed(1).padStart(6)} ms   (${count} items)`,
        );
      }
      console.log('goal: < 100 ms');
    } finally {
      await session.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

void main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
