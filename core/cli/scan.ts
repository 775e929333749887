// `synclens scan <db>`: tokens, passwords, keys and card numbers stored in the clear, against the
// reference's rule that they belong in secure storage (core/scan/).
import type { Command } from 'commander';
import { scanDatabaseFile, type ScanResult } from '../scan/scanDatabase';
import { scanSeverities, severityRank, type FindingGroup, type ScanFinding, type ScanSeverity } from '../scan/types';
import { CliInputError, ExitCode, type ExitCodeValue, printable, processStreams, runCommand, writeResult, type OutputStreams } from './output';
import { parseNow } from './inspect';

/** The `--json` contract of `scan` (schemas/cli-output.schema.json, "scan"). */
export interface ScanReport {
  file: string;
  tables: number;
  rows: number;
  findings: ScanFinding[];
  /** Every finding counted per table, column, path and kind; `findings` lists the first few of each. */
  groups: FindingGroup[];
  /** Tables SQLite could not read here, with why. */
  skipped: Array<{ table: string; reason: string }>;
}

export interface ScanCommandOptions {
  json?: boolean;
  wal?: boolean;
  failOn?: string;
  maxPerGroup?: string;
  now?: string;
}

export function registerScanCommand(program: Command): void {
  program
    .command('scan')
    .description('find secrets stored in the clear: passwords, JWTs, OAuth tokens, API and cloud keys, private keys, card numbers (emails as info)')
    .argument('<db>', 'the database file (a -wal file beside it is applied, the file is never written)')
    .option('--json', 'print the findings as JSON on stdout (errors as {"error":{code,message}})')
    .option('--no-wal', 'ignore a -wal file beside the database')
    .option('--fail-on <severity>', 'exit 1 when a finding of this severity or above is found: info, warning or error (default: never)')
    .option('--max-per-group <n>', 'findings listed per table, column, JSON path and kind; the rest are counted (default 20, 0 = all)')
    .option('--now <iso-time>', 'judge JWT expiry as of this instant instead of the clock')
    .addHelpText(
      'after',
      [
        '',
        'Values are never printed: a finding shows the first 4 characters and the length.',
        'Exit codes: 0 scanned (and nothing at --fail-on or above), 1 a finding at --fail-on or above, 2 bad input.',
        '',
        'Examples:',
        '  synclens scan app.db',
        '  synclens scan app.db --json --fail-on warning',
        '',
      ].join('\n'),
    )
    .action((file: string, options: ScanCommandOptions) =>
      runCommand(
        () => scan(file, options),
        () => ({ json: options.json === true, file }),
      ),
    );
}

function parseFailOn(value: string | undefined): ScanSeverity | null {
  if (value === undefined) return null;
  if ((scanSeverities as readonly string[]).includes(value)) return value as ScanSeverity;
  throw new CliInputError('bad-option', `--fail-on expects info, warning or error, got "${value}"`);
}

function parseMaxPerGroup(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed)) throw new CliInputError('bad-option', `--max-per-group expects a whole number (0 = all), got "${value}"`);
  return parsed;
}

export async function scan(file: string, options: ScanCommandOptions, streams: OutputStreams = processStreams): Promise<ExitCodeValue> {
  const failOn = parseFailOn(options.failOn);
  const maxPerGroup = parseMaxPerGroup(options.maxPerGroup);
  const now = parseNow(options.now);
  const result = await scanDatabaseFile(file, { applyWal: options.wal !== false, now, ...(maxPerGroup === undefined ? {} : { maxPerGroup }) });
  const report: ScanReport = { file, tables: result.tables, rows: result.rows, findings: result.findings, groups: result.groups, skipped: result.skipped };
  if (options.json) writeResult('scan', report, streams);
  else streams.stdout(formatScanReport(report));
  const failing = failOn !== null && result.groups.some((group) => severityRank(group.severity) >= severityRank(failOn));
  return failing ? ExitCode.partial : ExitCode.ok;
}

function countsOf(result: Pick<ScanResult, 'groups'>): Record<ScanSeverity, number> {
  const counts: Record<ScanSeverity, number> = { error: 0, warning: 0, info: 0 };
  for (const group of result.groups) counts[group.severity] += group.count;
  return counts;
}

function rowLabel(finding: ScanFinding): string {
  if (finding.rowid !== null) return `rowid ${finding.rowid}`;
  return Object.entries(finding.primaryKey ?? {})
    .map(([column, value]) => `${column}=${JSON.stringify(value)}`)
    .join(', ');
}

/** The readable report: one block per finding, most severe first, then the counts. */
export function formatScanReport(report: ScanReport): string {
  const counts = countsOf(report);
  const lines = [`${printable(report.file)}: ${report.rows} rows in ${report.tables} tables scanned: ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`];
  for (const skipped of report.skipped) lines.push(`  skipped ${printable(skipped.table)}: ${printable(skipped.reason)}`);
  for (const finding of report.findings) {
    const where = `${printable(finding.table)}.${printable(finding.column)}${finding.path ? ` ${printable(finding.path)}` : ''} (${printable(rowLabel(finding))})`;
    lines.push('', `${finding.severity.toUpperCase().padEnd(7)} ${finding.kind}  ${where}  ${printable(finding.preview)}`, `        ${printable(finding.reason)}`);
  }
  const unlisted = report.groups.filter((group) => group.count > group.listed);
  if (unlisted.length > 0) {
    lines.push('', 'Not all listed (--max-per-group 0 lists them all):');
    for (const group of unlisted) {
      lines.push(`  ${group.kind} in ${printable(group.table)}.${printable(group.column)}${group.path ? ` ${printable(group.path)}` : ''}: ${group.count} (${group.listed} listed)`);
    }
  }
  return `${lines.join('\n')}\n`;
}
