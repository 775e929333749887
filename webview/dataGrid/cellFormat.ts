import type { TimestampEncoding } from '../../core/db/types';
import { formatRelative, type GridCell } from '../../core/protocol/gridModel';

/** How one column's cells are shown: its detected timestamp encoding, and whether it holds JSON. */
export interface ColumnDisplay {
  name: string;
  type: string;
  timestamp: TimestampEncoding | null;
  json: boolean;
  /** The (first) primary-key column: the grid keeps it in view when scrolled sideways. */
  primaryKey: boolean;
}

export interface DisplayedCell {
  kind: GridCell['kind'];
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

function truncated(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function blobLiteral(cell: Extract<GridCell, { kind: 'blob' }>): string {
  return `x'${cell.hexPrefix}${cell.size * 2 > cell.hexPrefix.length ? '…' : ''}'`;
}

/** The value as stored, as text (what "copy value" puts on the clipboard). */
export function rawText(cell: GridCell): string {
  switch (cell.kind) {
    case 'null':
      return 'NULL';
    case 'integer':
    case 'real':
      return cell.text;
    case 'text':
    case 'json':
      return cell.value;
    case 'blob':
      return blobLiteral(cell);
    case 'timestamp':
      return String(cell.raw);
  }
}

export function displayCell(cell: GridCell): DisplayedCell {
  switch (cell.kind) {
    case 'null':
      return { kind: 'null', text: 'NULL', title: 'NULL' };
    case 'integer':
    case 'real':
      return { kind: cell.kind, text: cell.text, title: cell.text };
    case 'text':
      return { kind: 'text', text: truncated(cell.value, 500).replace(/[\r\n]+/g, ' ⏎ '), title: truncated(cell.value, 2000) };
    case 'json':
      return { kind: 'json', text: truncated(cell.value, 500).replace(/\s*[\r\n]+\s*/g, ' '), title: truncated(cell.value, 2000) };
    case 'blob':
      return {
        kind: 'blob',
        text: `${formatBytes(cell.size)} · ${cell.hexPrefix.slice(0, 16)}${cell.size > 8 ? '…' : ''}`,
        title: `BLOB, ${cell.size} bytes: ${blobLiteral(cell)}`,
      };
    case 'timestamp':
      return { kind: 'timestamp', text: cell.utc, title: `${cell.raw} (${cell.encoding}) · ${formatRelative(cell.millis, Date.now())}` };
  }
}

/** The full value for the detail pane: JSON pretty-printed, timestamps in every form, BLOB hex. */
export function detailText(cell: GridCell): string {
  switch (cell.kind) {
    case 'json':
      try {
        return JSON.stringify(JSON.parse(cell.value), null, 2);
      } catch {
        return cell.value;
      }
    case 'timestamp':
      return `${cell.utc}\n${new Date(cell.millis).toString()}\n${formatRelative(cell.millis, Date.now())}\nstored: ${cell.raw} (${cell.encoding})`;
    case 'blob':
      return `BLOB, ${cell.size} bytes\n${hexDump(cell.hexPrefix)}${cell.size * 2 > cell.hexPrefix.length ? '\n…' : ''}`;
    default:
      return rawText(cell);
  }
}

function hexDump(hex: string): string {
  const lines: string[] = [];
  for (let offset = 0; offset < hex.length; offset += 32) {
    const bytes = hex.slice(offset, offset + 32).match(/../g) ?? [];
    lines.push(`${(offset / 2).toString(16).padStart(8, '0')}  ${bytes.join(' ')}`);
  }
  return lines.join('\n');
}

/** A cell as a JSON value for "copy row": safe numbers stay numbers, big integers become text, JSON stays text. */
export function cellJsonValue(cell: GridCell): unknown {
  switch (cell.kind) {
    case 'null':
      return null;
    case 'integer':
      return Number.isSafeInteger(cell.value) && String(cell.value) === cell.text ? cell.value : cell.text;
    case 'real':
      return cell.value;
    case 'timestamp':
      return cell.raw;
    default:
      return rawText(cell);
  }
}

export function rowAsJson(columns: string[], row: GridCell[]): string {
  return JSON.stringify(Object.fromEntries(columns.map((column, index) => [column, cellJsonValue(row[index] ?? { kind: 'null' })])), null, 2);
}
