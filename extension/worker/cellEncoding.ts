// Keyset cursors as opaque strings and stored values as export writes them, so neither bigint nor
// bytes ever reach JSON or a message port.
import * as z from 'zod';
import type { Cursor } from '../../core/db/rows';
import type { SqlValue } from '../../core/db/types';
import { CodedError } from '../../core/errors';

export function hexOf(bytes: Uint8Array): string {
  return Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');
}

type TaggedValue = { $bigint: string } | { $bytes: string };

/** A cursor (any JSON-like value holding SqlValues) as a string the webview hands back unchanged. */
export function encodeCursor(cursor: unknown): string {
  return JSON.stringify(cursor, (_key, value: unknown): unknown => {
    if (typeof value === 'bigint') return { $bigint: value.toString() } satisfies TaggedValue;
    if (value instanceof Uint8Array) return { $bytes: Buffer.from(value).toString('base64') } satisfies TaggedValue;
    return value;
  });
}

// A cursor comes back from the webview, which is untrusted: its values are bound, and `duplicates`
// goes into the next page's LIMIT arithmetic, so it must be a count.
const CursorSchema: z.ZodType<Cursor> = z.object({
  values: z.array(z.union([z.null(), z.number(), z.string(), z.bigint(), z.instanceof(Uint8Array)])),
  duplicates: z.number().int().nonnegative().optional(),
});

/** The cursor `encodeCursor` made, or a CodedError 'invalid-params' for anything else. */
export function decodeCursor(text: string): Cursor {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text, (_key, value: unknown): unknown => {
      if (typeof value === 'object' && value !== null) {
        if ('$bigint' in value && typeof value.$bigint === 'string') return BigInt(value.$bigint);
        if ('$bytes' in value && typeof value.$bytes === 'string') return new Uint8Array(Buffer.from(value.$bytes, 'base64'));
      }
      return value;
    });
  } catch {
    parsed = undefined;
  }
  const cursor = CursorSchema.safeParse(parsed);
  if (!cursor.success) throw new CodedError('invalid-params', 'readPage: query.after: not a cursor this grid handed out; start from the first page');
  return cursor.data;
}

/** A stored value as export writes it: exact integers as text beyond 2^53, BLOBs as a hex literal. */
export function toExportValue(value: SqlValue): string | number | null {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Uint8Array) return `x'${hexOf(value)}'`;
  return value;
}
