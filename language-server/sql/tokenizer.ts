// A small SQLite tokenizer: enough to split statements, find the tables in scope and point at
// tokens named by SQLite's error messages. Offsets are UTF-16 indexes into the document text, as
// LSP positions are.

export type TokenKind =
  | 'word' // keyword or bare identifier
  | 'quoted' // "identifier", `identifier` or [identifier]
  | 'string' // 'text'
  | 'number'
  | 'parameter' // ?, ?1, :name, @name, $name
  | 'comment'
  | 'punctuation' // ( ) , ; .
  | 'operator';

export interface Token {
  kind: TokenKind;
  /** The source text, quotes included. */
  text: string;
  start: number;
  end: number;
  /** True when a quote or block comment is not closed before the end of the text. */
  unterminated?: boolean;
}

const wordStart = /[A-Za-z_\u0080-\uffff]/;
const wordPart = /[A-Za-z0-9_$\u0080-\uffff]/;
const digit = /[0-9]/;

export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const tokens: Token[] = [];
  let index = from;
  while (index < to) {
    const char = text[index];
    const start = index;
    if (char === ' ' || char === '\t' || char === '\n' || char === '\r' || char === '\f') {
      index++;
      continue;
    }
    if (char === '-' && text[index + 1] === '-') {
      const newline = text.indexOf('\n', index);
      index = newline === -1 || newline > to ? to : newline;
      tokens.push({ kind: 'comment', text: text.slice(start, index), start, end: index });
      continue;
    }
    if (char === '/' && text[index + 1] === '*') {
      const close = text.indexOf('*/', index + 2);
      const unterminated = close === -1 || close + 2 > to;
      index = unterminated ? to : close + 2;
      tokens.push({ kind: 'comment', text: text.slice(start, index), start, end: index, ...(unterminated ? { unterminated } : {}) });
      continue;
    }
    if (char === "'" || char === '"' || char === '`') {
      index = skipQuoted(text, index, to, char);
      const unterminated = text[index - 1] !== char || index - start < 2;
      tokens.push({ kind: char === "'" ? 'string' : 'quoted', text: text.slice(start, index), start, end: index, ...(unterminated ? { unterminated } : {}) });
      continue;
    }
    if (char === '[') {
      const close = text.indexOf(']', index);
      const unterminated = close === -1 || close >= to;
      index = unterminated ? to : close + 1;
      tokens.push({ kind: 'quoted', text: text.slice(start, index), start, end: index, ...(unterminated ? { unterminated } : {}) });
      continue;
    }
    if ((char === 'x' || char === 'X') && text[index + 1] === "'") {
      index = skipQuoted(text, index + 1, to, "'");
      tokens.push({ kind: 'string', text: text.slice(start, index), start, end: index });
      continue;
    }
    if (digit.test(char) || (char === '.' && digit.test(text[index + 1] ?? ''))) {
      index++;
      while (index < to && /[0-9A-Za-z_.]/.test(text[index])) {
        if ((text[index] === 'e' || text[index] === 'E') && (text[index + 1] === '+' || text[index + 1] === '-')) index++;
        index++;
      }
      tokens.push({ kind: 'number', text: text.slice(start, index), start, end: index });
      continue;
    }
    if (wordStart.test(char)) {
      index++;
      while (index < to && wordPart.test(text[index])) index++;
      tokens.push({ kind: 'word', text: text.slice(start, index), start, end: index });
      continue;
    }
    if (char === '?' || char === ':' || char === '@' || char === '$') {
      index++;
      while (index < to && wordPart.test(text[index])) index++;
      tokens.push({ kind: 'parameter', text: text.slice(start, index), start, end: index });
      continue;
    }
    if (char === '(' || char === ')' || char === ',' || char === ';' || char === '.') {
      index++;
      tokens.push({ kind: 'punctuation', text: char, start, end: index });
      continue;
    }
    const two = text.slice(index, index + 2);
    index += ['||', '<=', '>=', '==', '!=', '<>', '<<', '>>', '->'].includes(two) ? (text.slice(index, index + 3) === '->>' ? 3 : 2) : 1;
    tokens.push({ kind: 'operator', text: text.slice(start, index), start, end: index });
  }
  return tokens;
}

/** Index just past the closing quote; a doubled quote inside is part of the text. */
function skipQuoted(text: string, open: number, to: number, quote: string): number {
  let index = open + 1;
  while (index < to) {
    if (text[index] === quote) {
      if (text[index + 1] === quote) {
        index += 2;
        continue;
      }
      return index + 1;
    }
    index++;
  }
  return to;
}

/** The name a word or quoted token stands for: quotes removed, doubled quotes undone. */
export function identifierName(token: Token): string {
  if (token.kind !== 'quoted') return token.text;
  const open = token.text[0];
  const close = open === '[' ? ']' : open;
  const body = token.text.endsWith(close) && token.text.length > 1 ? token.text.slice(1, -1) : token.text.slice(1);
  return open === '[' ? body : body.replaceAll(open + open, open);
}

export function isIdentifierToken(token: Token | undefined): token is Token {
  return token !== undefined && (token.kind === 'word' || token.kind === 'quoted');
}

export function isKeyword(token: Token | undefined, ...words: string[]): boolean {
  return token !== undefined && token.kind === 'word' && words.includes(token.text.toUpperCase());
}
