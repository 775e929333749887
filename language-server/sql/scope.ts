// Which tables a statement reads or writes, under which aliases, and what the cursor is asking for.
// Deliberately shallow: one scope per statement (subqueries' tables count for the whole statement),
// which is what completion needs and cheap enough to redo on every keystroke.
import { identifierName, isIdentifierToken, isKeyword, type Token } from './tokenizer';

export interface TableReference {
  /** The table's name as written (quotes removed). */
  table: string;
  alias: string | null;
  token: Token;
}

/** Words that end a table reference instead of naming its alias. */
const notAnAlias = new Set([
  'WHERE', 'ON', 'USING', 'JOIN', 'INNER', 'LEFT', 'RIGHT', 'FULL', 'OUTER', 'CROSS', 'NATURAL', 'GROUP', 'ORDER', 'LIMIT',
  'HAVING', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'SET', 'VALUES', 'DEFAULT', 'SELECT', 'RETURNING', 'INDEXED', 'NOT',
  'AS', 'FROM', 'DO', 'OFFSET', 'AND', 'OR', 'WHEN', 'THEN', 'ELSE', 'END', 'BEGIN',
]);

const tableIntroducers = new Set(['FROM', 'JOIN', 'INTO', 'UPDATE', 'TABLE']);

export function tableReferences(tokens: readonly Token[]): TableReference[] {
  const references: TableReference[] = [];
  let inFromList = false;
  let depthOfFrom = -1;
  let depth = 0;
  for (let index = 0; index < tokens.length; index++) {
    const token = tokens[index];
    if (token.text === '(') depth++;
    if (token.text === ')') {
      depth--;
      if (depth < depthOfFrom) inFromList = false;
    }
    const introduces = token.kind === 'word' && tableIntroducers.has(token.text.toUpperCase());
    const continuesList = inFromList && token.text === ',' && depth === depthOfFrom;
    if (token.kind === 'word' && !introduces && isClauseEnd(token) && depth === depthOfFrom) inFromList = false;
    if (!introduces && !continuesList) continue;
    if (isKeyword(token, 'FROM', 'JOIN')) {
      inFromList = true;
      depthOfFrom = depth;
    }
    const parsed = readReference(tokens, index + 1);
    if (parsed) {
      references.push(parsed.reference);
      index = parsed.next - 1;
    }
  }
  return references;
}

function isClauseEnd(token: Token): boolean {
  return ['WHERE', 'GROUP', 'ORDER', 'LIMIT', 'HAVING', 'WINDOW', 'UNION', 'INTERSECT', 'EXCEPT', 'RETURNING', 'SET', 'VALUES'].includes(
    token.text.toUpperCase(),
  );
}

function readReference(tokens: readonly Token[], from: number): { reference: TableReference; next: number } | null {
  let index = from;
  // `INSERT OR REPLACE INTO`, `UPDATE OR IGNORE x`
  if (isKeyword(tokens[index], 'OR') && isIdentifierToken(tokens[index + 1])) index += 2;
  let nameToken = tokens[index];
  if (!isIdentifierToken(nameToken) || (nameToken.kind === 'word' && notAnAlias.has(nameToken.text.toUpperCase()))) return null;
  index++;
  if (tokens[index]?.text === '.' && isIdentifierToken(tokens[index + 1])) {
    nameToken = tokens[index + 1];
    index += 2;
  }
  let alias: string | null = null;
  if (isKeyword(tokens[index], 'AS') && isIdentifierToken(tokens[index + 1])) {
    alias = identifierName(tokens[index + 1]);
    index += 2;
  } else if (isIdentifierToken(tokens[index]) && !(tokens[index].kind === 'word' && notAnAlias.has(tokens[index].text.toUpperCase()))) {
    alias = identifierName(tokens[index]);
    index++;
  }
  return { reference: { table: identifierName(nameToken), alias, token: nameToken }, next: index };
}

export type CompletionContext =
  /** Right after FROM / JOIN / INTO / UPDATE: a table or view. */
  | { kind: 'table'; writable: boolean }
  /** After `qualifier.`: a column of that table or alias. */
  | { kind: 'qualified'; qualifier: string }
  /** Anywhere else in a statement: columns in scope, tables, functions, keywords. */
  | { kind: 'any' }
  /** Inside a string, a comment or a number: nothing to offer. */
  | { kind: 'none' };

export interface CursorAnalysis {
  context: CompletionContext;
  /** The identifier being typed (replaced by the completion), if any. */
  prefix: Token | null;
}

/**
 * What completion should offer at `offset`. `tokens` are the statement's tokens; `allTokens` the
 * segment's tokens including comments (so the cursor inside a comment offers nothing).
 */
export function analyzeCursor(allTokens: readonly Token[], offset: number): CursorAnalysis {
  const containing = allTokens.find((token) => token.start < offset && offset <= token.end);
  if (containing && isInside(containing, offset)) return { context: { kind: 'none' }, prefix: null };
  const prefix = containing && isIdentifierToken(containing) ? containing : null;
  const before = allTokens.filter((token) => token.end <= (prefix ? prefix.start : offset) && token.kind !== 'comment');
  const previous = before[before.length - 1];
  if (previous?.text === '.') {
    const qualifier = before[before.length - 2];
    if (isIdentifierToken(qualifier)) return { context: { kind: 'qualified', qualifier: identifierName(qualifier) }, prefix };
  }
  if (isKeyword(previous, 'FROM', 'JOIN', 'TABLE')) return { context: { kind: 'table', writable: false }, prefix };
  if (isKeyword(previous, 'INTO', 'UPDATE')) return { context: { kind: 'table', writable: true }, prefix };
  return { context: { kind: 'any' }, prefix };
}

/** True when the cursor is within a comment, string or number rather than just after a closed one. */
function isInside(token: Token, offset: number): boolean {
  if (token.kind === 'number') return true;
  if (token.kind === 'comment') return token.text.startsWith('--') || token.unterminated === true || offset < token.end;
  if (token.kind === 'string') return token.unterminated === true || offset < token.end;
  return false;
}
