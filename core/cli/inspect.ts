// `synclens inspect <db>`: what is in an app database and what its sync queue holds.
import { firestoreSdkCacheOf, formatFirestoreSdkCache } from './sdkCache';
import type { Command } from 'commander';
import { isAbsolute, relative, sep } from 'node:path';
import { countedSchema, openAppDatabase, type AppConfigChoice } from '../db/appDatabase';
import { cipherLabel, type CipherName } from '../db/cipher';
import { roleOfTable } from '../db/roles';
import type { CountedSchemaInfo, QueueAnalysis, QueueSourceKind, SyncRole, SyncRoles, TableKind, TimestampEncoding } from '../db/types';
import type { FirestoreSdkCacheSummary } from '../queue/firestoreSdk/cache';
import { CliInputError, ExitCode, type ExitCodeValue, oneLine, printable, processStreams, runCommand, writeResult, writeText, type OutputStreams } from './output';
import { plural } from '../protocol/planOutcome';

/** The `--json` contract of `inspect` (keys beyond the issue's shape are additions, never renames). */
export interface InspectReport {
  file: string;
  /** The synclens.json whose overrides and retry policy were used, or null (everything detected). */
  config: string | null;
  walFramesApplied: number;
  /** The cipher that decrypted an encrypted file (core/db/cipher.ts), or null for a plain one. */
  cipher: string | null;
  tables: InspectTable[];
  queue: InspectQueue | null;
  /** The Firestore Android SDK's cache beside its pending writes (core/queue/firestoreSdk/cache.ts); only for such a file. */
  firestoreSdkCache?: FirestoreSdkCacheSummary;
}

export interface InspectTable {
  name: string;
  kind: TableKind;
  rows: number;
  role: SyncRole;
  columns: InspectColumn[];
  /** Entity tables: the Firestore collection their rows sync to. */
  collection?: string;
  /** One line on how the role was read (collection and timestamps, queue encoding, state columns). */
  detail?: string;
  /** Present when SQLite could not read this table here (e.g. a virtual table whose module our SQLite lacks, such as FTS4). */
  error?: string;
}

export interface InspectColumn {
  name: string;
  type: string;
  pk: boolean;
  notNull: boolean;
  /** Present when the column holds timestamps. */
  timestampEncoding?: TimestampEncoding;
}

export interface InspectQueue {
  table: string;
  /** The queue source (core/queue): SyncLens's queue table or a stack's own queue. */
  kind: QueueSourceKind;
  /** Null when SyncLens may replay the queue; otherwise why it only reads it. */
  readOnlyReason: string | null;
  total: number;
  pending: number;
  deadLettered: number;
  invalid: number;
  orphans: number;
  backingOff: number;
  superseded: number;
  ready: number;
  /** ISO time of the oldest pending operation's createdAt, or null. */
  oldestPendingAt: string | null;
  /** Milliseconds between oldestPendingAt and `now`, or null. */
  oldestPendingAgeMs: number | null;
  /** The instant backoff and ages were computed against (ISO). */
  now: string;
  /** The app's last completed sync from its stack's own state (core/queue/types QueueLastSync), or null when it keeps none. */
  lastSync: InspectLastSync | null;
}

export interface InspectLastSync {
  /** ISO time, or null when the app has never completed a sync. */
  at: string | null;
  /** Where it was read (`ps_sync_state.last_synced_at (...)`, `sync_state.lastSyncAt`). */
  source: string;
  /** What else the stack keeps about it (bucket positions, partial syncs), as stored. */
  facts: Record<string, string | number | boolean | null | readonly string[]>;
}

export interface InspectOptions {
  json?: boolean;
  wal?: boolean;
  now?: string;
  /** A path, false for --no-config, undefined for the nearest synclens.json. */
  config?: string | false;
}

export function registerInspectCommand(program: Command): void {
  program
    .command('inspect')
    .description('summarize a SQLite app database: tables, rows, sync roles and the sync queue')
    .argument('<db>', 'the database file (a -wal file beside it is applied, the file is never written)')
    .option('--json', 'print the report as JSON on stdout (errors as {"error":{code,message}})')
    .option('--no-wal', 'ignore a -wal file beside the database')
    .option('--config <path>', 'use this synclens.json (default: the nearest one beside or above the database)')
    .option('--no-config', 'ignore synclens.json: detect every role, default retry policy')
    .option(
      '--now <iso-time>',
      'compute backoff and ages as of this instant instead of the clock (reproducible reports)',
    )
    .addHelpText(
      'after',
      [
        '',
        'Exit codes: 0 report printed, 2 bad input (the file is not a usable SQLite database, or a bad option).',
        '',
        'Examples:',
        '  synclens inspect app.db',
        '  synclens inspect app.db --json',
        '  synclens inspect app.db --now 2026-11-24T12:00:00Z',
        '',
      ].join('\n'),
    )
    .action((file: string, options: InspectOptions) =>
      runCommand(
        () => inspect(file, options),
        () => ({ json: options.json === true, file }),
      ),
    );
}

export async function inspect(file: string, options: InspectOptions, streams: OutputStreams = processStreams): Promise<ExitCodeValue> {
  const now = parseNow(options.now);
  const report = await buildInspectReport(file, { applyWal: options.wal !== false, now, config: options.config });
  if (options.json) writeResult('inspect', report, streams);
  else writeText(formatInspectReport(report) + (report.firestoreSdkCache ? formatFirestoreSdkCache(report.firestoreSdkCache) : ''), streams);
  return ExitCode.ok;
}

export function parseNow(value: string | undefined): number {
  if (value === undefined) return Date.now();
  // Only full ISO-8601 instants with a zone: without one, Date.parse reads local time.
  const iso = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;
  const parsed = Date.parse(value);
  if (!iso.test(value) || Number.isNaN(parsed)) {
    throw new CliInputError('bad-option', `--now expects an ISO-8601 instant such as 2026-11-24T12:00:00Z, got "${value}"`);
  }
  return parsed;
}

export async function buildInspectReport(
  file: string,
  options: { applyWal: boolean; now: number; config?: string | false },
): Promise<InspectReport> {
  const app = await openAppDatabase(file, { applyWal: options.applyWal, now: options.now, config: configChoice(options.config) });
  try {
    const report: InspectReport = {
      file,
      config: app.config ? displayPath(app.config.path) : null,
      walFramesApplied: app.file.walFramesApplied,
      cipher: app.file.cipher,
      tables: describeTables(countedSchema(app), app.roles),
      queue: app.queue ? describeQueue(app.queue, options.now) : null,
    };
    const cache = report.queue?.kind === 'firestore-sdk' ? firestoreSdkCacheOf(app) : null;
    if (cache) report.firestoreSdkCache = cache;
    return report;
  } finally {
    app.close();
  }
}

/** --config <path>, --no-config (false), or neither (undefined). */
function configChoice(option: string | false | undefined): AppConfigChoice {
  if (option === false) return 'none';
  return option === undefined ? 'nearest' : { file: option };
}

/** Relative to the working folder when inside it, as the user would type it. */
function displayPath(path: string): string {
  const fromCwd = relative(process.cwd(), path);
  return fromCwd !== '' && fromCwd !== '..' && !fromCwd.startsWith(`..${sep}`) && !isAbsolute(fromCwd) ? fromCwd : path;
}

function timestampEncodingsOf(table: string, roles: SyncRoles): Record<string, TimestampEncoding> {
  if (roles.queue?.table === table) return roles.queue.timestampEncodings;
  return roles.entities.find((entity) => entity.table === table)?.timestampEncodings ?? {};
}

function describeTables(schema: CountedSchemaInfo, roles: SyncRoles): InspectTable[] {
  return schema.tables.map((table) => {
    const encodings = timestampEncodingsOf(table.name, roles);
    const described: InspectTable = {
      name: table.name,
      kind: table.kind,
      rows: table.rows,
      role: roleOfTable(roles, table.name),
      columns: table.columns.map((column) => {
        const described: InspectColumn = { name: column.name, type: column.type, pk: column.pk > 0, notNull: column.notNull };
        const encoding = Object.hasOwn(encodings, column.name) ? encodings[column.name] : undefined;
        if (encoding) described.timestampEncoding = encoding;
        return described;
      }),
    };
    const entity = roles.entities.find((candidate) => candidate.table === table.name);
    if (entity) described.collection = entity.collection;
    const detail = roleDetail(table.name, roles);
    if (detail) described.detail = detail;
    if (table.error) described.error = table.error;
    return described;
  });
}

function roleDetail(table: string, roles: SyncRoles): string | null {
  const encodingsText = (encodings: Record<string, TimestampEncoding>): string => {
    const distinct = [...new Set(Object.values(encodings))];
    return distinct.length ? `, times ${distinct.join('/')}` : '';
  };
  if (roles.queue?.table === table) return `operation as ${roles.queue.operationEncoding}${encodingsText(roles.queue.timestampEncodings)}`;
  if (roles.state?.table === table) return `${roles.state.keyColumn} -> ${roles.state.valueColumn}`;
  const entity = roles.entities.find((candidate) => candidate.table === table);
  if (entity) return `collection ${entity.collection}, id ${entity.columns.externalId}${encodingsText(entity.timestampEncodings)}`;
  return null;
}

function describeQueue(analysis: QueueAnalysis, now: number): InspectQueue {
  const { totals } = analysis;
  return {
    table: analysis.table,
    kind: analysis.kind,
    readOnlyReason: analysis.readOnlyReason,
    total: totals.total,
    pending: totals.pending,
    deadLettered: totals.deadLettered,
    invalid: totals.invalid,
    orphans: totals.orphans,
    backingOff: totals.backingOff,
    superseded: totals.superseded,
    ready: totals.ready,
    oldestPendingAt: totals.oldestPendingAt === null ? null : new Date(totals.oldestPendingAt).toISOString(),
    oldestPendingAgeMs: totals.oldestPendingAt === null ? null : now - totals.oldestPendingAt,
    now: new Date(now).toISOString(),
    lastSync: analysis.lastSync
      ? { at: analysis.lastSync.at === null ? null : new Date(analysis.lastSync.at).toISOString(), source: analysis.lastSync.source, facts: { ...analysis.lastSync.facts } }
      : null,
  };
}

/** The readable report: aligned columns, one section per concern. */
export function formatInspectReport(report: InspectReport): string {
  const lines: string[] = [];
  const tableCount = report.tables.filter((table) => table.kind === 'table').length;
  const viewCount = report.tables.length - tableCount;
  const wal = report.walFramesApplied > 0 ? `${report.walFramesApplied} WAL frames applied` : 'no WAL frames applied';
  lines.push(`${printable(report.file)}: ${plural(tableCount, 'table')}${viewCount ? `, ${plural(viewCount, 'view')}` : ''}, ${wal}`);
  lines.push(report.config ? `config: ${printable(report.config)}` : 'config: none (roles detected, default retry policy)');
  if (report.cipher) lines.push(`encrypted: ${cipherLabel(report.cipher as CipherName)}, opened with the key`);
  lines.push('');
  lines.push(
    ...alignColumns([
      ['TABLE', 'KIND', 'ROWS', 'ROLE', 'COLUMNS', 'DETAIL'],
      ...report.tables.map((table) => [
        printable(table.name),
        table.kind,
        table.error ? '?' : String(table.rows),
        table.role,
        String(table.columns.length),
        printable(table.detail ?? ''),
      ]),
    ], new Set([2, 4])),
  );
  for (const table of report.tables.filter((candidate) => candidate.error)) {
    lines.push(`  ${printable(table.name)}: ${printable(oneLine(table.error ?? ''))}`);
  }
  lines.push('');
  const queue = report.queue;
  if (!queue) {
    lines.push('Sync queue: none detected (no table looks like sync_operations / SyncOperation).');
  } else {
    lines.push(`Sync queue ${printable(queue.table)} (${queue.kind}, as of ${queue.now}):`);
    if (queue.readOnlyReason) lines.push(`  read-only: ${printable(queue.readOnlyReason)}`);
    lines.push(
      ...alignColumns([
        ['total', String(queue.total)],
        ['pending', String(queue.pending)],
        ['  ready', String(queue.ready)],
        ['  backing off', String(queue.backingOff)],
        ['  invalid', String(queue.invalid)],
        ['  orphans', String(queue.orphans)],
        ['  superseded', String(queue.superseded)],
        ['dead-lettered', String(queue.deadLettered)],
      ], new Set([1])).map((line) => `  ${line}`),
    );
    const oldest =
      queue.oldestPendingAt === null || queue.oldestPendingAgeMs === null
        ? 'none'
        : `${formatAge(queue.oldestPendingAgeMs)} old (created ${queue.oldestPendingAt})`;
    lines.push(`  oldest pending: ${oldest}`);
    if (queue.lastSync) lines.push(`  last sync: ${formatLastSync(queue.lastSync, Date.parse(queue.now))}`);
  }
  return `${lines.join('\n')}\n`;
}

/** `2026-11-24T11:00:00.000Z (1h ago; ps_sync_state..., buckets 2, last_applied_op 7)`, or `never (...)`. */
function formatLastSync(lastSync: InspectLastSync, now: number): string {
  const facts = Object.entries(lastSync.facts).map(([name, value]) => `${name} ${Array.isArray(value) ? value.join(', ') : String(value)}`);
  const where = printable([lastSync.source, ...facts].join(', '));
  return lastSync.at === null ? `never (${where})` : `${lastSync.at} (${formatAge(now - Date.parse(lastSync.at))} ago; ${where})`;
}


function alignColumns(rows: string[][], rightAligned: Set<number>): string[] {
  const widths = rows[0]?.map((_, index) => Math.max(...rows.map((row) => (row[index] ?? '').length))) ?? [];
  return rows.map((row) =>
    row
      .map((cell, index) => (rightAligned.has(index) ? cell.padStart(widths[index] ?? 0) : cell.padEnd(widths[index] ?? 0)))
      .join('  ')
      .trimEnd(),
  );
}

/** "3d 2h", "5h 10m", "4m 2s", "12s"; a negative age (clock behind the data) says so. */
export function formatAge(ms: number): string {
  if (ms < 0) return `${formatAge(-ms)} in the future`;
  const seconds = Math.floor(ms / 1000);
  const units: Array<[string, number]> = [
    ['d', 86_400],
    ['h', 3_600],
    ['m', 60],
    ['s', 1],
  ];
  const parts: string[] = [];
  let rest = seconds;
  for (const [suffix, size] of units) {
    const amount = Math.floor(rest / size);
    rest -= amount * size;
    if (amount > 0 || parts.length > 0) parts.push(`${amount}${suffix}`);
    if (parts.length === 2) break;
  }
  return parts.length ? parts.filter((part) => !/^0[a-z]$/.test(part)).join(' ') || '0s' : '0s';
}
