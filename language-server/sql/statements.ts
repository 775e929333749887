// Splits a SQL document into statements at `;` outside strings, comments and trigger bodies.
import { isKeyword, tokenize, type Token } from './tokenizer';

export interface SqlStatement {
  index: number;
  /** Offset of the first token that is not a comment. */
  start: number;
  /** Offset just past the last token before the terminating `;` (or the end of the text). */
  end: number;
  /** From just after the previous statement's `;` to just after this one's (or the end). */
  segmentStart: number;
  segmentEnd: number;
  /** The statement's tokens without comments and without the terminating `;`. */
  tokens: Token[];
  text: string;
}

export function splitStatements(text: string): SqlStatement[] {
  const statements: SqlStatement[] = [];
  let current: Token[] = [];
  let segmentStart = 0;
  let triggerDepth = 0;
  const finish = (segmentEnd: number): void => {
    if (current.length > 0) {
      const start = current[0].start;
      const end = current[current.length - 1].end;
      statements.push({ index: statements.length, start, end, segmentStart, segmentEnd, tokens: current, text: text.slice(start, end) });
    }
    current = [];
    segmentStart = segmentEnd;
    triggerDepth = 0;
  };
  for (const token of tokenize(text)) {
    if (token.kind === 'comment') continue;
    if (token.kind === 'punctuation' && token.text === ';' && triggerDepth === 0) {
      finish(token.end);
      continue;
    }
    current.push(token);
    // A trigger's body holds its own `;`-terminated statements between BEGIN and END.
    if (isTrigger(current)) {
      if (isKeyword(token, 'BEGIN', 'CASE')) triggerDepth++;
      else if (isKeyword(token, 'END') && triggerDepth > 0) triggerDepth--;
    }
  }
  finish(text.length);
  return statements;
}

function isTrigger(tokens: readonly Token[]): boolean {
  if (!isKeyword(tokens[0], 'CREATE')) return false;
  const second = isKeyword(tokens[1], 'TEMP', 'TEMPORARY') ? tokens[2] : tokens[1];
  return isKeyword(second, 'TRIGGER');
}

/** The statement whose segment holds the offset (the cursor may sit after its last token). */
export function statementAt(statements: readonly SqlStatement[], offset: number): SqlStatement | undefined {
  return statements.find((statement) => offset >= statement.segmentStart && offset <= statement.segmentEnd);
}
