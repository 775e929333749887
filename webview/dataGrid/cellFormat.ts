import { formatTimestamp, formatTimestampUtc, timestampToMillis } from '../../core/db/timestamps';
import type { TimestampEncoding } from '../../core/db/types';
import { isGridBigInt, isGridBlob, type GridCell } from '../../core/protocol/gridModel';

/** How one column's cells are shown: its detected timestamp encoding, and whether it holds JSON. */
export interface ColumnDisplay {
  name: string;
  type: string;
  timestamp: TimestampEncoding | null;
  json: boolean;
}

export type CellKind = 'null' | 'number' | 'text' | 'json' | 'timestamp' | 'blob';

export interface DisplayedCell {
  kind: CellKind;
  /** One line for the grid. */
  text: string;
  /** The raw stored value, for the hover. */
  title: string;
}

export function formatBytes(size: number): string {
  if (size < 1024) return `${size} B`;
  if (size < 1024 * 1024) return `${(size / 1024).toFixed(1)} KB`;
  return `${(size / 1024 / 1024).toFixed(1)} MB`;
}

function parseJsonContainer(text: string): unknown {
  const trimmed = text.trimStart();
  if (!trimmed.startsWith('{') && !trimmed.startsWith('[')) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

export function rawText(cell: GridCell): string {
  if (cell === null) return 'NULL';
  if (isGridBigInt(cell)) return cell.text;
  if (isGridBlob(cell)) return `x'${cell.hex}${cell.size * 2 > cell.hex.length ? '…' : ''}'`;
  return String(cell);
}

export function displayCell(cell: GridCell, column: ColumnDisplay): DisplayedCell {
  if (cell === null) return { kind: 'null', text: 'NULL', title: 'NULL' };
  if (isGridBlob(cell)) return { kind: 'blob', text: `${formatBytes(cell.size)} · ${cell.hex.slice(0, 16)}${cell.hex.length > 16 ? '…' : ''}`, title: `BLOB, ${cell.size} bytes: ${rawText(cell)}` };
  const raw = rawText(cell);
  if (column.timestamp) {
    const ms = timestampToMillis(isGridBigInt(cell) ? cell.text : cell, column.timestamp);
    if (ms !== null && Number.isFinite(ms)) return { kind: 'timestamp', text: formatTimestampUtc(ms), title: `${raw} (${column.timestamp}) = ${formatTimestamp(ms)}` };
  }
  if (typeof cell === 'string') {
    if (column.json || cell.startsWith('{') || cell.startsWith('[')) {
      const parsed = parseJsonContainer(cell);
      if (parsed !== undefined) return { kind: 'json', text: JSON.stringify(parsed), title: cell.length > 2000 ? `${cell.slice(0, 2000)}…` : cell };
    }
    const firstLine = cell.length > 500 ? `${cell.slice(0, 500)}…` : cell;
    return { kind: 'text', text: firstLine.replace(/[\r\n]+/g, ' ⏎ '), title: cell.length > 2000 ? `${cell.slice(0, 2000)}…` : cell };
  }
  return { kind: 'number', text: raw, title: raw };
}

/** The full value for the detail pane: JSON pretty-printed, timestamps in every form, BLOB hex. */
export function detailText(cell: GridCell, column: ColumnDisplay): string {
  const shown = displayCell(cell, column);
  if (shown.kind === 'json' && typeof cell === 'string') return JSON.stringify(JSON.parse(cell), null, 2);
  if (shown.kind === 'timestamp') return `${shown.title}\nencoding: ${column.timestamp}`;
  if (isGridBlob(cell)) return `BLOB, ${cell.size} bytes\n${hexDump(cell.hex)}${cell.size * 2 > cell.hex.length ? '\n…' : ''}`;
  return rawText(cell);
}

function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let offset = 0; offset < hex.length; offset += 32) {
    const bytes = hex.slice(offset, offset + 32).match(/../g) ?? [];
    lines.push(`${(offset / 2).toString(16).padStart(8, '0')}  ${bytes.join(' ')}`);
  }
  return lines.join('\n');
}

/** A cell as a JSON value for "copy": numbers stay numbers, big integers become text, BLOBs hex text. */
export function cellJsonValue(cell: GridCell): unknown {
  if (cell === null || typeof cell === 'number') return cell;
  if (typeof cell === 'string') return cell;
  if (isGridBigInt(cell)) return cell.text;
  return rawText(cell);
}

export function rowAsJson(columns: string[], row: GridCell[]): string {
  return JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, cellJsonValue(row[index] ?? null)])), null, 2);
}
