// Large BLOBs in a page of rows: a photo of megabytes costs the page its size and first bytes,
// read without the rest of the value. Export (readPage's wholeValues) reads them whole.
import { blobPrefixBytes } from './cells';
import { quoteIdentifier } from './query';
import type { ReadPlan } from './rows';

/** BLOBs up to this size are read whole into a page; larger ones as their size and first bytes. */
const wholeBlobMaxBytes = 64 * 1024;

/**
 * Columns whose BLOBs a page may read as a preview: every column but those the page sorts or keys
 * by, whose values the cursor needs whole.
 */
export function previewableColumns(plan: ReadPlan): string[] {
  const offset = plan.keyPrefix.length;
  const needed = new Set([...plan.orderIndexes, ...plan.keyIndexes]);
  return plan.shape.columns.filter((_, index) => !needed.has(index + offset)).map((column) => column.name);
}

export function bytesOf(row: readonly unknown[]): number {
  let bytes = 0;
  for (const value of row) {
    if (value instanceof Uint8Array) bytes += value.byteLength;
    else if (typeof value === 'string') bytes += value.length;
  }
  return bytes;
}

/** Puts each large BLOB's first bytes, read apart, where the query left NULL (rowid first in each row). */
export function fillBlobPrefixes(
  rows: unknown[][],
  sizes: ReadonlyArray<ReadonlyArray<number | null>>,
  previews: readonly string[],
  columns: readonly string[],
  offset: number,
  readPrefix: (column: string, rowid: number | bigint) => Uint8Array | null,
): void {
  rows.forEach((row, rowIndex) => {
    previews.forEach((column, previewIndex) => {
      if ((sizes[rowIndex]?.[previewIndex] ?? null) === null) return;
      row[columns.indexOf(column) + offset] = readPrefix(column, row[0] as number | bigint) ?? new Uint8Array(0);
    });
  });
}

/**
 * The select list for the row values: the column, or for a previewable one, when it holds a large
 * BLOB, its first bytes (or nothing, when they are read apart with `prefixApart`).
 */
export function valueColumns(plan: ReadPlan, previews: readonly string[], prefixApart: boolean): string[] {
  if (previews.length === 0) return ['*'];
  // typeof() and length() read a BLOB's size from the record header, without its overflow pages.
  return plan.shape.columns.map((column) => {
    const name = quoteIdentifier(column.name);
    if (!previews.includes(column.name)) return name;
    const large = prefixApart ? 'NULL' : `substr(${name}, 1, ${blobPrefixBytes})`;
    return `CASE WHEN typeof(${name}) = 'blob' AND length(${name}) > ${wholeBlobMaxBytes} THEN ${large} ELSE ${name} END AS ${name}`;
  });
}

export function largeBlobSize(column: string): string {
  const name = quoteIdentifier(column);
  return `CASE WHEN typeof(${name}) = 'blob' AND length(${name}) > ${wholeBlobMaxBytes} THEN length(${name}) END`;
}
