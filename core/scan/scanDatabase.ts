// The secrets scan of a whole database: every table, every row in key order, a bounded page at a
// time (core/db/keyedPages.ts), so memory holds one page and the findings listed so far, whatever
// the file's size. Views are left out: their rows are their tables' rows.
import { basename } from 'node:path';
import { readKeyedPages, tableKey } from '../db/keyedPages';
import { openDatabaseFile, type OpenDatabaseOptions, type OpenedDatabase } from '../db/open';
import { quoteIdentifier } from '../db/query';
import { readSchema } from '../db/schema';
import type { SqlValue, TableInfo } from '../db/types';
import { detectInCell, detectInNumberCell, lintCell, type CellDetections, type PlacedDetection } from './classify';
import { redactedPreview, severityRank, type FindingGroup, type KeyValue, type ScanFinding, type ScanSeverity } from './types';

export interface ScanOptions {
  /** Findings listed per table, column, JSON path and kind (default 20; 0 lists them all). The rest are counted. */
  readonly maxPerGroup?: number;
  /** The instant JWT expiry is judged against, ms since the epoch (default: the clock). */
  readonly now?: number;
  /** Called after each page with the table and the rows scanned so far in it. */
  readonly onProgress?: (table: string, rows: number) => void;
  readonly signal?: AbortSignal;
}

export interface ScanResult {
  readonly tables: number;
  readonly rows: number;
  /** Most severe first, then by table, column and row. */
  readonly findings: ScanFinding[];
  readonly groups: FindingGroup[];
  /** Tables that could not be read here, with why. */
  readonly skipped: Array<{ table: string; reason: string }>;
}

/** BLOBs larger than this are not text anyone typed: they are not read at all. */
const maxTextBlobBytes = 256 * 1024;
const defaultMaxPerGroup = 20;
const utf8 = new TextDecoder('utf-8', { fatal: true });

function blobAsText(bytes: Uint8Array): string | null {
  if (bytes.length === 0 || bytes.length > maxTextBlobBytes) return null;
  let text: string;
  try {
    text = utf8.decode(bytes);
  } catch {
    return null;
  }
  // Text has no NULs and few control characters besides tab and newlines.
  // eslint-disable-next-line no-control-regex
  const controls = text.match(/[\u0000-\u0008\u000e-\u001f]/g)?.length ?? 0;
  return controls === 0 || (!text.includes('\u0000') && controls * 50 < text.length) ? text : null;
}

function keyValue(value: SqlValue): KeyValue {
  if (value === null || typeof value === 'string') return value;
  if (typeof value === 'number') return value;
  if (typeof value === 'bigint') return value.toString();
  return `x'${Buffer.from(value).toString('hex')}'`;
}

/** Where a finding is, before it is known whether it will be listed. */
interface FindingPlace {
  readonly table: string;
  readonly column: string;
  readonly keyColumns: readonly string[];
  /** The row as read: its key values first (core/db/keyedPages.ts). */
  readonly keyValues: readonly SqlValue[];
  /** The key is the rowid (or the INTEGER PRIMARY KEY that is it). */
  readonly byRowid: boolean;
}

/** Counts every finding per group and keeps the first few of each: 1M emails cost 20 findings, not 1M. */
class FindingCollector {
  readonly findings: ScanFinding[] = [];
  private readonly groups = new Map<string, { group: Omit<FindingGroup, 'count' | 'listed'>; count: number; listed: number }>();
  constructor(private readonly maxPerGroup: number) {}

  add(place: FindingPlace, detection: PlacedDetection): void {
    const id = `${place.table}\u0000${place.column}\u0000${detection.path ?? ''}\u0000${detection.kind}\u0000${detection.severity}`;
    let entry = this.groups.get(id);
    if (!entry) {
      entry = { group: { table: place.table, column: place.column, path: detection.path, kind: detection.kind, severity: detection.severity }, count: 0, listed: 0 };
      this.groups.set(id, entry);
    }
    entry.count += 1;
    if (this.maxPerGroup !== 0 && entry.listed >= this.maxPerGroup) return;
    entry.listed += 1;
    this.findings.push({
      table: place.table,
      column: place.column,
      rowid: place.byRowid ? keyValue(place.keyValues[0] ?? null) : null,
      primaryKey: place.byRowid ? null : Object.fromEntries(place.keyColumns.map((name, position) => [name, keyValue(place.keyValues[position] ?? null)])),
      path: detection.path,
      kind: detection.kind,
      severity: detection.severity,
      preview: redactedPreview(detection.secret),
      reason: detection.reason,
    });
  }

  groupList(): FindingGroup[] {
    return [...this.groups.values()].map((entry) => ({ ...entry.group, count: entry.count, listed: entry.listed }));
  }
}

function bySeverity<T extends { severity: ScanSeverity }>(a: T, b: T): number {
  return severityRank(b.severity) - severityRank(a.severity);
}

async function scanTable(file: OpenedDatabase, table: TableInfo, collector: FindingCollector, options: ScanOptions, now: number): Promise<number> {
  const key = file.read((db) => tableKey(db, table.name, table.columns, table.withoutRowid));
  if (!key) return 0;
  // A big BLOB is left in the file (length() reads only its header), in the columns meant for BLOBs:
  // elsewhere a stray one is bounded by the page's byte budget.
  const select = table.columns.map((column) => {
    const name = quoteIdentifier(column.name);
    const type = column.type.toUpperCase();
    return type === '' || type.includes('BLOB') ? `CASE WHEN typeof(${name}) = 'blob' AND length(${name}) > ${maxTextBlobBytes} THEN NULL ELSE ${name} END` : name;
  });
  const rowidKey = key.kind === 'rowid' || (!table.withoutRowid && key.columns.length === 1 && table.columns.find((column) => column.name === key.columns[0])?.type.toUpperCase() === 'INTEGER');
  let rows = 0;
  for (const page of readKeyedPages(file, table.name, key, { select })) {
    options.signal?.throwIfAborted();
    for (let index = 0; index < page.rows.length; index++) {
      const row = page.rows[index]!;
      for (let columnIndex = 0; columnIndex < table.columns.length; columnIndex++) {
        const value = row[page.keyLength + columnIndex]!;
        if (value === null) continue;
        const column = table.columns[columnIndex]!.name;
        let detections: PlacedDetection[];
        if (typeof value === 'string' || value instanceof Uint8Array) {
          const text = typeof value === 'string' ? value : blobAsText(value);
          const cell: CellDetections | null = text === null ? null : detectInCell(text, column, now);
          detections = cell === null ? [] : cell.toLint.length === 0 ? cell.found : [...cell.found, ...(await lintCell(cell.toLint))];
        } else detections = detectInNumberCell(value, column);
        for (const detection of detections) collector.add({ table: table.name, column, keyColumns: key.columns, keyValues: row, byRowid: rowidKey }, detection);
      }
    }
    rows += page.rows.length;
    options.onProgress?.(table.name, rows);
  }
  return rows;
}

/** Scans every table of an open database. */
export async function scanOpenedDatabase(file: OpenedDatabase, options: ScanOptions = {}): Promise<ScanResult> {
  const now = options.now ?? Date.now();
  const collector = new FindingCollector(options.maxPerGroup ?? defaultMaxPerGroup);
  const tables = file.read((db) => readSchema(db)).tables.filter((table) => table.kind === 'table');
  const skipped: ScanResult['skipped'] = [];
  let rows = 0;
  for (const table of tables) {
    if (table.error) {
      skipped.push({ table: table.name, reason: table.error });
      continue;
    }
    rows += await scanTable(file, table, collector, options, now);
  }
  const findings = collector.findings.sort(bySeverity);
  const groups = collector.groupList().sort(bySeverity);
  return { tables: tables.length - skipped.length, rows, findings, groups, skipped };
}

/** Opens `path` read-only (page by page, its -wal applied) and scans it. */
export async function scanDatabaseFile(path: string, options: ScanOptions & OpenDatabaseOptions = {}): Promise<ScanResult> {
  const file = await openDatabaseFile(path, { applyWal: options.applyWal, rollBackJournal: options.rollBackJournal });
  try {
    return await scanOpenedDatabase(file, options);
  } finally {
    file.close();
  }
}

/** One line saying what a scan found, for logs and the status of a view. */
export function summarizeScan(path: string, result: ScanResult): string {
  const counts = { error: 0, warning: 0, info: 0 };
  for (const group of result.groups) counts[group.severity] += group.count;
  return `${basename(path)}: ${result.rows} rows in ${result.tables} tables, ${counts.error} errors, ${counts.warning} warnings, ${counts.info} info`;
}
