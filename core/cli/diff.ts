// `synclens diff <before> <after>`: what changed between two snapshots of a database (before and
// after a migration or a sync, or from two devices): the schema, and the rows by primary key.
import type { Command } from 'commander';
import { diffDatabaseFiles } from '../diff/diffDatabases';
import type { RowChange, SchemaChange, TableDiff } from '../diff/types';
import { CliInputError, ExitCode, type ExitCodeValue, printable, processStreams, runCommand, writeResult, type OutputStreams } from './output';

/** The `--json` contract of `diff` (schemas/cli-output.schema.json, "diff"). */
export interface DiffReport {
  before: string;
  after: string;
  schema: { changes: SchemaChange[] };
  tables: TableDiff[];
}

export interface DiffCommandOptions {
  json?: boolean;
  wal?: boolean;
  rows?: string;
  exitCode?: boolean;
}

export function registerDiffCommand(program: Command): void {
  program
    .command('diff')
    .description('compare two database files: schema (tables, views, columns, indexes, triggers) and rows by primary key')
    .argument('<before>', 'the older snapshot (both files are only read; a -wal beside each is applied)')
    .argument('<after>', 'the newer snapshot')
    .option('--json', 'print the diff as JSON on stdout (errors as {"error":{code,message}})')
    .option('--no-wal', 'ignore -wal files beside the databases')
    .option('--rows <n>', 'changed rows listed per table, in key order (default 20); all are counted')
    .option('--exit-code', 'exit 1 when the files differ, 0 when they are the same (like git diff --exit-code)')
    .addHelpText(
      'after',
      [
        '',
        'Rows are matched by primary key (by rowid, with a warning, in a table without one); a renamed',
        'column or table is reported as removed plus added; only columns in both files are compared.',
        'Exit codes: 0 compared (with --exit-code: no difference), 1 with --exit-code: the files differ, 2 bad input.',
        '',
        'Examples:',
        '  synclens diff before-migration.db after-migration.db',
        '  synclens diff phone.db emulator.db --json --rows 100',
        '',
      ].join('\n'),
    )
    .action((before: string, after: string, options: DiffCommandOptions) =>
      runCommand(
        () => diff(before, after, options),
        () => ({ json: options.json === true, file: undefined }),
      ),
    );
}

function parseRows(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(Number(value))) throw new CliInputError('bad-option', `--rows expects a whole number, got "${value}"`);
  return Number(value);
}

export async function diff(before: string, after: string, options: DiffCommandOptions, streams: OutputStreams = processStreams): Promise<ExitCodeValue> {
  const maxRows = parseRows(options.rows);
  const result = await diffDatabaseFiles(before, after, { applyWal: options.wal !== false, ...(maxRows === undefined ? {} : { maxRows }) });
  const report: DiffReport = { before, after, schema: result.schema, tables: result.tables };
  if (options.json) writeResult('diff', report, streams);
  else streams.stdout(formatDiffReport(report));
  const differs = report.schema.changes.length > 0 || report.tables.some((table) => table.added + table.removed + table.changed > 0);
  return options.exitCode && differs ? ExitCode.partial : ExitCode.ok;
}

const sign = { added: '+', removed: '-', changed: '~' } as const;

function keyText(row: RowChange): string {
  return Object.entries(row.key)
    .map(([column, value]) => `${column}=${JSON.stringify(value)}`)
    .join(', ');
}

/** The readable diff: schema changes, then each table's counts and first changed rows. */
export function formatDiffReport(report: DiffReport): string {
  const lines = [`${printable(report.before)} -> ${printable(report.after)}`, ''];
  if (report.schema.changes.length === 0) lines.push('Schema: no change');
  else {
    lines.push(`Schema: ${report.schema.changes.length} changes`);
    for (const change of report.schema.changes) {
      lines.push(`  ${sign[change.change]} ${change.object} ${printable(change.table ? `${change.table}.${change.name}` : change.name)}: ${printable(change.detail)}`);
    }
  }
  for (const table of report.tables) {
    lines.push('', `${printable(table.name)}: +${table.added} -${table.removed} ~${table.changed} (${table.unchanged} unchanged)${table.key ? `, by ${table.key.kind === 'rowid' ? 'rowid' : printable(table.key.columns.join(', '))}` : ''}`);
    for (const warning of table.warnings) lines.push(`  warning: ${printable(warning)}`);
    for (const row of table.rows) {
      if (row.change !== 'changed') lines.push(`  ${sign[row.change]} ${printable(keyText(row))}`);
      else lines.push(`  ~ ${printable(keyText(row))}: ${row.fields.map((field) => printable(`${field.column} ${JSON.stringify(field.before)} -> ${JSON.stringify(field.after)}`)).join('; ')}`);
    }
    const unlisted = table.added + table.removed + table.changed - table.rows.length;
    if (unlisted > 0) lines.push(`  ... and ${unlisted} more (--rows to list more)`);
  }
  return `${lines.join('\n')}\n`;
}
