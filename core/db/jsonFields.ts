// Whether a text is a JSON object, and the names of its fields, without building the object.
// JSON.parse of a queued payload, kept for every op, cost the queue analysis about half its time
// (the parse and the collector after it: bench/analyze-queue.ts); the analysis needs only these two
// facts, and whoever reads an op's payload parses it then (core/db/queueRows.ts).
//
// The grammar is ECMA-404's, the one JSON.parse accepts: whitespace is space, tab, LF and CR only;
// strings hold no raw control character and only the escapes \" \\ \/ \b \f \n \r \t \uXXXX;
// numbers are -?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?; the literals are true, false and null.
// tests/unit/db/jsonFields.test.ts checks every verdict against JSON.parse.

/** A field list shared by every payload with the same field names in the same order. */
export type JsonFieldNames = readonly string[];

const TAB = 9;
const LF = 10;
const CR = 13;
const SPACE = 32;
const QUOTE = 34;
const PLUS = 43;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const SLASH = 47;
const ZERO = 48;
const NINE = 57;
const COLON = 58;
const UPPER_E = 69;
const OPEN_SQUARE = 91;
const BACKSLASH = 92;
const CLOSE_SQUARE = 93;
const LOWER_E = 101;
const OPEN_CURLY = 123;
const CLOSE_CURLY = 125;
const LOWER_B = 98;
const LOWER_F = 102;
const LOWER_N = 110;
const LOWER_R = 114;
const LOWER_T = 116;
const LOWER_U = 117;

/**
 * The field names of `text` when it is a JSON object as JSON.parse reads it (a name written twice
 * is listed twice), else null: broken JSON, or JSON that is not an object.
 */
export function jsonObjectFieldNames(text: string): JsonFieldNames | null {
  // Most payloads are compact JSON with no escape and no control character: their strings then
  // end at the next quote, which indexOf finds faster than a loop over every character.
  const count = scanObject(text, !escapeOrControl.test(text));
  return count < 0 ? null : internedNames(text, count);
}

// A backslash or a control character: the characters a compact payload's strings lack.
// eslint-disable-next-line no-control-regex
const escapeOrControl = /[\\\u0000-\u001f]/;

/** Where the current text's top-level names start and end (module-wide, reused: no allocation per text). */
const nameStarts: number[] = [];
const nameEnds: number[] = [];
/** Whether a top-level name of the current text holds an escape, so its text is not the name itself. */
let escapedName = false;
/** Whether the string skipped last held an escape. */
let lastStringEscaped = false;
/** Open containers below the top-level object, innermost last: 1 for an object, 0 for an array. */
let open = new Uint8Array(64);

/**
 * How many top-level names the text's one JSON object has, or -1 when the text is not one. Compact
 * JSON has no whitespace, so each place that may hold some looks at one character before calling
 * skipSpace (whitespace is at most U+0020).
 */
function scanObject(text: string, plain: boolean): number {
  escapedName = false;
  let at = text.charCodeAt(0) <= SPACE ? skipSpace(text, 0) : 0;
  if (text.charCodeAt(at) !== OPEN_CURLY) return -1;
  if (text.charCodeAt(++at) <= SPACE) at = skipSpace(text, at);
  if (text.charCodeAt(at) === CLOSE_CURLY) return skipSpace(text, at + 1) === text.length ? 0 : -1;
  let names = 0;
  /** Containers open inside the top-level object. */
  let depth = 0;
  let inObject = true;
  for (;;) {
    // A member's name first, inside an object.
    if (inObject) {
      if (text.charCodeAt(at) !== QUOTE) return -1;
      lastStringEscaped = false;
      const end = plain ? text.indexOf('"', at + 1) : skipEscapedString(text, at + 1);
      if (end < 0) return -1;
      if (depth === 0) {
        nameStarts[names] = at + 1;
        nameEnds[names] = end;
        names++;
        if (lastStringEscaped) escapedName = true;
      }
      at = end + 1;
      if (text.charCodeAt(at) <= SPACE) at = skipSpace(text, at);
      if (text.charCodeAt(at) !== COLON) return -1;
      if (text.charCodeAt(++at) <= SPACE) at = skipSpace(text, at);
    }
    // Then a value: a container opens (and may close at once), or a scalar is skipped.
    const code = text.charCodeAt(at);
    if (code === QUOTE) {
      const end = plain ? text.indexOf('"', at + 1) : skipEscapedString(text, at + 1);
      if (end < 0) return -1;
      at = end + 1;
    } else if (code === OPEN_CURLY || code === OPEN_SQUARE) {
      const isObject = code === OPEN_CURLY;
      if (text.charCodeAt(++at) <= SPACE) at = skipSpace(text, at);
      if (text.charCodeAt(at) !== (isObject ? CLOSE_CURLY : CLOSE_SQUARE)) {
        if (depth === open.length) {
          const grown = new Uint8Array(open.length * 2);
          grown.set(open);
          open = grown;
        }
        open[depth++] = isObject ? 1 : 0;
        inObject = isObject;
        continue;
      }
      at++;
    } else {
      at = skipScalar(text, at, code);
      if (at < 0) return -1;
    }
    // After a value: a comma goes on in the same container; a closing bracket ends it.
    for (;;) {
      let after = text.charCodeAt(at);
      if (after <= SPACE) {
        at = skipSpace(text, at);
        after = text.charCodeAt(at);
      }
      if (after === COMMA) {
        if (text.charCodeAt(++at) <= SPACE) at = skipSpace(text, at);
        break;
      }
      if (after !== (inObject ? CLOSE_CURLY : CLOSE_SQUARE)) return -1;
      if (depth === 0) return skipSpace(text, at + 1) === text.length ? names : -1;
      depth--;
      inObject = depth === 0 || open[depth - 1] === 1;
      at++;
    }
  }
}

function skipSpace(text: string, from: number): number {
  let at = from;
  let code = text.charCodeAt(at);
  while (code === SPACE || code === LF || code === CR || code === TAB) code = text.charCodeAt(++at);
  return at;
}

/** The index of the closing quote of a string whose content starts at `from`, or -1 when it is no JSON string. */
function skipEscapedString(text: string, from: number): number {
  const length = text.length;
  let at = from;
  while (at < length) {
    const code = text.charCodeAt(at);
    if (code === QUOTE) return at;
    if (code < SPACE) return -1;
    if (code !== BACKSLASH) {
      at++;
      continue;
    }
    lastStringEscaped = true;
    const escaped = text.charCodeAt(at + 1);
    if (escaped === LOWER_U) {
      for (let digit = at + 2; digit < at + 6; digit++) if (!isHexDigit(text.charCodeAt(digit))) return -1;
      at += 6;
    } else if (escaped === QUOTE || escaped === BACKSLASH || escaped === SLASH || escaped === LOWER_B || escaped === LOWER_F || escaped === LOWER_N || escaped === LOWER_R || escaped === LOWER_T) {
      at += 2;
    } else {
      return -1;
    }
  }
  return -1;
}

/** Past a number or literal starting with `code` at `at`, or -1 (strings are skipped where they are met). */
function skipScalar(text: string, at: number, code: number): number {
  if (code === MINUS || (code >= ZERO && code <= NINE)) return skipNumber(text, at);
  if (code === LOWER_T) return text.startsWith('true', at) ? at + 4 : -1;
  if (code === LOWER_F) return text.startsWith('false', at) ? at + 5 : -1;
  if (code === LOWER_N) return text.startsWith('null', at) ? at + 4 : -1;
  return -1;
}

function skipNumber(text: string, from: number): number {
  let at = from;
  if (text.charCodeAt(at) === MINUS) at++;
  const first = text.charCodeAt(at);
  if (first === ZERO) at++;
  else if (first > ZERO && first <= NINE) at = skipDigits(text, at + 1);
  else return -1;
  if (text.charCodeAt(at) === DOT) {
    const fractionStart = at + 1;
    at = skipDigits(text, fractionStart);
    if (at === fractionStart) return -1;
  }
  const exponent = text.charCodeAt(at);
  if (exponent === LOWER_E || exponent === UPPER_E) {
    at++;
    const sign = text.charCodeAt(at);
    if (sign === PLUS || sign === MINUS) at++;
    const digitsStart = at;
    at = skipDigits(text, digitsStart);
    if (at === digitsStart) return -1;
  }
  return at;
}

function skipDigits(text: string, from: number): number {
  let at = from;
  let code = text.charCodeAt(at);
  while (code >= ZERO && code <= NINE) code = text.charCodeAt(++at);
  return at;
}

function isHexDigit(code: number): boolean {
  return (code >= ZERO && code <= NINE) || (code >= 65 && code <= 70) || (code >= 97 && code <= 102);
}

// ---- interning --------------------------------------------------------------------------------

/**
 * Lists seen before, by a hash of their names. A queue's payloads share a few shapes, so after the
 * first of each a text's names cost no string at all. Bounded, since a shape per op is possible.
 */
const knownLists = new Map<number, JsonFieldNames[]>();
const maxKnownLists = 4096;
let knownCount = 0;
const noNames: JsonFieldNames = Object.freeze([]);

/** The lists returned last, newest first: consecutive payloads mostly share a shape, found without a hash. */
const recentLists: JsonFieldNames[] = [];
const recentCount = 4;

function internedNames(text: string, count: number): JsonFieldNames {
  if (count === 0) return noNames;
  if (escapedName) return Object.freeze(namesOf(text, count));
  for (let index = 0; index < recentLists.length; index++) {
    const recent = recentLists[index]!;
    if (sameNames(text, recent, count)) {
      if (index > 0) {
        recentLists.splice(index, 1);
        recentLists.unshift(recent);
      }
      return recent;
    }
  }
  const list = knownList(text, count);
  recentLists.unshift(list);
  if (recentLists.length > recentCount) recentLists.pop();
  return list;
}

function knownList(text: string, count: number): JsonFieldNames {
  let hash = count;
  for (let index = 0; index < count; index++) {
    const start = nameStarts[index]!;
    const end = nameEnds[index]!;
    hash = Math.imul(hash ^ (end - start), 0x9e3779b1);
    for (let at = start; at < end; at++) hash = Math.imul(hash ^ text.charCodeAt(at), 0x01000193);
  }
  const candidates = knownLists.get(hash);
  if (candidates) {
    for (const list of candidates) if (sameNames(text, list, count)) return list;
  }
  const list = Object.freeze(namesOf(text, count));
  if (knownCount < maxKnownLists) {
    knownCount++;
    if (candidates) candidates.push(list);
    else knownLists.set(hash, [list]);
  }
  return list;
}

function sameNames(text: string, list: JsonFieldNames, count: number): boolean {
  if (list.length !== count) return false;
  for (let index = 0; index < count; index++) {
    const name = list[index]!;
    const start = nameStarts[index]!;
    if (nameEnds[index]! - start !== name.length || !text.startsWith(name, start)) return false;
  }
  return true;
}

function namesOf(text: string, count: number): string[] {
  const names: string[] = [];
  for (let index = 0; index < count; index++) {
    const raw = text.slice(nameStarts[index]!, nameEnds[index]!);
    // An escaped name (`"\u0061"` is `a`) is read by JSON.parse itself; the scan proved it valid.
    names.push(raw.includes('\\') ? (JSON.parse(`"${raw}"`) as string) : raw);
  }
  return names;
}
