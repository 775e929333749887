// The typed filter row's little language, shared by the webview (parsing as the user types) and
// tests. Each column's text becomes at most one GridFilter:
//   abc        contains "abc" (text columns); equals for numbers in numeric columns
//   =x  !=x    equal / not equal          >x  >=x  <x  <=x   comparisons
//   null       IS NULL                    !null              IS NOT NULL
import type { GridFilter, GridFilterOperator } from './gridModel';

export type ParsedFilter = { readonly filter: GridFilter | null } | { readonly error: string };

const comparisons: [string, GridFilterOperator][] = [
  ['>=', 'ge'],
  ['<=', 'le'],
  ['!=', 'ne'],
  ['<>', 'ne'],
  ['>', 'gt'],
  ['<', 'lt'],
  ['=', 'eq'],
];

/** INTEGER, REAL, NUMERIC affinity by SQLite's rules (a declared type naming INT, REAL, FLOA, DOUB, NUM, DEC). */
export function isNumericType(declaredType: string): boolean {
  return /INT|REAL|FLOA|DOUB|NUM|DEC|BOOL/i.test(declaredType);
}

function typedValue(text: string): string | number {
  const trimmed = text.trim();
  return trimmed !== '' && /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(trimmed) ? Number(trimmed) : trimmed;
}

export function parseFilterText(column: string, declaredType: string, text: string): ParsedFilter {
  const trimmed = text.trim();
  if (trimmed === '') return { filter: null };
  const lower = trimmed.toLowerCase();
  if (lower === 'null' || lower === 'is null') return { filter: { column, op: 'null', value: null } };
  if (lower === '!null' || lower === 'not null' || lower === 'is not null') return { filter: { column, op: 'notNull', value: null } };
  for (const [prefix, op] of comparisons) {
    if (trimmed.startsWith(prefix)) {
      const rest = trimmed.slice(prefix.length);
      if (rest.trim() === '') return { error: `"${prefix}" needs a value after it` };
      return { filter: { column, op, value: typedValue(rest) } };
    }
  }
  const value = typedValue(trimmed);
  if (typeof value === 'number' && isNumericType(declaredType)) return { filter: { column, op: 'eq', value } };
  return { filter: { column, op: 'contains', value: trimmed } };
}
