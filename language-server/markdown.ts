// Data in Markdown hovers: table, column and database names, types, defaults and SQLite's messages
// come from a database file anyone may have written, so none of it may become Markdown or HTML.
// CommonMark lets every ASCII punctuation character be backslash-escaped, and a code span is taken
// literally once its fence is longer than any run of backticks inside it.

/** Line breaks and other control characters would end a paragraph, a table row or a code span. */
const controlCharacters = /[\p{Cc}\u2028\u2029]/gu;
const asciiPunctuation = /[!-/:-@[-`{-~]/g;

/** The text as Markdown that renders to exactly that text, on one line (a table cell too). */
export function markdownText(text: string): string {
  return text.replace(controlCharacters, ' ').replace(asciiPunctuation, '\\$&');
}

/** The text as one inline code span, whatever backticks it holds. */
export function markdownCode(text: string): string {
  const flat = text.replace(controlCharacters, ' ');
  const longestRun = (flat.match(/`+/g) ?? []).reduce((longest, run) => Math.max(longest, run.length), 0);
  const fence = '`'.repeat(longestRun + 1);
  // A space on each side is stripped again by the renderer; it keeps a backtick at an edge off the fence.
  const padded = flat === '' || /^[` ]|[` ]$/.test(flat) ? ` ${flat} ` : flat;
  return `${fence}${padded}${fence}`;
}
